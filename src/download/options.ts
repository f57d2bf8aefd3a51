import type { DownloadTransport } from '../transport.js'
import type { Clock } from '../wait/timer-queue.js'
import { DOWNLOAD_DEFAULTS } from './defaults.js'
import type { DownloadProgress } from './progress.js'

/** A checksum the downloaded bytes must match. */
export interface DownloadChecksum {
  /** The hash function; SHA-256 only. */
  algorithm: 'sha256'
  /** The expected digest as hex (either case). */
  hex: string
}

/** Options shared by {@link downloadToFile} and {@link downloadToStream}. */
export interface DownloadOptions {
  /** The absolute `http:` or `https:` URL of the bytes. */
  url: string
  /**
   * Request headers, such as `Authorization` for the OpenAI-compatible content route. Only
   * `credentialOrigin` receives them (`Range`, `Accept*` and `User-Agent` aside).
   */
  headers?: Readonly<Record<string, string>> | undefined
  /**
   * The provider's origin: the only one that gets `headers`; a redirect elsewhere, or down from
   * `https:` to `http:`, drops them for the rest of the chain.
   * @default the origin of `url`
   */
  credentialOrigin?: string | undefined
  /** Cancels the download; it then rejects with `signal.reason` and leaves nothing behind. */
  signal?: AbortSignal | undefined
  /** Called with the byte count, at most every 100 ms while bytes flow and once at the end. */
  onProgress?: ((progress: DownloadProgress) => void) | undefined
  /**
   * The largest body accepted, checked against the announced size before any byte is stored
   * and while streaming.
   * @default undefined (no limit)
   */
  maxBytes?: number | undefined
  /**
   * A time limit for the whole download, retries included, in milliseconds; past it the
   * download fails with a {@link DownloadError} whose `timedOut` is `true`.
   * @default undefined (none; `idleTimeoutMs` still ends a stalled connection)
   */
  timeoutMs?: number | undefined
  /**
   * How long the body may pause between chunks before the connection counts as dropped (and is
   * resumed, within `retries`), in milliseconds.
   * @default 30_000
   */
  idleTimeoutMs?: number | undefined
  /**
   * How long to wait for response headers, in milliseconds.
   * @default 30_000
   */
  headersTimeoutMs?: number | undefined
  /** A checksum to verify instead of the announced length alone. */
  checksum?: DownloadChecksum | undefined
  /**
   * How many times a failed attempt (a dropped or stalled connection, a 408, 429 or 5xx) is
   * retried, resuming with `Range` where the server supports it. An expired link's refresh does
   * not count.
   * @default 3
   */
  retries?: number | undefined
  /**
   * The first retry's delay in milliseconds; each next one doubles, up to `maxRetryDelayMs`,
   * randomised.
   * @default 500
   */
  minRetryDelayMs?: number | undefined
  /**
   * The longest delay between retries, in milliseconds.
   * @default 10_000
   */
  maxRetryDelayMs?: number | undefined
  /**
   * When the link expires (ISO 8601 string, epoch milliseconds or `Date`), as the task told it.
   * A link already past it is not requested: it counts as expired at once.
   * @default undefined (unknown; a 403 or 410 from the storage still says so)
   */
  expiresAt?: string | number | Date | null | undefined
  /**
   * Returns a fresh link when this one has expired (re-reading the task, the content route).
   * Called at most once per download.
   * @default undefined: an expired link fails with {@link DownloadExpiredError}
   */
  refreshUrl?: (() => Promise<string>) | undefined
  /**
   * The transport that opens the streams; the client passes its own so connections are shared.
   * @default a transport created for this download and closed after it
   */
  transport?: DownloadTransport | undefined
  /**
   * The clock `expiresAt` and progress speeds are read from.
   * @default the system clock
   */
  clock?: Pick<Clock, 'now' | 'wallNow'> | undefined
}

/** What a finished download reports. */
export interface DownloadResult {
  /** The bytes stored. */
  bytes: number
  /** The announced complete size, or `null` when the server did not say. */
  totalBytes: number | null
  /** The `Content-Type` of the last response, or `null`. */
  contentType: string | null
  /** The lower-case hex SHA-256 of the bytes, when a checksum was given; otherwise `null`. */
  sha256: string | null
  /** How many requests (not counting redirects) the download took. */
  attempts: number
  /** How many times it continued with `Range` after a dropped connection. */
  resumes: number
  /** How many times it started over (a server without `Range`, a changed file). */
  restarts: number
  /** Whether an expired link was replaced through `refreshUrl`. */
  refreshed: boolean
}

/** {@link DownloadOptions} validated, defaults filled in. */
export interface ResolvedDownloadOptions {
  url: string
  headers: Readonly<Record<string, string>>
  credentialOrigin: string | undefined
  signal: AbortSignal | undefined
  onProgress: ((progress: DownloadProgress) => void) | undefined
  maxBytes: number
  timeoutMs: number | undefined
  idleTimeoutMs: number | undefined
  headersTimeoutMs: number | undefined
  checksum: string | undefined
  retries: number
  minRetryDelayMs: number
  maxRetryDelayMs: number
  expiresAtMs: number | undefined
  refreshUrl: (() => Promise<string>) | undefined
  transport: DownloadTransport | undefined
  now: () => number
}

