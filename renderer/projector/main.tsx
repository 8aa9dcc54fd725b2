/** Projector entry: the classroom screen, driven by the host's admin socket. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createAdminApi } from '../admin/api.js'
import { resolveServerInfo } from '../admin/server-info.js'
import { browserLanguages } from '../shared/i18n/index.js'
import { ProjectorApp } from './projector-app.js'
import { pickText } from './text.js'
import './projector.css'

const text = pickText(browserLanguages())
document.documentElement.lang = text.scanToJoin === 'Scan to join' ? 'en' : 'zh-CN'
const root = document.getElementById('root')
if (root) {
  const mount = createRoot(root)
  resolveServerInfo().then(info => {
    if (info === null) { mount.render(<p className='projector__notice'>{text.needsToken}</p>); return }
    mount.render(<StrictMode><ProjectorApp api={createAdminApi(info.baseUrl, info.token)} token={info.token} text={text} /></StrictMode>)
  }, () => mount.render(<p className='projector__notice'>{text.needsToken}</p>))
}
