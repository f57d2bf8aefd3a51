import type { Agent, Dispatcher } from 'undici'
import { loadUndici, type UndiciLoader } from '#undici-loader'
import {
  ConnectionError,
  DownloadError,
  isRetryableStatus,
  publicUrl,
  ResponseValidationError,
} from './errors.js'
import { addAbortCallback, isShared, removeAbortCallback } from './internal/abort-hub.js'
import {
  type FetchFunction,
  type ResolvedTransportOptions,
  resolveTransportOptions,
  TRANSPORT_DEFAULTS,
  type TransportOptions,
  timeoutOption,
} from './options/transport-options.js'

export { type FetchFunction, TRANSPORT_DEFAULTS, type TransportOptions }

/** A request as the transport sends it. Built by a provider's `buildRequest`. */
export interface TransportRequest {
  /** `GET`, `POST`, or `DELETE` (a vendor's cancel route). */
  method: 'GET' | 'POST' | 'DELETE'
  /** The absolute URL. */
  url: string
  /** Request headers. */
  headers: Readonly<Record<string, string>>
  /** A body for `POST`: text (JSON), or bytes (a multipart create with an image file). */
  body?: string | Uint8Array | undefined
  /** Cancels the request at any moment; the transport then rejects with `signal.reason`. */
  signal?: AbortSignal | undefined
  /** The provider id, to label errors. */
  provider?: string | undefined
}

/** A complete response: status, lower-cased headers, and the whole body as text. */
export interface TransportResponse {
  /** The HTTP status. */
  status: number
  /** Response headers with lower-cased names; repeated headers joined with `, `. */
  headers: Readonly<Record<string, string>>
  /** The body, decoded as UTF-8. */
  body: string
}

/** Sends one request and reads the whole response. The only code in the package that does HTTP. */
export interface Transport {
  /** Sends a request. Rejects with {@link ConnectionError}, {@link ResponseValidationError} (too large) or `signal.reason`. */
  send(request: TransportRequest): Promise<TransportResponse>
  /** Closes idle connections. The transport must not be used afterwards. */
  close(): Promise<void>
}

/**
 * Creates the transport: undici's `request` over a keep-alive agent by default, or the given
 * `fetch`.
 *
 * @example
 * ```ts
 * const transport = createTransport({ headersTimeoutMs: 10_000 })
 * const response = await transport.send({ method: 'GET', url, headers: {} })
 * await transport.close()
 * ```
 */
/** Where an undici transport keeps its {@link cancelRequestsOn} hook. */
const CANCEL_ON = Symbol('video-tasks.cancelRequestsOn')

/**
 * Makes `signal` (a client's closing signal) one the transport does not give undici: the
 * requests that carry it are cancelled all at once by the function returned, which the owner
 * calls right after it aborts the signal. `undefined` when the transport cannot (a `fetch` one,
 * or one a user passed in): it then gets the signal with each request, as any other. Internal:
 * the client calls it for the transport it made.
 *
 * Why: a signal per request costs undici a listener, a closure and a body `close` listener,
 * held while the request is in flight: with 1,000 reads in flight, about 1.5 KB more garbage a
 * read than no signal, and that much more CPU (npm run bench figure 1).
 */
export function cancelRequestsOn(
  transport: Transport,
  signal: AbortSignal,
): (() => void) | undefined {
  const hook = (transport as { [CANCEL_ON]?: (signal: AbortSignal) => () => void })[CANCEL_ON]
  return hook?.(signal)
}

export function createTransport(options: TransportOptions = {}): Transport {
  const resolved = resolveTransportOptions(options)
  if (options.fetch) return createFetchTransport(options.fetch, resolved)
  if (loadUndici && isNode()) {
    // Start loading undici now, so the first request does not wait for it; a failure to load
    // surfaces at that request.
    loadUndici().catch(() => {})
    return createUndiciTransport(resolved, loadUndici)
  }
  if (typeof globalThis.fetch !== 'function') {
    throw new TypeError('Expected a global `fetch` in this runtime, or the `fetch` option')
  }
  // Looked up at each request, so a `fetch` patched later (msw, a proxy) is the one used.
  return createFetchTransport((input, init) => globalThis.fetch(input, init), resolved)
}

