/**
 * client.submit over real sockets against the simulator: the never-pay-twice rule (a create is
 * resent only when it provably never left, or under an honoured idempotency header), input
 * refused before anything is sent, and the TaskRef it returns.
 */
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type ClientOptions, createClient, type VideoTaskClient } from '../../src/client.js'
import {
  ConnectionError,
  SubmitUncertainError,
  TaskNotFoundError,
  UnsupportedOperationError,
} from '../../src/errors.js'
import { defineProvider, type Provider } from '../../src/providers/define-provider.js'
import { doubao } from '../../src/providers/doubao.js'
import { genericTask } from '../../src/providers/generic-task.js'
import { openai } from '../../src/providers/openai.js'
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/simulator/index.js'
import { parseTaskRef } from '../../src/task-ref.js'
import { createTransport, type Transport } from '../../src/transport.js'

const started: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((each) => each.close()))
})

async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator(options)
  started.push(sim)
  return sim
}

function client<T extends Provider>(
  provider: T,
  options: Partial<ClientOptions> = {},
): VideoTaskClient {
  const made = createClient({
    provider,
    minIntervalMs: 1,
    intervalMs: 5,
    maxIntervalMs: 5,
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
    ...options,
  } as ClientOptions)
  started.push(made)
  return made as unknown as VideoTaskClient
}

/** The real transport, with extra headers on the first request only (a fault for one create). */
function firstRequest(headers: Record<string, string>): Transport & { sent: number } {
  const inner = createTransport()
  const transport = {
    sent: 0,
    send(request: Parameters<Transport['send']>[0]) {
      transport.sent++
      const extra = transport.sent === 1 ? headers : {}
      return inner.send({ ...request, headers: { ...request.headers, ...extra } })
    },
    close: () => inner.close(),
  }
  return transport
}

/** A port nobody listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** The real transport; the first request goes to a closed port (connection refused). */
function refusedFirst(port: number): Transport & { sent: number } {
  const inner = createTransport()
  const transport = {
    sent: 0,
    send(request: Parameters<Transport['send']>[0]) {
      transport.sent++
      if (transport.sent > 1) return inner.send(request)
      const url = new URL(request.url)
      url.port = String(port)
      return inner.send({ ...request, url: url.toString() })
    },
    close: () => inner.close(),
  }
  return transport
}

describe('submit creates the task and returns a TaskRef', () => {
  it('openai: a JSON create, mapped fields, a ref that round-trips and holds no key', async () => {
    const sim = await simulator()
    const provider = openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    const ref = await client(provider).submit({
      prompt: 'A red fox in snow',
      model: 'sora-2-pro',
      durationSeconds: 8,
      size: '1280x720',
    })
    expect(ref).toMatchObject({
      version: 1,
      provider: 'openai',
      origin: new URL(sim.baseURL).origin,
    })
    expect(sim.task(ref.taskId)?.script).toMatchObject({
      prompt: 'A red fox in snow',
      model: 'sora-2-pro',
      seconds: '8',
      size: '1280x720',
    })
    expect(parseTaskRef(JSON.stringify(ref))).toEqual(ref)
    expect(JSON.stringify(ref)).not.toContain(sim.apiKey)
    // No idempotency header was sent, so no key is kept in the ref.
    expect(ref.idempotencyKey).toBeUndefined()
    expect(sim.billed()).toBe(1)
  })

  it('openai: an image as bytes goes as a multipart file part', async () => {
    const sim = await simulator()
    const provider = openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    const png = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      ...new Array(500).fill(7),
    ])
    const ref = await client(provider).submit({
      prompt: 'Animate this drawing',
      durationSeconds: 4,
      image: new Blob([png], { type: 'image/png' }),
    })
    expect(sim.task(ref.taskId)?.script).toMatchObject({
      prompt: 'Animate this drawing',
      seconds: '4',
    })
    expect(sim.billed()).toBe(1)
  })

  it('doubao: both answer shapes give the task id', async () => {
    const sim = await simulator()
    const shapes = ['task-object', 'task-id-only']
    for (const shape of shapes) {
      const provider = doubao({
        baseURL: sim.baseURL,
        apiKey: sim.apiKey,
        headers: { 'x-simulator-create-shape': shape },
      })
      const ref = await client(provider).submit({ prompt: `shape ${shape}`, aspectRatio: '16:9' })
      expect(sim.task(ref.taskId)?.script.prompt).toBe(`shape ${shape}`)
    }
    expect(sim.billed()).toBe(2)
  })

  it('generic-task: the MiniMax-style route at a configured path, with the callback URL', async () => {
    const sim = await simulator()
    const provider = genericTask({
      baseURL: sim.baseURL,
      apiKey: sim.apiKey,
      createPath: '/task/minimax/v1/video_generation',
    })
    const made = client(provider)
    const ref = await made.submit(
      { prompt: 'A lighthouse', model: 'MiniMax-Hailuo-02', durationSeconds: 6 },
      { callbackUrl: 'http://127.0.0.1:9/never' },
    )
    expect(sim.task(ref.taskId)?.script.prompt).toBe('A lighthouse')
    // The created task reads back on the provider's read route.
    expect((await made.getTask(ref)).id).toBe(ref.taskId)
  })
})

