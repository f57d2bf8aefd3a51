import type { ServerResponse } from 'node:http'
import { inspect } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient, type VideoTaskClient } from '../../src/client.js'
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  ServerError,
  TaskFailedError,
  UnknownStatusError,
  VideoTaskError,
  WaitTimeoutError,
} from '../../src/errors.js'
import { REDACTED } from '../../src/internal/redact.js'
import {
  HostileServer,
  requestedId,
  type SeenRequest,
  sendJson,
  taskBody,
} from './hostile-server.js'
import { makeProvider, PROVIDER_NAMES, type ProviderName } from './providers.js'

/*
 * The API key never leaves the SDK, at the client level: whatever fails, over real sockets with
 * the default undici transport, against a server that echoes the key back everywhere it can
 * (error bodies, HTML pages, failure reasons, a redirect's Location, response headers, the raw
 * payload of a task). No error message or property, no `util.inspect` (hidden properties, any
 * depth), no `JSON.stringify` of an error, a task, the client or the provider, and nothing written
 * to stdout, stderr, the console or as a process warning may hold it.
 *
 * test/errors.test.ts checks the redaction itself (secretsOf/redact, and readTask through the
 * `fetch` seam); this file checks what reaches a user of `createClient`.
 */

// A slash (JSON may escape it as `\/`) and a plus (URLs encode it): every form must go.
const KEY = 'sk-proj/Live+Key/xyz0123456789ABCDEF'
const FORBIDDEN = [
  KEY,
  KEY.replaceAll('/', '\\/'),
  encodeURIComponent(KEY),
  `Bearer ${KEY}`,
  'xyz0123456789ABCDEF',
]

/** Every way a user (or a logger) may look at a value. */
function views(value: unknown): string[] {
  const result = [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
  ]
  if (value instanceof Error) {
    result.push(String(value.stack))
    for (const key of Reflect.ownKeys(value)) {
      const property = (value as unknown as Record<PropertyKey, unknown>)[key]
      result.push(typeof property === 'string' ? property : (JSON.stringify(property) ?? ''))
    }
  }
  return result
}

function expectNoKey(value: unknown): void {
  for (const view of views(value)) {
    for (const secret of FORBIDDEN) expect(view).not.toContain(secret)
  }
}

/* Everything the process writes while these tests run. */
const written: string[] = []
const restore: Array<() => void> = []
const onWarning = (warning: Error) => written.push(inspect(warning))

beforeAll(() => {
  for (const stream of [process.stdout, process.stderr]) {
    const spy = vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk))
      return true
    })
    restore.push(() => spy.mockRestore())
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const spy = vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push(args.map((arg) => inspect(arg)).join(' '))
    })
    restore.push(() => spy.mockRestore())
  }
  process.on('warning', onWarning)
})

afterAll(() => {
  for (const undo of restore.splice(0)) undo()
  process.off('warning', onWarning)
})

/*
 * The hostile server: what it does depends on the task id, and it puts the Authorization header
 * it received into every answer.
 */
function hostile(provider: ProviderName) {
  return (seen: SeenRequest, response: ServerResponse) => {
    const auth = seen.authorization ?? ''
    const id = requestedId(seen)
    const echo = { echo: auth, note: `you sent ${auth}`, escaped: auth.replaceAll('/', '\\/') }
    switch (id) {
      case 'echo-401':
        return sendJson(
          response,
          401,
          {
            code: 401,
            message: `Invalid key: ${auth}`,
            error: { message: `Incorrect API key provided: ${auth}`, code: 'invalid_api_key' },
            data: null,
          },
          { 'x-request-id': auth, 'www-authenticate': auth },
        )
      case 'echo-400-link':
        return sendJson(response, 400, {
          code: 400,
          message: `See https://help.example.test/?key=${encodeURIComponent(KEY)}`,
          error: { message: `See https://help.example.test/?key=${encodeURIComponent(KEY)}` },
        })
      case 'echo-500-html':
        response.writeHead(500, { 'content-type': 'text/html', 'x-debug': auth })
        return response.end(
          `<html><body><h1>500</h1><pre>Authorization: ${auth}</pre></body></html>`,
        )
      case 'echo-escaped-json':
        // PHP-style JSON that escapes slashes: JSON.parse would turn it back into the key.
        response.writeHead(401, { 'content-type': 'application/json' })
        return response.end(
          `{"code":401,"message":"bad ${auth.replaceAll('/', '\\/')}","error":{"message":"bad ${auth.replaceAll('/', '\\/')}"}}`,
        )
      case 'echo-redirect':
        response.writeHead(302, {
          location: `https://evil.example.test/steal?k=${encodeURIComponent(auth)}&raw=${auth}`,
        })
        return response.end()
      case 'echo-failed':
        return sendJson(response, 200, taskBody(provider, id, 'failed', { reason: `bad ${auth}` }))
      case 'echo-running':
        return sendJson(response, 200, taskBody(provider, id, 'running', { extra: echo }))
      case 'echo-unknown':
        return sendJson(response, 200, taskBody(provider, id, 'unknown', { extra: echo }))
      case 'echo-succeeded':
        return sendJson(response, 200, taskBody(provider, id, 'succeeded', { extra: echo }), {
          'x-request-id': auth,
        })
      case 'hang':
        return
      default:
        return sendJson(response, 404, { code: 404, message: `no task ${id} for ${auth}` })
    }
  }
}