/**
 * Node.js itself, not Bun, Deno or an edge runtime's Node.js compatibility (which may all set
 * `process.versions.node`): undici is the transport there; elsewhere the platform's `fetch` is.
 */
function isNode(): boolean {
  const global = globalThis as {
    process?: { versions?: Record<string, string | undefined> }
    navigator?: { userAgent?: unknown }
  }
  const versions = global.process?.versions
  return (
    typeof versions?.node === 'string' &&
    versions.bun === undefined &&
    !('Deno' in globalThis) &&
    // Vercel Edge and Cloudflare Workers.
    !('EdgeRuntime' in globalThis) &&
    global.navigator?.userAgent !== 'Cloudflare-Workers'
  )
}

function tooLarge(
  request: TransportRequest,
  limit: number,
  status: number,
): ResponseValidationError {
  const url = redactUrl(request.url)
  return new ResponseValidationError({
    message: `Response body from ${url} is larger than maxResponseBytes (${limit} bytes); cut off`,
    status,
    provider: request.provider ?? '',
    url,
    // Like any other 5xx (a proxy's oversized error page), worth reading again.
    retryable: status >= 500 && isRetryableStatus(status),
  })
}

/** The URL without user info, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (!parsed.username && !parsed.password) return url
    parsed.username = ''
    parsed.password = ''
    return parsed.toString()
  } catch {
    return url
  }
}

function headerRecord(entries: Iterable<[string, string]>): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of entries) {
    const key = name.toLowerCase()
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`
  }
  return headers
}

function undiciHeaders(raw: Dispatcher.ResponseData['headers']): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
])

/*
 * Failures that happen before a request can leave this machine: no address (DNS), nobody
 * listening, no route, or no connection within the connect time limit. A create that failed so
 * can be resent without risk of a second billed task; any other failure may come after the
 * server read the request.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** Whether `error` (or its `cause`, as `fetch` wraps it) says the request never left. */
export function neverSent(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true
    // Node's connect failure to every address of a host (happy eyeballs) is an AggregateError
    // whose errors all say so.
    const errors = (current as { errors?: unknown }).errors
    if (Array.isArray(errors) && errors.length > 0 && errors.every((item) => neverSent(item))) {
      return true
    }
    current = (current as { cause?: unknown }).cause
  }
  return false
}

function connectionError(error: unknown, url: string): ConnectionError {
  const code = (error as { code?: unknown } | null)?.code
  const timedOut = typeof code === 'string' && TIMEOUT_CODES.has(code)
  const detail = error instanceof Error ? error.message : String(error)
  return new ConnectionError(
    `${timedOut ? 'Timed out' : 'Connection failed'} requesting ${redactUrl(url)}: ${detail}${typeof code === 'string' ? ` (${code})` : ''}`,
    { url: redactUrl(url), timedOut, notSent: neverSent(error), cause: error },
  )
}

// Taken at load, so fake timers installed later (in a user's tests) cannot stall a response.
const nextTurn = globalThis.setImmediate