export { DOWNLOAD_DEFAULTS }

function fail(message: string): never {
  throw new TypeError(message)
}

function optionalNumber(
  name: string,
  value: unknown,
  check: (value: number) => boolean,
  what: string,
): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !check(value)) {
    fail(`Expected \`${name}\` to be ${what}, got ${String(value)}`)
  }
  return value
}

const positive = (value: number) => value > 0 && Number.isFinite(value)
const nonNegativeInteger = (value: number) => Number.isInteger(value) && value >= 0
const nonNegative = (value: number) => value >= 0 && Number.isFinite(value)

function expiresAtMs(value: DownloadOptions['expiresAt']): number | undefined {
  if (value === undefined || value === null) return undefined
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value
  if (typeof ms !== 'number' || Number.isNaN(ms)) {
    fail('Expected `expiresAt` to be an ISO 8601 string, epoch milliseconds or a valid Date')
  }
  return ms
}

/** Validates the options (a bad one is a `TypeError` naming it, before any request). */
export function resolveDownloadOptions(options: DownloadOptions): ResolvedDownloadOptions {
  if (typeof options !== 'object' || options === null) fail('Expected download options')
  let url: URL | undefined
  try {
    url = new URL(options.url)
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    fail('Expected `url` to be an absolute http(s) URL')
  }
  const headers = options.headers ?? {}
  if (
    typeof headers !== 'object' ||
    headers === null ||
    Object.values(headers).some((value) => typeof value !== 'string')
  ) {
    fail('Expected `headers` to be an object of strings')
  }
  for (const name of ['onProgress', 'refreshUrl'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      fail(`Expected \`${name}\` to be a function`)
    }
  }
  let checksum: string | undefined
  if (options.checksum !== undefined) {
    const { algorithm, hex } = options.checksum ?? {}
    if (algorithm !== 'sha256') fail("Expected `checksum.algorithm` to be 'sha256'")
    if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/i.test(hex)) {
      fail('Expected `checksum.hex` to be 64 hex digits')
    }
    checksum = hex.toLowerCase()
  }
  if (options.credentialOrigin !== undefined) {
    let origin: URL | undefined
    try {
      origin = new URL(options.credentialOrigin)
    } catch {}
    if (!origin || (origin.protocol !== 'http:' && origin.protocol !== 'https:')) {
      fail('Expected `credentialOrigin` to be an http(s) origin such as https://api.openai.com')
    }
  }
  for (const name of ['idleTimeoutMs', 'headersTimeoutMs'] as const) {
    optionalNumber(
      name,
      options[name],
      (value) => positive(value) && value <= 2_147_483_647,
      'a positive number of milliseconds (at most 2_147_483_647)',
    )
  }
  if (options.transport !== undefined && typeof options.transport?.open !== 'function') {
    fail('Expected `transport` to be a DownloadTransport')
  }
  const minRetryDelayMs =
    optionalNumber('minRetryDelayMs', options.minRetryDelayMs, nonNegative, 'a number ≥ 0') ??
    DOWNLOAD_DEFAULTS.minRetryDelayMs
  const maxRetryDelayMs =
    optionalNumber('maxRetryDelayMs', options.maxRetryDelayMs, nonNegative, 'a number ≥ 0') ??
    DOWNLOAD_DEFAULTS.maxRetryDelayMs
  return {
    url: url.href,
    headers,
    credentialOrigin: options.credentialOrigin,
    signal: options.signal,
    onProgress: options.onProgress,
    maxBytes:
      optionalNumber('maxBytes', options.maxBytes, positive, 'a positive number') ??
      Number.POSITIVE_INFINITY,
    timeoutMs: optionalNumber('timeoutMs', options.timeoutMs, positive, 'a positive number'),
    idleTimeoutMs: options.idleTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs,
    checksum,
    retries:
      optionalNumber('retries', options.retries, nonNegativeInteger, 'a non-negative integer') ??
      DOWNLOAD_DEFAULTS.retries,
    minRetryDelayMs,
    maxRetryDelayMs: Math.max(minRetryDelayMs, maxRetryDelayMs),
    expiresAtMs: expiresAtMs(options.expiresAt),
    refreshUrl: options.refreshUrl,
    transport: options.transport,
    // `expiresAt` is a wall-clock time: a client's clock gives it through `wallNow`.
    now: options.clock ? wallNowOf(options.clock) : () => Date.now(),
  }
}

function wallNowOf(clock: Pick<Clock, 'now' | 'wallNow'>): () => number {
  return () => (clock.wallNow ? clock.wallNow() : clock.now())
}
