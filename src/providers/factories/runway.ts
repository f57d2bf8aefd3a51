import { checkRequestHeaders } from '../kit/header-value.js'
import { adapterModule, lazyProvider } from '../kit/lazy-provider.js'
import { type ProviderOptions, providerCredentials } from '../kit/provider-options.js'
import type { Provider, ProviderPollDefaults } from '../kit/types.js'
import type { RunwayInput, RunwayVideoDetails } from '../runway.js'

/** What the `runway` adapter and its factory share: see {@link runway}. */
export const RUNWAY_FACTS = {
  id: 'runway',
  route: { method: 'GET', path: '/v1/tasks/{id}' },
  keyRequired: true,
  // doc §Polling advice: no updates more often than every 5 s per task. The SDK starts at 6 s and
  // aims at the finish its 0-1 progress predicts, never sooner than 5 s after the last read
  // (minIntervalMs), and no later than 18 s: 0.49x the reads of fixed 6 s polling, p95 4.9 s
  // against its 5.7 s (npm run bench, figure 3: 15 s gave 0.53x and 4.8 s, 20 s 0.46x and 5.5 s).
  pollDefaults: { intervalMs: 6_000, minIntervalMs: 5_000, maxIntervalMs: 18_000, adaptive: true },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/** Runway's API host (not `api.runwayml.com`, a common 401: doc §Host and auth). */
export const RUNWAY_DEFAULT_BASE_URL = 'https://api.dev.runwayml.com'

/** The API version every request names (doc §Host and auth: the only documented value). */
export const RUNWAY_API_VERSION = '2024-11-06'

/** The options of {@link runway}: the built-in options, with the base URL optional. */
export type RunwayOptions = Omit<ProviderOptions, 'baseURL'> & {
  /**
   * The API root (`/v1` at its end is not repeated).
   *
   * @default 'https://api.dev.runwayml.com'
   */
  baseURL?: string | undefined
}

/**
 * `runway()`'s options as the built-in options: the default base URL, and the
 * `X-Runway-Version` header (doc §Host and auth: required on every call) unless the user's
 * headers name it, in any case (a second spelling would send both values). The headers are
 * checked before they are spread: a string would spread into headers named `0`, `1`, ....
 */
function withDefaults(options: RunwayOptions): ProviderOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected runway() to receive an options object with `apiKey`')
  }
  const own: unknown = options.headers ?? {}
  checkRequestHeaders(own, 'headers.')
  const named = Object.keys(own as object).some((name) => name.toLowerCase() === 'x-runway-version')
  return {
    ...options,
    baseURL: options.baseURL ?? RUNWAY_DEFAULT_BASE_URL,
    headers: named
      ? { ...(own as Record<string, string>) }
      : { 'x-runway-version': RUNWAY_API_VERSION, ...(own as Record<string, string>) },
  }
}

/**
 * Checks `runway()`'s options, for both the public factory and the adapter's own, so that the
 * two throw the same `TypeError`s, and returns them as the built-in options the adapter's
 * provider is built from (see `withDefaults`).
 */
export function checkRunwayOptions(options: RunwayOptions): {
  /** The options with the default base URL and version header. */
  options: ProviderOptions
  /** The base URL the provider will have. */
  baseURL: string
} {
  const full = withDefaults(options)
  const { id, keyRequired, route } = RUNWAY_FACTS
  const { baseURL } = providerCredentials(id, full, keyRequired, route.path)
  return { options: full, baseURL }
}

const adapter = /* @__PURE__ */ adapterModule<
  RunwayOptions,
  Provider<RunwayVideoDetails, RunwayInput>
>(() => import('../runway.js').then((module) => module.runway))

/**
 * Runway's developer API (`https://api.dev.runwayml.com`): create with `POST /v1/image_to_video`
 * or `/v1/text_to_video`, read with `GET /v1/tasks/{id}`, cancel (or delete) with
 * `DELETE /v1/tasks/{id}`. Every request carries `X-Runway-Version: 2024-11-06` (override it
 * through `headers`).
 *
 * - `PENDING` and `THROTTLED` (over the organization's concurrency limit: it can last long and
 *   is not a failure) are queued, `RUNNING` running with `progress` a 0-1 fraction (read as
 *   0-100; a value above 1 from a proxy is taken as a percentage), `SUCCEEDED`, `FAILED` with
 *   `failure` and `failureCode`, `CANCELLED`.
 * - The video is `output[0]`; its URL expires within 24-48 hours, so `expiresAt` is the read's
 *   time + 24 h. Read the task again for a fresh one.
 * - **Cancel deletes finished tasks**: a `DELETE` of a succeeded task removes it and its output
 *   (a later read is a 404). Download first.
 * - Polls every 6 s at first, then aims at the finish its progress predicts, reading at most
 *   every 18 s and never sooner than 5 s after the last read (Runway asks for no more than one
 *   read per 5 s per task).
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({ provider: runway({ apiKey: process.env.RUNWAYML_API_SECRET }) })
 * const task = await client.waitFor('17f20503-6c24-4c16-946b-35dbbce2af2f')
 * console.log(task.videoUrl, task.expiresAt) // download before it expires
 * ```
 */
export function runway(options: RunwayOptions): Provider<RunwayVideoDetails, RunwayInput> {
  const { baseURL } = checkRunwayOptions(options)
  const { id, pollDefaults } = RUNWAY_FACTS
  return lazyProvider({ id, baseURL, pollDefaults }, options, adapter)
}