function createUndiciTransport(
  options: ResolvedTransportOptions,
  loadUndici: UndiciLoader,
): Transport {
  let agent: Agent | undefined
  let loading: Promise<Agent> | undefined
  const getAgent = (): Agent | Promise<Agent> => {
    if (agent) return agent
    // No decompress interceptor: undici's prints an ExperimentalWarning (7.30) and the SDK
    // writes nothing (SECURITY.md). A body compressed unasked (no Accept-Encoding is sent) is
    // not JSON: a permanent ResponseValidationError (test/transport-hostile.test.ts).
    loading ??= loadUndici().then((undici) => {
      agent ??= new undici.Agent({
        keepAliveTimeout: 10_000,
        keepAliveMaxTimeout: 10_000,
        headersTimeout: options.headersTimeoutMs,
        bodyTimeout: options.bodyTimeoutMs,
      })
      return agent
    })
    return loading
  }

  // The signal whose requests cancelAll cancels (cancelRequestsOn), and the agent it destroyed.
  let cancelling: AbortSignal | undefined
  let destroyed: Promise<void> | undefined
  const cancelAll = () => {
    const current = agent
    agent = undefined
    loading = undefined
    // Every request in flight rejects at once; `receive` turns that into the signal's reason.
    destroyed = current?.destroy(cancelling?.reason as Error).catch(() => {})
  }

  return {
    async send(request) {
      request.signal?.throwIfAborted()
      const current = agent ?? (await getAgent())
      request.signal?.throwIfAborted()
      const signal = request.signal
      if (signal === undefined || signal === cancelling) return receive(current, request, undefined)
      if (!isShared(signal)) return receive(current, request, signal)
      const relay = new SignalRelay(signal)
      try {
        return await receive(current, request, relay)
      } finally {
        relay.release()
      }
    },
    async close() {
      const current = agent ?? (await loading?.catch(() => undefined))
      agent = undefined
      loading = undefined
      await current?.close()
      await destroyed
    },
    [CANCEL_ON](signal: AbortSignal) {
      if (cancelling !== undefined)
        throw new TypeError('Expected one cancelling signal per transport')
      cancelling = signal
      return cancelAll
    },
  } as Transport

  async function receive(
    current: Agent,
    request: TransportRequest,
    signal: AbortSignal | SignalRelay | undefined,
  ): Promise<TransportResponse> {
    let response: Dispatcher.ResponseData
    try {
      const url = new URL(request.url)
      response = await current.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
      })
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason
      throw connectionError(error, request.url)
    }
    const headers = undiciHeaders(response.headers)
    const declared = Number(headers['content-length'])
    if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
      response.body.destroy()
      throw tooLarge(request, options.maxResponseBytes, response.statusCode)
    }
    const decoder = new TextDecoder()
    let text = ''
    let received = 0
    try {
      for await (const chunk of response.body) {
        received += (chunk as Buffer).byteLength
        if (received > options.maxResponseBytes) {
          response.body.destroy()
          throw tooLarge(request, options.maxResponseBytes, response.statusCode)
        }
        text += decoder.decode(chunk as Buffer, { stream: true })
      }
      text += decoder.decode()
    } catch (error) {
      if (error instanceof ResponseValidationError) throw error
      if (request.signal?.aborted) throw request.signal.reason
      throw connectionError(error, request.url)
    }
    // undici frees a keep-alive connection one event-loop turn after the response ends; a
    // request sent before then opens a second connection. Wait that turn, so sequential reads
    // share one connection.
    await new Promise((resolve) => nextTurn(resolve))
    return { status: response.statusCode, headers, body: text }
  }
}

/**
 * What undici gets as a request's `signal` when that signal is shared by many calls (the
 * client's closing signal, passed down by every `getTask` without a signal of its own: see
 * `markShared`): an EventEmitter-shaped relay (undici's `request` takes `AbortSignal |
 * EventEmitter`), joined to the signal through the abort hub, so the signal carries one listener
 * however many requests. Given to undici as is, each request added its own, and Node's
 * EventTarget walks every listener on each add and remove: with 1,000 reads in flight that was
 * 6.5 % of the client's CPU (bench/profile.mjs sdk-get). A signal of one call goes to undici as
 * is: the hub's bookkeeping would cost it more than it saves.
 */
class SignalRelay {
  aborted = false
  reason: unknown = undefined
  #listener: (() => void) | null = null
  readonly #signal: AbortSignal

  constructor(signal: AbortSignal) {
    this.#signal = signal
    addAbortCallback(signal, this)
  }

