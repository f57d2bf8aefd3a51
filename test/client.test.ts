import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { createClient, type WaitOptions } from '../src/client.js'
import {
  AuthenticationError,
  ConnectionError,
  ResponseValidationError,
  ServerError,
  TaskCancelledError,
  TaskFailedError,
  TaskNotFoundError,
  UnknownStatusError,
  VideoTaskError,
  WaitTimeoutError,
} from '../src/errors.js'
import type { VideoTask } from '../src/model.js'
import { openai } from '../src/providers/openai.js'
import type { PollState } from '../src/wait/schedule.js'
import { FakeTransport, json, type Reply } from './support/fake-transport.js'
import { flush, VirtualClock } from './support/virtual-clock.js'

const BASE = 'https://api.openai.test'
const provider = openai({ baseURL: BASE, apiKey: 'sk-test-0123456789' })

function video(status: string, progress?: number, extra: Record<string, unknown> = {}) {
  return json({
    id: 'vid_1',
    object: 'video',
    status,
    progress,
    created_at: 1_700_000_000,
    ...extra,
  })
}
const done = video('completed', 100, { url: 'https://cdn.test/vid_1.mp4' })
const failed = video('failed', 0, {
  error: { code: 'policy', message: 'Content policy violation' },
})
const connectionReset = () => ({
  error: new ConnectionError('socket hang up', { url: `${BASE}/v1/videos/vid_1` }),
})

