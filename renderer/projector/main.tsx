/** Projector entry: the classroom screen, driven by the host's admin socket. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createAdminApi } from '../admin/api.js'
import { resolveServerInfo } from '../admin/server-info.js'
import { browserLanguages, pickMessages } from '../shared/i18n/index.js'
import { projectorText } from '../shared/i18n/projector.js'
import { ProjectorApp } from './projector-app.js'
import './projector.css'

const { locale } = pickMessages(browserLanguages())
const text = projectorText(locale)
document.documentElement.lang = locale
const root = document.getElementById('root')
if (root) {
  const mount = createRoot(root)
  resolveServerInfo().then(info => {
    if (info === null) { mount.render(<p className='projector__notice'>{text.needsToken}</p>); return }
    mount.render(<StrictMode><ProjectorApp api={createAdminApi(info.baseUrl, info.token)} token={info.token} text={text} /></StrictMode>)
  }, () => mount.render(<p className='projector__notice'>{text.needsToken}</p>))
}