  // undici's util.addAbortListener: `once` on a signal without addEventListener; its check of a
  // signal's shape wants `on`. One listener is all undici adds per request.
  on(_event: 'abort', listener: () => void): this {
    this.#listener = listener
    return this
  }

  once(event: 'abort', listener: () => void): this {
    return this.on(event, listener)
  }

  removeListener(_event: 'abort', listener: () => void): this {
    if (this.#listener === listener) this.#listener = null
    return this
  }

  /** Called by the abort hub when the call's signal aborts. */
  onAbort(): void {
    this.aborted = true
    this.reason = this.#signal.reason
    const listener = this.#listener
    this.#listener = null
    listener?.()
  }

  /** The request and its body are done: nothing stays attached to the call's signal. */
  release(): void {
    removeAbortCallback(this.#signal, this)
  }
}

function pathOf(url: string): string {
  const parsed = new URL(url)
  return `${parsed.pathname}${parsed.search}`
}

function createFetchTransport(
  fetchFunction: FetchFunction,
  options: ResolvedTransportOptions,
): Transport {
  return {
    async send(request) {
      request.signal?.throwIfAborted()
      const controller = new AbortController()
      let timedOut = false
      const onAbort = () => controller.abort(request.signal?.reason)
      // A signal shared by many requests carries one listener, through the hub (SignalRelay).
      const shared = request.signal !== undefined && isShared(request.signal)
      if (shared) addAbortCallback(request.signal as AbortSignal, onAbort)
      else request.signal?.addEventListener('abort', onAbort, { once: true })
      let timer: ReturnType<typeof setTimeout> | undefined
      const arm = (ms: number) => {
        clearTimeout(timer)
        timer = setTimeout(() => {
          timedOut = true
          controller.abort(new Error(`time limit of ${ms} ms reached`))
        }, ms)
      }
      try {
        arm(options.headersTimeoutMs)
        let response: Response
        try {
          response = await fetchFunction(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.body ?? null,
            signal: controller.signal,
            redirect: 'manual',
          })
        } catch (error) {
          if (request.signal?.aborted) throw request.signal.reason
          throw fetchError(error, request.url, timedOut)
        }
        arm(options.bodyTimeoutMs)
        const headers = headerRecord(response.headers.entries())
        const declared = Number(headers['content-length'])
        if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
          await response.body?.cancel().catch(() => {})
          throw tooLarge(request, options.maxResponseBytes, response.status)
        }
        let text = ''
        if (response.body) {
          const reader = response.body.getReader()
          const decoder = new TextDecoder()
          let received = 0
          try {
            for (;;) {
              const { done, value } = await reader.read()
              if (done) break
              received += value.byteLength
              if (received > options.maxResponseBytes) {
                await reader.cancel().catch(() => {})
                throw tooLarge(request, options.maxResponseBytes, response.status)
              }
              text += decoder.decode(value, { stream: true })
            }
            text += decoder.decode()
          } catch (error) {
            if (error instanceof ResponseValidationError) throw error
            if (request.signal?.aborted) throw request.signal.reason
            throw fetchError(error, request.url, timedOut)
          }
        }
        return { status: response.status, headers, body: text }
      } finally {
        clearTimeout(timer)
        if (shared) removeAbortCallback(request.signal as AbortSignal, onAbort)
        else request.signal?.removeEventListener('abort', onAbort)
      }
    },
    async close() {},
  }
}

function fetchError(error: unknown, url: string, timedOut: boolean): ConnectionError {
  const detail = error instanceof Error ? error.message : String(error)
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause
  const reason = typeof cause?.message === 'string' ? `: ${cause.message}` : ''
  return new ConnectionError(
    `${timedOut ? 'Timed out' : 'Connection failed'} requesting ${redactUrl(url)}: ${detail}${reason}`,
    // A time limit may fire after the request left, whatever the error says.
    { url: redactUrl(url), timedOut, notSent: !timedOut && neverSent(error), cause: error },
  )
}

