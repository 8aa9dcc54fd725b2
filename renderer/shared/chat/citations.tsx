/** The knowledge-base passages an answer drew on, folded under "n sources". */
import type { Citation } from '../../../server/protocol/index.js'
import { truncate } from '../format.js'
import { useT } from '../i18n/index.js'

export function Citations ({ citations }: { citations: Citation[] }) {
  const t = useT()
  if (citations.length === 0) return null
  const sorted = citations.slice().sort((a, b) => a.position - b.position)
  return (
    <details className='citations'>
      <summary><span aria-hidden='true'>📚 </span>{t.ai.sources(citations.length)}</summary>
      <ol className='citations__list'>
        {sorted.map((c, i) => (
          <li key={`${c.position}-${i}`} className='citation'>
            <div className='citation__head'>
              <span className='citation__doc'>{c.document_name || c.dataset_name || '—'}</span>
              {c.dataset_name && c.document_name && <span className='citation__set'>{c.dataset_name}</span>}
              {typeof c.score === 'number' && <span className='citation__score'>{Math.round(c.score * 100)}%</span>}
            </div>
            {c.content && <p className='citation__text'>{truncate(c.content, 400)}</p>}
          </li>
        ))}
      </ol>
    </details>
  )
}
