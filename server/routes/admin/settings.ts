/**
 * Live settings and the AI app: read and change them (launch flags win: 409 ERR_SETTING_LOCKED
 * naming the flag), test a Dify address and key before saving, and the app's input form.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AiFormResponse, AiTestBody, AiTestResponse, ErrorResponse, SettingsResponse, SettingsUpdate } from '../../protocol/index.js'

const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { settings } = app.services

  app.get('/api/admin/settings', { schema: { response: { 200: SettingsResponse, '4xx': ErrorResponse } } }, async () => settings.answer())

  app.put('/api/admin/settings', { schema: { body: SettingsUpdate, response: { 200: SettingsResponse, '4xx': ErrorResponse, '5xx': ErrorResponse } } }, async (request) => {
    return await settings.update(request.body)
  })

  app.post('/api/admin/ai/test', {
    // the body is optional: no body tests the saved address and key
    preValidation: async (request) => { request.body ??= {} },
    schema: { body: AiTestBody, response: { 200: AiTestResponse, '4xx': ErrorResponse } }
  }, async (request) => {
    const result = await settings.testAi(request.body)
    app.services.feed.audit('ai.test', null, { ok: result.ok, ...(result.ok ? {} : { code: result.error.code }) })
    return result
  })

  app.get('/api/admin/ai/form', { schema: { response: { 200: AiFormResponse, '4xx': ErrorResponse } } }, async () => await settings.form())
}
export default settingsRoutes
