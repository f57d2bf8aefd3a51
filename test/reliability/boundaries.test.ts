import type { ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, type VideoTaskClient } from '../../src/client.js'
import { ApiError, ResponseValidationError } from '../../src/errors.js'
import { defineProvider, type Provider } from '../../src/providers/define-provider.js'
import { builtInProviderEntry } from '../../src/providers/registry.js'
import {
  HostileServer,
  requestedId,
  type SeenRequest,
  sendJson,
  taskBody,
} from './hostile-server.js'
import { makeProvider, PROVIDER_NAMES, STATUS_PATHS } from './providers.js'

/*
 * Boundaries, at the client level, over real sockets with the default undici transport:
 * - an odd task id never changes the request's path or query, for every provider;
 * - a redirect is never followed, so Authorization never reaches another origin;
 * - a body larger than maxResponseBytes is cut off with a typed error, not buffered;
 * - a base URL with credentials in it, or not http(s), is refused when the provider or the client
 *   is created, with a message that does not repeat the credentials.
 *
 * test/transport.test.ts checks the same at the transport level (both transports, the openai
 * path); this file checks what a `createClient` user gets, on every provider.
 */

const KEY = 'sk-boundaries-0123456789abcdef'

const servers: HostileServer[] = []
const clients: VideoTaskClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(handler: (seen: SeenRequest, response: ServerResponse) => void) {
  const server = await new HostileServer(handler).start()
  servers.push(server)
  return server
}

function client(provider: Provider, options: { maxResponseBytes?: number } = {}) {
  const created = createClient({
    provider,
    intervalMs: 10,
    minIntervalMs: 5,
    maxIntervalMs: 20,
    timeoutMs: 5_000,
    ...options,
  })
  clients.push(created)
  return created
}

describe.each(PROVIDER_NAMES)('odd task ids stay the task id: %s', (provider) => {
  const ids = [
    '../x',
    '../../admin',
    '%2e%2e',
    '.%2e',
    '%2F',
    'a/b',
    '?q',
    'x?y=1&z=2',
    '#',
    'a#frag',
    'a b',
    '  ',
    'a\\b',
    '..;/admin',
    'line\r\nX-Injected: 1',
    'ünïcödé',
    '日本語',
    '🎬',
    '\u0000',
    `${'id-/?#% '.repeat(1_280)}z`, // 10 KB
  ]

  it.each(ids.map((id) => [id.length > 30 ? `${id.slice(0, 16)}… (${id.length} chars)` : id, id]))(
    '%j',
    async (_label, id) => {
      const server = await serve((seen, response) =>
        sendJson(response, 200, taskBody(provider, requestedId(seen), 'succeeded')),
      )
      const task = await client(makeProvider(provider, server.url, KEY)).waitFor(id)
      expect(server.requests).toHaveLength(1)
      const seen = server.requests[0] as SeenRequest
      const route = builtInProviderEntry(provider)?.description.route
      if (route?.method === 'POST') {
        // The id travels in the JSON body; the path and query never change.
        expect(seen.url).toBe(STATUS_PATHS[provider])
        expect(JSON.parse(seen.body)).toEqual(route.body(id))
      } else {
        expect(seen.url).toBe(`${STATUS_PATHS[provider]}${encodeURIComponent(id)}`)
        const parsed = new URL(seen.url, server.url)
        expect(parsed.hash).toBe('')
        const [path = '', parameter] = STATUS_PATHS[provider].split('?')
        if (parameter !== undefined) {
          // A route taking the id in its query (`/tasks?task_ids=`): one parameter, the id.
          expect(parsed.pathname).toBe(path)
          const name = parameter.replace(/=$/, '')
          expect([...parsed.searchParams.keys()]).toEqual([name])
          expect(parsed.searchParams.get(name)).toBe(id)
        } else {
          expect(parsed.search).toBe('')
          expect(decodeURIComponent(parsed.pathname.slice(path.length))).toBe(id)
        }
      }
      expect(seen.authorization).toBe(`Bearer ${KEY}`)
      // The server saw this id, so the task that came back is this id's.
      if (provider !== 'generic-task') expect(task.id).toBe(id)
      expect(task.status).toBe('succeeded')
    },
  )

  it.each(['', '.', '..', '\ud800', 'a\udc00b'])(
    'refuses %j with a TypeError before any request',
    async (id) => {
      const server = await serve((_seen, response) => sendJson(response, 500, {}))
      const subject = client(makeProvider(provider, server.url, KEY))
      await expect(subject.waitFor(id)).rejects.toThrow(TypeError)
      await expect(subject.getTask(id)).rejects.toThrow(/taskId/)
      expect(server.requests).toHaveLength(0)
      expect(server.connections).toBe(0)
    },
  )
})

