import type { VideoTaskDetails } from '../model.js'
import type { ResolvedScheduleOptions } from '../options/schedule-options.js'
import type { Provider } from '../providers/define-provider.js'
import { retryTransient } from '../retry-policy.js'
import type { Transport } from '../transport.js'
import type { RateLimiter } from '../wait/rate-limiter.js'
import type { Observation } from '../wait/schedule.js'
import type { TimerQueue } from '../wait/timer-queue.js'
import { observationOfFailure, readTask, type TaskRead } from './read-task.js'

/** The reads of one client: one request, or one read with the retry policy's retries. */
export interface Reader<TDetails extends VideoTaskDetails> {
  /**
   * One read with retries inside it; `onRequest` is called before each HTTP request, and
   * `onFailure` with each request's failure (not an abort).
   */
  read(
    taskId: string,
    settings: ResolvedScheduleOptions,
    signal: AbortSignal | undefined,
    onRequest: () => void,
    onFailure?: (error: unknown) => void,
  ): Promise<TaskRead<TDetails>>
  /** Exactly one request, no retries: the task or the classified failure. */
  observe(taskId: string, signal: AbortSignal | undefined): Promise<Observation>
}

/** Joins the provider, the transport, the rate limit and the retry policy for one client. */
export function createReader<TDetails extends VideoTaskDetails>(
  provider: Provider<TDetails>,
  transport: Transport,
  limiter: RateLimiter,
  queue: TimerQueue,
  random: () => number,
  routeOf: (taskId: string) => string | undefined = () => undefined,
): Reader<TDetails> {
  // Wall-clock: `receivedAt` is a timestamp, and an HTTP-date `Retry-After` is read against it.
  const now = () => queue.wallNow()
  const runtime = {
    sleep: (delayMs: number, signal: AbortSignal | undefined) =>
      queue.sleepUntil(queue.now() + delayMs, signal),
    random,
  }
  const once = async (
    taskId: string,
    signal: AbortSignal | undefined,
    onRequest: () => void,
  ): Promise<TaskRead<TDetails>> => {
    const slot = limiter.acquire(signal)
    if (slot) await slot
    // Aborted while it waited for its slot (or the client closed): nothing is sent.
    signal?.throwIfAborted()
    onRequest()
    return readTask(provider, transport, taskId, { signal, now, route: routeOf(taskId) })
  }
  const noop = () => {}
  return {
    read(taskId, settings, signal, onRequest, onFailure) {
      const attempt = onFailure
        ? () =>
            once(taskId, signal, onRequest).catch((error: unknown) => {
              if (!signal?.aborted) onFailure(error)
              throw error
            })
        : () => once(taskId, signal, onRequest)
      return retryTransient(attempt, settings.retries, settings, runtime, signal)
    },
    async observe(taskId, signal) {
      try {
        const { task, pollHintMs } = await once(taskId, signal, noop)
        return { kind: 'task', task, pollHintMs }
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        return observationOfFailure(error)
      }
    },
  }
}
