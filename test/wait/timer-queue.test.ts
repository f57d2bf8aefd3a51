import { describe, expect, it } from 'vitest'
import { TimerQueue } from '../../src/wait/timer-queue.js'
import { VirtualClock } from '../support/virtual-clock.js'

describe('TimerQueue', () => {
  it('runs callbacks in due order (ties in insertion order) on one underlying timer', async () => {
    const clock = new VirtualClock(0)
    const queue = new TimerQueue(clock)
    const order: string[] = []
    for (const [name, at] of [
      ['c', 300],
      ['a', 100],
      ['b', 200],
      ['a2', 100],
      ['d', 400],
    ] as const) {
      queue.schedule(at, () => order.push(name))
    }
    expect(clock.pending).toBe(1)
    expect(queue.size).toBe(5)
    await clock.advance(250)
    expect(order).toEqual(['a', 'a2', 'b'])
    await clock.advance(1_000)
    expect(order).toEqual(['a', 'a2', 'b', 'c', 'd'])
    expect(clock.pending).toBe(0)
  })

  it('cancelling the earliest re-arms for the next; cancelling all leaves no timer', async () => {
    const clock = new VirtualClock(0)
    const queue = new TimerQueue(clock)
    const fired: number[] = []
    const entries = [500, 100, 300].map((at) => queue.schedule(at, () => fired.push(at)))
    queue.cancel(entries[1])
    queue.cancel(entries[1])
    await clock.advance(400)
    expect(fired).toEqual([300])
    queue.cancel(entries[0])
    expect(clock.pending).toBe(0)
    expect(queue.size).toBe(0)
  })

  it('keeps the heap ordered through many random inserts and removals', async () => {
    const clock = new VirtualClock(0)
    const queue = new TimerQueue(clock)
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const fired: number[] = []
    const expected: number[] = []
    for (let index = 0; index < 500; index++) {
      const at = Math.floor(random() * 10_000)
      const entry = queue.schedule(at, () => fired.push(at))
      if (random() < 0.3) queue.cancel(entry)
      else expected.push(at)
    }
    await clock.advance(10_000)
    expect(fired).toEqual(expected.sort((a, b) => a - b))
  })

  it("calls an object target's onTimer, so callers need no closure", async () => {
    const clock = new VirtualClock(0)
    const queue = new TimerQueue(clock)
    const target = {
      calls: 0,
      onTimer() {
        this.calls++
      },
    }
    queue.schedule(10, target)
    await clock.advance(10)
    expect(target.calls).toBe(1)
  })

  it('caps one underlying delay at 2^31-1 ms and re-arms until the due time', async () => {
    const clock = new VirtualClock(0)
    const queue = new TimerQueue(clock)
    let fired = false
    queue.schedule(3_000_000_000, () => {
      fired = true
    })
    expect(clock.delays).toEqual([2_147_483_647])
    await clock.advance(2_147_483_647)
    expect(fired).toBe(false)
    await clock.advance(3_000_000_000 - 2_147_483_647)
    expect(fired).toBe(true)
  })

  it('sleepUntil resolves at the time, or rejects with the signal reason and leaves no timer', async () => {
    const clock = new VirtualClock(0)
    const queue = new TimerQueue(clock)
    const done = queue.sleepUntil(1_000)
    await clock.advance(1_000)
    await expect(done).resolves.toBeUndefined()
    const controller = new AbortController()
    const aborted = queue.sleepUntil(5_000, controller.signal)
    controller.abort('stop')
    await expect(aborted).rejects.toBe('stop')
    expect(clock.pending).toBe(0)
    await expect(queue.sleepUntil(10, AbortSignal.abort('early'))).rejects.toBe('early')
  })
})