describe('redirects are never followed', () => {
  it.each(
    PROVIDER_NAMES.flatMap((provider) =>
      [301, 302, 303, 307, 308].map((status) => [provider, status] as const),
    ),
  )('%s: %i to another origin', async (provider, status) => {
    const other = await serve((seen, response) =>
      sendJson(response, 200, taskBody(provider, requestedId(seen), 'succeeded')),
    )
    const server = await serve((_seen, response) => {
      response.writeHead(status, { location: `${other.url}${STATUS_PATHS[provider]}` })
      response.end()
    })
    const error = await client(makeProvider(provider, server.url, KEY))
      .waitFor('task_1')
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status, retryable: false })
    expect((error as Error).message).toMatch(/redirect.*not followed/)
    // One request, to the base URL: the wait ends at once and the other origin sees nothing.
    expect(server.requests).toHaveLength(1)
    expect(other.requests).toHaveLength(0)
    expect(other.connections).toBe(0)
  })

  it('not even to the same origin', async () => {
    const server = await serve((seen, response) => {
      if (seen.url.startsWith('/moved')) {
        sendJson(response, 200, taskBody('openai', 'task_1', 'succeeded'))
        return
      }
      response.writeHead(307, { location: '/moved/v1/videos/task_1' })
      response.end()
    })
    const error = await client(makeProvider('openai', server.url, KEY))
      .waitFor('task_1')
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ApiError)
    expect(server.requests.map((seen) => seen.url)).toEqual(['/v1/videos/task_1'])
  })
})

describe('a response larger than maxResponseBytes is cut off, not buffered', () => {
  const LIMIT = 64 * 1024
  const TOTAL = 64 * 1024 * 1024

  /** Streams `TOTAL` bytes of a JSON-looking body as fast as the client reads; records how much. */
  function streaming(status: number, declare: boolean) {
    const state = { written: 0, finished: false, closed: false }
    const handler = (_seen: SeenRequest, response: ServerResponse) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(declare ? { 'content-length': String(TOTAL) } : {}),
      })
      const chunk = Buffer.alloc(16 * 1024, 'a')
      response.on('close', () => {
        state.closed = true
        state.finished = response.writableFinished
      })
      const pump = () => {
        while (state.written < TOTAL && !response.destroyed) {
          state.written += chunk.byteLength
          if (!response.write(chunk)) {
            response.once('drain', pump)
            return
          }
        }
        if (state.written >= TOTAL) response.end()
      }
      response.write('{"status":"completed","url":"')
      pump()
    }
    return { state, handler }
  }

  it.each(PROVIDER_NAMES)('%s: a chunked 64 MiB body, limit 64 KiB', async (provider) => {
    const { state, handler } = streaming(200, false)
    const server = await serve(handler)
    const error = await client(makeProvider(provider, server.url, KEY), { maxResponseBytes: LIMIT })
      .waitFor('task_1')
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ResponseValidationError)
    expect((error as Error).message).toMatch(/maxResponseBytes/)
    // A 200 that is too large is not retried.
    expect(server.requests).toHaveLength(1)
    await expect.poll(() => state.closed).toBe(true)
    expect(state.finished).toBe(false)
    // The client stopped reading soon after the limit: socket buffers, not the body.
    expect(state.written).toBeLessThan(TOTAL / 4)
  })

  it('a declared content-length above the limit is refused before reading', async () => {
    const { state, handler } = streaming(200, true)
    const server = await serve(handler)
    const error = await client(makeProvider('doubao', server.url, KEY), {
      maxResponseBytes: LIMIT,
    })
      .getTask('task_1')
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ResponseValidationError)
    await expect.poll(() => state.closed).toBe(true)
    expect(state.written).toBeLessThan(TOTAL / 4)
  })

  it('a 5xx page that is too large is cut off and retried, like any 5xx', async () => {
    let calls = 0
    const huge = streaming(502, false)
    const server = await serve((seen, response) => {
      calls += 1
      if (calls === 1) huge.handler(seen, response)
      else sendJson(response, 200, taskBody('openai', 'task_1', 'succeeded'))
    })
    const task = await client(makeProvider('openai', server.url, KEY), {
      maxResponseBytes: LIMIT,
    }).waitFor('task_1')
    expect(task.status).toBe('succeeded')
    expect(server.requests).toHaveLength(2)
    expect(huge.state.written).toBeLessThan(TOTAL / 4)
  })
})

