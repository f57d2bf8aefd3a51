import type { TimerQueue } from './timer-queue.js'

/**
 * Spaces requests evenly so a client never sends more than `perSecond` in any second, however
 * many waits it runs. First come, first served; an aborted request gives its place up.
 */
export class RateLimiter {
  readonly #queue: TimerQueue
  readonly #spacingMs: number
  #nextSlot = Number.NEGATIVE_INFINITY

  constructor(queue: TimerQueue, perSecond: number) {
    this.#queue = queue
    this.#spacingMs = Number.isFinite(perSecond) ? 1000 / perSecond : 0
  }

  /** Resolves when the caller may send; rejects with the signal's reason if aborted first. */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    if (this.#spacingMs === 0) return undefined
    const now = this.#queue.now()
    const slot = Math.max(now, this.#nextSlot)
    this.#nextSlot = slot + this.#spacingMs
    return slot > now ? this.#queue.sleepUntil(slot, signal) : undefined
  }
}
