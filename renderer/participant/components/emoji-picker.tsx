/** A compact grid of friendly emoji, one selectable (a radio group, arrow keys move). */
import { useRef, type KeyboardEvent } from 'react'
import { PICKER_EMOJI } from '../../shared/names.js'

interface EmojiPickerProps {
  value: string
  onChange: (emoji: string) => void
  labelId: string
}

export function EmojiPicker ({ value, onChange, labelId }: EmojiPickerProps) {
  const gridRef = useRef<HTMLDivElement>(null)
  const selected = PICKER_EMOJI.includes(value) ? value : PICKER_EMOJI[0]

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const columns = columnsOf(gridRef.current)
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[event.key]
    if (step === undefined) return
    event.preventDefault()
    const index = PICKER_EMOJI.indexOf(selected ?? '')
    const next = PICKER_EMOJI[(index + step + PICKER_EMOJI.length) % PICKER_EMOJI.length]
    if (!next) return
    onChange(next)
    gridRef.current?.querySelector<HTMLButtonElement>(`[data-emoji="${next}"]`)?.focus()
  }

  return (
    <div ref={gridRef} className='emoji-picker' role='radiogroup' aria-labelledby={labelId} onKeyDown={onKeyDown}>
      {PICKER_EMOJI.map(emoji => (
        <button
          key={emoji}
          type='button'
          role='radio'
          aria-checked={emoji === selected}
          tabIndex={emoji === selected ? 0 : -1}
          className='emoji-picker__item'
          data-emoji={emoji}
          onClick={() => onChange(emoji)}
        >
          {emoji}
        </button>
      ))}
    </div>
  )
}

/** How many emoji sit on one row right now (the grid narrows on phones). */
function columnsOf (grid: HTMLElement | null): number {
  if (!grid) return 1
  const items = Array.from(grid.children) as HTMLElement[]
  const top = items[0]?.offsetTop
  const sameRow = items.filter(item => item.offsetTop === top).length
  return sameRow > 1 && sameRow < items.length ? sameRow : 6
}
