/** Host console entry: the desktop window and, headless, the admin URL the host prints. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { browserLanguages, I18nContext, pickMessages } from '../shared/i18n/index.js'
import '../shared/styles/base.css'
import '../shared/chat/chat.css'
import './styles/console.css'
import { ConsoleRoot } from './console-root.js'

const messages = pickMessages(browserLanguages())
document.documentElement.lang = messages.locale

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nContext value={messages}>
        <ConsoleRoot />
      </I18nContext>
    </StrictMode>
  )
}