describe('base URLs: credentials or another scheme are refused at creation', () => {
  const refused: Array<[string, RegExp]> = [
    ['https://user:hunter2secret@api.example.com', /without credentials/],
    ['https://:hunter2secret@api.example.com', /without credentials/],
    ['https://hunter2secret@api.example.com', /without credentials/],
    ['http://user:hunter2secret@[bad', /absolute URL/],
    ['http://user:hunter2 secret@bad host', /absolute URL/],
    ['ftp://api.example.com', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['javascript:alert(1)', /http or https/],
    ['data:text/plain,hunter2secret', /http or https/],
    ['ws://api.example.com', /http or https/],
    ['//api.example.com', /absolute URL/],
    ['api.example.com', /absolute URL/],
    ['', /non-empty/],
    ['https://api.example.com/?key=hunter2secret', /query or fragment/],
    ['https://api.example.com/#hunter2secret', /query or fragment/],
  ]

  const factories: Array<[string, (baseURL: string) => unknown]> = [
    ...PROVIDER_NAMES.map(
      (name) =>
        [name, (baseURL: string) => makeProvider(name, baseURL, KEY)] as [
          string,
          (baseURL: string) => unknown,
        ],
    ),
    [
      'defineProvider',
      (baseURL: string) =>
        defineProvider({
          id: 'acme',
          baseURL,
          buildRequest: (taskId, { url }) => ({
            method: 'GET',
            url: url(`/${taskId}`),
            headers: {},
          }),
          parseResponse: () => {
            throw new Error('unused')
          },
        }),
    ],
  ]

  it.each(
    factories.flatMap(([name, make]) =>
      refused.map(([url, message]) => [name, url, make, message] as const),
    ),
  )('%s refuses %j', (_name, url, make, message) => {
    let error: unknown
    try {
      make(url)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(/baseURL/)
    expect((error as Error).message).toMatch(message)
    // The message says what is wrong without repeating the secret.
    expect((error as Error).message).not.toContain('hunter2')
  })

  it('createClient refuses a hand-made provider whose baseURL has credentials or another scheme', () => {
    const valid = makeProvider('openai', 'https://api.example.com', KEY)
    for (const [url, message] of refused) {
      const provider = { ...valid, baseURL: url } as Provider
      expect(() => createClient({ provider }), url).toThrow(TypeError)
      expect(() => createClient({ provider }), url).toThrow(message)
      expect(() => createClient({ provider }), url).not.toThrow(/hunter2/)
    }
    expect(() => createClient({ provider: valid }).close()).not.toThrow()
  })
})