/*
 * Downloads: a streaming GET, separate from the read path above. Unlike reads, downloads follow
 * redirects, because CDNs answer with them (vendor-notes.md, "Creating tasks and fetching
 * outputs"); the key still goes to the provider's origin only.
 */

/**
 * Headers that may travel to any origin: what describes the range wanted, never who asks. Every
 * other header (`Authorization`, `X-Api-Key`, a gateway's own token header, a cookie) is sent to
 * the credential origin only.
 */
const PORTABLE_HEADERS = new Set([
  'range',
  'if-range',
  'accept',
  'accept-encoding',
  'accept-language',
  'user-agent',
])

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** The defaults of {@link StreamRequest}. */
export const STREAM_DEFAULTS = {
  headersTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  maxRedirects: 10,
} as const

/** A download request: one `GET`, redirects followed, the body streamed. */
export interface StreamRequest {
  /** The absolute `http:` or `https:` URL. */
  url: string
  /** Request headers, credentials included; see `credentialOrigin` for where they go. */
  headers?: Readonly<Record<string, string>> | undefined
  /**
   * The only origin that receives credential headers (every header but `Range`, `If-Range`,
   * `Accept*` and `User-Agent`). Once a redirect leads elsewhere, or from `https:` down to
   * `http:`, the rest of the chain goes without them, as `fetch` does: a foreign server cannot
   * steer the key to a URL of its choosing.
   * @default the origin of `url`
   */
  credentialOrigin?: string | undefined
  /** Cancels the request and the body at any moment; they then reject with `signal.reason`. */
  signal?: AbortSignal | undefined
  /**
   * How long to wait for each response's headers, in milliseconds.
   * @default 30_000
   */
  headersTimeoutMs?: number | undefined
  /**
   * How long the body may pause between chunks, in milliseconds.
   * @default 30_000
   */
  idleTimeoutMs?: number | undefined
  /**
   * How many redirects to follow.
   * @default 10
   */
  maxRedirects?: number | undefined
}

/** The response at the end of the redirect chain, body unread. */
export interface StreamResponse {
  /** The HTTP status. */
  status: number
  /** Response headers with lower-cased names. */
  headers: Readonly<Record<string, string>>
  /** The URL that answered (after redirects). */
  url: string
  /** How many redirects were followed. */
  redirects: number
  /** Whether this last request carried credential headers. */
  credentialsSent: boolean
  /**
   * The body. Rejects with {@link ConnectionError} (`timedOut` for the idle limit) or
   * `signal.reason`; leaving the loop early releases the connection.
   */
  body: AsyncIterable<Uint8Array>
  /** Releases the connection without reading the body. */
  cancel(): void
}

/** Opens download streams. The only HTTP code for downloads. */
export interface DownloadTransport {
  /**
   * Sends a `GET`, following redirects. Rejects with {@link ConnectionError},
   * {@link DownloadError} (too many redirects, a redirect to another scheme) or `signal.reason`.
   */
  open(request: StreamRequest): Promise<StreamResponse>
  /** Closes idle connections. */
  close(): Promise<void>
}

/** Options of {@link createDownloadTransport}. */
export interface DownloadTransportOptions {
  /**
   * A `fetch` to use instead of the default (it is called with `redirect: 'manual'`).
   * @default undefined: undici over a keep-alive agent on Node.js, the global `fetch` elsewhere
   */
  fetch?: FetchFunction | undefined
}

interface Hop {
  status: number
  headers: Record<string, string>
  body: AsyncIterable<Uint8Array>
  cancel(): void
}

interface HopRequest {
  url: string
  headers: Record<string, string>
  signal: AbortSignal | undefined
  headersTimeoutMs: number
  idleTimeoutMs: number
}

