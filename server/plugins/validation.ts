/**
 * Request validation with the protocol's TypeBox schemas. Bodies are checked strictly (a number is
 * never accepted where text is expected); query strings and params are text on the wire, so they
 * are converted to the schema's types first ("42" → 42) and then checked.
 */
import type { FastifyInstance, FastifySchema } from 'fastify'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'

/** Installs the validator compiler on the root instance. */
export function registerValidation (app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const compiled = Compile(schema as TSchema)
    const isText = httpPart === 'querystring' || httpPart === 'params' || httpPart === 'headers'
    return (data: unknown) => {
      const value = isText ? Value.Convert(schema as TSchema, data) : data
      if (compiled.Check(value)) return { value }
      const first = [...compiled.Errors(value)][0]
      const where = first === undefined || first.instancePath === '' ? '' : `${first.instancePath.slice(1).replaceAll('/', '.')} `
      return { error: new Error(`${where}${first?.message ?? 'is invalid'}`.trim()) }
    }
  })
}

export type { FastifySchema }