describe('never pay twice', () => {
  it('a reset after the create was sent: SubmitUncertainError, and no second POST', async () => {
    const sim = await simulator()
    const provider = openai({
      baseURL: sim.baseURL,
      apiKey: sim.apiKey,
      headers: { 'x-simulator-fault': 'reset' },
    })
    const before = Date.now()
    const error = await client(provider, { retries: 5 })
      .submit({ prompt: 'A red fox' }, { idempotencyKey: 'order-42' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SubmitUncertainError)
    const uncertain = error as SubmitUncertainError
    expect(uncertain.idempotencyKey).toBe('order-42')
    expect(uncertain.requestedAt.getTime()).toBeGreaterThanOrEqual(before)
    expect(uncertain.retryable).toBe(false)
    expect(uncertain.message).toMatch(/may have been created/)
    expect(uncertain.cause).toBeInstanceOf(ConnectionError)
    // The server made (and billed) a task, and saw exactly one create.
    expect(sim.billed()).toBe(1)
    expect(sim.stats().requestsByProvider.openai).toBe(1)
    // The API key is nowhere in the error.
    expect(JSON.stringify({ ...uncertain, message: uncertain.message })).not.toContain(sim.apiKey)
    expect(String(uncertain.cause)).not.toContain(sim.apiKey)
  })

  it('a generated idempotency key when none is given', async () => {
    const sim = await simulator()
    const provider = openai({
      baseURL: sim.baseURL,
      apiKey: sim.apiKey,
      headers: { 'x-simulator-fault': 'reset' },
    })
    const error = (await client(provider)
      .submit({ prompt: 'A red fox' })
      .catch((caught: unknown) => caught)) as SubmitUncertainError
    expect(error.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('a time limit on the answer after sending: uncertain, one create', async () => {
    const sim = await simulator()
    const provider = openai({
      baseURL: sim.baseURL,
      apiKey: sim.apiKey,
      headers: { 'x-simulator-fault': 'hang' },
    })
    const error = await client(provider, { headersTimeoutMs: 150, retries: 3 })
      .submit({ prompt: 'A red fox' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SubmitUncertainError)
    expect(((error as SubmitUncertainError).cause as ConnectionError).timedOut).toBe(true)
    expect(sim.stats().requestsByProvider.openai).toBe(1)
  })

  it('a 5xx without the vendor body (a proxy page): uncertain, one create', async () => {
    const sim = await simulator()
    const provider = openai({
      baseURL: sim.baseURL,
      apiKey: sim.apiKey,
      headers: { 'x-simulator-fault': '{"kind":"server-error","status":502}' },
    })
    const error = await client(provider, { retries: 3 })
      .submit({ prompt: 'A red fox' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SubmitUncertainError)
    expect(sim.stats().requestsByProvider.openai).toBe(1)
    expect(sim.billed()).toBe(1)
  })

  it('a 2xx whose body cannot be read (truncated): uncertain, not resent', async () => {
    const sim = await simulator()
    const provider = doubao({
      baseURL: sim.baseURL,
      apiKey: sim.apiKey,
      headers: { 'x-simulator-fault': 'truncated-json' },
    })
    const error = await client(provider)
      .submit({ prompt: 'A red fox' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SubmitUncertainError)
    expect(sim.stats().requestsByProvider.doubao).toBe(1)
  })

  it('connection refused is resent (it never left) and makes one task', async () => {
    const sim = await simulator()
    const transport = refusedFirst(await closedPort())
    const provider = openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    const ref = await client(provider, { transport }).submit({ prompt: 'A red fox' })
    expect(transport.sent).toBe(2)
    expect(sim.billed()).toBe(1)
    expect(sim.task(ref.taskId)?.script.prompt).toBe('A red fox')
  })

  it('connection refused on every try: the ConnectionError itself (safe to submit again)', async () => {
    const port = await closedPort()
    const provider = openai({ baseURL: `http://127.0.0.1:${port}`, apiKey: 'sk-test-refused' })
    const error = await client(provider, { retries: 2 })
      .submit({ prompt: 'A red fox' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).notSent).toBe(true)
  })

  it('with an honoured idempotency header, a reset create is resent with the same key, billed once', async () => {
    const sim = await simulator({ idempotencyHeader: 'idempotency-key' })
    const base = openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    const provider = { ...base, idempotencyHeader: 'Idempotency-Key' } as Provider
    const transport = firstRequest({ 'x-simulator-fault': 'reset' })
    const ref = await client(provider, { transport }).submit(
      { prompt: 'A red fox' },
      { idempotencyKey: 'order-7' },
    )
    expect(transport.sent).toBe(2)
    expect(sim.stats().requestsByProvider.openai).toBe(2)
    expect(sim.billed()).toBe(1)
    expect(sim.billed('order-7')).toBe(1)
    expect(ref.idempotencyKey).toBe('order-7')
    expect(sim.task(ref.taskId)?.script.prompt).toBe('A red fox')
  })
})

describe('input refused before anything is sent', () => {
  const cases: [string, unknown, RegExp][] = [
    ['no prompt', { model: 'sora-2' }, /`prompt`/],
    ['an empty prompt', { prompt: '  ' }, /`prompt`/],
    ['a misspelt field', { prompt: 'a', duration: 4 }, /`duration`.*durationSeconds/],
    ['a negative duration', { prompt: 'a', durationSeconds: -1 }, /`durationSeconds`/],
    ['a malformed size', { prompt: 'a', size: '1280*720' }, /`size`/],
    ['size and aspect ratio', { prompt: 'a', size: '1280x720', aspectRatio: '16:9' }, /not both/],
    ['an image of the wrong type', { prompt: 'a', image: 42 }, /`image`/],
    ['a file: URL image', { prompt: 'a', image: 'ftp://x/y.png' }, /`image`/],
    ['a field openai cannot express', { prompt: 'a', aspectRatio: '16:9' }, /`aspectRatio`/],
    ['fractional seconds for openai', { prompt: 'a', durationSeconds: 4.5 }, /`durationSeconds`/],
    [
      'an image URL for openai (a file part)',
      { prompt: 'a', image: 'https://x.test/a.png' },
      /`image`/,
    ],
    ['a missing image file', { prompt: 'a', image: '/nonexistent/frame.png' }, /`image` file/],
  ]
  for (const [name, input, message] of cases) {
    it(name, async () => {
      const sim = await simulator()
      const provider = openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })
      const error = await client(provider)
        .submit(input as never)
        .catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(TypeError)
      expect((error as Error).message).toMatch(message)
      expect(sim.stats().totalRequests).toBe(0)
    })
  }

  it('bad options: a malformed idempotency key, a non-http callback URL, an unknown option', async () => {
    const sim = await simulator()
    const made = client(openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }))
    await expect(made.submit({ prompt: 'a' }, { idempotencyKey: 'a\nb' })).rejects.toThrow(
      /`idempotencyKey`/,
    )
    await expect(
      made.submit({ prompt: 'a' }, { callbackUrl: 'javascript:alert(1)' }),
    ).rejects.toThrow(/`callbackUrl`/)
    await expect(made.submit({ prompt: 'a' }, { idempotencyKy: 'x' } as never)).rejects.toThrow(
      /idempotencyKey/,
    )
    // openai has no callbacks: refused by the adapter, before sending.
    await expect(
      made.submit({ prompt: 'a' }, { callbackUrl: 'https://example.test/hook' }),
    ).rejects.toThrow(/`callbackUrl`/)
    expect(sim.stats().totalRequests).toBe(0)
  })

  it('providerInput wins over the mapped fields', async () => {
    const sim = await simulator()
    const made = client(openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }))
    const ref = await made.submit(
      { prompt: 'a', durationSeconds: 4 },
      { providerInput: { seconds: '12' } },
    )
    expect(sim.task(ref.taskId)?.script.seconds).toBe('12')
  })

  it('a provider without a create: UnsupportedOperationError, nothing sent', async () => {
    const sim = await simulator()
    const reader = defineProvider({
      id: 'reader',
      baseURL: sim.baseURL,
      buildRequest: (taskId, { url }) => ({ method: 'GET', url: url(`/x/${taskId}`), headers: {} }),
      parseResponse: () => {
        throw new Error('unused')
      },
    })
    const made = client(reader)
    await expect(made.submit({ prompt: 'a' })).rejects.toBeInstanceOf(UnsupportedOperationError)
    await expect(made.cancel('task_1')).rejects.toBeInstanceOf(UnsupportedOperationError)
    expect(sim.stats().totalRequests).toBe(0)
  })
})

describe('TaskRef in place of an id', () => {
  it('getTask, waitFor, watch and observe take a ref; a wrong provider or origin is refused', async () => {
    const sim = await simulator({ createScript: { queuedMs: 0, runningMs: 0 } })
    const made = client(openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }))
    const ref = await made.submit({ prompt: 'A red fox' })
    expect((await made.getTask(ref)).id).toBe(ref.taskId)
    expect((await made.waitFor(ref, { timeoutMs: 5_000 })).status).toBe('succeeded')
    expect((await made.observe(ref)).kind).toBe('task')
    for await (const task of made.watch(ref)) expect(task.id).toBe(ref.taskId)
    const requests = sim.stats().totalRequests
    const otherProvider = { ...ref, provider: 'doubao' }
    await expect(made.getTask(otherProvider)).rejects.toThrow(/provider openai/)
    const otherOrigin = { ...ref, origin: 'https://evil.example' }
    await expect(made.waitFor(otherOrigin)).rejects.toThrow(TypeError)
    await expect(made.getTask({ ...ref, taskId: '' })).rejects.toThrow(TypeError)
    expect(sim.stats().totalRequests).toBe(requests)
  })

  it('a ref to an unknown task reads as TaskNotFoundError', async () => {
    const sim = await simulator()
    const made = client(openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }))
    const ref = {
      version: 1 as const,
      provider: 'openai',
      origin: new URL(sim.baseURL).origin,
      taskId: 'video_missing',
      submittedAt: new Date().toISOString(),
    }
    await expect(made.getTask(ref, { retries: 0 })).rejects.toBeInstanceOf(TaskNotFoundError)
  })
})