function streamError(error: unknown, url: string, timedOut: boolean): ConnectionError {
  const code = (error as { code?: unknown } | null)?.code
  const timeout = timedOut || (typeof code === 'string' && TIMEOUT_CODES.has(code))
  const detail = error instanceof Error ? error.message : String(error)
  const shown = publicUrl(url)
  return new ConnectionError(
    `${timeout ? 'Timed out' : 'Connection failed'} downloading ${shown}: ${detail}${typeof code === 'string' ? ` (${code})` : ''}`,
    { url: shown, timedOut: timeout, cause: error },
  )
}

function nonNegativeInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a non-negative integer, got ${String(value)}`)
  }
  return value
}

/**
 * Creates the download transport.
 *
 * @example
 * ```ts
 * const downloads = createDownloadTransport()
 * const response = await downloads.open({ url, headers: { authorization: `Bearer ${key}` } })
 * for await (const chunk of response.body) process(chunk)
 * await downloads.close()
 * ```
 */
export function createDownloadTransport(options: DownloadTransportOptions = {}): DownloadTransport {
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new TypeError('Expected `fetch` to be a function')
  }
  let hop: (request: HopRequest) => Promise<Hop>
  let close = async () => {}
  if (options.fetch) {
    hop = fetchHop(options.fetch)
  } else if (loadUndici !== undefined && isNode()) {
    loadUndici().catch(() => {})
    const undici = undiciHops(loadUndici)
    hop = undici.hop
    close = undici.close
  } else {
    hop = fetchHop((input, init) => globalThis.fetch(input, init))
  }
  return {
    async open(request) {
      const headersTimeoutMs = timeoutOption(
        'headersTimeoutMs',
        request.headersTimeoutMs,
        STREAM_DEFAULTS.headersTimeoutMs,
      )
      const idleTimeoutMs = timeoutOption(
        'idleTimeoutMs',
        request.idleTimeoutMs,
        STREAM_DEFAULTS.idleTimeoutMs,
      )
      const maxRedirects = nonNegativeInteger(
        'maxRedirects',
        request.maxRedirects,
        STREAM_DEFAULTS.maxRedirects,
      )
      let url = httpUrl(request.url, 'url')
      const credentialOrigin =
        request.credentialOrigin === undefined
          ? url.origin
          : httpUrl(request.credentialOrigin, 'credentialOrigin').origin
      const all: Record<string, string> = {}
      const portable: Record<string, string> = {}
      for (const [name, value] of Object.entries(request.headers ?? {})) {
        const key = name.toLowerCase()
        all[key] = value
        if (PORTABLE_HEADERS.has(key)) portable[key] = value
      }
      const hasCredentials = Object.keys(all).length > Object.keys(portable).length
      let leftCredentialOrigin = false
      for (let redirects = 0; ; redirects++) {
        request.signal?.throwIfAborted()
        const trusted = !leftCredentialOrigin && url.origin === credentialOrigin
        const response = await hop({
          url: url.href,
          headers: trusted ? all : portable,
          signal: request.signal,
          headersTimeoutMs,
          idleTimeoutMs,
        })
        const location = response.headers.location
        if (!REDIRECT_STATUSES.has(response.status) || location === undefined) {
          return {
            ...response,
            url: url.href,
            redirects,
            credentialsSent: trusted && hasCredentials,
          }
        }
        response.cancel()
        if (redirects >= maxRedirects) {
          throw new DownloadError(
            `Download of ${publicUrl(request.url)} was redirected more than ${maxRedirects} times`,
            { url: request.url, status: response.status },
          )
        }
        let next: URL
        try {
          next = new URL(location, url)
        } catch {
          next = new URL('about:blank')
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new DownloadError(
            `Download of ${publicUrl(request.url)} was redirected to a URL that is not http(s)`,
            { url: request.url, status: response.status },
          )
        }
        // Sticky: after a foreign origin or a downgrade to http, credentials never come back.
        if (
          next.origin !== credentialOrigin ||
          (url.protocol === 'https:' && next.protocol === 'http:')
        ) {
          leftCredentialOrigin = true
        }
        url = next
      }
    },
    close: () => close(),
  }
}

function httpUrl(value: unknown, name: string): URL {
  let url: URL | undefined
  try {
    if (typeof value === 'string') url = new URL(value)
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`Expected \`${name}\` to be an absolute http(s) URL`)
  }
  return url
}

