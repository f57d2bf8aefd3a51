import { describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  ConnectionError,
  RateLimitError,
  TaskFailedError,
  UnknownStatusError,
} from '../../src/errors.js'
import type { VideoTask } from '../../src/model.js'
import {
  type LoopDependencies,
  type LoopSettings,
  PollLoop,
  type Waiter,
} from '../../src/wait/poll-loop.js'
import type { ScheduleState } from '../../src/wait/poll-state.js'
import { initialPollState } from '../../src/wait/schedule.js'
import { TimerQueue } from '../../src/wait/timer-queue.js'
import { makeTask } from '../support/tasks.js'
import { flush, VirtualClock } from '../support/virtual-clock.js'

const settings: LoopSettings = {
  intervalMs: 1_000,
  maxIntervalMs: 8_000,
  minIntervalMs: 1_000,
  backoffFactor: 2,
  jitter: 0,
  maxRetryAfterMs: 60_000,
  adaptive: false,
  maxConsecutiveFailures: 2,
  maxConsecutiveUnknown: 2,
  retries: 0,
}

type ReadResult = { task: VideoTask; pollHintMs: number | null }

/** A read the test resolves or rejects by hand, with the signal the loop gave it. */
interface PendingRead {
  signal: AbortSignal
  at: number
  resolve(task: VideoTask, pollHintMs?: number | null): void
  reject(error: unknown): void
}

function harness(options: Partial<LoopSettings> = {}) {
  const clock = new VirtualClock()
  const queue = new TimerQueue(clock)
  const reads: PendingRead[] = []
  const idle: PollLoop[] = []
  const deps: LoopDependencies = {
    read(_taskId, _settings, signal, onRequest) {
      onRequest()
      return new Promise<ReadResult>((resolve, reject) => {
        reads.push({
          signal,
          at: clock.now(),
          resolve: (task, pollHintMs = null) => resolve({ task, pollHintMs }),
          reject,
        })
      })
    },
    queue,
    random: () => 0,
    onIdle: (loop) => idle.push(loop),
  }
  const {
    startedAt: _s,
    deadlineAt: _d,
    ...state
  } = initialPollState({
    taskId: 't1',
    provider: 'test',
    now: clock.now(),
    timeoutMs: Number.POSITIVE_INFINITY,
  })
  const loop = new PollLoop('t1', deps, { ...settings, ...options }, state)
  const start = clock.now()
  const last = () => {
    const read = reads[reads.length - 1]
    if (!read) throw new Error('no read made')
    return read
  }
  return { clock, queue, reads, idle, loop, start, last }
}

/** A waiter that records what it is given. */
function recorder() {
  const delivered: { status: string; reads: number }[] = []
  const settled: ({ ok: true; task: VideoTask } | { ok: false; error: unknown })[] = []
  const waiter: Waiter = {
    deliver: (task, state: ScheduleState) => {
      delivered.push({ status: task.status, reads: state.reads })
    },
    settle: (outcome) => {
      settled.push(outcome)
    },
  }
  return { waiter, delivered, settled }
}

