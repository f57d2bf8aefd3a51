import type { Clock } from '../../src/wait/timer-queue.js'

interface Timer {
  at: number
  id: number
  callback: () => void
}

/** Lets pending I/O callbacks and promise chains run (real event-loop turns, no virtual time). */
export async function flush(turns = 5): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve))
}

/**
 * A clock whose time moves only when told to. Timers fire in order of due time as time is
 * advanced, so schedules, deadlines and retries run in virtual time with exact delays.
 */
export class VirtualClock implements Clock {
  time: number
  #timers: Timer[] = []
  #nextId = 1
  /** Every delay a timer was set for, in order. */
  readonly delays: number[] = []

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start
  }

  now = (): number => this.time

  setTimeout = (callback: () => void, delayMs: number): unknown => {
    const timer = { at: this.time + Math.max(0, delayMs), id: this.#nextId++, callback }
    this.delays.push(delayMs)
    this.#timers.push(timer)
    return timer.id
  }

  clearTimeout = (handle: unknown): void => {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle)
  }

  /** How many timers are pending. */
  get pending(): number {
    return this.#timers.length
  }

  /** When the next timer is due, or `undefined`. */
  get nextAt(): number | undefined {
    return this.#timers.reduce<number | undefined>(
      (soonest, timer) => (soonest === undefined || timer.at < soonest ? timer.at : soonest),
      undefined,
    )
  }

  /** Moves time forward by `ms`, firing every timer due on the way (flushing I/O after each). */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms
    await flush()
    for (;;) {
      const next = this.nextAt
      if (next === undefined || next > target) break
      this.time = Math.max(this.time, next)
      const due = this.#timers.filter((timer) => timer.at <= this.time)
      this.#timers = this.#timers.filter((timer) => timer.at > this.time)
      for (const timer of due.sort((a, b) => a.at - b.at || a.id - b.id)) timer.callback()
      await flush()
    }
    this.time = target
    await flush()
  }

  /**
   * Runs virtual time until `promise` settles: lets I/O finish, then jumps to the next timer,
   * and so on. Fails if it does not settle within `limitMs` of virtual time.
   */
  async run<T>(promise: Promise<T>, limitMs = 24 * 3600_000): Promise<T> {
    let settled = false
    const watched = promise.then(
      (value) => {
        settled = true
        return value
      },
      (error: unknown) => {
        settled = true
        throw error
      },
    )
    watched.catch(() => {})
    const end = this.time + limitMs
    await flush()
    while (!settled) {
      const next = this.nextAt
      if (next === undefined || next > end) {
        await flush(20)
        if (settled) break
        throw new Error(`Promise did not settle (virtual time ${this.time}, next timer ${next})`)
      }
      await this.advance(next - this.time)
    }
    return watched
  }
}
