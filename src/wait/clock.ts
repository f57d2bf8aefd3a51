/*
 * The clock: its own module, so that `createClient` takes the default one without loading the
 * timer queue (it loads with the client's core on the first call; issue 12).
 */

/**
 * The clock a client runs on: the time and one timer. Inject a virtual one to run waits in
 * virtual time; the default is `performance.now` (monotonic), `Date.now` for timestamps, and the
 * global timers.
 */
export interface Clock {
  /**
   * The time deadlines and schedules run on, in milliseconds. It should be monotonic: a
   * wall-clock step (NTP, a resumed VM, a user changing the date) must not move it.
   */
  now(): number
  /**
   * Milliseconds since the epoch, for the timestamps handed to users (`PollState`,
   * `task.receivedAt`-like fields). Deadlines never read it.
   * @default `now()`, for a virtual clock whose `now()` is already epoch time
   */
  wallNow?(): number
  /** Calls `callback` after `delayMs`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, delayMs: number): unknown
  /** Cancels a timer made by `setTimeout`. */
  clearTimeout(handle: unknown): void
}

/**
 * The real clock: `performance.now()` from the time origin, so it reads like epoch time at
 * start but never steps with the wall clock. Looks the globals up on each call so fake timers
 * installed later apply.
 */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}
