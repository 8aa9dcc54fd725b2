/**
 * AI settings: the Dify address and key (only its last 4 characters ever come back), Test connection
 * (the app's name and opening statement, or the exact reason it failed), how many answers run at
 * once, the longest answer, and the app's own input form. A setting fixed by a launch flag says so and stays read-only.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useAdminT } from '../../shared/i18n/admin.js'
import type { ConsolePanelProps } from './panel-props.js'
import { errorText } from '../components/error-text.js'
import { useToast } from '../components/toast.js'
import { useSettings, type SettingsState } from '../hooks/use-settings.js'
import type { AdminApi } from '../api.js'
import type { AiTestResult, DifyInputValue, FormField, SettingsResponse, SettingsUpdate } from '../types.js'
import { ANSWER_LIMIT } from '../../../server/protocol/index.js'
import { DifyForm } from './dify-form.js'

export function AiPanel ({ api, socket }: ConsolePanelProps) {
  const t = useAdminT()
  const toast = useToast()
  const settings = useSettings(api, socket)
  const data = settings.data
  const locked = data?.locked ?? {}
  const [form, setForm] = useState<FormField[] | null>(null)

  const loadForm = useCallback(() => {
    api.aiForm().then(r => setForm(r.form), () => setForm(null))
  }, [api])
  useEffect(() => { loadForm() }, [loadForm])

  const saveInputs = async (values: Record<string, DifyInputValue>): Promise<void> => {
    try {
      await settings.save({ dify_inputs: values })
      toast.notify({ text: t.ai.saved })
    } catch (err) { toast.fail(err) }
  }

  return (
    <section className='panel ai' aria-labelledby='ai-h'>
      <h2 id='ai-h' className='panel__title'>{t.ai.heading}</h2>
      {settings.error && !data && <p className='note note--error' role='alert'>{settings.error}</p>}
      <div className='ai__grid'>
        {data && (
          <ConnectionForm
            key={`${data.settings.dify_api_url ?? ''}|${data.settings.ai_concurrency}|${data.settings.ai_max_answer_chars}`}
            api={api}
            data={data}
            settings={settings}
            onSaved={loadForm}
            onForm={setForm}
            takesPhotos={(socket.state.room?.photos ?? 'off') !== 'off'}
          />
        )}
        <div className='card'>
          <h3 className='card__title'>{t.ai.form}</h3>
          {form === null && <p className='muted'>{t.ai.formUnknown}</p>}
          {form !== null && form.length > 0 && <p className='help'>{t.ai.formHelp}</p>}
          {form !== null && data && (
            <DifyForm
              key={JSON.stringify([form, data.settings.dify_inputs])}
              form={form}
              values={data.settings.dify_inputs}
              isLocked={locked.dify_inputs !== undefined}
              onSave={saveInputs}
            />
          )}
          {locked.dify_inputs && <p className='note'>{t.ai.lockedBy(locked.dify_inputs)}</p>}
        </div>
      </div>
    </section>
  )
}

interface ConnectionFormProps {
  api: AdminApi
  data: SettingsResponse
  settings: SettingsState
  onSaved: () => void
  onForm: (form: FormField[]) => void
  /** the room takes photos: the test warns when the app cannot see them */
  takesPhotos: boolean
}

