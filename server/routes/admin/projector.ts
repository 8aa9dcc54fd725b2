/**
 * The projector's view, switched from the console: `POST /api/admin/projector {view, hide_names?, read_aloud?}`
 * tells every admin socket (the projector page uses one) with `projector_update`; the choice is
 * kept in the settings so a projector page opened later starts with it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, ProjectorBody, ProjectorState } from '../../protocol/index.js'
import { projectorFrame } from '../../room/frames.js'

const KEY = 'projector'
type State = { view: 'qr' | 'answer' | 'auto', hide_names: boolean, read_aloud: boolean }

const projectorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, hub, feed } = app.services

  function read (): State {
    try {
      const saved = JSON.parse(store.getSetting(KEY) ?? 'null') as Partial<State> | null
      const view = saved?.view === 'qr' || saved?.view === 'answer' ? saved.view : 'auto'
      return { view, hide_names: saved?.hide_names === true, read_aloud: saved?.read_aloud === true }
    } catch {
      return { view: 'auto', hide_names: false, read_aloud: false }
    }
  }

  app.get('/api/admin/projector', { schema: { response: { 200: ProjectorState, '4xx': ErrorResponse } } }, async () => read())

  app.post('/api/admin/projector', { schema: { body: ProjectorBody, response: { 200: ProjectorState, '4xx': ErrorResponse } } }, async (request) => {
    const before = read()
    const next: State = { view: request.body.view, hide_names: request.body.hide_names ?? before.hide_names, read_aloud: request.body.read_aloud ?? before.read_aloud }
    store.setSetting(KEY, JSON.stringify(next))
    hub.broadcastAdmin(projectorFrame(next))
    feed.audit('projector.update', null, { ...next })
    return next
  })
}
export default projectorRoutes
