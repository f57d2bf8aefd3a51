import type { VideoTaskDetails } from '../../model.js'
import type { Provider, ProviderPollDefaults } from './types.js'

/**
 * A built-in adapter's module, loaded with `import()` on first use, and its eager factory once it
 * ran. One per vendor, at the top of its factory file: every provider of that vendor shares the
 * load, and a provider created after it is ready at once.
 */
export interface AdapterModule<TOptions, TProvider> {
  /** The adapter's own factory, once its module is loaded; `undefined` before. */
  factory: ((options: TOptions) => TProvider) | undefined
  /** Loads the module (once; a failed load is tried again next time). */
  load(): Promise<(options: TOptions) => TProvider>
}

/**
 * The {@link AdapterModule} of a factory `importFactory` loads (`() => import('../doubao.js')
 * .then((module) => module.doubao)`). Annotate each call `@__PURE__`: a bundle that does not use
 * the vendor then drops it (kit/lazy.ts says why).
 */
export function adapterModule<TOptions, TProvider>(
  importFactory: () => Promise<(options: TOptions) => TProvider>,
): AdapterModule<TOptions, TProvider> {
  let loading: Promise<(options: TOptions) => TProvider> | undefined
  const module: AdapterModule<TOptions, TProvider> = {
    factory: undefined,
    load: () =>
      (loading ??= importFactory().then(
        (factory) => {
          module.factory = factory
          return factory
        },
        (error: unknown) => {
          loading = undefined
          throw error
        },
      )),
  }
  return module
}

/** What a factory file knows of its provider before the adapter loads. */
export interface LazyProviderFacts {
  /** The provider id. */
  id: string
  /** The base URL the factory checked, as the adapter's factory will have it. */
  baseURL: string
  /** The vendor's poll timing (the adapter's description uses the same object). */
  pollDefaults: ProviderPollDefaults
}

/**
 * A built-in provider whose adapter loads on first use (issue 12, "Cost of importing it"; see
 * `Provider.load`). factories.ts has checked `options` already, as the adapter's factory does:
 * a wrong option throws there, not on the first request (test/providers/registry.test.ts and
 * test/providers/factories/ hold both to the same messages). When the adapter module is loaded
 * already, this is the adapter's own provider, ready at once.
 *
 * The options are copied (and their `headers`), so that a caller changing its object afterwards
 * does not change what the adapter gets when it loads. `defineProvider` makes its providers
 * this way too (its definition is the options).
 */
export function lazyProvider<
  TDetails extends VideoTaskDetails,
  TProviderInput extends object,
  TOptions extends object,
>(
  facts: LazyProviderFacts,
  options: TOptions,
  adapter: AdapterModule<TOptions, Provider<TDetails, TProviderInput>>,
): Provider<TDetails, TProviderInput> {
  if (adapter.factory) return adapter.factory(options)
  const given = { ...options } as TOptions & { headers?: unknown }
  if (typeof given.headers === 'object' && given.headers !== null) {
    given.headers = { ...given.headers }
  }
  let loaded: Promise<Provider<TDetails, TProviderInput>> | undefined
  const notLoaded = (member: string) => () => {
    throw new TypeError(
      `Provider ${facts.id}: \`${member}\` needs \`await provider.load()\` first (a client loads it itself)`,
    )
  }
  return Object.freeze({
    id: facts.id,
    baseURL: facts.baseURL,
    pollDefaults: facts.pollDefaults,
    buildRequest: notLoaded('buildRequest'),
    parseResponse: notLoaded('parseResponse'),
    load: () =>
      (loaded ??= adapter.load().then(
        (factory) => factory(given),
        (error: unknown) => {
          loaded = undefined
          throw error
        },
      )),
  })
}
