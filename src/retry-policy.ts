import pRetry from 'p-retry'
import { isRetryableStatus, VideoTaskError } from './errors.js'

/*
 * The one retry policy. Every question "is this worth another request, and after how long?"
 * is answered here:
 *
 * - What is transient: the `retryable` field every `VideoTaskError` carries (the HTTP status
 *   rule, `isRetryableStatus`, fills it for an `ApiError`; a `ConnectionError` is always
 *   transient). Anything that is not a `VideoTaskError` (an abort reason, a bug) is permanent.
 * - `Retry-After`: the `retryAfterMs` field (parsed from `retry-after-ms` / `Retry-After` by the
 *   provider kit), floored at `minIntervalMs` and capped at `maxRetryAfterMs`.
 * - The delays: one doubling backoff formula, used inside a read (from `minIntervalMs`) and by
 *   the schedule between reads (from `intervalMs`).
 * - The split: a transient failure is first retried inside the read (`retries` times, short
 *   delays: a blip should not cost a whole poll interval); once those are spent the read fails
 *   and the schedule backs off (`maxConsecutiveFailures` such reads end the wait).
 */

export { isRetryableStatus }

/** The settings the policy's delays depend on (a subset of the resolved schedule). */
export interface RetryDelaySettings {
  /** The floor for every delay, whatever a server asks. */
  minIntervalMs: number
  /** The cap on a computed backoff. */
  maxIntervalMs: number
  /** The cap on a server's `Retry-After`. */
  maxRetryAfterMs: number
  /** The share, 0 to 1, by which a backoff is shortened (and a `Retry-After` lengthened) at random. */
  jitter: number
}

/** A failed request, classified. */
export interface ClassifiedFailure {
  /** Whether another request may succeed. */
  transient: boolean
  /** The server's requested delay in milliseconds, or `null`. */
  retryAfterMs: number | null
}

const PERMANENT: ClassifiedFailure = Object.freeze({ transient: false, retryAfterMs: null })

/** Whether another request may succeed after `error`: its `retryable` field. */
export function isTransient(error: unknown): boolean {
  return error instanceof VideoTaskError && error.retryable
}

/** Classifies a failure: transient or not, and the server's `Retry-After` if it sent one. */
export function classifyFailure(error: unknown): ClassifiedFailure {
  if (!(error instanceof VideoTaskError)) return PERMANENT
  const retryAfterMs = error.retryAfterMs
  return {
    transient: error.retryable,
    retryAfterMs:
      retryAfterMs !== null && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
        ? retryAfterMs
        : null,
  }
}

/**
 * The one decision between retrying inside a read and ending the read so the schedule backs
 * off: a transient failure with retries left is retried inside; anything else ends the read
 * (a permanent failure then ends the wait; a transient one counts toward
 * `maxConsecutiveFailures`).
 */
