import { checkKnownKeys } from '../../options/check-known-keys.js'
import type { GeminiOptions, GeminiProviderInput, GeminiVideoDetails } from '../gemini.js'
import { normalizeBaseURL, withoutRouteVersion } from '../kit/base-url.js'
import { checkHeaderValue, checkRequestHeaders } from '../kit/header-value.js'
import { adapterModule, lazyProvider } from '../kit/lazy-provider.js'
import type { Provider, ProviderPollDefaults } from '../kit/types.js'

/** What the `gemini` adapter and its factory share: see {@link gemini}. */
export const GEMINI_FACTS = {
  id: 'gemini',
  route: { method: 'GET', path: '/v1beta/{id}' },
  keyRequired: true,
  // vendor-docs/native/gemini-veo.md "Polling advice": the official samples poll every 10 s;
  // runs take 1-6 min; no progress to aim by.
  pollDefaults: { intervalMs: 10_000, maxIntervalMs: 20_000, adaptive: false },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/** vendor-docs/native/gemini-veo.md "Auth and host". */
export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com'

/** Every key `gemini()`'s options accept. */
const OPTION_KEYS = ['baseURL', 'apiKey', 'headers'] as const

/** `gemini()`'s options once checked: what the adapter's factory builds its provider from. */
export interface CheckedGeminiOptions {
  /** The base URL, normalized, without a `/v1beta` the route adds. */
  baseURL: string
  /** The API key, sent as `x-goog-api-key`. */
  apiKey: string
  /** The user's extra headers (checked: HTTP tokens, sendable values). */
  headers: Record<string, string>
}

/**
 * Checks `gemini()`'s options, for both the public factory and the adapter's own, so that the
 * two throw the same `TypeError`s: an options object with known keys only, an API key that can
 * be sent as a header value (it goes in `x-goog-api-key`), a base URL, headers.
 */
export function checkGeminiOptions(options: GeminiOptions): CheckedGeminiOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected gemini() to receive an options object with `apiKey`')
  }
  checkKnownKeys(options, OPTION_KEYS, 'gemini() options')
  const apiKey = options.apiKey as unknown
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new TypeError('Expected `apiKey` to be a non-empty string for gemini()')
  }
  checkHeaderValue('apiKey', apiKey)
  const baseURL = withoutRouteVersion(
    normalizeBaseURL(options.baseURL ?? GEMINI_DEFAULT_BASE_URL),
    GEMINI_FACTS.route.path,
  )
  const headers: unknown = options.headers ?? {}
  checkRequestHeaders(headers, 'headers.')
  return { baseURL, apiKey, headers: headers as Record<string, string> }
}

const adapter = /* @__PURE__ */ adapterModule<
  GeminiOptions,
  Provider<GeminiVideoDetails, GeminiProviderInput>
>(() => import('../gemini.js').then((module) => module.gemini))

/**
 * Veo on the Gemini API (`gemini({ apiKey })`): `POST /v1beta/models/{model}:predictLongRunning`
 * starts an operation whose `name` is the task id; `GET /v1beta/{name}` reads it. The key goes
 * in `x-goog-api-key` (never in a URL), to the base URL's origin only.
 *
 * No status word: `done` is absent while the video is made (`running`: there is no queued
 * signal), and `done: true` is `succeeded` only with a video; with an operation error, with the
 * safety filters' reasons (`raiMediaFilteredReasons`, as the failure message, code
 * `rai_filtered`) or with nothing, it is `failed`. Videos are API routes that need the key and
 * redirect to storage: `details.contentUrl` and `outputs()` (`authenticated` on the provider's
 * origin; a uri elsewhere is a plain link and gets no key). Kept for 2 days (unconfirmed):
 * `expiresAt` = when `done` was read + 48 h. Polls every 10 s, growing to 20 s.
 *
 * Cancel: `POST /v1beta/{name}:cancel`, unconfirmed for Veo: a 501 is an `ApiError` with code
 * `cancel_unsupported`.
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({ provider: gemini({ apiKey: process.env.GEMINI_API_KEY }) })
 * const task = await client.waitFor('models/veo-3.1-generate-preview/operations/abc123xyz')
 * ```
 */
export function gemini(options: GeminiOptions): Provider<GeminiVideoDetails, GeminiProviderInput> {
  const { baseURL } = checkGeminiOptions(options)
  const { id, pollDefaults } = GEMINI_FACTS
  return lazyProvider({ id, baseURL, pollDefaults }, options, adapter)
}