describe('PollLoop', () => {
  it('reads at once, then on the schedule in virtual time, and settles every waiter on success', async () => {
    const { clock, reads, idle, loop, start, last } = harness()
    const a = recorder()
    loop.add(a.waiter)
    loop.start()
    expect(reads).toHaveLength(1)
    last().resolve(makeTask('running', 10))
    await flush()
    // Backoff 1 s, then 2 s (factor 2), with no jitter.
    await clock.advance(1_000)
    expect(reads).toHaveLength(2)
    last().resolve(makeTask('running', 20))
    await flush()
    await clock.advance(1_999)
    expect(reads).toHaveLength(2)
    await clock.advance(1)
    expect(reads.map((read) => read.at - start)).toEqual([0, 1_000, 3_000])
    last().resolve(makeTask('succeeded'))
    await flush()
    expect(a.delivered).toEqual([
      { status: 'running', reads: 1 },
      { status: 'running', reads: 2 },
      { status: 'succeeded', reads: 3 },
    ])
    expect(a.settled).toEqual([
      { ok: true, task: expect.objectContaining({ status: 'succeeded' }) },
    ])
    expect(idle).toEqual([loop])
    await clock.advance(60_000)
    expect(reads).toHaveLength(3)
  })

  it('two waits share one loop: one read each time, a late joiner sees the latest task at once', async () => {
    const { clock, reads, loop, last } = harness()
    const a = recorder()
    const b = recorder()
    loop.add(a.waiter)
    loop.start()
    last().resolve(makeTask('queued'))
    await flush()
    loop.add(b.waiter)
    expect(b.delivered).toEqual([{ status: 'queued', reads: 1 }])
    expect(loop.waiters).toBe(2)
    await clock.advance(1_000)
    expect(reads).toHaveLength(2)
    last().resolve(makeTask('failed'))
    await flush()
    expect(a.delivered.map((d) => d.status)).toEqual(['queued', 'failed'])
    expect(b.delivered.map((d) => d.status)).toEqual(['queued', 'failed'])
    for (const waiter of [a, b]) {
      expect(waiter.settled).toHaveLength(1)
      const outcome = waiter.settled[0]
      expect(outcome?.ok === false && outcome.error).toBeInstanceOf(TaskFailedError)
    }
  })

  it('the first of two waits leaving does not stop the loop; the last one does', async () => {
    const { clock, reads, idle, loop, last } = harness()
    const a = recorder()
    const b = recorder()
    loop.add(a.waiter)
    loop.add(b.waiter)
    loop.start()
    last().resolve(makeTask('running'))
    await flush()
    loop.remove(a.waiter)
    await clock.advance(1_000)
    expect(reads).toHaveLength(2)
    expect(idle).toEqual([])
    // The last wait leaves while a read is in flight: the read is aborted, nothing follows.
    loop.remove(b.waiter)
    expect(last().signal.aborted).toBe(true)
    expect(idle).toEqual([loop])
    last().resolve(makeTask('succeeded'))
    await flush()
    await clock.advance(60_000)
    expect(reads).toHaveLength(2)
    expect(b.delivered).toHaveLength(1)
    expect(a.settled).toEqual([])
    expect(b.settled).toEqual([])
  })

  it('a wait leaving during the sleep cancels the pending timer', async () => {
    const { clock, queue, reads, loop, last } = harness()
    const a = recorder()
    loop.add(a.waiter)
    loop.start()
    last().resolve(makeTask('running'))
    await flush()
    expect(queue.size).toBe(1)
    loop.remove(a.waiter)
    expect(queue.size).toBe(0)
    await clock.advance(60_000)
    expect(reads).toHaveLength(1)
  })

  it('an aborted read that rejects afterwards settles nobody and schedules nothing', async () => {
    const { clock, reads, loop, last } = harness()
    const a = recorder()
    loop.add(a.waiter)
    loop.start()
    const read = last()
    loop.remove(a.waiter)
    read.reject(read.signal.reason)
    await flush()
    await clock.advance(60_000)
    expect(reads).toHaveLength(1)
    expect(a.settled).toEqual([])
    expect(loop.lastError).toBeUndefined()
  })

  it('a permanent error from a read ends every wait with it, with no further read', async () => {
    const { clock, reads, idle, loop, last } = harness()
    const a = recorder()
    const b = recorder()
    loop.add(a.waiter)
    loop.add(b.waiter)
    loop.start()
    const error = new AuthenticationError({
      status: 401,
      message: 'bad key',
      provider: 'p',
      url: 'u',
    })
    last().reject(error)
    await flush()
    expect(a.settled).toEqual([{ ok: false, error }])
    expect(b.settled).toEqual([{ ok: false, error }])
    expect(idle).toEqual([loop])
    await clock.advance(60_000)
    expect(reads).toHaveLength(1)
  })

  it('a non-VideoTaskError from a read (a bug) is permanent too', async () => {
    const { loop, last } = harness()
    const a = recorder()
    loop.add(a.waiter)
    loop.start()
    const bug = new TypeError('cannot read properties of undefined')
    last().reject(bug)
    await flush()
    expect(a.settled).toEqual([{ ok: false, error: bug }])
  })

  it('transient errors back off (doubling) and give up after maxConsecutiveFailures with the last error', async () => {
    const { clock, reads, loop, start, last } = harness()
    const a = recorder()
    loop.add(a.waiter)
    loop.start()
    const errors = [1, 2].map((n) => new ConnectionError(`reset ${n}`, { url: 'https://x.test' }))
    last().reject(errors[0])
    await flush()
    expect(loop.state.consecutiveFailures).toBe(1)
    await clock.advance(1_000)
    expect(reads.map((read) => read.at - start)).toEqual([0, 1_000])
    // maxConsecutiveFailures: 2 ends the wait at the second failed read in a row.
    last().reject(errors[1])
    await flush()
    expect(a.settled).toEqual([{ ok: false, error: errors[1] }])
    expect(a.delivered).toEqual([])
  })

  it('a transient error follows Retry-After, and a later success resets the failure count', async () => {
    const { clock, reads, loop, start, last } = harness()
    const a = recorder()
    loop.add(a.waiter)
    loop.start()
    const limited = new RateLimitError({
      status: 429,
      message: 'slow down',
      provider: 'p',
      url: 'u',
      retryAfterMs: 5_000,
    })
    last().reject(limited)
    await flush()
    await clock.advance(4_999)
    expect(reads).toHaveLength(1)
    await clock.advance(1)
    expect(reads.map((read) => read.at - start)).toEqual([0, 5_000])
    last().resolve(makeTask('running'))
    await flush()
    expect(loop.state.consecutiveFailures).toBe(0)
    expect(loop.lastTask?.status).toBe('running')
  })

  it('a waiter whose callback throws leaves alone; the other keeps polling', async () => {
    const { clock, reads, loop, last } = harness()
    const boom = new Error('callback bug')
    const thrower: Waiter & { settled: unknown[] } = {
      settled: [],
      deliver() {
        throw boom
      },
      settle(outcome) {
        this.settled.push(outcome)
      },
    }
    const b = recorder()
    loop.add(thrower)
    loop.add(b.waiter)
    loop.start()
    last().resolve(makeTask('running'))
    await flush()
    expect(thrower.settled).toEqual([{ ok: false, error: boom }])
    expect(loop.waiters).toBe(1)
    await clock.advance(1_000)
    expect(reads).toHaveLength(2)
  })

  it('the only waiter throwing stops the loop', async () => {
    const { clock, reads, idle, loop, last } = harness()
    loop.add({
      deliver() {
        throw new Error('x')
      },
      settle() {},
    })
    loop.start()
    last().resolve(makeTask('running'))
    await flush()
    expect(idle).toEqual([loop])
    await clock.advance(60_000)
    expect(reads).toHaveLength(1)
  })

  it('unknown statuses in a row give up with UnknownStatusError carrying the last task', async () => {
    const { clock, loop, last } = harness()
    const a = recorder()
    loop.add(a.waiter)
    loop.start()
    for (let read = 0; read < 3; read++) {
      last().resolve(makeTask('unknown'))
      await flush()
      if (read < 2) await clock.advance(8_000)
    }
    const outcome = a.settled[0]
    expect(outcome?.ok).toBe(false)
    const error = outcome?.ok === false ? outcome.error : undefined
    expect(error).toBeInstanceOf(UnknownStatusError)
    expect((error as UnknownStatusError).task.status).toBe('unknown')
  })

  it('a loop started from a saved state waits until its nextReadAt', async () => {
    const clock = new VirtualClock()
    const queue = new TimerQueue(clock)
    let reads = 0
    const {
      startedAt: _s,
      deadlineAt: _d,
      ...state
    } = initialPollState({
      taskId: 't1',
      provider: 'test',
      now: clock.now(),
      timeoutMs: Number.POSITIVE_INFINITY,
    })
    const loop = new PollLoop(
      't1',
      {
        read: (_id, _settings, _signal, onRequest) => {
          onRequest()
          reads++
          return new Promise(() => {})
        },
        queue,
        random: () => 0,
        onIdle: () => {},
      },
      settings,
      { ...state, reads: 7, nextReadAt: clock.now() + 3_000 },
    )
    loop.add(recorder().waiter)
    loop.start()
    await clock.advance(2_999)
    expect(reads).toBe(0)
    await clock.advance(1)
    expect(reads).toBe(1)
    expect(loop.state.reads).toBe(8)
  })
})
