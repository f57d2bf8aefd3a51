import { once } from 'node:events'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { readTask } from '../src/client/read-task.js'
import {
  ApiError,
  ConnectionError,
  ResponseValidationError,
  VideoTaskError,
} from '../src/errors.js'
import { openai } from '../src/providers/openai.js'
import { createTransport, type Transport, type TransportOptions } from '../src/transport.js'

/*
 * The transport against real sockets: a node:http server on 127.0.0.1, port 0, per test.
 * Time limits are small real timeouts (the only timing in this file); every other test waits on
 * events, never on the clock.
 */

const KEY = 'sk-transport-test-0123456789abcdef'

interface SeenRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
}

interface TestServer {
  server: Server
  url: string
  /** TCP connections the server accepted. */
  connections: number
  /** The server side of every accepted connection. */
  sockets: Set<Socket>
  requests: SeenRequest[]
  /** Resolves with the next request the server receives (or the latest, if one already came). */
  nextRequest(): Promise<IncomingMessage>
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void

const servers: Server[] = []
const transports: Transport[] = []

afterEach(async () => {
  // Sockets first, so hung requests fail and the agents can close; then agents; then servers.
  for (const server of servers) server.closeAllConnections()
  await Promise.all(transports.splice(0).map((transport) => transport.close()))
  await Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  )
})

async function startServer(
  handler: Handler,
  options: { maxHeaderSize?: number } = {},
): Promise<TestServer> {
  const waiting: Array<(request: IncomingMessage) => void> = []
  const server = createServer({ maxHeaderSize: options.maxHeaderSize ?? 16_384 })
  // Long keep-alive on the server side: only the client may end idle connections in these tests.
  server.keepAliveTimeout = 60_000
  const state: TestServer = {
    server,
    url: '',
    connections: 0,
    sockets: new Set(),
    requests: [],
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
  }
  server.on('connection', (socket: Socket) => {
    state.connections += 1
    state.sockets.add(socket)
    socket.on('close', () => state.sockets.delete(socket))
  })
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    state.requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
    })
    for (const resolve of waiting.splice(0)) resolve(request)
    handler(request, response)
  })
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return state
}

function json(response: ServerResponse, status: number, body: unknown, headers = {}) {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  response.end(text)
}

type Kind = 'undici' | 'fetch'
const KINDS: Kind[] = ['undici', 'fetch']

function transportFor(kind: Kind, options: TransportOptions = {}): Transport {
  const transport = createTransport(
    kind === 'fetch' ? { ...options, fetch: globalThis.fetch } : options,
  )
  transports.push(transport)
  return transport
}

function get(url: string, signal?: AbortSignal) {
  return { method: 'GET' as const, url, headers: { accept: 'application/json' }, signal }
}

/** Resolves when `emitter` emits `close` (an `error` before it does not reject). */
function closeOf(emitter: { once(event: 'close', listener: () => void): unknown }) {
  return new Promise<void>((resolve) => emitter.once('close', resolve))
}

/** The rejection of `promise`; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => expect.unreachable(`expected a rejection, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  )
}

/** Writes `total` bytes in 16 KiB chunks as fast as the client reads them; resolves on close. */
function streamBody(response: ServerResponse, total: number) {
  const chunk = Buffer.alloc(16_384, 'a')
  let written = 0
  const closed = new Promise<{ written: number; finished: boolean }>((resolve) => {
    response.on('close', () => resolve({ written, finished: response.writableFinished }))
  })
  const pump = () => {
    while (written < total && !response.destroyed) {
      written += chunk.byteLength
      if (!response.write(chunk)) {
        response.once('drain', pump)
        return
      }
    }
    if (written >= total) response.end()
  }
  pump()
  return closed
}

describe.each(KINDS)('%s transport: basics', (kind) => {
  it('returns status, lower-cased headers and the body as text', async () => {
    const server = await startServer((_request, response) => {
      response.setHeader('X-Request-Id', 'req_1')
      response.setHeader('Set-Cookie', ['a=1', 'b=2'])
      json(response, 201, { text: 'héllo 日本' })
    })
    const transport = transportFor(kind)
    const response = await transport.send({
      method: 'POST',
      url: `${server.url}/echo?x=1`,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    })
    expect(response.status).toBe(201)
    expect(response.headers['x-request-id']).toBe('req_1')
    expect(response.headers['set-cookie']).toBe('a=1, b=2')
    expect(JSON.parse(response.body)).toEqual({ text: 'héllo 日本' })
    expect(server.requests).toEqual([expect.objectContaining({ method: 'POST', url: '/echo?x=1' })])
  })
})

