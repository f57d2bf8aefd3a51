import type { Clock } from '../../src/wait/timer-queue.js'

/**
 * A clock that runs `scale` times faster than real time, on real timers: 1 ms of real time is
 * `scale` ms on this clock. Given to a client (`clock`) and to a simulator (`now`), it lets a
 * wait with second-long intervals and `Retry-After: 20` run in a few hundred real milliseconds,
 * over real sockets, with both sides agreeing on the time (so a `Retry-After` HTTP date means
 * the same to both). Transport time limits (`headersTimeoutMs`, `bodyTimeoutMs`) stay real.
 */
export class ScaledClock implements Clock {
  readonly scale: number
  readonly #wallOrigin = Date.now()
  readonly #realOrigin = performance.now()

  constructor(scale: number) {
    if (!(scale >= 1)) throw new RangeError('scale must be at least 1')
    this.scale = scale
  }

  now = (): number => this.#wallOrigin + (performance.now() - this.#realOrigin) * this.scale

  setTimeout = (callback: () => void, delayMs: number): unknown =>
    setTimeout(callback, Math.max(0, delayMs) / this.scale)

  clearTimeout = (handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>)
}
