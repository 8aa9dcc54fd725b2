/** Participant page entry: the page every LAN browser opens at `/`. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { browserLanguages, I18nContext, pickMessages } from '../shared/i18n/index.js'
import '../shared/styles/base.css'
import './styles/participant.css'
import { App } from './app.js'

const messages = pickMessages(browserLanguages())
document.documentElement.lang = messages.locale

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nContext value={messages}>
        <App />
      </I18nContext>
    </StrictMode>
  )
}
