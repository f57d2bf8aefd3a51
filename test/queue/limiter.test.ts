import { limiterFor } from 'video-tasks/queue'
import { describe, expect, it } from 'vitest'

/*
 * BullMQ's limiter lets `max` jobs start in a fixed window of `duration` ms that opens at the
 * first start after the previous one closed. The worst case for a sliding one-second window is
 * every window opened the moment the last closed, with all its starts at once, late in a
 * window or early: simulated here, with the driver's 50 ms allowance for a request leaving
 * later than its job started.
 */
function worstSlidingSecond(limiter: { max: number; duration: number }, spanMs: number): number {
  const starts: number[] = []
  for (let open = 0; open < 5 * spanMs; open += limiter.duration) {
    for (let index = 0; index < limiter.max; index++) starts.push(open)
  }
  let worst = 0
  let first = 0
  for (let last = 0; last < starts.length; last++) {
    while ((starts[last] as number) - (starts[first] as number) >= spanMs) first++
    worst = Math.max(worst, last - first + 1)
  }
  return worst
}

describe('limiterFor', () => {
  it.each([1, 2, 3, 7, 20, 49, 50, 51, 100, 101, 150, 250, 999, 1_000, 5_000, 123_456])(
    'keeps %d/s in every window of one second plus 50 ms, and lets most of it through',
    (cap) => {
      const limiter = limiterFor(cap)
      expect(Number.isInteger(limiter.max) && limiter.max >= 1).toBe(true)
      expect(Number.isInteger(limiter.duration) && limiter.duration >= 1).toBe(true)
      expect(worstSlidingSecond(limiter, 1_050)).toBeLessThanOrEqual(cap)
      // Not a stall: steady throughput near the cap (integer milliseconds cost the most at
      // caps just above 100/s).
      expect((limiter.max * 1000) / limiter.duration).toBeGreaterThanOrEqual(
        Math.min(cap * 0.85, cap - 1),
      )
    },
  )
})