function setup(replies: Reply[], options: Partial<Parameters<typeof createClient>[0]> = {}) {
  const clock = new VirtualClock()
  const transport = new FakeTransport(replies)
  const client = createClient({
    provider,
    transport,
    clock,
    random: () => 0,
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
    ...options,
  })
  /** Virtual times (ms since the wait started) at which requests were sent. */
  const start = clock.now()
  const times: number[] = []
  const original = transport.send.bind(transport)
  transport.send = (request) => {
    times.push(clock.now() - start)
    return original(request)
  }
  return { clock, transport, client, times }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('waitFor: outcomes', () => {
  it('reads at once, then on the backoff schedule, and resolves with the succeeded task', async () => {
    const { clock, client, times } = setup([
      video('queued', 0),
      video('in_progress', 10),
      video('in_progress', 10),
      done,
    ])
    const task = await clock.run(client.waitFor('vid_1', { adaptive: false }))
    expect(task.status).toBe('succeeded')
    expect(task.videoUrl).toBe('https://cdn.test/vid_1.mp4')
    expectTypeOf(task.status).toEqualTypeOf<'succeeded'>()
    expectTypeOf(task.error).toEqualTypeOf<null>()
    // 4 s, then reset on the status change (4 s), then 4 * 1.5.
    expect(times).toEqual([0, 4_000, 8_000, 14_000])
  })

  it('rejects with TaskFailedError carrying the task and the vendor message', async () => {
    const { clock, client } = setup([video('in_progress', 10), failed])
    const error = await clock.run(client.waitFor('vid_1')).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TaskFailedError)
    expect((error as TaskFailedError).task.error).toEqual({
      code: 'policy',
      message: 'Content policy violation',
    })
    expect((error as Error).message).toContain('Content policy violation')
  })

  it('rejects with TaskCancelledError', async () => {
    const { clock, client } = setup([video('cancelled', 30)])
    await expect(clock.run(client.waitFor('vid_1'))).rejects.toBeInstanceOf(TaskCancelledError)
  })

  it('keeps polling through unknown statuses, and gives up after maxConsecutiveUnknown', async () => {
    const through = setup([video('mystery'), video('mystery'), video('in_progress', 50), done])
    await expect(through.clock.run(through.client.waitFor('vid_1'))).resolves.toMatchObject({
      status: 'succeeded',
    })
    const stuck = setup([video('mystery')])
    const error = await stuck.clock
      .run(stuck.client.waitFor('vid_1', { maxConsecutiveUnknown: 3 }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UnknownStatusError)
    expect((error as UnknownStatusError).task.vendorStatus).toBe('mystery')
    // maxConsecutiveUnknown: 3 means three unknown reads in a row end the wait.
    expect(stuck.transport.requests).toHaveLength(3)
  })

  it('ends at once on a permanent error with its typed error', async () => {
    const { clock, client, transport } = setup([
      video('queued'),
      json({ error: { message: 'bad key', code: 'invalid_api_key' } }, 401),
    ])
    await expect(clock.run(client.waitFor('vid_1'))).rejects.toBeInstanceOf(AuthenticationError)
    expect(transport.requests).toHaveLength(2)
    const notFound = setup([json({ error: { message: 'nope', code: 'task_not_found' } }, 404)])
    await expect(notFound.clock.run(notFound.client.waitFor('vid_1'))).rejects.toBeInstanceOf(
      TaskNotFoundError,
    )
    const html = setup([{ status: 200, headers: {}, body: '<html>login</html>' }])
    await expect(html.clock.run(html.client.waitFor('vid_1'))).rejects.toBeInstanceOf(
      ResponseValidationError,
    )
    expect(html.transport.requests).toHaveLength(1)
  })
})

describe('waitFor: transient failures and retries', () => {
  it('retries network errors, 429 and 5xx inside a read and goes on polling', async () => {
    const { clock, client, times } = setup([
      connectionReset(),
      json({ error: { message: 'slow down' } }, 429, { 'retry-after': '3' }),
      { status: 502, headers: {}, body: '<html>502 Bad Gateway</html>' },
      video('in_progress', 40),
      done,
    ])
    const task = await clock.run(client.waitFor('vid_1', { retries: 2, adaptive: false }))
    expect(task.status).toBe('succeeded')
    // Read 1: reset, retry after 1 s (minIntervalMs), 429 with Retry-After 3 s, then a 502 that
    // exhausts the read's 2 retries; the loop backs off 4 s and reads again.
    expect(times).toEqual([0, 1_000, 4_000, 8_000, 12_000])
  })

  it('honours retry-after-ms before Retry-After, capped at maxRetryAfterMs', async () => {
    const { clock, client, times } = setup([
      json({ error: { message: 'slow' } }, 429, { 'retry-after-ms': '2500', 'retry-after': '30' }),
      json({ error: { message: 'slow' } }, 429, { 'retry-after': '3600' }),
      done,
    ])
    await clock.run(client.waitFor('vid_1', { retries: 5, maxRetryAfterMs: 20_000 }))
    expect(times).toEqual([0, 2_500, 22_500])
  })

  it('rejects with the last error after maxConsecutiveFailures failed reads', async () => {
    const { clock, client, transport } = setup([
      { status: 503, headers: {}, body: '<html>503</html>' },
    ])
    const error = await clock
      .run(client.waitFor('vid_1', { retries: 1, maxConsecutiveFailures: 2 }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ServerError)
    // 2 failed reads of 2 requests each: the second failed read in a row reaches the limit of 2.
    expect(transport.requests).toHaveLength(4)
  })

  it('never ends a wait on transient failures by default: the deadline does, with the cause', async () => {
    const { clock, client } = setup([connectionReset()])
    const error = await clock
      .run(client.waitFor('vid_1', { timeoutMs: 60_000 }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError).cause).toBeInstanceOf(ConnectionError)
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBe(60_000)
  })
})

describe('waitFor: the deadline', () => {
  it('fires during a sleep, exactly at timeoutMs, with lastTask, elapsed time and reads', async () => {
    const { clock, client } = setup([video('in_progress', 20)])
    const started = clock.now()
    const error = await clock
      .run(client.waitFor('vid_1', { timeoutMs: 30_000, adaptive: false }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    const timeout = error as WaitTimeoutError
    expect(clock.now() - started).toBe(30_000)
    expect(timeout.elapsedMs).toBe(30_000)
    expect(timeout.lastTask?.progress).toBe(20)
    // Reads at 0, 4, 10, 19 s; the next (at 32.5 s) is past the deadline.
    expect(timeout.reads).toBe(4)
    expect(clock.pending).toBe(0)
  })

  it('fires during a hung request, and aborts that request', async () => {
    const { clock, client, transport } = setup([video('queued'), { hang: true }])
    const started = clock.now()
    const error = await clock
      .run(client.waitFor('vid_1', { timeoutMs: 10_000 }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(clock.now() - started).toBe(10_000)
    expect(transport.aborted).toBe(1)
    expect(clock.pending).toBe(0)
  })

  it('bounds retries and Retry-After sleeps too', async () => {
    const { clock, client } = setup([
      json({ error: { message: 'slow' } }, 429, { 'retry-after': '50' }),
    ])
    const started = clock.now()
    await expect(
      clock.run(client.waitFor('vid_1', { timeoutMs: 20_000, retries: 10 })),
    ).rejects.toBeInstanceOf(WaitTimeoutError)
    expect(clock.now() - started).toBe(20_000)
    expect(clock.pending).toBe(0)
  })

  it('with timeoutMs Infinity waits as long as it takes', async () => {
    const replies: Reply[] = Array.from({ length: 200 }, () => video('in_progress', 50))
    const { clock, client } = setup([...replies, done])
    const task = await clock.run(
      client.waitFor('vid_1', { timeoutMs: Number.POSITIVE_INFINITY, adaptive: false }),
    )
    expect(task.status).toBe('succeeded')
  })
})

describe('waitFor: abort', () => {
  it('rejects at once with signal.reason when aborted before the call, sending nothing', async () => {
    const { client, transport } = setup([done])
    const reason = new Error('user left')
    await expect(client.waitFor('vid_1', { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    )
    expect(transport.requests).toHaveLength(0)
  })

  it('cancels the request in flight', async () => {
    const { client, transport, clock } = setup([{ hang: true }])
    const controller = new AbortController()
    const wait = client.waitFor('vid_1', { signal: controller.signal })
    await flush()
    expect(transport.requests).toHaveLength(1)
    controller.abort(new Error('stop'))
    await expect(wait).rejects.toThrow('stop')
    expect(transport.aborted).toBe(1)
    expect(clock.pending).toBe(0)
  })

  it('stops during a sleep, leaving no timer', async () => {
    const { client, transport, clock } = setup([video('queued')])
    const controller = new AbortController()
    const wait = client.waitFor('vid_1', { signal: controller.signal })
    await clock.advance(1_000)
    expect(clock.pending).toBe(1)
    controller.abort()
    await expect(wait).rejects.toMatchObject({ name: 'AbortError' })
    expect(clock.pending).toBe(0)
    await clock.advance(60_000)
    expect(transport.requests).toHaveLength(1)
  })

  it('stops during a retry sleep inside a read', async () => {
    const { client, transport, clock } = setup([connectionReset()])
    const controller = new AbortController()
    const wait = client.waitFor('vid_1', { signal: controller.signal, retries: 5 })
    await clock.advance(500)
    controller.abort('bye')
    await expect(wait).rejects.toBe('bye')
    expect(clock.pending).toBe(0)
    expect(transport.requests).toHaveLength(1)
  })
})

describe('callbacks', () => {
  it('onUpdate sees every read; onStatusChange only changes, with the previous task', async () => {
    const { clock, client } = setup([
      video('queued', 0),
      video('queued', 0),
      video('in_progress', 30),
      video('in_progress', 60),
      done,
    ])
    const updates: string[] = []
    const changes: Array<[string, string | null]> = []
    await clock.run(
      client.waitFor('vid_1', {
        onUpdate: (task) => updates.push(task.status),
        onStatusChange: (task, previous) => changes.push([task.status, previous?.status ?? null]),
      }),
    )
    expect(updates).toEqual(['queued', 'queued', 'running', 'running', 'succeeded'])
    expect(changes).toEqual([
      ['queued', null],
      ['running', 'queued'],
      ['succeeded', 'running'],
    ])
  })

  it('onProgress fires only when progress rises above the highest seen (backwards is ignored)', async () => {
    const { clock, client } = setup([
      video('in_progress', 10),
      video('in_progress', 10),
      video('in_progress', 40),
      video('in_progress', 20),
      video('in_progress', 40),
      video('in_progress', 70),
      done,
    ])
    const progress: number[] = []
    const seen: Array<number | null> = []
    await clock.run(
      client.waitFor('vid_1', {
        onProgress: (value) => progress.push(value),
        onUpdate: (task) => seen.push(task.progress),
      }),
    )
    expect(progress).toEqual([10, 40, 70, 100])
    expect(seen).toEqual([10, 10, 40, 20, 40, 70, 100])
  })

  it('onStatus handlers see their narrowed type', async () => {
    const { clock, client } = setup([video('in_progress', 5), failed])
    const messages: string[] = []
    const options: WaitOptions = {
      onStatus: {
        failed: (task) => {
          expectTypeOf(task.error).toEqualTypeOf<{ code: string | null; message: string }>()
          messages.push(task.error.message)
        },
        running: (task) => {
          expectTypeOf(task.status).toEqualTypeOf<'running'>()
          messages.push(`running ${task.progress}`)
        },
      },
    }
    await clock.run(client.waitFor('vid_1', options)).catch(() => {})
    expect(messages).toEqual(['running 5', 'Content policy violation'])
  })

  it('a callback that throws rejects the wait with that error and stops polling', async () => {
    const { clock, client, transport } = setup([video('queued'), video('in_progress', 10), done])
    const boom = new Error('callback broke')
    await expect(
      clock.run(
        client.waitFor('vid_1', {
          onStatusChange: (task) => {
            if (task.status === 'running') throw boom
          },
        }),
      ),
    ).rejects.toBe(boom)
    await clock.advance(60_000)
    expect(transport.requests).toHaveLength(2)
    expect(clock.pending).toBe(0)
  })
})

describe('many waits', () => {
  it('two waits for one id share one loop: one request per tick, both see every update', async () => {
    const { clock, client, transport } = setup([video('queued'), video('in_progress', 50), done])
    const first: string[] = []
    const second: string[] = []
    const a = client.waitFor('vid_1', { onUpdate: (task) => first.push(task.status) })
    const b = client.waitFor('vid_1', { onUpdate: (task) => second.push(task.status) })
    const [taskA, taskB] = await clock.run(Promise.all([a, b]))
    expect(taskA).toBe(taskB)
    expect(transport.requests).toHaveLength(3)
    expect(first).toEqual(['queued', 'running', 'succeeded'])
    expect(second).toEqual(first)
  })

  it('a wait that joins later sees the latest task at once; aborting one does not stop the other', async () => {
    const { clock, client, transport } = setup([video('queued'), video('in_progress', 50), done])
    const a = client.waitFor('vid_1')
    await clock.advance(1_000)
    const controller = new AbortController()
    const joined: string[] = []
    const b = client.waitFor('vid_1', {
      signal: controller.signal,
      onUpdate: (task) => joined.push(task.status),
    })
    expect(joined).toEqual(['queued'])
    controller.abort()
    await expect(b).rejects.toMatchObject({ name: 'AbortError' })
    await expect(clock.run(a)).resolves.toMatchObject({ status: 'succeeded' })
    expect(transport.requests).toHaveLength(3)
  })

  it('waitForAll resolves with every task in order; one failure rejects and stops the rest', async () => {
    const { clock, client } = setup([
      (request) => (request.url.endsWith('/a') ? done : video('in_progress', 10)),
    ])
    const pending = client.waitForAll(['a', 'b'], { timeoutMs: 20_000 })
    await expect(clock.run(pending)).rejects.toBeInstanceOf(WaitTimeoutError)

    const mixed = setup([
      (request) =>
        request.url.endsWith('/bad')
          ? json({ error: { message: 'gone', code: 'task_not_found' } }, 404)
          : video('in_progress', 10),
    ])
    await expect(mixed.clock.run(mixed.client.waitForAll(['ok', 'bad']))).rejects.toBeInstanceOf(
      TaskNotFoundError,
    )
    await mixed.clock.advance(60_000)
    expect(mixed.clock.pending).toBe(0)

    const good = setup([done])
    const tasks = await good.clock.run(good.client.waitForAll(['x', 'y', 'z']))
    expect(tasks.map((task) => task.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
  })

  it('waitForAny resolves with the first success and stops the others', async () => {
    const { clock, client, transport } = setup([
      (request) => (request.url.endsWith('/fast') ? done : video('in_progress', 10)),
    ])
    const first = await clock.run(client.waitForAny(['slow', 'fast']))
    expect(first.status).toBe('succeeded')
    const count = transport.requests.length
    await clock.advance(120_000)
    expect(transport.requests).toHaveLength(count)
    expect(clock.pending).toBe(0)

    const none = setup([failed])
    const error = await none.clock.run(none.client.waitForAny(['p', 'q'])).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AggregateError)
    expect((error as AggregateError).errors.every((e) => e instanceof TaskFailedError)).toBe(true)
  })

  it('maxRequestsPerSecond spaces requests over all waits', async () => {
    const { clock, client, times } = setup([video('in_progress', 10)], { maxRequestsPerSecond: 10 })
    const controller = new AbortController()
    const waits = Array.from({ length: 25 }, (_, index) =>
      client.waitFor(`task-${index}`, { signal: controller.signal }).catch(() => {}),
    )
    await clock.advance(2_400)
    // 25 first reads at 10 per second: 0, 100, ..., 2400 ms.
    expect(times).toEqual(Array.from({ length: 25 }, (_, index) => index * 100))
    controller.abort()
    await Promise.all(waits)
    expect(clock.pending).toBe(0)
  })

  it('keeps one pending timer for the whole client, however many waits', async () => {
    const { clock, client } = setup([video('in_progress', 10)])
    const controller = new AbortController()
    const waits = Array.from({ length: 500 }, (_, index) =>
      client.waitFor(`t${index}`, { signal: controller.signal, timeoutMs: 60_000 }).catch(() => {}),
    )
    await clock.advance(10_000)
    expect(clock.pending).toBe(1)
    controller.abort()
    await Promise.all(waits)
    expect(clock.pending).toBe(0)
  })
})

describe('watch', () => {
  it('yields every read and ends after the final task', async () => {
    const { clock, client } = setup([video('queued'), video('in_progress', 50), done])
    const seen: string[] = []
    const consume = (async () => {
      for await (const task of client.watch('vid_1')) seen.push(task.status)
    })()
    await clock.run(consume)
    expect(seen).toEqual(['queued', 'running', 'succeeded'])
  })

  it('yields a failed task and ends without throwing', async () => {
    const { clock, client } = setup([video('queued'), failed])
    const seen: string[] = []
    await clock.run(
      (async () => {
        for await (const task of client.watch('vid_1')) seen.push(task.status)
      })(),
    )
    expect(seen).toEqual(['queued', 'failed'])
  })

  it('throws timeouts and permanent errors', async () => {
    const { clock, client } = setup([video('queued'), json({ error: { message: 'x' } }, 403)])
    const consume = (async () => {
      for await (const _task of client.watch('vid_1')) {
        // reading
      }
    })()
    await expect(clock.run(consume)).rejects.toMatchObject({ status: 403 })
  })

  it('stops polling when the consumer breaks out', async () => {
    const { clock, client, transport } = setup([video('queued'), video('in_progress', 10)])
    await clock.run(
      (async () => {
        for await (const task of client.watch('vid_1')) if (task.status === 'running') break
      })(),
    )
    await clock.advance(120_000)
    expect(transport.requests).toHaveLength(2)
    expect(clock.pending).toBe(0)
  })
})

describe('resume', () => {
  it('continues a wait from its JSON state: same deadline, same place in the schedule', async () => {
    const first = setup([video('queued'), video('in_progress', 10)])
    const controller = new AbortController()
    let saved: PollState | undefined
    const wait = first.client.waitFor('vid_1', {
      signal: controller.signal,
      timeoutMs: 120_000,
      adaptive: false,
      onPollState: (state) => {
        saved = JSON.parse(JSON.stringify(state))
      },
    })
    await first.clock.advance(5_000)
    controller.abort()
    await wait.catch(() => {})
    expect(saved).toMatchObject({
      taskId: 'vid_1',
      reads: 2,
      lastStatus: 'running',
      backoffStep: 0,
    })

    // A new process, later: the clock has moved on 2 s.
    const second = setup([video('in_progress', 60), done])
    second.clock.time = first.clock.time + 2_000
    const resumed = second.client.resume(saved as PollState, { adaptive: false })
    const task = await second.clock.run(resumed)
    expect(task.status).toBe('succeeded')
    // The next read was due 4 s after the read at 4 s: at 8 s, i.e. 1 s after the resume.
    const resumeAt = second.clock.time
    expect(resumeAt).toBeGreaterThan(0)
    expect(second.transport.requests).toHaveLength(2)
  })

  it('keeps the saved deadline', async () => {
    const { clock, client } = setup([video('in_progress', 10)])
    const state: PollState = {
      version: 1,
      taskId: 'vid_1',
      provider: 'openai',
      startedAt: clock.now() - 50_000,
      deadlineAt: clock.now() + 10_000,
      reads: 7,
      consecutiveFailures: 0,
      consecutiveUnknown: 0,
      backoffStep: 3,
      lastStatus: 'running',
      samples: [],
      nextReadAt: clock.now(),
    }
    const error = await clock.run(client.resume(state)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError).elapsedMs).toBe(60_000)
    expect((error as WaitTimeoutError).reads).toBeGreaterThan(7)
  })

  it('refuses a state that is not a PollState or belongs to another provider', async () => {
    const { client } = setup([done])
    await expect(client.resume({ taskId: 'x' } as unknown as PollState)).rejects.toThrow(/state/)
    await expect(
      client.resume({
        version: 1,
        taskId: 'x',
        provider: 'doubao',
        startedAt: 0,
        deadlineAt: null,
        reads: 0,
        consecutiveFailures: 0,
        consecutiveUnknown: 0,
        backoffStep: 0,
        lastStatus: null,
        samples: [],
        nextReadAt: 0,
      }),
    ).rejects.toThrow(/provider openai/)
  })
})

describe('getTask', () => {
  it('reads once and retries transient failures', async () => {
    const { clock, client, transport } = setup([connectionReset(), video('in_progress', 10)])
    const task = await clock.run(client.getTask('vid_1'))
    expect(task.status).toBe('running')
    expect(transport.requests).toHaveLength(2)
  })

  it('does not retry permanent errors, and gives up after `retries`', async () => {
    const auth = setup([json({ error: { message: 'no' } }, 401)])
    await expect(auth.clock.run(auth.client.getTask('vid_1'))).rejects.toBeInstanceOf(
      AuthenticationError,
    )
    expect(auth.transport.requests).toHaveLength(1)
    const down = setup([connectionReset()])
    await expect(
      down.clock.run(down.client.getTask('vid_1', { retries: 3 })),
    ).rejects.toBeInstanceOf(ConnectionError)
    expect(down.transport.requests).toHaveLength(4)
  })
})

describe('options are validated when given', () => {
  const { client } = setup([done])
  it.each([
    [{ intervalMs: -1 }, /intervalMs/],
    [{ intervalMs: 5_000, maxIntervalMs: 1_000 }, /maxIntervalMs/],
    [{ minIntervalMs: 0 }, /minIntervalMs/],
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ timeoutMs: Number.NaN }, /timeoutMs/],
    [{ jitter: 2 }, /jitter/],
    [{ backoffFactor: 0.5 }, /backoffFactor/],
    [{ retries: 1.5 }, /retries/],
    [{ maxConsecutiveFailures: 0 }, /maxConsecutiveFailures/],
    [{ onUpdate: 'nope' }, /onUpdate/],
    [{ onProgress: 42 }, /onProgress/],
    [{ onStatus: { failed: 1 } }, /onStatus\.failed/],
    [{ signal: {} }, /signal/],
    [{ adaptive: 'yes' }, /adaptive/],
  ])('%o', async (options, message) => {
    const error = await client
      .waitFor('vid_1', options as WaitOptions)
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(message)
  })

  it('createClient checks its options', () => {
    expect(() => createClient({ provider: {} as never })).toThrow(/provider/)
    expect(() => createClient({ provider, intervalMs: 0 })).toThrow(/intervalMs/)
    expect(() => createClient({ provider, maxRequestsPerSecond: 0 })).toThrow(
      /maxRequestsPerSecond/,
    )
    expect(() => createClient({ provider, headersTimeoutMs: -5 })).toThrow(/headersTimeoutMs/)
    expect(() => createClient({ provider, fetch: 'x' as never })).toThrow(/fetch/)
  })

  it('refuses bad task ids with a TypeError', async () => {
    await expect(client.waitFor('')).rejects.toThrow(TypeError)
    await expect(client.getTask('..')).rejects.toThrow(TypeError)
  })
})

describe('close', () => {
  it('rejects pending waits, refuses new ones and closes its own transport', async () => {
    const { clock, client, transport } = setup([video('queued')])
    const wait = client.waitFor('vid_1')
    await clock.advance(100)
    const rejected = expect(wait).rejects.toThrow(/closed/)
    await client.close()
    await rejected
    await expect(client.waitFor('vid_1')).rejects.toBeInstanceOf(VideoTaskError)
    await expect(client.getTask('vid_1')).rejects.toThrow(/closed/)
    expect(clock.pending).toBe(0)
    // A transport passed in belongs to the caller.
    expect(transport.closed).toBe(false)
  })
})

describe('types', () => {
  it('narrows VideoTask on status', () => {
    const check = (task: VideoTask) => {
      if (task.status === 'succeeded') {
        expectTypeOf(task.progress).toEqualTypeOf<100>()
        expectTypeOf(task.error).toEqualTypeOf<null>()
      }
      if (task.status === 'failed') {
        expectTypeOf(task.error.message).toEqualTypeOf<string>()
      }
    }
    expect(check).toBeTypeOf('function')
  })
})
