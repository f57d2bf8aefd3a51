import { checkKnownKeys } from '../../options/check-known-keys.js'
import { normalizeBaseURL, withoutRouteVersion } from '../kit/base-url.js'
import { checkHeaderValue, checkRequestHeaders } from '../kit/header-value.js'
import { adapterModule, lazyProvider } from '../kit/lazy-provider.js'
import type { Provider, ProviderPollDefaults } from '../kit/types.js'
import type { KlingOptions, KlingProviderInput, KlingVideoDetails } from '../kling.js'

/** What the `kling` adapter and its factory share: see {@link kling}. */
export const KLING_FACTS = {
  id: 'kling',
  // The API-key route; the legacy ones are `/v1/videos/{text2video|image2video}/{id}`.
  route: { method: 'GET', path: '/tasks?task_ids={id}' },
  keyRequired: true,
  // vendor-docs/native/kling.md "Polling advice": none official; community tools poll every
  // 10 s and tasks take 30-300 s. Reads do not count against concurrency. No progress to aim by.
  pollDefaults: { intervalMs: 10_000, maxIntervalMs: 20_000, adaptive: false },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/** vendor-docs/native/kling.md "Hosts": the docs moved the endpoint to the Singapore host. */
export const KLING_DEFAULT_BASE_URL = 'https://api-singapore.klingai.com'

/** Every key `kling()`'s options accept. */
const OPTION_KEYS = ['baseURL', 'apiKey', 'headers', 'accessKey', 'secretKey'] as const

/*
 * The version prefix a base URL may already end in: the legacy routes are `/v1/videos/...`
 * (the API-key routes have none), so `https://api-singapore.klingai.com/v1` loses its `/v1`.
 */
const VERSIONED_ROUTE = '/v1/videos/{id}'

/** `kling()`'s options once checked: what the adapter's factory builds its provider from. */
export interface CheckedKlingOptions {
  /** The base URL, normalized, without a version segment the routes add. */
  baseURL: string
  /** The user's extra headers (checked: HTTP tokens, sendable values). */
  headers: Record<string, string>
  /** The credential: the legacy routes' keys (an HS256 token is signed from them) or an API key. */
  credential:
    | { kind: 'signed'; accessKey: string; secretKey: string }
    | { kind: 'api-key'; apiKey: string }
}

/**
 * A non-empty key. The API key is sent as a header value, so it must be one (a line break, a
 * character outside Latin-1, ...); the access and secret keys only go into the signed token (the
 * secret key is never sent), where a line break is still surely a pasting mistake.
 */
function requireKey(value: unknown, name: string, sentAsHeader: boolean): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`Expected \`${name}\` to be a non-empty string for kling()`)
  }
  if (sentAsHeader) checkHeaderValue(name, value)
  else if (/[\r\n]/.test(value)) throw new TypeError(`Expected \`${name}\` without line breaks`)
  return value
}

/**
 * Checks `kling()`'s options, for both the public factory and the adapter's own, so that the two
 * throw the same `TypeError`s: an options object with known keys only, either `apiKey` or
 * `accessKey` and `secretKey` (vendor-docs/native/kling.md "Two API generations": whether either
 * route accepts the other's credential is unconfirmed, so they are not mixed), a base URL, headers.
 */
export function checkKlingOptions(options: KlingOptions): CheckedKlingOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'Expected kling() to receive an options object with `apiKey`, or `accessKey` and `secretKey`',
    )
  }
  checkKnownKeys(options, OPTION_KEYS, 'kling() options')
  const given = options as Record<string, unknown>
  const signed = given.accessKey !== undefined || given.secretKey !== undefined
  if (signed && given.apiKey !== undefined) {
    throw new TypeError(
      'Expected kling() to receive either `apiKey` or `accessKey` and `secretKey`, not both',
    )
  }
  if (!signed && given.apiKey === undefined) {
    throw new TypeError(
      'Expected `apiKey` (or `accessKey` and `secretKey`) to be a non-empty string for kling()',
    )
  }
  const baseURL = withoutRouteVersion(
    normalizeBaseURL(given.baseURL ?? KLING_DEFAULT_BASE_URL),
    VERSIONED_ROUTE,
  )
  // `null` is refused, as before the factory moved here: only a missing `headers` means none.
  const headers = given.headers === undefined ? {} : given.headers
  checkRequestHeaders(headers, 'headers.')
  const credential: CheckedKlingOptions['credential'] = signed
    ? {
        kind: 'signed',
        accessKey: requireKey(given.accessKey, 'accessKey', false),
        secretKey: requireKey(given.secretKey, 'secretKey', false),
      }
    : { kind: 'api-key', apiKey: requireKey(given.apiKey, 'apiKey', true) }
  return { baseURL, headers: headers as Record<string, string>, credential }
}

const adapter = /* @__PURE__ */ adapterModule<
  KlingOptions,
  Provider<KlingVideoDetails, KlingProviderInput>
>(() => import('../kling.js').then((module) => module.kling))

/**
 * Kling's own API (Kuaishou), as `kling({ accessKey, secretKey })` for the legacy routes or
 * `kling({ apiKey })` for the newer API-key routes (vendor-docs/native/kling.md "Two API
 * generations"). The two are not mixed: whether either route accepts the other's credential is
 * unconfirmed.
 *
 * - **Legacy** (`accessKey` + `secretKey`): creates on `POST /v1/videos/text2video` (or
 *   `image2video` when an image is given) and reads on the same family,
 *   `GET /v1/videos/{family}/{id}`. Every request carries `Authorization: Bearer <token>`, an
 *   HS256 JWT (`iss` = access key, 30 min) signed with WebCrypto and re-signed 5 min before it
 *   expires (see `src/providers/kit/hs256-token.ts`). Because WebCrypto signs asynchronously and
 *   a request builder is pure and synchronous, the token is added by the provider's async
 *   {@link Provider.authorize} hook, which the client awaits before it sends; requests built
 *   by `buildRequest` alone carry no credential.
 * - **API key**: creates on `POST /text-to-video/{model}` (or `image-to-video`), reads on
 *   `GET /tasks?task_ids={id}` with `Authorization: Bearer <apiKey>`.
 *
 * A task is read on the route family it was created on: `submit` stores it as the `TaskRef`'s
 * `route` (`text2video`, `image2video` or `tasks`) and `buildRequest(id, route)` uses it; a bare
 * id is read on `text2video` (legacy) or `tasks` (API key). No progress is reported; polls every
 * 10 s, growing to 20 s. Kling cannot cancel a task. Videos are public links, deleted after 30
 * days (`expiresAt`).
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({
 *   provider: kling({ accessKey: process.env.KLING_ACCESS_KEY, secretKey: process.env.KLING_SECRET_KEY }),
 * })
 * const task = await client.waitFor('866889456698785798')
 * ```
 */
export function kling(options: KlingOptions): Provider<KlingVideoDetails, KlingProviderInput> {
  const { baseURL } = checkKlingOptions(options)
  const { id, pollDefaults } = KLING_FACTS
  return lazyProvider({ id, baseURL, pollDefaults }, options, adapter)
}
