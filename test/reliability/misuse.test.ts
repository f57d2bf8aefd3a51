import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type ClientOptions,
  createClient,
  type VideoTaskClient,
  type WaitOptions,
} from '../../src/client.js'
import { VideoTaskError } from '../../src/errors.js'
import { type Simulator, startSimulator } from '../../src/simulator/index.js'
import { initialPollState, type PollState } from '../../src/wait/schedule.js'
import { makeProvider } from './providers.js'

/*
 * Misuse fails fast: a wrong option is a TypeError that names it, thrown (or rejected) before any
 * request; a closed client says it is closed. The simulator counts the requests, so "before any
 * request" is checked, not assumed.
 *
 * An AbortSignal that is already aborted is not misuse here: the wait rejects with
 * `signal.reason`, as `fetch` does (issue 3, README "Abort"). That is checked at the end.
 */

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator()
})
afterAll(async () => {
  await sim.close()
})

const provider = () => makeProvider('openai', sim.baseURL, sim.apiKey)
const fn = () => {}

const made: VideoTaskClient[] = []
afterEach(async () => {
  await Promise.all(made.splice(0).map((client) => client.close()))
})

function newClient(options: Partial<ClientOptions> = {}): VideoTaskClient {
  const client = createClient({ provider: provider(), ...options })
  made.push(client)
  return client
}

/** Expects `run` to throw or reject with a TypeError whose message names `option`. */
async function expectTypeError(run: () => unknown, option: string): Promise<void> {
  const before = sim.totalRequests()
  let error: unknown
  try {
    await run()
  } catch (caught) {
    error = caught
  }
  expect(error, `${option}: expected a TypeError`).toBeInstanceOf(TypeError)
  expect((error as Error).message).toContain(`\`${option}\``)
  expect(sim.totalRequests() - before, 'no request was sent').toBe(0)
}

describe('createClient: a wrong option is a TypeError naming it', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['intervalMs', { intervalMs: -1 }],
    ['intervalMs', { intervalMs: 0 }],
    ['intervalMs', { intervalMs: '1000' }],
    ['intervalMs', { intervalMs: Number.NaN }],
    ['intervalMs', { intervalMs: Number.POSITIVE_INFINITY }],
    ['maxIntervalMs', { intervalMs: 5_000, maxIntervalMs: 1_000 }],
    ['maxIntervalMs', { maxIntervalMs: -10 }],
    ['minIntervalMs', { minIntervalMs: -1 }],
    ['minIntervalMs', { intervalMs: 100, minIntervalMs: 500 }],
    ['timeoutMs', { timeoutMs: -1 }],
    ['timeoutMs', { timeoutMs: '60s' }],
    ['backoffFactor', { backoffFactor: 0.5 }],
    ['jitter', { jitter: -0.1 }],
    ['jitter', { jitter: 1.5 }],
    ['maxRetryAfterMs', { maxRetryAfterMs: -1 }],
    ['adaptive', { adaptive: 'yes' }],
    ['retries', { retries: -1 }],
    ['retries', { retries: 1.5 }],
    ['maxConsecutiveFailures', { maxConsecutiveFailures: 0 }],
    ['maxConsecutiveUnknown', { maxConsecutiveUnknown: -3 }],
    ['maxRequestsPerSecond', { maxRequestsPerSecond: 0 }],
    ['maxRequestsPerSecond', { maxRequestsPerSecond: '100' }],
    ['headersTimeoutMs', { headersTimeoutMs: -5 }],
    ['headersTimeoutMs', { headersTimeoutMs: 3e9 }],
    ['bodyTimeoutMs', { bodyTimeoutMs: 'soon' }],
    ['maxResponseBytes', { maxResponseBytes: 0 }],
    ['fetch', { fetch: 'fetch' }],
    ['random', { random: 0.5 }],
    ['clock', { clock: {} }],
    ['transport', { transport: { get: fn } }],
    ['provider', { provider: { id: 'x' } }],
  ]

  it.each(cases)('%s: %o', async (option, options) => {
    await expectTypeError(
      () => createClient({ provider: provider(), ...options } as ClientOptions),
      option,
    )
  })

  it.each([undefined, null, 'openai', 42])('options %o', (options) => {
    expect(() => createClient(options as never)).toThrow(TypeError)
    expect(() => createClient(options as never)).toThrow(/provider/)
  })
})

