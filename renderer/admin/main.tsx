/** Host console entry (placeholder until the console is built). */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '../shared/styles/base.css'

function AdminPlaceholder () {
  return (
    <main className='splash'>
      <p className='brand'><span className='brand__mark' aria-hidden='true'>◆</span> MindWeb</p>
      <h1>Host console — coming soon</h1>
      <p>The room is running. Participants join from the address shown when the host started.</p>
    </main>
  )
}

const root = document.getElementById('root')
if (root) createRoot(root).render(<StrictMode><AdminPlaceholder /></StrictMode>)