export function retryInsideRead(failure: ClassifiedFailure, retriesLeft: number): boolean {
  return failure.transient && retriesLeft > 0
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

/**
 * The delay after the `failures`-th transient failure in a row when the server did not say:
 * `baseMs` doubled per failure, shortened at random by up to `jitter`, within
 * `[minIntervalMs, maxIntervalMs]`.
 *
 * @param random - a number in [0, 1)
 */
export function backoffDelayMs(
  failures: number,
  baseMs: number,
  settings: RetryDelaySettings,
  random: number,
): number {
  return clamp(
    baseMs * 2 ** (failures - 1) * (1 - settings.jitter * random),
    settings.minIntervalMs,
    settings.maxIntervalMs,
  )
}

/**
 * The delay a server's `Retry-After` imposes: lengthened at random by up to `jitter` (so many
 * waits told the same thing do not return together; pass `0` for none), never below
 * `minIntervalMs`, never beyond `maxRetryAfterMs` (unless that is below the floor).
 */
export function retryAfterDelayMs(
  retryAfterMs: number,
  settings: RetryDelaySettings,
  random: number,
): number {
  return clamp(
    retryAfterMs * (1 + settings.jitter * random),
    settings.minIntervalMs,
    Math.max(settings.maxRetryAfterMs, settings.minIntervalMs),
  )
}

/** What runs one attempt of a read and sleeps between attempts (on the client's clock). */
export interface RetryRuntime {
  /** Sleeps until `delayMs` from now; rejects with the signal's reason if aborted first. */
  sleep(delayMs: number, signal: AbortSignal | undefined): Promise<void>
  /** Random numbers in [0, 1) for jitter. */
  random(): number
  /**
   * Called before each sleep: the `attempt`-th request failed with `error` and is retried after
   * `delayMs` (`retryAfter` when the server's `Retry-After` set it). A throw ends the read.
   */
  onRetry?(attempt: number, error: unknown, delayMs: number, retryAfter: boolean): void
}

/**
 * Runs `attempt` and retries it after a transient failure, up to `retries` more times: the
 * retries inside one read. Permanent failures, an aborted signal and the last transient
 * failure reject (the schedule then decides whether to read again later).
 *
 * The first attempt runs outside p-retry: most reads succeed, and p-retry's setup costs about
 * 5 µs a read (npm run bench). p-retry runs the retries; its own timers are the global ones,
 * which neither a virtual clock nor a server's `Retry-After` can steer, so the delay is slept
 * in `onFailedAttempt` on the client's clock (the pattern p-retry's readme gives for a custom
 * delay) with `minTimeout: 0`.
 */
export async function retryTransient<T>(
  attempt: () => Promise<T>,
  retries: number,
  settings: RetryDelaySettings,
  runtime: RetryRuntime,
  signal: AbortSignal | undefined,
): Promise<T> {
  try {
    return await attempt()
  } catch (error) {
    try {
      return await retryAfterFailure(error, attempt, retries, settings, runtime, signal)
    } catch (next) {
      // p-retry wraps whatever is not an Error (a string abort reason) in a TypeError: an
      // aborted read rejects with the signal's reason as it is, whatever p-retry made of it.
      if (signal?.aborted) throw signal.reason
      throw next
    }
  }
}

function retryAfterFailure<T>(
  error: unknown,
  attempt: () => Promise<T>,
  retries: number,
  settings: RetryDelaySettings,
  runtime: RetryRuntime,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (signal?.aborted) throw signal.reason
  const failure = classifyFailure(error)
  if (!retryInsideRead(failure, retries)) throw error
  const delayMs = inReadDelayMs(1, failure, settings, runtime)
  runtime.onRetry?.(1, error, delayMs, failure.retryAfterMs !== null)
  return runtime.sleep(delayMs, signal).then(() =>
    pRetry(attempt, {
      retries: retries - 1,
      minTimeout: 0,
      signal,
      shouldRetry: ({ error: next }) => isTransient(next),
      onFailedAttempt: async ({ error: next, attemptNumber, retriesLeft }) => {
        const classified = classifyFailure(next)
        if (!retryInsideRead(classified, retriesLeft)) return
        // p-retry counts from the first attempt it ran: ours ran before it.
        const nextDelayMs = inReadDelayMs(attemptNumber + 1, classified, settings, runtime)
        runtime.onRetry?.(attemptNumber + 1, next, nextDelayMs, classified.retryAfterMs !== null)
        await runtime.sleep(nextDelayMs, signal)
      },
    }),
  )
}

/*
 * Inside a read the backoff starts at `minIntervalMs` (a blip should cost little) and a
 * `Retry-After` is followed as sent (no jitter: one read's retries do not herd).
 */
function inReadDelayMs(
  failures: number,
  failure: ClassifiedFailure,
  settings: RetryDelaySettings,
  runtime: RetryRuntime,
): number {
  if (failure.retryAfterMs !== null) return retryAfterDelayMs(failure.retryAfterMs, settings, 0)
  return backoffDelayMs(failures, settings.minIntervalMs, settings, runtime.random())
}
