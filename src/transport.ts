import type { Agent, Dispatcher } from 'undici'
import { loadUndici, type UndiciLoader } from '#undici-loader'
import { ConnectionError, ResponseValidationError } from './errors.js'

/** A request as the transport sends it. Built by a provider's `buildRequest`. */
export interface TransportRequest {
  /** `GET` or `POST`. */
  method: 'GET' | 'POST'
  /** The absolute URL. */
  url: string
  /** Request headers. */
  headers: Readonly<Record<string, string>>
  /** A body for `POST`. */
  body?: string | undefined
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

/** The `fetch` signature the transport accepts (the global `fetch`, undici's, msw-patched, a proxy's). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>

/** Sends one request and reads the whole response. The only code in the package that does HTTP. */
export interface Transport {
  /** Sends a request. Rejects with {@link ConnectionError}, {@link ResponseValidationError} (too large) or `signal.reason`. */
  send(request: TransportRequest): Promise<TransportResponse>
  /** Closes idle connections. The transport must not be used afterwards. */
  close(): Promise<void>
}

/** Options of {@link createTransport}. */
export interface TransportOptions {
  /**
   * A `fetch` function to use instead of the default: for proxies, tests through msw, or a
   * runtime's own `fetch` wrapper. Redirects are not followed either way, so credentials never
   * reach another origin.
   * @default undefined: on Node.js, undici's `request` over a keep-alive agent (undici is loaded
   * when the transport is created, never by importing the package); on Bun, Deno and edge
   * runtimes, the global `fetch`
   */
  fetch?: FetchFunction | undefined
  /**
   * How long to wait for the response headers, in milliseconds (rounded up to a whole
   * millisecond; at most 2_147_483_647, the longest a timer holds).
   * @default 30_000
   */
  headersTimeoutMs?: number | undefined
  /**
   * How long the body may pause between chunks (undici) or take in all (`fetch`), in
   * milliseconds (rounded up; at most 2_147_483_647).
   * @default 30_000
   */
  bodyTimeoutMs?: number | undefined
  /**
   * The largest body read; a larger one is cut off with a {@link ResponseValidationError}.
   * @default 1_048_576 (1 MiB)
   */
  maxResponseBytes?: number | undefined
}

/** The defaults of {@link TransportOptions}. */
export const TRANSPORT_DEFAULTS = {
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  maxResponseBytes: 1_048_576,
} as const

interface ResolvedTransportOptions {
  headersTimeoutMs: number
  bodyTimeoutMs: number
  maxResponseBytes: number
}

function positiveOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new TypeError(`Expected \`${name}\` to be a positive number, got ${String(value)}`)
  }
  return value
}

/** The longest delay a timer holds; a longer one fires at once (Node) or is refused (undici). */
const MAX_TIMEOUT_MS = 2_147_483_647

/**
 * A time limit: a positive number of milliseconds a timer can hold, rounded up to a whole
 * millisecond (undici refuses fractions).
 */
function timeoutOption(name: string, value: unknown, fallback: number): number {
  const ms = positiveOption(name, value, fallback)
  if (ms > MAX_TIMEOUT_MS) {
    throw new TypeError(
      `Expected \`${name}\` to be at most ${MAX_TIMEOUT_MS} milliseconds, got ${String(value)}`,
    )
  }
  return Math.ceil(ms)
}

/** Validates transport options and fills in the defaults. */
export function resolveTransportOptions(options: TransportOptions = {}): ResolvedTransportOptions {
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new TypeError('Expected `fetch` to be a function')
  }
  return {
    headersTimeoutMs: timeoutOption(
      'headersTimeoutMs',
      options.headersTimeoutMs,
      TRANSPORT_DEFAULTS.headersTimeoutMs,
    ),
    bodyTimeoutMs: timeoutOption(
      'bodyTimeoutMs',
      options.bodyTimeoutMs,
      TRANSPORT_DEFAULTS.bodyTimeoutMs,
    ),
    maxResponseBytes: positiveOption(
      'maxResponseBytes',
      options.maxResponseBytes,
      TRANSPORT_DEFAULTS.maxResponseBytes,
    ),
  }
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
    retryable: status >= 500,
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

function connectionError(error: unknown, url: string): ConnectionError {
  const code = (error as { code?: unknown } | null)?.code
  const timedOut = typeof code === 'string' && TIMEOUT_CODES.has(code)
  const detail = error instanceof Error ? error.message : String(error)
  return new ConnectionError(
    `${timedOut ? 'Timed out' : 'Connection failed'} requesting ${redactUrl(url)}: ${detail}${typeof code === 'string' ? ` (${code})` : ''}`,
    { url: redactUrl(url), timedOut, cause: error },
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

  return {
    async send(request) {
      request.signal?.throwIfAborted()
      const current = agent ?? (await getAgent())
      request.signal?.throwIfAborted()
      let response: Dispatcher.ResponseData
      try {
        response = await current.request({
          origin: new URL(request.url).origin,
          path: pathOf(request.url),
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: request.signal,
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
    },
    async close() {
      const current = agent ?? (await loading?.catch(() => undefined))
      agent = undefined
      loading = undefined
      await current?.close()
    },
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
      request.signal?.addEventListener('abort', onAbort, { once: true })
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
        request.signal?.removeEventListener('abort', onAbort)
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
    { url: redactUrl(url), timedOut, cause: error },
  )
}
