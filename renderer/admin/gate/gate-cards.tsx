/** The console's projector switch and "Save lesson" (export), beside the question queue. */
import { useEffect, useState } from 'react'
import type { ProjectorState, ProjectorView } from '../../../server/protocol/index.js'
import { useToast } from '../components/toast.js'
import type { GateApi } from './gate-api.js'
import type { GateText } from '../../shared/i18n/gate.js'

const VIEWS: readonly ProjectorView[] = ['auto', 'qr', 'answer']

export function ProjectorCard ({ gate, token, t }: { gate: GateApi, token: string, t: GateText }) {
  const toast = useToast()
  const [state, setState] = useState<ProjectorState | null>(null)
  useEffect(() => { gate.projector().then(setState, () => { /* the switch shows the default */ }) }, [gate])
  const set = (view: ProjectorView, switches: { hide_names?: boolean, read_aloud?: boolean } = {}): void => { gate.setProjector(view, switches).then(setState, toast.fail) }
  const current = state ?? { view: 'auto', hide_names: false, read_aloud: false }
  return (
    <fieldset className='card gate__card'>
      <legend className='card__title'>{t.projector}</legend>
      <a className='btn' href={`/projector/#token=${encodeURIComponent(token)}`} target='_blank' rel='noopener noreferrer'>{t.openProjector} ↗</a>
      <div className='segmented' role='group' aria-label={t.projector}>
        {VIEWS.map(v => (
          <button key={v} type='button' aria-pressed={current.view === v} onClick={() => set(v)}>{t.views[v]}</button>
        ))}
      </div>
      <label className='switch'>
        <input type='checkbox' role='switch' checked={current.hide_names} onChange={e => set(current.view, { hide_names: e.target.checked })} />
        <span className='switch__label'>{t.hideNames}</span>
      </label>
      <label className='switch'>
        <input type='checkbox' role='switch' checked={current.read_aloud === true} onChange={e => set(current.view, { read_aloud: e.target.checked })} />
        <span className='switch__label'>{t.readAloud}</span>
      </label>
    </fieldset>
  )
}

export function LessonCard ({ gate, t }: { gate: GateApi, t: GateText }) {
  const toast = useToast()
  const [scope, setScope] = useState<'current' | 'all'>('current')
  const save = (format: 'md' | 'json' | 'csv'): void => {
    gate.download(format, scope).then(({ blob, name }) => {
      const url = URL.createObjectURL(blob)
      const a = document.createElement('a')
      a.href = url
      a.download = name
      document.body.append(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      toast.notify({ text: t.saved(name) })
    }, toast.fail)
  }
  return (
    <fieldset className='card gate__card'>
      <legend className='card__title'>{t.lesson}</legend>
      <label className='field'>
        <span className='visually-hidden'>{t.lesson}</span>
        <select value={scope} onChange={e => setScope(e.target.value === 'all' ? 'all' : 'current')}>
          <option value='current'>{t.sessionCurrent}</option>
          <option value='all'>{t.sessionAll}</option>
        </select>
      </label>
      <div className='question__actions'>
        <button type='button' className='btn btn--primary' onClick={() => save('md')}>{t.saveLesson} (Markdown)</button>
        <button type='button' className='btn' onClick={() => save('csv')}>CSV</button>
        <button type='button' className='btn' onClick={() => save('json')}>JSON</button>
      </div>
    </fieldset>
  )
}
