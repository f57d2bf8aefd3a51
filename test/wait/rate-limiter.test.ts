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
