/**
 * Short-lived HS256 JSON Web Tokens, as Kling's legacy routes require (vendor note
 * `native/kling.md`, "Auth (legacy)": header `{"alg":"HS256","typ":"JWT"}`, claims `iss` =
 * access key, `exp` = now + 1800 s, `nbf` = now - 5 s, signed with the secret key's raw bytes).
 *
 * Why WebCrypto (`globalThis.crypto.subtle`) and no JWT library: HMAC-SHA256 and base64url are
 * all a signer needs, and WebCrypto has them on every runtime the package supports (Node >= 20,
 * Bun, Deno, edge workers) without a dependency. A JWT library would add code, a supply-chain
 * surface and, for most of them, `node:crypto` or `Buffer`, which workers lack.
 *
 * Kit helpers are pure: this file signs, it never fetches. The clock is injected so callers and
 * tests decide what "now" is.
 *
 * @module
 */

import { VideoTaskError } from '../../errors.js'

/** The claims a token carries: numbers are Unix seconds, as RFC 7519 `NumericDate`s are. */
export interface Hs256Claims {
  /** Issuer: Kling's access key. */
  iss: string
  /** Expiry, Unix seconds. */
  exp: number
  /** Not before, Unix seconds. */
  nbf: number
}

/** Options of {@link createHs256TokenSource}. */
export interface Hs256TokenSourceOptions {
  /** The issuer claim (`iss`): Kling's access key. Not secret, but not printed either. */
  accessKey: string
  /** The HMAC key (its UTF-8 bytes). Never appears in a token, an error or an inspected object. */
  secretKey: string
  /**
   * How long a token is valid (`exp` - now).
   *
   * @default 1_800_000 (30 minutes, Kling's sample)
   */
  lifetimeMs?: number
  /**
   * How far in the past `nbf` is set, to absorb clock skew between us and the vendor
   * (Kling answers 1003 "not yet valid" when our clock is ahead of theirs).
   *
   * @default 5_000 (Kling's sample)
   */
  notBeforeSkewMs?: number
  /**
   * A cached token is replaced this long before it expires, so a request signed just before
   * expiry does not arrive expired (Kling code 1004).
   *
   * @default 300_000 (5 minutes, as a public Kling signer does)
   */
  refreshBeforeExpiryMs?: number
  /**
   * The clock, in milliseconds since the Unix epoch.
   *
   * @default Date.now
   */
  now?: () => number
}

/** A cache of signed tokens; {@link Hs256TokenSource.token} signs only when needed. */
export interface Hs256TokenSource {
  /**
   * A token valid now and for at least `refreshBeforeExpiryMs` more. Concurrent calls share one
   * signing.
   */
  token(): Promise<string>
}

const DEFAULT_LIFETIME_MS = 1_800_000
const DEFAULT_NOT_BEFORE_SKEW_MS = 5_000
const DEFAULT_REFRESH_BEFORE_EXPIRY_MS = 300_000

// Pure: annotated so a bundle without Kling drops this module (bundlers do not know the
// constructor has no side effects; kit/lazy.ts says why it matters).
const encoder = /* @__PURE__ */ new TextEncoder()

/*
 * The slice of WebCrypto used here, typed locally: the project's `lib` has no DOM types, and
 * importing Node's `webcrypto` types would tie the declarations to `@types/node`.
 */
/** An opaque, non-extractable HMAC key. */
type HmacKey = object
interface HmacSubtle {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'HMAC'; hash: 'SHA-256' },
    extractable: false,
    keyUsages: ['sign'],
  ): Promise<HmacKey>
  sign(algorithm: 'HMAC', key: HmacKey, data: Uint8Array): Promise<ArrayBuffer>
}