describe('undici transport: keep-alive', () => {
  it('reuses one connection for sequential requests', async () => {
    const server = await startServer((_request, response) => json(response, 200, { ok: true }))
    const transport = transportFor('undici')
    for (let index = 0; index < 5; index++) {
      const response = await transport.send(get(`${server.url}/v1/videos/${index}`))
      expect(response.status).toBe(200)
    }
    expect(server.requests).toHaveLength(5)
    expect(server.connections).toBe(1)
  })
})

describe.each(KINDS)('%s transport: time limits', (kind) => {
  it('headersTimeoutMs: a server that never answers -> ConnectionError timedOut', async () => {
    const server = await startServer(() => {})
    const transport = transportFor(kind, { headersTimeoutMs: 150, bodyTimeoutMs: 5_000 })
    const started = performance.now()
    const error = await rejection(transport.send(get(`${server.url}/hang`)))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ timedOut: true, retryable: true, url: `${server.url}/hang` })
    expect((error as ConnectionError).message).toMatch(/^Timed out/)
    expect((error as ConnectionError).cause).toBeDefined()
    // Far below the 30 s default: the option took effect.
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('headersTimeoutMs accepts a fractional number of milliseconds', async () => {
    const server = await startServer(() => {})
    const transport = transportFor(kind, { headersTimeoutMs: 120.5 })
    const error = await rejection(transport.send(get(`${server.url}/hang`)))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ timedOut: true })
  })

  it('bodyTimeoutMs: headers then a stalled body -> ConnectionError timedOut', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('{"status":')
    })
    const transport = transportFor(kind, { headersTimeoutMs: 5_000, bodyTimeoutMs: 150 })
    const started = performance.now()
    const error = await rejection(transport.send(get(`${server.url}/stall`)))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ timedOut: true, retryable: true })
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})

describe.each(KINDS)('%s transport: maxResponseBytes', (kind) => {
  const TOTAL = 50 * 1024 * 1024

  it('refuses a declared content-length above the limit without reading the body', async () => {
    let closed: Promise<{ written: number; finished: boolean }> | undefined
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': TOTAL })
      closed = streamBody(response, TOTAL)
    })
    const transport = transportFor(kind, { maxResponseBytes: 1_000 })
    const error = await rejection(transport.send(get(`${server.url}/big`)))
    expect(error).toBeInstanceOf(ResponseValidationError)
    expect(error).toMatchObject({ status: 200, retryable: false, url: `${server.url}/big` })
    expect((error as Error).message).toMatch(/maxResponseBytes \(1000 bytes\)/)
    await vi.waitFor(() => expect(closed).toBeDefined())
    const result = await closed
    expect(result?.finished).toBe(false)
    expect(result?.written).toBeLessThan(TOTAL / 10)
  })

  it('cuts off a chunked body without content-length once it passes the limit', async () => {
    let closed: Promise<{ written: number; finished: boolean }> | undefined
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      closed = streamBody(response, TOTAL)
    })
    const transport = transportFor(kind, { maxResponseBytes: 100_000 })
    const error = await rejection(transport.send(get(`${server.url}/chunked`)))
    expect(error).toBeInstanceOf(ResponseValidationError)
    expect((error as Error).message).toMatch(/maxResponseBytes \(100000 bytes\)/)
    expect(server.requests).toHaveLength(1)
    await vi.waitFor(() => expect(closed).toBeDefined())
    const result = await closed
    expect(result?.finished).toBe(false)
    expect(result?.written).toBeLessThan(TOTAL / 10)
  })

  it('accepts a body of exactly the limit', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.end('x'.repeat(1_000))
    })
    const transport = transportFor(kind, { maxResponseBytes: 1_000 })
    const response = await transport.send(get(`${server.url}/exact`))
    expect(response.body).toHaveLength(1_000)
  })
})

describe.each(KINDS)('%s transport: connection failures', (kind) => {
  it('a reset before the response -> ConnectionError, not timedOut, with a cause', async () => {
    const server = await startServer((request) => request.socket.destroy())
    const transport = transportFor(kind)
    const error = await rejection(transport.send(get(`${server.url}/reset`)))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ timedOut: false, retryable: true })
    expect((error as Error).message).toMatch(/^Connection failed requesting http:\/\/127\.0\.0\.1/)
    expect((error as Error).cause).toBeInstanceOf(Error)
  })

  it('a reset in the middle of the body -> ConnectionError, not timedOut', async () => {
    const server = await startServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': 1_000 })
      response.write('{"status":', () => request.socket.destroy())
    })
    const transport = transportFor(kind)
    const error = await rejection(transport.send(get(`${server.url}/half`)))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ timedOut: false })
    expect((error as Error).cause).toBeDefined()
  })

  it('a refused connection -> ConnectionError, not timedOut', async () => {
    const server = await startServer(() => {})
    const url = server.url
    await new Promise<void>((resolve) => server.server.close(() => resolve()))
    const transport = transportFor(kind)
    const error = await rejection(transport.send(get(`${url}/gone`)))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ timedOut: false })
  })
})

