/**
 * "Teach this answer": the question and the answer, both editable, saved as an annotation of the
 * AI app so that it answers that question with the host's words next time.
 */
import { useId, useState } from 'react'
import { withoutAiMention } from '../../../server/protocol/index.js'
import type { AiEntry, UserEntry } from '../../shared/chat/chat-state.js'
import { useAdminT } from '../../shared/i18n/admin.js'
import { ConfirmDialog } from '../components/confirm-dialog.js'

interface TeachDialogProps {
  answer: AiEntry
  question: UserEntry | undefined
  onSave: (body: { question: string, answer: string }) => void
  onCancel: () => void
}

export function TeachDialog ({ answer, question, onSave, onCancel }: TeachDialogProps) {
  const t = useAdminT()
  const [asked, setAsked] = useState(question === undefined ? '' : withoutAiMention(question.content))
  const [text, setText] = useState(answer.content)
  const isReady = asked.trim() !== '' && text.trim() !== ''
  // Labelled by id: a label around a textarea would take the text typed in as part of its name.
  const id = useId()
  return (
    <ConfirmDialog title={t.room.teachTitle} confirmLabel={t.room.teachSave} onConfirm={() => { if (isReady) onSave({ question: asked.trim(), answer: text.trim() }) }} onCancel={onCancel}>
      <p>{t.room.teachHelp}</p>
      <div className='field'>
        <label className='field__label' htmlFor={`${id}-q`}>{t.room.teachQuestion}</label>
        <textarea id={`${id}-q`} rows={2} value={asked} maxLength={2000} onChange={e => setAsked(e.target.value)} />
      </div>
      <div className='field'>
        <label className='field__label' htmlFor={`${id}-a`}>{t.room.teachAnswer}</label>
        <textarea id={`${id}-a`} rows={8} value={text} maxLength={20000} onChange={e => setText(e.target.value)} />
      </div>
    </ConfirmDialog>
  )
}
