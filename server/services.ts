/**
 * A small typed container for the room's services: each is registered once, by name, with the
 * services it needs stated next to the function that makes it. `resolveServices` makes every
 * service after the ones it needs; a service may only read what it declared (anything else
 * throws, naming both). A circle must be declared: a `late` need is read only inside callbacks,
 * after everything is made (the AI reads the live settings when a question starts, and the live
 * settings swap the AI's gateway); a circle of needs used while being made throws, spelled out.
 *
 * Why not Fastify plugins with `fastify-plugin` `dependencies`: the services are plain objects
 * used by routes, sockets and each other, and some need each other late (the AI reads the live
 * settings when a question starts; the settings swap the AI's gateway). A typed registry keeps
 * those needs in one readable table and type-checks every service against the ones it names.
 */

/** How one service is made: the names it needs, and the function that makes it from them. */
export interface Registration<S, K extends keyof S> {
  readonly needs: ReadonlyArray<keyof S>
  /** needs read only later, inside callbacks (never while this service is made) */
  readonly late?: ReadonlyArray<keyof S>
  readonly make: (deps: S) => S[K]
}

/** One registration per service. */
export type Registry<S> = { [K in keyof S]: Registration<S, K> }

/**
 * Registers a service that needs `needs`: `make` sees exactly those (typed as `Pick`), so using an
 * undeclared service is a type error, and at run time an error naming both.
 */
export function service<S> () {
  return <const D extends ReadonlyArray<keyof S>, R, const L extends ReadonlyArray<keyof S> = []>(
    needs: D, make: (deps: Pick<S, D[number] | L[number]>) => R, options?: { late: L }
  ): { needs: D, late: L, make: (deps: S) => R } =>
    ({ needs, late: options?.late ?? ([] as unknown as L), make: make as (deps: S) => R })
}

export class ServiceError extends Error {
  override name = 'ServiceError'
}

/** Makes every service of the registry; `order` lists the names in the order they were made. */
export function resolveServices<S extends object> (registry: Registry<S>): { services: S, order: Array<keyof S> } {
  const made = new Map<keyof S, unknown>()
  const making: Array<keyof S> = []
  const order: Array<keyof S> = []

  function get (name: keyof S, by: keyof S | null): unknown {
    if (made.has(name)) return made.get(name)
    const registration = registry[name]
    if (registration === undefined) throw new ServiceError(`No service "${String(name)}" is registered${by !== null ? ` (needed by "${String(by)}")` : ''}.`)
    if (making.includes(name)) {
      const circle = [...making.slice(making.indexOf(name)), name].map(String).join(' → ')
      throw new ServiceError(`Services need each other while being made: ${circle}. Read one of them later, in a callback.`)
    }
    making.push(name)
    try {
      // What it needs now is made first; what it needs late is read through a getter, later.
      for (const need of registration.needs) get(need, name)
      const value = registration.make(depsFor(name, registration.needs, registration.late ?? []))
      made.set(name, value)
      order.push(name)
      return value
    } finally {
      making.pop()
    }
  }

  function depsFor (owner: keyof S, needs: ReadonlyArray<keyof S>, late: ReadonlyArray<keyof S>): S {
    const deps = {} as S
    for (const need of needs) Object.defineProperty(deps, need, { enumerable: true, value: made.get(need) })
    for (const need of late) {
      Object.defineProperty(deps, need, {
        enumerable: true,
        get: () => {
          if (!made.has(need)) throw new ServiceError(`Service "${String(owner)}" read "${String(need)}" while the services were being made; it is a late need, for callbacks only.`)
          return made.get(need)
        }
      })
    }
    const declared = [...needs, ...late]
    return new Proxy(deps, {
      get (target, key, receiver) {
        if (typeof key === 'string' && !declared.includes(key as keyof S) && key in registry) {
          throw new ServiceError(`Service "${String(owner)}" used "${key}" without declaring it in its needs.`)
        }
        return Reflect.get(target, key, receiver) as unknown
      }
    })
  }

  for (const name of Object.keys(registry) as Array<keyof S>) get(name, null)
  // A late need must name a registered service too.
  for (const [name, r] of Object.entries(registry) as Array<[keyof S, Registration<S, keyof S>]>) {
    for (const need of r.late ?? []) if (!made.has(need)) throw new ServiceError(`No service "${String(need)}" is registered (a late need of "${String(name)}").`)
  }
  return { services: Object.fromEntries(made) as S, order }
}
