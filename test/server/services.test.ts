/** The room's service registry: made in the order their needs require, only what they declared, circles named. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolveServices, service, ServiceError, type Registry } from '../../server/services.js'

interface Shop { clock: () => number, till: { now: () => number }, shelf: { count: number }, clerk: { sell: () => string } }

test('services are made after what they need, once each, whatever order they are listed in', () => {
  const made: string[] = []
  const define = service<Shop>()
  const registry: Registry<Shop> = {
    clerk: define(['till', 'shelf'], d => { made.push('clerk'); return { sell: () => `sold at ${d.till.now()} of ${d.shelf.count}` } }),
    till: define(['clock'], d => { made.push('till'); return { now: d.clock } }),
    shelf: define([], () => { made.push('shelf'); return { count: 3 } }),
    clock: define([], () => () => 42)
  }
  const { services, order } = resolveServices(registry)
  assert.equal(services.clerk.sell(), 'sold at 42 of 3')
  assert.deepEqual(made, ['till', 'shelf', 'clerk'])
  assert.deepEqual(order, ['clock', 'till', 'shelf', 'clerk'])
})

test('a service that reads one it did not declare is refused, naming both', () => {
  const define = service<Shop>()
  const registry: Registry<Shop> = {
    clock: define([], () => () => 1),
    till: define(['clock'], d => ({ now: d.clock })),
    shelf: define([], () => ({ count: 0 })),
    // the type forbids it; a cast gets past the type, the registry still refuses
    clerk: define(['till'], d => ({ sell: () => String((d as unknown as Shop).shelf.count) }))
  }
  const { services } = resolveServices(registry)
  assert.throws(() => services.clerk.sell(), (err: unknown) => err instanceof ServiceError && /"clerk" used "shelf" without declaring it/.test(err.message))
})

test('services may need each other late, in a callback, but not while being made', () => {
  const define = service<Shop>()
  const late: Registry<Shop> = {
    clock: define([], d => () => d.till.now(), { late: ['till'] }), // reads the till only when called
    till: define(['clock'], () => ({ now: () => 7 })),
    shelf: define([], () => ({ count: 0 })),
    clerk: define([], () => ({ sell: () => '' }))
  }
  assert.equal(resolveServices(late).services.clock(), 7)

  const eager: Registry<Shop> = {
    ...late,
    clock: define(['till'], d => { const t = d.till; return () => t.now() }),
    till: define(['clock'], d => { const c = d.clock; return { now: c } })
  }
  assert.throws(() => resolveServices(eager), (err: unknown) => err instanceof ServiceError && err.message.includes('clock → till → clock'))

  const tooSoon: Registry<Shop> = { ...late, clock: define([], d => { const t = d.till; return () => t.now() }, { late: ['till'] }) }
  assert.throws(() => resolveServices(tooSoon), (err: unknown) => err instanceof ServiceError && /read "till" while the services were being made/.test(err.message))
})
