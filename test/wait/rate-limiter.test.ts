import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../../src/wait/rate-limiter.js'
import { TimerQueue } from '../../src/wait/timer-queue.js'
import { VirtualClock } from '../support/virtual-clock.js'

describe('RateLimiter', () => {
  it('spaces acquisitions evenly at the rate, first come first served', async () => {
    const clock = new VirtualClock(0)
    const queue = new TimerQueue(clock)
    const limiter = new RateLimiter(queue, 4)
    const granted: number[] = []
    const waits = Array.from({ length: 6 }, () =>
      Promise.resolve(limiter.acquire()).then(() => granted.push(clock.now())),
    )
    await clock.advance(2_000)
    await Promise.all(waits)
    expect(granted).toEqual([0, 250, 500, 750, 1_000, 1_250])
  })

  it('does nothing with an infinite rate', () => {
    const limiter = new RateLimiter(new TimerQueue(new VirtualClock(0)), Number.POSITIVE_INFINITY)
    expect(limiter.acquire()).toBeUndefined()
  })
})

describe('RateLimiter: capacity is only spent on requests actually sent', () => {
  it('gives back the slots of acquisitions aborted while queued', async () => {
    const clock = new VirtualClock(0)
    const queue = new TimerQueue(clock)
    const limiter = new RateLimiter(queue, 10)
    const controllers = Array.from({ length: 1_000 }, () => new AbortController())
    const queued = controllers.map((controller) => limiter.acquire(controller.signal))
    for (const each of queued) each?.catch(() => {})
    for (const controller of controllers) controller.abort(new Error('gone'))
    await Promise.allSettled(queued)
    // 1,000 aborted waits at 10/s held 100 s of slots before: the next request waited for them.
    let grantedAt: number | undefined
    void Promise.resolve(limiter.acquire()).then(() => {
      grantedAt = clock.now()
    })
    await clock.advance(200)
    expect(grantedAt).toBeDefined()
    expect(grantedAt).toBeLessThanOrEqual(100)
    expect(queue.size).toBe(0)
  })

  it('never bursts after a blocked event loop: slots are not stored up', async () => {
    const clock = new VirtualClock(0)
    const queue = new TimerQueue(clock)
    const limiter = new RateLimiter(queue, 4)
    const granted: number[] = []
    const take = () => Promise.resolve(limiter.acquire()).then(() => granted.push(clock.now()))
    const waits = Array.from({ length: 8 }, take)
    await clock.advance(0)
    // The loop is blocked for 5 s: time moves but no timer runs.
    clock.time += 5_000
    await clock.advance(5_000)
    await Promise.all(waits)
    for (let i = 0; i < granted.length; i++) {
      const inWindow = granted.filter(
        (at) => at >= (granted[i] as number) && at < (granted[i] as number) + 1_000,
      )
      expect(inWindow.length).toBeLessThanOrEqual(4)
    }
  })

  it('holds the cap over any one-second window, whatever the order of acquire and abort', async () => {
    const clock = new VirtualClock(0)
    const queue = new TimerQueue(clock)
    const limiter = new RateLimiter(queue, 5)
    const granted: number[] = []
    const all: Promise<unknown>[] = []
    for (let round = 0; round < 20; round++) {
      const controller = new AbortController()
      for (let i = 0; i < 3; i++) {
        const slot = Promise.resolve(limiter.acquire(i === 1 ? controller.signal : undefined))
        all.push(
          slot.then(
            () => granted.push(clock.now()),
            () => {},
          ),
        )
      }
      if (round % 2 === 0) controller.abort('changed my mind')
      await clock.advance(137)
    }
    await clock.advance(60_000)
    await Promise.all(all)
    granted.sort((a, b) => a - b)
    for (const start of granted) {
      expect(granted.filter((at) => at >= start && at < start + 1_000).length).toBeLessThanOrEqual(
        5,
      )
    }
    // Only the 10 aborted acquisitions are missing.
    expect(granted).toHaveLength(50)
  })

  it('rejects an aborted acquisition with the reason as it is', async () => {
    const clock = new VirtualClock(0)
    const limiter = new RateLimiter(new TimerQueue(clock), 1)
    limiter.acquire()
    for (const reason of ['a string', undefined, 42, new Error('an error')]) {
      const controller = new AbortController()
      const slot = limiter.acquire(controller.signal)
      controller.abort(reason)
      await expect(slot).rejects.toBe(controller.signal.reason)
    }
  })
})
