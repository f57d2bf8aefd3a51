import type { VideoTaskDetails } from '../model.js'
import { checkDefinition } from './kit/check-definition.js'
import { type AdapterModule, adapterModule, lazyProvider } from './kit/lazy-provider.js'
import type { Provider, ProviderDefinition } from './kit/types.js'

export { normalizeBaseURL } from './kit/base-url.js'
export { assertTaskId, encodeTaskId } from './kit/task-id.js'
export type {
  Provider,
  ProviderDefinition,
  ProviderPollDefaults,
  ProviderRequest,
  ProviderResponse,
} from './kit/types.js'

/**
 * Defines a provider for a vendor the package does not ship, with the same interface as the
 * built-in ones. The result checks each task it returns as `VideoTaskSchema` does, so a mapping
 * mistake is a `ResponseValidationError`, not a silent wrong answer.
 *
 * The definition is checked here (a `TypeError` naming what is wrong); the code that wraps it
 * loads on first use, as a built-in adapter does: a client loads it itself, and to call the
 * members yourself, `const ready = (await provider.load?.()) ?? provider` (see `Provider.load`).
 *
 * @example
 * ```ts
 * const acme = defineProvider({
 *   id: 'acme',
 *   baseURL: 'https://api.acme.test',
 *   buildRequest: (taskId, { url }) => ({
 *     method: 'GET',
 *     url: url(`/jobs/${encodeURIComponent(taskId)}`),
 *     headers: { authorization: `Bearer ${process.env.ACME_KEY}` },
 *   }),
 *   parseResponse: (response) => {
 *     const job = JSON.parse(response.body)
 *     return {
 *       id: job.id, provider: 'acme', status: job.done ? 'succeeded' : 'running',
 *       vendorStatus: String(job.state), progress: job.done ? 100 : null,
 *       videoUrl: job.url ?? null, videoUrls: job.url ? [job.url] : [], error: null,
 *       createdAt: null, completedAt: null, expiresAt: null, details: {}, raw: job,
 *     }
 *   },
 * })
 * ```
 */
export function defineProvider<TDetails extends VideoTaskDetails = VideoTaskDetails>(
  definition: ProviderDefinition<TDetails>,
): Provider<TDetails> {
  return lazyProvider(
    checkDefinition(definition),
    definition,
    defined as unknown as AdapterModule<ProviderDefinition<TDetails>, Provider<TDetails>>,
  )
}

/*
 * The code that builds the provider (kit/defined-provider.ts, with the task check) loads on first
 * use, as a built-in adapter does: a program that only imports the package, or only uses built-in
 * providers, does not parse it (issue 12, "Cost of importing it").
 */
const defined = /* @__PURE__ */ adapterModule<ProviderDefinition, Provider>(() =>
  import('./kit/defined-provider.js').then((module) => module.definedProvider),
)

/**
 * Loads the code `defineProvider`'s providers run. Internal: the test setup
 * (test/support/preload.ts) calls it, as a process has after its first custom provider loaded.
 */
export const loadDefinedProviders = (): Promise<unknown> => defined.load()