const servers: HostileServer[] = []
const clients: VideoTaskClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function setup(provider: ProviderName, options: { headersTimeoutMs?: number } = {}) {
  const server = await new HostileServer(hostile(provider)).start()
  servers.push(server)
  const client = createClient({
    provider: makeProvider(provider, server.url, KEY),
    intervalMs: 10,
    minIntervalMs: 5,
    maxIntervalMs: 20,
    retries: 0,
    maxConsecutiveFailures: 1,
    ...options,
  })
  clients.push(client)
  return { server, client }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => expect.unreachable(`expected a rejection, got ${inspect(value)}`),
    (error: unknown) => error,
  )
}

describe.each(PROVIDER_NAMES)('the key never leaves: %s', (provider) => {
  it('a 401 that echoes the key in its body and headers', async () => {
    const { server, client } = await setup(provider)
    const error = await rejection(client.waitFor('echo-401'))
    expect(error).toBeInstanceOf(AuthenticationError)
    // The server did receive the key: this test would pass vacuously otherwise.
    expect(server.requests[0]?.authorization).toBe(`Bearer ${KEY}`)
    expect(views(error).join('\n')).toContain(REDACTED)
    expectNoKey(error)
  })

  it('a 401 whose JSON escapes the slashes of the key', async () => {
    const { client } = await setup(provider)
    const error = await rejection(client.waitFor('echo-escaped-json'))
    expect(error).toBeInstanceOf(AuthenticationError)
    expectNoKey(error)
  })

  it('a 400 that links to a page with the key URL-encoded', async () => {
    const { client } = await setup(provider)
    const error = await rejection(client.getTask('echo-400-link'))
    expect(error).toBeInstanceOf(ApiError)
    expectNoKey(error)
  })

  it('a 500 HTML page that prints the header', async () => {
    const { client } = await setup(provider)
    const error = await rejection(client.waitFor('echo-500-html'))
    expect(error).toBeInstanceOf(ServerError)
    expect((error as ServerError).bodyExcerpt).toContain(REDACTED)
    expectNoKey(error)
  })

  it('a redirect whose Location carries the key', async () => {
    const { server, client } = await setup(provider)
    const error = await rejection(client.waitFor('echo-redirect'))
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(302)
    expect((error as Error).message).toMatch(/not followed/)
    expect(server.requests).toHaveLength(1)
    expectNoKey(error)
  })

  it('a failed task whose reason quotes the key', async () => {
    const { client } = await setup(provider)
    const error = await rejection(client.waitFor('echo-failed'))
    expect(error).toBeInstanceOf(TaskFailedError)
    expect((error as TaskFailedError).task.error?.message).toContain(REDACTED)
    expectNoKey(error)
  })

  it('a wait that times out with the key in the last task read', async () => {
    const { client } = await setup(provider)
    const error = await rejection(client.waitFor('echo-running', { timeoutMs: 1_000 }))
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError).lastTask).not.toBeNull()
    expectNoKey(error)
  })

  it('unknown statuses in a row, the key in the raw payload', async () => {
    const { client } = await setup(provider)
    const error = await rejection(client.waitFor('echo-unknown', { maxConsecutiveUnknown: 2 }))
    expect(error).toBeInstanceOf(UnknownStatusError)
    expectNoKey(error)
  })

  it('every task handed out (onUpdate, watch, the result) and the poll state', async () => {
    const { client } = await setup(provider)
    const seen: unknown[] = []
    const task = await client.waitFor('echo-succeeded', {
      onUpdate: (update) => seen.push(update),
      onPollState: (state) => seen.push(state),
    })
    for await (const update of client.watch('echo-succeeded')) seen.push(update)
    seen.push(task, await client.getTask('echo-succeeded'))
    expect(task.details.requestId).toBe(REDACTED)
    for (const value of seen) expectNoKey(value)
  })
})

describe('the key never leaves: transport failures and the objects themselves', () => {
  it('a request that hangs: WaitTimeoutError and ConnectionError (timed out)', async () => {
    const { client } = await setup('openai', { headersTimeoutMs: 100 })
    const timeout = await rejection(client.waitFor('hang', { timeoutMs: 50 }))
    expect(timeout).toBeInstanceOf(WaitTimeoutError)
    expectNoKey(timeout)
    const timedOut = await rejection(client.getTask('hang'))
    expect(timedOut).toBeInstanceOf(ConnectionError)
    expect((timedOut as ConnectionError).timedOut).toBe(true)
    expectNoKey(timedOut)
  })

  it('a refused connection', async () => {
    const server = await new HostileServer(() => {}).start()
    const url = server.url
    await server.close()
    const client = createClient({ provider: makeProvider('doubao', url, KEY), retries: 0 })
    clients.push(client)
    const error = await rejection(client.getTask('task_1'))
    expect(error).toBeInstanceOf(ConnectionError)
    expectNoKey(error)
  })

  it('an error carrying a cause from the transport, with a closed client', async () => {
    const { client } = await setup('check-result')
    const pending = client.waitFor('hang')
    await client.close()
    const error = await rejection(pending)
    expect(error).toBeInstanceOf(VideoTaskError)
    expectNoKey(error)
  })

  it.each(PROVIDER_NAMES)('the client and the %s provider', async (provider) => {
    const { client } = await setup(provider)
    expectNoKey(client)
    expectNoKey(client.provider)
    expectNoKey(Object.entries(client.provider))
    expectNoKey(client.provider.pollDefaults)
  })

  it('nothing was written to stdout, stderr, the console or as a warning', () => {
    // Runs last in this file: everything above failed in every way it could.
    for (const line of written) {
      for (const secret of FORBIDDEN) expect(line).not.toContain(secret)
    }
    expect(written).toEqual([])
  })
})
