import { describe, expect, it } from 'vitest'
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  TaskFailedError,
  VideoTaskError,
} from '../src/errors.js'
import {
  backoffDelayMs,
  classifyFailure,
  isTransient,
  type RetryDelaySettings,
  retryAfterDelayMs,
  retryTransient,
} from '../src/retry-policy.js'
import { TimerQueue } from '../src/wait/timer-queue.js'
import { makeTask } from './support/tasks.js'
import { flush, VirtualClock } from './support/virtual-clock.js'

const settings: RetryDelaySettings = {
  minIntervalMs: 1_000,
  maxIntervalMs: 10_000,
  maxRetryAfterMs: 30_000,
  jitter: 0.5,
}
const api = { message: 'x', provider: 'p', url: 'u' }

describe('what is transient', () => {
  it('reads the retryable field of every VideoTaskError, and only of those', () => {
    expect(isTransient(new ConnectionError('reset', { url: 'u' }))).toBe(true)
    expect(isTransient(new ServerError({ ...api, status: 502 }))).toBe(true)
    expect(isTransient(new ApiError({ ...api, status: 409 }))).toBe(true)
    expect(isTransient(new ApiError({ ...api, status: 400 }))).toBe(false)
    expect(isTransient(new AuthenticationError({ ...api, status: 401 }))).toBe(false)
    expect(isTransient(new ResponseValidationError({ ...api, status: 502, retryable: true }))).toBe(
      true,
    )
    expect(isTransient(new TaskFailedError(makeTask('failed')))).toBe(false)
    expect(isTransient(new VideoTaskError('custom', { retryable: true }))).toBe(true)
    // A look-alike is not trusted: no duck-typing.
    expect(isTransient({ retryable: true })).toBe(false)
    expect(isTransient(Object.assign(new Error('x'), { retryable: true }))).toBe(false)
  })

  it('carries Retry-After from the field, and drops nonsense values', () => {
    expect(
      classifyFailure(new RateLimitError({ ...api, status: 429, retryAfterMs: 1_500 })),
    ).toEqual({ transient: true, retryAfterMs: 1_500 })
    expect(classifyFailure(new RateLimitError({ ...api, status: 429 }))).toEqual({
      transient: true,
      retryAfterMs: null,
    })
    expect(classifyFailure(new VideoTaskError('x', { retryable: true, retryAfterMs: -5 }))).toEqual(
      { transient: true, retryAfterMs: null },
    )
    expect(
      classifyFailure(new VideoTaskError('x', { retryable: true, retryAfterMs: Number.NaN })),
    ).toEqual({ transient: true, retryAfterMs: null })
    expect(classifyFailure('a string')).toEqual({ transient: false, retryAfterMs: null })
  })
})

describe('delays', () => {
  it('backoff doubles from its base, shortened by jitter, within [min, max]', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, 1_000, settings, 0))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000,
    ])
    expect(backoffDelayMs(3, 1_000, settings, 0.5)).toBe(3_000)
    // Jitter never goes below the floor.
    expect(backoffDelayMs(1, 1_000, settings, 0.99)).toBe(1_000)
  })

  it('Retry-After is lengthened by jitter, floored at minIntervalMs, capped at maxRetryAfterMs', () => {
    expect(retryAfterDelayMs(2_000, settings, 0)).toBe(2_000)
    expect(retryAfterDelayMs(2_000, settings, 0.5)).toBe(2_500)
    expect(retryAfterDelayMs(0, settings, 0)).toBe(1_000)
    expect(retryAfterDelayMs(10 * 60_000, settings, 0)).toBe(30_000)
    // A cap below the floor: the floor wins (no busy loop, whatever the options say).
    expect(retryAfterDelayMs(5_000, { ...settings, maxRetryAfterMs: 0 }, 0)).toBe(1_000)
  })
})