function undiciHops(loader: UndiciLoader): {
  hop: (request: HopRequest) => Promise<Hop>
  close: () => Promise<void>
} {
  let agent: Promise<Agent> | undefined
  const getAgent = () => {
    agent ??= loader().then(
      (undici) => new undici.Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 10_000 }),
    )
    return agent
  }
  return {
    async hop(request) {
      request.signal?.throwIfAborted()
      const current = await getAgent()
      request.signal?.throwIfAborted()
      let response: Dispatcher.ResponseData
      try {
        response = await current.request({
          origin: new URL(request.url).origin,
          path: pathOf(request.url),
          method: 'GET',
          headers: request.headers,
          signal: request.signal,
          headersTimeout: request.headersTimeoutMs,
          bodyTimeout: request.idleTimeoutMs,
        })
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason
        throw streamError(error, request.url, false)
      }
      const body = response.body
      return {
        status: response.statusCode,
        headers: undiciHeaders(response.headers),
        body: nodeBody(body, request),
        // Reads a little (a redirect's or an error's short body) so the connection can be
        // reused, then destroys the rest; never an unhandled 'error' event.
        cancel: () => {
          body.dump({ limit: 65_536 }).catch(() => {})
        },
      }
    },
    async close() {
      const current = await agent?.catch(() => undefined)
      agent = undefined
      await current?.close()
    },
  }
}

async function* nodeBody(
  body: Dispatcher.ResponseData['body'],
  request: HopRequest,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk as Uint8Array
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason
    throw streamError(error, request.url, false)
  } finally {
    if (!body.readableEnded) {
      body.on('error', () => {})
      body.destroy()
    }
  }
}

function fetchHop(fetchFunction: FetchFunction): (request: HopRequest) => Promise<Hop> {
  return async (request) => {
    request.signal?.throwIfAborted()
    const controller = new AbortController()
    const onAbort = () => controller.abort(request.signal?.reason)
    request.signal?.addEventListener('abort', onAbort, { once: true })
    let timedOut = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const arm = (ms: number) => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        timedOut = true
        controller.abort(new Error(`time limit of ${ms} ms reached`))
      }, ms)
    }
    const release = () => {
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', onAbort)
    }
    arm(request.headersTimeoutMs)
    let response: Response
    try {
      response = await fetchFunction(request.url, {
        method: 'GET',
        // Bytes as stored: a decoded body would not match the announced length or a `Range`.
        headers: { 'accept-encoding': 'identity', ...request.headers },
        signal: controller.signal,
        redirect: 'manual',
      })
    } catch (error) {
      release()
      if (request.signal?.aborted) throw request.signal.reason
      throw streamError(error, request.url, timedOut)
    }
    clearTimeout(timer)
    const stream = response.body
    async function* body(): AsyncGenerator<Uint8Array> {
      if (!stream) return release()
      const reader = stream.getReader()
      let done = false
      try {
        for (;;) {
          // The idle limit runs while waiting for the network, not while the consumer writes.
          arm(request.idleTimeoutMs)
          const result = await reader.read()
          clearTimeout(timer)
          if (result.done) {
            done = true
            return
          }
          yield result.value
        }
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason
        throw streamError(error, request.url, timedOut)
      } finally {
        release()
        if (!done) reader.cancel().catch(() => {})
      }
    }
    return {
      status: response.status,
      headers: headerRecord(response.headers.entries()),
      body: body(),
      cancel: () => {
        release()
        stream?.cancel().catch(() => {})
      },
    }
  }
}
