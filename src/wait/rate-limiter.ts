import type { TimerEntry, TimerQueue } from './timer-queue.js'

/** One caller waiting for its turn. */
interface Pending {
  resolve: () => void
  reject: (reason: unknown) => void
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
  /** Set once granted or aborted: a gone entry is skipped when its turn comes. */
  gone: boolean
}

/**
 * Spaces requests evenly so a client never sends more than `perSecond` in any one-second window,
 * however many waits it runs. First come, first served.
 *
 * The spacing is measured from the last grant actually made, not from slots reserved ahead: a
 * caller that aborts while queued leaves nothing behind (1,000 aborted waits cost the next
 * request nothing), and a timer that fires late (a blocked event loop) grants one caller, then
 * spaces the next from then, so stored-up slots never come out as a burst.
 */
export class RateLimiter {
  readonly #queue: TimerQueue
  readonly #spacingMs: number
  #lastGrantAt = Number.NEGATIVE_INFINITY
  // A FIFO with a moving head: aborted entries are marked gone and skipped, never spliced out.
  #pending: Pending[] = []
  #head = 0
  #live = 0
  #timer: TimerEntry | null = null

  constructor(queue: TimerQueue, perSecond: number) {
    this.#queue = queue
    this.#spacingMs = Number.isFinite(perSecond) ? 1000 / perSecond : 0
  }

  /**
   * Resolves when the caller may send (`undefined`: at once); rejects with the signal's reason,
   * as it is, if aborted first.
   */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    if (this.#spacingMs === 0) return undefined
    if (signal?.aborted) return Promise.reject(signal.reason)
    const now = this.#queue.now()
    if (this.#live === 0 && now >= this.#lastGrantAt + this.#spacingMs) {
      this.#lastGrantAt = now
      return undefined
    }
    return new Promise<void>((resolve, reject) => {
      const entry: Pending = { resolve, reject, signal, onAbort: undefined, gone: false }
      if (signal) {
        entry.onAbort = () => {
          if (entry.gone) return
          entry.gone = true
          this.#live--
          reject(signal.reason)
          if (this.#live === 0) this.#reset()
        }
        signal.addEventListener('abort', entry.onAbort, { once: true })
      }
      this.#pending.push(entry)
      this.#live++
      this.#arm()
    })
  }

  /** Nobody waits: drop the queue and its timer, so an idle client holds nothing. */
  #reset(): void {
    this.#pending = []
    this.#head = 0
    this.#queue.cancel(this.#timer)
    this.#timer = null
  }

  #arm(): void {
    if (this.#timer || this.#live === 0) return
    this.#timer = this.#queue.schedule(this.#lastGrantAt + this.#spacingMs, this)
  }

  /** A turn is due (called by the timer queue). */
  onTimer(): void {
    this.#timer = null
    const now = this.#queue.now()
    if (now < this.#lastGrantAt + this.#spacingMs) {
      this.#arm()
      return
    }
    while (this.#head < this.#pending.length) {
      const entry = this.#pending[this.#head] as Pending
      this.#pending[this.#head] = undefined as unknown as Pending
      this.#head++
      if (entry.gone) continue
      entry.gone = true
      this.#live--
      if (entry.signal && entry.onAbort) entry.signal.removeEventListener('abort', entry.onAbort)
      this.#lastGrantAt = now
      entry.resolve()
      break
    }
    if (this.#live === 0) this.#reset()
    else {
      if (this.#head > 1024 && this.#head * 2 > this.#pending.length) {
        this.#pending = this.#pending.slice(this.#head)
        this.#head = 0
      }
      this.#arm()
    }
  }
}
