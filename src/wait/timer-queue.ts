import type { Clock } from './clock.js'

export { type Clock, systemClock } from './clock.js'

/** Something to call back: a function, or an object whose `onTimer` is called (no closure). */
export type TimerCallback = (() => void) | { onTimer(): void }

/** A scheduled callback; pass it to `cancel`. */
export interface TimerEntry {
  readonly at: number
  /** @internal */ order: number
  /** @internal */ callback: TimerCallback
  /** @internal Its place in the heap; -1 once it ran or was cancelled. */ index: number
}

type Entry = TimerEntry

/**
 * All the timers of one client on a single underlying timer: a binary heap of due times.
 * Ten thousand waits cost one pending timer, not ten thousand; when nothing is scheduled, no
 * timer is pending, so a process with no work left exits.
 */
export class TimerQueue {
  readonly #clock: Clock
  readonly #heap: Entry[] = []
  #order = 0
  #handle: unknown = undefined
  #armedAt = Number.POSITIVE_INFINITY

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** The clock's time (monotonic: what deadlines and schedules run on). */
  now(): number {
    return this.#clock.now()
  }

  /** Wall-clock milliseconds since the epoch, for timestamps handed to users. */
  wallNow(): number {
    return this.#clock.wallNow ? this.#clock.wallNow() : this.#clock.now()
  }

  /** A time of this clock as wall-clock epoch milliseconds, as of now. */
  toWall(at: number): number {
    return this.#clock.wallNow ? at + (this.#clock.wallNow() - this.#clock.now()) : at
  }

  /** Wall-clock epoch milliseconds as a time of this clock, as of now. */
  fromWall(at: number): number {
    return this.#clock.wallNow ? at - (this.#clock.wallNow() - this.#clock.now()) : at
  }

  /** How many callbacks are scheduled. */
  get size(): number {
    return this.#heap.length
  }

  /**
   * Runs `callback` at `at` (clock time) or as soon after as the event loop allows. A wait keeps
   * its entry rather than a cancel closure: with 10,000 waits, every closure counts.
   */
  schedule(at: number, callback: TimerCallback): TimerEntry {
    const entry: Entry = { at, order: this.#order++, callback, index: this.#heap.length }
    this.#heap.push(entry)
    this.#up(entry.index)
    this.#arm()
    return entry
  }

  /** Cancels an entry; cancelling again, or after it ran, does nothing. */
  cancel(entry: TimerEntry | null | undefined): void {
    if (!entry || entry.index < 0) return
    this.#remove(entry.index)
    this.#arm()
  }

  /** An abortable sleep until `at`: resolves then, or rejects with the signal's reason. */
  sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      const onAbort = () => {
        this.cancel(entry)
        reject(signal?.reason)
      }
      const entry = this.schedule(at, () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  #arm(): void {
    const top = this.#heap[0]
    if (!top) {
      if (this.#handle !== undefined) this.#clock.clearTimeout(this.#handle)
      this.#handle = undefined
      this.#armedAt = Number.POSITIVE_INFINITY
      return
    }
    if (this.#handle !== undefined && this.#armedAt === top.at) return
    if (this.#handle !== undefined) this.#clock.clearTimeout(this.#handle)
    this.#armedAt = top.at
    // Timers above 2^31-1 ms fire at once in Node; re-arm in steps instead.
    const delay = Math.min(Math.max(0, top.at - this.#clock.now()), 2_147_483_647)
    this.#handle = this.#clock.setTimeout(() => this.#fire(), delay)
  }

  #fire(): void {
    // The clock decides, not the timer: a timer may fire a fraction early by the clock's
    // reading, and the entry is then re-armed for the rest (a deadline is never early).
    const now = this.#clock.now()
    this.#handle = undefined
    this.#armedAt = Number.POSITIVE_INFINITY
    const due: Entry[] = []
    for (let top = this.#heap[0]; top && top.at <= now; top = this.#heap[0]) {
      this.#remove(0)
      due.push(top)
    }
    this.#arm()
    for (const entry of due) {
      const callback = entry.callback
      if (typeof callback === 'function') callback()
      else callback.onTimer()
    }
  }

  #remove(index: number): void {
    const heap = this.#heap
    const removed = heap[index] as Entry
    const last = heap.pop() as Entry
    removed.index = -1
    if (last !== removed) {
      heap[index] = last
      last.index = index
      this.#up(index)
      this.#down(last.index)
    }
  }

  #less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order)
  }

  #swap(i: number, j: number): void {
    const heap = this.#heap
    const a = heap[i] as Entry
    const b = heap[j] as Entry
    heap[i] = b
    heap[j] = a
    a.index = j
    b.index = i
  }

  #up(index: number): void {
    let child = index
    while (child > 0) {
      const parent = (child - 1) >> 1
      if (!this.#less(this.#heap[child] as Entry, this.#heap[parent] as Entry)) break
      this.#swap(child, parent)
      child = parent
    }
  }

  #down(index: number): void {
    const heap = this.#heap
    let parent = index
    for (;;) {
      const left = parent * 2 + 1
      const right = left + 1
      let smallest = parent
      if (left < heap.length && this.#less(heap[left] as Entry, heap[smallest] as Entry)) {
        smallest = left
      }
      if (right < heap.length && this.#less(heap[right] as Entry, heap[smallest] as Entry)) {
        smallest = right
      }
      if (smallest === parent) return
      this.#swap(parent, smallest)
      parent = smallest
    }
  }
}