describe.each(KINDS)('%s transport: abort', (kind) => {
  it('a signal aborted before the call rejects with its reason and sends nothing', async () => {
    const server = await startServer((_request, response) => json(response, 200, {}))
    const transport = transportFor(kind)
    const reason = new Error('stopped before')
    const error = await rejection(transport.send(get(`${server.url}/x`, AbortSignal.abort(reason))))
    expect(error).toBe(reason)
    expect(server.requests).toHaveLength(0)
  })

  it('aborting a hung request rejects with the reason and closes the request', async () => {
    const server = await startServer(() => {})
    const transport = transportFor(kind)
    const controller = new AbortController()
    const arrived = server.nextRequest()
    const pending = rejection(transport.send(get(`${server.url}/hang`, controller.signal)))
    const request = await arrived
    const connectionClosed = closeOf(request.socket)
    const reason = new Error('stopped during')
    controller.abort(reason)
    expect(await pending).toBe(reason)
    // The server sees the connection end; nothing waits for the 30 s default time limits.
    await connectionClosed
    expect(request.socket.destroyed).toBe(true)
  })

  it('aborting while the body streams rejects with the reason', async () => {
    let closed: Promise<void> | undefined
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.write('partial')
      closed = closeOf(response)
    })
    const transport = transportFor(kind)
    const controller = new AbortController()
    const arrived = server.nextRequest()
    const pending = rejection(transport.send(get(`${server.url}/slow`, controller.signal)))
    await arrived
    await vi.waitFor(() => expect(closed).toBeDefined())
    const reason = new DOMException('user gave up', 'AbortError')
    controller.abort(reason)
    expect(await pending).toBe(reason)
    await closed
  })

  it('a time limit that fires is not mistaken for the caller aborting', async () => {
    const server = await startServer(() => {})
    const transport = transportFor(kind, { headersTimeoutMs: 100 })
    const controller = new AbortController()
    const error = await rejection(transport.send(get(`${server.url}/hang`, controller.signal)))
    expect(controller.signal.aborted).toBe(false)
    expect(error).toBeInstanceOf(ConnectionError)
  })
})

describe.each(KINDS)('%s transport: odd task ids stay one path segment', (kind) => {
  const ids = [
    '../x',
    '%2e%2e',
    '.%2e',
    'a/b',
    '?q',
    '#',
    'a b',
    'ünï',
    '日本',
    'x?y=1',
    'a\\b',
    '..;/admin',
    `${'id-/?#%'.repeat(1_463)}z`,
  ]

  it.each(ids.map((id) => [id.length > 40 ? `${id.slice(0, 20)}… (${id.length} chars)` : id, id]))(
    'id %j',
    async (_label, id) => {
      const server = await startServer(
        (_request, response) => json(response, 200, { id, status: 'queued' }),
        { maxHeaderSize: 128 * 1024 },
      )
      const provider = openai({ baseURL: server.url, apiKey: KEY })
      const transport = transportFor(kind)
      const response = await transport.send(provider.buildRequest(id))
      expect(response.status).toBe(200)
      expect(server.requests).toHaveLength(1)
      const seen = server.requests[0]?.url ?? ''
      expect(seen).toBe(`/v1/videos/${encodeURIComponent(id)}`)
      const parsed = new URL(seen, server.url)
      expect(parsed.search).toBe('')
      expect(decodeURIComponent(parsed.pathname.slice('/v1/videos/'.length))).toBe(id)
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)

      const { task } = await readTask(provider, transport, id)
      expect(task).toMatchObject({ id, status: 'queued' })
    },
  )

  it.each(['.', '..'])('refuses %j with a TypeError before any request', async (id) => {
    const server = await startServer((_request, response) => json(response, 200, {}))
    const provider = openai({ baseURL: server.url, apiKey: KEY })
    const transport = transportFor(kind)
    expect(() => provider.buildRequest(id)).toThrow(TypeError)
    await expect(readTask(provider, transport, id)).rejects.toThrow(TypeError)
    expect(server.requests).toHaveLength(0)
    expect(server.connections).toBe(0)
  })
})