describe('retryTransient (retries inside one read)', () => {
  function runtime() {
    const clock = new VirtualClock()
    const queue = new TimerQueue(clock)
    const sleeps: number[] = []
    return {
      clock,
      runtime: {
        sleep: (delayMs: number, signal: AbortSignal | undefined) => {
          sleeps.push(delayMs)
          return queue.sleepUntil(queue.now() + delayMs, signal)
        },
        random: () => 0,
      },
      sleeps,
    }
  }

  /** An attempt that fails with each error in turn, then succeeds. */
  function attempts(errors: unknown[]) {
    let calls = 0
    const attempt = async () => {
      const error = errors[calls++]
      if (error !== undefined) throw error
      return 'ok'
    }
    return { attempt, calls: () => calls }
  }

  it('a first success makes one attempt and never sleeps', async () => {
    const { clock, runtime: rt, sleeps } = runtime()
    const { attempt, calls } = attempts([])
    await expect(clock.run(retryTransient(attempt, 2, settings, rt, undefined))).resolves.toBe('ok')
    expect(calls()).toBe(1)
    expect(sleeps).toEqual([])
  })

  it('retries transient failures `retries` times with doubling delays from minIntervalMs', async () => {
    const { clock, runtime: rt, sleeps } = runtime()
    const reset = () => new ConnectionError('reset', { url: 'u' })
    const { attempt, calls } = attempts([reset(), reset()])
    await expect(clock.run(retryTransient(attempt, 2, settings, rt, undefined))).resolves.toBe('ok')
    expect(calls()).toBe(3)
    expect(sleeps).toEqual([1_000, 2_000])
  })

  it('rejects with the last transient error once the retries are spent', async () => {
    const { clock, runtime: rt } = runtime()
    const errors = [1, 2, 3].map((n) => new ConnectionError(`reset ${n}`, { url: 'u' }))
    const { attempt, calls } = attempts(errors)
    await expect(clock.run(retryTransient(attempt, 2, settings, rt, undefined))).rejects.toBe(
      errors[2],
    )
    expect(calls()).toBe(3)
  })

  it('retries: 0 makes exactly one request', async () => {
    const { clock, runtime: rt, sleeps } = runtime()
    const error = new ConnectionError('reset', { url: 'u' })
    const { attempt, calls } = attempts([error])
    await expect(clock.run(retryTransient(attempt, 0, settings, rt, undefined))).rejects.toBe(error)
    expect(calls()).toBe(1)
    expect(sleeps).toEqual([])
  })

  it('a permanent failure, first or later, is not retried', async () => {
    const { clock, runtime: rt } = runtime()
    const denied = new AuthenticationError({ ...api, status: 401 })
    const first = attempts([denied])
    await expect(clock.run(retryTransient(first.attempt, 5, settings, rt, undefined))).rejects.toBe(
      denied,
    )
    expect(first.calls()).toBe(1)
    const later = attempts([new ConnectionError('reset', { url: 'u' }), denied])
    await expect(clock.run(retryTransient(later.attempt, 5, settings, rt, undefined))).rejects.toBe(
      denied,
    )
    expect(later.calls()).toBe(2)
  })

  it('follows Retry-After as sent (no jitter inside a read)', async () => {
    const { clock, runtime: rt, sleeps } = runtime()
    const limited = new RateLimitError({ ...api, status: 429, retryAfterMs: 7_000 })
    const { attempt } = attempts([limited, limited])
    await clock.run(retryTransient(attempt, 2, settings, { ...rt, random: () => 0.9 }, undefined))
    expect(sleeps).toEqual([7_000, 7_000])
  })

  it('an abort during the sleep rejects with the reason and makes no further attempt', async () => {
    const { clock, runtime: rt } = runtime()
    const controller = new AbortController()
    const { attempt, calls } = attempts([new ConnectionError('reset', { url: 'u' })])
    const result = retryTransient(attempt, 3, settings, rt, controller.signal)
    result.catch(() => {})
    await flush()
    const reason = new Error('stop')
    controller.abort(reason)
    await expect(result).rejects.toBe(reason)
    await clock.advance(60_000)
    expect(calls()).toBe(1)
  })

  it('an attempt failing because of the abort rejects with the reason, not the failure', async () => {
    const { clock, runtime: rt } = runtime()
    const controller = new AbortController()
    const reason = new Error('stop')
    const attempt = async () => {
      controller.abort(reason)
      throw new ConnectionError('aborted', { url: 'u' })
    }
    await expect(
      clock.run(retryTransient(attempt, 3, settings, rt, controller.signal)),
    ).rejects.toBe(reason)
  })
})
