import { checkKnownKeys } from '../../options/check-known-keys.js'
import { normalizeBaseURL, withoutRouteVersion } from './base-url.js'
import { checkHeaderValue, checkRequestHeaders } from './header-value.js'

/** The options every built-in provider takes. */
export interface ProviderOptions {
  /**
   * The vendor's or gateway's base URL (`https://api.openai.com`). It may end in the route's
   * version segment as SDKs of the vendor write it (`https://api.openai.com/v1`): the segment is
   * not repeated.
   */
  baseURL: string
  /** The API key, sent as `Authorization: Bearer <apiKey>` to the base URL's origin only. */
  apiKey: string
  /** Extra headers for every request (a gateway's routing header, say). */
  headers?: Record<string, string> | undefined
}

/** Every key a built-in provider's options accept. */
export const PROVIDER_OPTION_KEYS: readonly (keyof ProviderOptions)[] = [
  'baseURL',
  'apiKey',
  'headers',
]

/**
 * Validates a built-in provider's options; the key lives only in the returned closure. A
 * misspelt key (`baseUrl`, `apikey`) is a `TypeError` naming the key it probably meant. When
 * `routePath` is given, a base URL ending in the route's version segment loses it (see
 * `withoutRouteVersion`).
 */
export function providerCredentials(
  provider: string,
  options: Partial<ProviderOptions> | undefined,
  keyRequired: boolean,
  routePath?: string,
): { baseURL: string; headers: () => Record<string, string> } {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected ${provider}() to receive an options object with \`baseURL\``)
  }
  checkKnownKeys(options, PROVIDER_OPTION_KEYS, `${provider}() options`)
  const normalized = normalizeBaseURL(options.baseURL)
  const baseURL = routePath === undefined ? normalized : withoutRouteVersion(normalized, routePath)
  const apiKey = options.apiKey
  if (keyRequired || apiKey !== undefined) {
    if (typeof apiKey !== 'string' || apiKey.trim() === '') {
      throw new TypeError(`Expected \`apiKey\` to be a non-empty string for ${provider}()`)
    }
    checkHeaderValue('apiKey', apiKey)
  }
  const extra = options.headers ?? {}
  if (typeof extra !== 'object' || extra === null) {
    throw new TypeError('Expected `headers` to be an object of strings')
  }
  checkRequestHeaders(extra, 'headers.')
  // Built once and frozen: every request shares it (a spread per request cost ~1 µs), and
  // readTask derives the secrets to redact once per headers object.
  const fixed: Record<string, string> = { accept: 'application/json', ...extra }
  if (apiKey) fixed.authorization = `Bearer ${apiKey}`
  const headers = Object.freeze(fixed)
  return { baseURL, headers: () => headers }
}