describe.each(KINDS)('%s transport: redirects are not followed', (kind) => {
  it.each([301, 302, 303, 307, 308])('%i to another origin', async (status) => {
    const other = await startServer((_request, response) => json(response, 200, {}))
    const server = await startServer((_request, response) => {
      response.writeHead(status, { location: `${other.url}/v1/videos/vid_1` })
      response.end()
    })
    const provider = openai({ baseURL: server.url, apiKey: KEY })
    const transport = transportFor(kind)

    const response = await transport.send(provider.buildRequest('vid_1'))
    expect(response.status).toBe(status)
    expect(response.headers.location).toBe(`${other.url}/v1/videos/vid_1`)

    const error = await rejection(readTask(provider, transport, 'vid_1'))
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).constructor).toBe(ApiError)
    expect(error).toMatchObject({ status, retryable: false, provider: 'openai' })
    expect((error as Error).message).toMatch(/redirect.*not followed/)

    expect(server.requests).toHaveLength(2)
    expect(other.requests).toHaveLength(0)
    expect(other.connections).toBe(0)
  })
})

describe('undici transport: close()', () => {
  function tcpSockets(): number {
    return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length
  }

  it('leaves no sockets behind', async () => {
    let arrived = 0
    const held: ServerResponse[] = []
    const server = await startServer((_request, response) => {
      held.push(response)
      arrived += 1
      // Answer only once all three are in, so they need three connections.
      if (arrived === 3) for (const each of held) json(each, 200, { ok: true })
    })
    const before = tcpSockets()
    const transport = createTransport()
    const responses = await Promise.all(
      [1, 2, 3].map((index) => transport.send(get(`${server.url}/v1/videos/${index}`))),
    )
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200])
    expect(server.connections).toBe(3)
    expect(server.sockets.size).toBe(3)

    await transport.close()
    // The server keeps idle connections for 60 s: only the client closing them ends them now.
    await vi.waitFor(() => expect(server.sockets.size).toBe(0), { timeout: 2_000 })
    // And the process holds no more sockets than before. (This count alone would not do:
    // undici unrefs idle sockets, and Node lists only ref'd handles.)
    await vi.waitFor(() => expect(tcpSockets()).toBeLessThanOrEqual(before), { timeout: 2_000 })
  })

  it('close() before any request and twice is harmless', async () => {
    const transport = createTransport()
    await transport.close()
    await transport.close()
  })
})

describe('transport options', () => {
  const names = ['headersTimeoutMs', 'bodyTimeoutMs', 'maxResponseBytes'] as const
  const bad: unknown[] = [-1, 0, Number.NaN, '100', null, -Infinity]

  for (const name of names) {
    it.each(bad.map((value) => [typeof value === 'string' ? `'${value}'` : String(value), value]))(
      `${name}: %s -> TypeError`,
      (_, value) => {
        expect(() => createTransport({ [name]: value } as TransportOptions)).toThrow(TypeError)
        expect(() => createTransport({ [name]: value } as TransportOptions)).toThrow(
          new RegExp(`\`${name}\``),
        )
        expect(() =>
          createTransport({ fetch: globalThis.fetch, [name]: value } as TransportOptions),
        ).toThrow(new RegExp(`\`${name}\``))
      },
    )
  }

  it.each([
    ['headersTimeoutMs', Infinity],
    ['bodyTimeoutMs', Infinity],
    ['headersTimeoutMs', 2 ** 31],
    ['bodyTimeoutMs', 2 ** 31],
  ] as const)('%s: %s (beyond what a timer can hold) -> TypeError', (name, value) => {
    expect(() => createTransport({ [name]: value })).toThrow(TypeError)
    expect(() => createTransport({ [name]: value })).toThrow(new RegExp(`\`${name}\``))
  })

  it.each([['fetch'], [42], [{}], [null]])('fetch: %j -> TypeError', (value) => {
    expect(() => createTransport({ fetch: value as never })).toThrow(TypeError)
    expect(() => createTransport({ fetch: value as never })).toThrow(/`fetch`/)
  })

  it('undefined options take the defaults', () => {
    expect(() =>
      createTransport({
        headersTimeoutMs: undefined,
        bodyTimeoutMs: undefined,
        maxResponseBytes: undefined,
        fetch: undefined,
      }),
    ).not.toThrow()
  })

  it('errors it throws are VideoTaskErrors except the TypeErrors for options', async () => {
    const server = await startServer((request) => request.socket.destroy())
    const error = await rejection(transportFor('undici').send(get(`${server.url}/`)))
    expect(error).toBeInstanceOf(VideoTaskError)
  })
})

describe('undici transport: fake timers', () => {
  it('a response still arrives while a test has faked the timers', async () => {
    const server = await startServer((_request, response) => json(response, 200, { ok: true }))
    const transport = transportFor('undici')
    vi.useFakeTimers({ toFake: ['setImmediate', 'clearImmediate'] })
    try {
      const response = await transport.send(get(`${server.url}/v1/videos/1`))
      expect(response.status).toBe(200)
    } finally {
      vi.useRealTimers()
    }
  })
})