/** Keyed by the saved address, concurrency and answer limit: a save starts it again from what the host holds. */
function ConnectionForm ({ api, data, settings, onSaved, onForm, takesPhotos }: ConnectionFormProps) {
  const t = useAdminT()
  const toast = useToast()
  const locked = data.locked
  const saved = data.settings
  const [url, setUrl] = useState(saved.dify_api_url ?? '')
  const [key, setKey] = useState('')
  const [concurrency, setConcurrency] = useState(saved.ai_concurrency)
  const [maxAnswer, setMaxAnswer] = useState(saved.ai_max_answer_chars)
  const [isSaving, setIsSaving] = useState(false)
  const [isTesting, setIsTesting] = useState(false)
  const [test, setTest] = useState<AiTestResult | null>(null)
  const [testError, setTestError] = useState<string | null>(null)
  const [isTestUnsaved, setIsTestUnsaved] = useState(false)

  const save = (e: FormEvent): void => {
    e.preventDefault()
    const update: SettingsUpdate = {}
    if (locked.dify_api_url === undefined && url.trim() !== (saved.dify_api_url ?? '')) update.dify_api_url = url.trim()
    if (locked.dify_api_key === undefined && key.trim() !== '') update.dify_api_key = key.trim()
    if (locked.ai_concurrency === undefined && concurrency !== saved.ai_concurrency) update.ai_concurrency = concurrency
    if (locked.ai_max_answer_chars === undefined && maxAnswer !== saved.ai_max_answer_chars) update.ai_max_answer_chars = maxAnswer
    setIsSaving(true)
    settings.save(update).then(() => {
      setKey('')
      toast.notify({ text: t.ai.saved })
      onSaved()
    }, toast.fail).finally(() => setIsSaving(false))
  }

  const runTest = (): void => {
    setIsTesting(true)
    setTest(null)
    setTestError(null)
    // Test what is typed, before saving it; fields left as saved test the saved values.
    const body: { dify_api_url?: string, dify_api_key?: string } = {}
    if (url.trim() !== '' && url.trim() !== (saved.dify_api_url ?? '')) body.dify_api_url = url.trim()
    if (key.trim() !== '') body.dify_api_key = key.trim()
    setIsTestUnsaved(Object.keys(body).length > 0)
    api.testAi(body).then(result => {
      setTest(result)
      if (result.ok) onForm(result.form)
    }, (err: unknown) => setTestError(errorText(err))).finally(() => setIsTesting(false))
  }

  const clearKey = (): void => {
    settings.save({ dify_api_key: '' }).then(() => toast.notify({ text: t.ai.saved }), toast.fail)
  }

  const keyInfo = saved.dify_api_key
  return (
    <form className='card' onSubmit={save}>
      <div className='field'>
        <label className='field__label' htmlFor='dify-url'>{t.ai.url}</label>
        <input id='dify-url' type='url' inputMode='url' spellCheck={false} value={url} placeholder='https://api.dify.ai/v1' disabled={locked.dify_api_url !== undefined} onChange={e => setUrl(e.target.value)} />
        {locked.dify_api_url ? <span className='note'>{t.ai.lockedBy(locked.dify_api_url)}</span> : <span className='help'>{t.ai.urlHelp}</span>}
      </div>
      <div className='field'>
        <label className='field__label' htmlFor='dify-key'>{t.ai.key}</label>
        <p className='help' data-testid='key-state'>
          {keyInfo.is_set ? t.ai.keySet(keyInfo.last4 ?? '????') : t.ai.keyNone}
          {keyInfo.is_set && keyInfo.is_encrypted ? ` ${t.ai.keyEncrypted}` : ''}
        </p>
        <div className='field__row'>
          <input
            id='dify-key' type='password' autoComplete='off' spellCheck={false} value={key} placeholder={t.ai.keyPlaceholder}
            disabled={locked.dify_api_key !== undefined} onChange={e => setKey(e.target.value)}
          />
          {keyInfo.is_set && locked.dify_api_key === undefined && <button type='button' className='btn' onClick={clearKey}>{t.ai.clearKey}</button>}
        </div>
        {locked.dify_api_key && <span className='note'>{t.ai.lockedBy(locked.dify_api_key)}</span>}
      </div>
      <div className='field'>
        <label className='field__label' htmlFor='ai-concurrency'>{t.ai.concurrency}</label>
        <input id='ai-concurrency' type='number' min={1} max={200} value={concurrency} disabled={locked.ai_concurrency !== undefined} onChange={e => setConcurrency(Number(e.target.value))} className='input--short' />
        {locked.ai_concurrency ? <span className='note'>{t.ai.lockedBy(locked.ai_concurrency)}</span> : <span className='help'>{t.ai.concurrencyHelp}</span>}
      </div>
      <div className='field'>
        <label className='field__label' htmlFor='ai-max-answer'>{t.ai.maxAnswer}</label>
        <input
          id='ai-max-answer' type='number' min={ANSWER_LIMIT.min} max={ANSWER_LIMIT.max} step={1000} value={maxAnswer}
          disabled={locked.ai_max_answer_chars !== undefined} onChange={e => setMaxAnswer(Number(e.target.value))} className='input--short'
        />
        {locked.ai_max_answer_chars ? <span className='note'>{t.ai.lockedBy(locked.ai_max_answer_chars)}</span> : <span className='help'>{t.ai.maxAnswerHelp(ANSWER_LIMIT.min, ANSWER_LIMIT.max)}</span>}
      </div>
      <label className='switch'>
        <input
          type='checkbox' role='switch' checked={saved.review_answers} disabled={locked.review_answers !== undefined}
          onChange={e => { settings.save({ review_answers: e.target.checked }).catch(toast.fail) }}
        />
        <span className='switch__label'>{t.ai.review}</span>
      </label>
      <p className='help'>{locked.review_answers ? t.ai.lockedBy(locked.review_answers) : t.ai.reviewHelp}</p>
      <div className='field__row'>
        <button type='submit' className='btn btn--primary' disabled={isSaving}>{isSaving ? t.ai.saving : t.ai.save}</button>
        <button type='button' className='btn' onClick={runTest} disabled={isTesting}>{isTesting ? t.ai.testing : t.ai.test}</button>
      </div>
      <div aria-live='polite'>
        {testError && <TestFailure code='ERR_NETWORK' message={testError} />}
        {test && !test.ok && <TestFailure code={test.error.code} message={test.error.message} />}
        {test?.ok && (
          <div className='test-result test-result--ok' data-testid='test-result'>
            <p className='test-result__title'>✓ {t.ai.testOk}</p>
            <dl>
              <dt>{t.ai.appName}</dt><dd>{test.app.name ?? '—'}{test.app.mode ? ` · ${test.app.mode}` : ''}</dd>
              <dt>{t.ai.opening}</dt><dd>{test.app.opening_statement || <span className='muted'>{t.ai.noOpening}</span>}</dd>
              {test.app.suggested_questions.length > 0 && <><dt>{t.ai.suggested}</dt><dd>{test.app.suggested_questions.join(' · ')}</dd></>}
              {test.app.features !== undefined && (
                <>
                  <dt>{t.ai.features}</dt>
                  <dd>
                    <ul className='feature-list'>
                      {([['vision', test.app.features.vision], ['textToSpeech', test.app.features.text_to_speech], ['followUps', test.app.features.follow_ups], ['annotationReply', test.app.features.annotation_reply]] as const).map(([key, isOn]) => (
                        <li key={key} className={isOn ? 'is-on' : 'is-off'}><span aria-hidden='true'>{isOn ? '✓ ' : '✗ '}</span><span className='visually-hidden'>{isOn ? t.ai.featureOn : t.ai.featureOff}: </span>{t.ai.feature[key]}</li>
                      ))}
                    </ul>
                  </dd>
                </>
              )}
            </dl>
            {test.app.features?.vision === false && takesPhotos && <p className='note note--warn'>{t.ai.visionOff}</p>}
            {test.missing_inputs.length > 0 && <p className='note note--warn'>{t.ai.missingInputs(labelsOf(test.missing_inputs, test.form).join(', '))}</p>}
            {isTestUnsaved && <p className='note'>{t.ai.notSaved}</p>}
          </div>
        )}
      </div>
    </form>
  )
}

/** The app's own labels for its variables (what the host sees in the form). */
function labelsOf (variables: string[], form: FormField[]): string[] {
  return variables.map(v => form.find(f => f.variable === v)?.label || v)
}

function TestFailure ({ code, message }: { code: string, message: string }) {
  const t = useAdminT()
  return (
    <div className='test-result test-result--failed' role='alert' data-testid='test-result'>
      <p className='test-result__title'>✕ {t.ai.testFailed}</p>
      <p>{message}</p>
      <p className='mono muted'>{code}</p>
    </div>
  )
}