/** Base64url without padding (RFC 7515 section 2) of some bytes. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function subtleCrypto(): HmacSubtle {
  const subtle = (globalThis as { crypto?: { subtle?: HmacSubtle } }).crypto?.subtle
  if (subtle === undefined) {
    throw new VideoTaskError(
      'WebCrypto (globalThis.crypto.subtle) is not available: signing a token needs Node >= 20, Bun, Deno or a worker runtime',
    )
  }
  return subtle
}

function importSecret(secretKey: string): Promise<HmacKey> {
  return subtleCrypto().importKey(
    'raw',
    encoder.encode(secretKey),
    { name: 'HMAC', hash: 'SHA-256' },
    false, // not extractable: the key object cannot hand the secret back
    ['sign'],
  )
}

async function signWithKey(key: HmacKey, claims: Hs256Claims): Promise<string> {
  const header = base64UrlEncode(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })))
  const payload = base64UrlEncode(encoder.encode(JSON.stringify(claims)))
  const signingInput = `${header}.${payload}`
  let signature: ArrayBuffer
  try {
    signature = await subtleCrypto().sign('HMAC', key, encoder.encode(signingInput))
  } catch (error) {
    // The runtime's message could in principle echo key material; keep only its name.
    throw new VideoTaskError(
      `Signing the HS256 token failed (${error instanceof Error ? error.name : 'unknown error'})`,
    )
  }
  return `${signingInput}.${base64UrlEncode(new Uint8Array(signature))}`
}

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    // The value itself is never printed: it may be a secret.
    throw new TypeError(`${name} must be a non-empty string`)
  }
  return value
}

function requireDuration(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(
      `${name} must be a finite number of milliseconds >= 0, got ${String(value)}`,
    )
  }
  return value
}

/**
 * Signs one HS256 JWT with the claims given.
 *
 * @example
 * ```ts
 * const token = await signHs256Token({ iss: accessKey, exp: 1_800_000_000, nbf: 1_799_998_195 }, secretKey)
 * ```
 */
export async function signHs256Token(claims: Hs256Claims, secretKey: string): Promise<string> {
  requireText(secretKey, 'secretKey')
  requireText(claims?.iss, 'claims.iss')
  for (const name of ['exp', 'nbf'] as const) {
    if (!Number.isSafeInteger(claims[name])) {
      throw new TypeError(`claims.${name} must be an integer of Unix seconds`)
    }
  }
  return signWithKey(await importSecret(secretKey), claims)
}

/**
 * A token source for Kling's legacy routes: signs `{iss, exp, nbf}` tokens and reuses one until
 * `refreshBeforeExpiryMs` before its expiry (or until the clock goes back before it was signed).
 *
 * @example
 * ```ts
 * const source = createHs256TokenSource({ accessKey, secretKey })
 * headers.authorization = `Bearer ${await source.token()}`
 * ```
 */
export function createHs256TokenSource(options: Hs256TokenSourceOptions): Hs256TokenSource {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createHs256TokenSource needs an options object {accessKey, secretKey}')
  }
  const accessKey = requireText(options.accessKey, 'accessKey')
  const secretKey = requireText(options.secretKey, 'secretKey')
  const lifetimeMs = requireDuration(options.lifetimeMs, 'lifetimeMs', DEFAULT_LIFETIME_MS)
  const notBeforeSkewMs = requireDuration(
    options.notBeforeSkewMs,
    'notBeforeSkewMs',
    DEFAULT_NOT_BEFORE_SKEW_MS,
  )
  const refreshBeforeExpiryMs = requireDuration(
    options.refreshBeforeExpiryMs,
    'refreshBeforeExpiryMs',
    DEFAULT_REFRESH_BEFORE_EXPIRY_MS,
  )
  if (refreshBeforeExpiryMs >= lifetimeMs) {
    throw new TypeError(
      `refreshBeforeExpiryMs (${refreshBeforeExpiryMs}) must be less than lifetimeMs (${lifetimeMs}), or no token would ever be reused`,
    )
  }
  const now = options.now ?? Date.now
  if (typeof now !== 'function')
    throw new TypeError('now must be a function returning milliseconds')

  let key: Promise<HmacKey> | undefined
  let cached: { token: string; signedAtMs: number; refreshAtMs: number } | undefined
  let pending: Promise<string> | undefined

  const sign = async (): Promise<string> => {
    const signedAtMs = now()
    if (!Number.isFinite(signedAtMs)) {
      // JSON.stringify would turn NaN claims into null: a token no server accepts.
      throw new TypeError(`now() must return finite milliseconds, got ${String(signedAtMs)}`)
    }
    key ??= importSecret(secretKey)
    let cryptoKey: HmacKey
    try {
      cryptoKey = await key
    } catch (error) {
      key = undefined // a later call may succeed (e.g. a polyfill installed late)
      throw error
    }
    const nowSeconds = Math.floor(signedAtMs / 1000)
    const expSeconds = nowSeconds + Math.floor(lifetimeMs / 1000)
    const token = await signWithKey(cryptoKey, {
      iss: accessKey,
      exp: expSeconds,
      nbf: nowSeconds - Math.ceil(notBeforeSkewMs / 1000),
    })
    cached = { token, signedAtMs, refreshAtMs: expSeconds * 1000 - refreshBeforeExpiryMs }
    return token
  }

  return {
    token(): Promise<string> {
      const current = now()
      if (cached !== undefined && current >= cached.signedAtMs && current < cached.refreshAtMs) {
        return Promise.resolve(cached.token)
      }
      pending ??= sign().finally(() => {
        pending = undefined
      })
      return pending
    },
  }
}