describe('every call: a wrong option rejects at once with a TypeError naming it', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['intervalMs', { intervalMs: -1 }],
    ['maxIntervalMs', { intervalMs: 5_000, maxIntervalMs: 1_000 }],
    ['minIntervalMs', { minIntervalMs: 0 }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['jitter', { jitter: 2 }],
    ['retries', { retries: 101 }],
    ['onUpdate', { onUpdate: 'log' }],
    ['onStatusChange', { onStatusChange: 1 }],
    ['onProgress', { onProgress: {} }],
    ['onPollState', { onPollState: true }],
    ['onStatus', { onStatus: 'failed' }],
    ['onStatus.failed', { onStatus: { failed: 'log' } }],
    ['onStatus.succeded', { onStatus: { succeded: fn } }],
    ['signal', { signal: {} }],
    ['signal', { signal: 'abort' }],
  ]

  const calls: Array<[string, (options: WaitOptions) => unknown]> = [
    ['waitFor', (options) => newClient().waitFor('task_1', options)],
    ['watch', (options) => newClient().watch('task_1', options).next()],
    ['waitForAll', (options) => newClient().waitForAll(['a', 'b'], options)],
    ['waitForAny', (options) => newClient().waitForAny(['a', 'b'], options)],
    [
      'resume',
      (options) => {
        const state: PollState = initialPollState({
          taskId: 'task_1',
          provider: 'openai',
          now: Date.now(),
          timeoutMs: 60_000,
        })
        return newClient().resume(state, options)
      },
    ],
  ]

  it.each(
    calls.flatMap(([call, run]) =>
      cases.map(([option, options]) => [call, option, options, run] as const),
    ),
  )('%s: %s', async (_call, option, options, run) => {
    await expectTypeError(() => run(options as WaitOptions), option)
  })

  it.each([
    ['retries', { retries: -1 }],
    ['retries', { retries: 'twice' }],
    ['signal', { signal: { aborted: false } }],
  ])('getTask: %s', async (option, options) => {
    const client = newClient()
    await expectTypeError(() => client.getTask('task_1', options as never), option)
  })

  it.each([
    ['waitFor', 42],
    ['waitFor', undefined],
    ['waitFor', ''],
    ['getTask', null],
    ['getTask', '..'],
  ])('%s(%o): the task id', async (call, id) => {
    const client = newClient()
    await expectTypeError(
      () => (call === 'waitFor' ? client.waitFor(id as never) : client.getTask(id as never)),
      'taskId',
    )
  })

  it('waitForAll and waitForAny: the ids', async () => {
    const client = newClient()
    await expectTypeError(() => client.waitForAll('task_1' as never), 'taskIds')
    await expectTypeError(() => client.waitForAny([1, 2] as never), 'taskId')
  })

  it('resume: a state that is not a PollState, or another provider', async () => {
    const client = newClient()
    await expectTypeError(() => client.resume({ taskId: 'x' } as never), 'state')
    const other = initialPollState({ taskId: 'x', provider: 'doubao', now: 0, timeoutMs: 1 })
    await expectTypeError(() => client.resume(other), 'state')
  })
})

describe('a closed client says so', () => {
  async function closedClient() {
    const client = newClient()
    await client.close()
    return client
  }

  it.each([
    ['waitFor', (client: Awaited<ReturnType<typeof closedClient>>) => client.waitFor('task_1')],
    ['getTask', (client: Awaited<ReturnType<typeof closedClient>>) => client.getTask('task_1')],
    ['watch', (client: Awaited<ReturnType<typeof closedClient>>) => client.watch('task_1').next()],
    ['waitForAll', (client: Awaited<ReturnType<typeof closedClient>>) => client.waitForAll(['a'])],
    ['waitForAny', (client: Awaited<ReturnType<typeof closedClient>>) => client.waitForAny(['a'])],
    [
      'resume',
      (client: Awaited<ReturnType<typeof closedClient>>) =>
        client.resume(
          initialPollState({ taskId: 'a', provider: 'openai', now: Date.now(), timeoutMs: 1_000 }),
        ),
    ],
  ])('%s after close()', async (_call, run) => {
    const client = await closedClient()
    const before = sim.totalRequests()
    const error = await Promise.resolve()
      .then((): Promise<unknown> => run(client))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(VideoTaskError)
    expect((error as Error).message).toMatch(/client is closed/)
    expect(sim.totalRequests()).toBe(before)
  })

  it('a wait still pending when the client closes, and close() twice', async () => {
    const task = sim.createTask({ provider: 'openai', queuedMs: 60_000 })
    const client = newClient({ intervalMs: 1_000 })
    const wait = client.waitFor(task.id)
    await expect.poll(() => sim.requests(task.id)).toBe(1)
    // close() rejects the wait at once; the expectation is attached first, as an app's await would be.
    const rejected = expect(wait).rejects.toThrow(/client is closed/)
    await client.close()
    await client.close()
    await rejected
  })
})

describe('a signal aborted before the call rejects with its reason (like fetch), sending nothing', () => {
  // Not a TypeError: issue 3 and the README make an aborted signal reject with `signal.reason`.
  const reason = new Error('the user left')
  const signal = AbortSignal.abort(reason)
  it.each([
    ['waitFor', (client: VideoTaskClient) => client.waitFor('task_1', { signal })],
    ['getTask', (client: VideoTaskClient) => client.getTask('task_1', { signal })],
    ['watch', (client: VideoTaskClient) => client.watch('task_1', { signal }).next()],
    ['waitForAll', (client: VideoTaskClient) => client.waitForAll(['a'], { signal })],
    ['waitForAny', (client: VideoTaskClient) => client.waitForAny(['a'], { signal })],
  ])('%s', async (_call, run) => {
    const client = newClient()
    const before = sim.totalRequests()
    await expect(Promise.resolve().then((): Promise<unknown> => run(client))).rejects.toBe(reason)
    expect(sim.totalRequests()).toBe(before)
  })
})
