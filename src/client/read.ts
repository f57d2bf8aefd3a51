import type { VideoTaskDetails } from '../model.js'
import type { ResolvedScheduleOptions } from '../options/schedule-options.js'
import type { Provider } from '../providers/define-provider.js'
import { classifyFailure, retryTransient } from '../retry-policy.js'
import type { Transport } from '../transport.js'
import type { RateLimiter } from '../wait/rate-limiter.js'
import type { Observation } from '../wait/schedule.js'
import type { TimerQueue } from '../wait/timer-queue.js'
import { readTask, type TaskRead } from './read-task.js'

/** The reads of one client: one request, or one read with the retry policy's retries. */
export interface Reader<TDetails extends VideoTaskDetails> {
  /** One read with retries inside it; `onRequest` is called before each HTTP request. */
  read(
    taskId: string,
    settings: ResolvedScheduleOptions,
    signal: AbortSignal | undefined,
    onRequest: () => void,
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
  const now = () => queue.now()
  const runtime = {
    sleep: (delayMs: number, signal: AbortSignal | undefined) =>
      queue.sleepUntil(now() + delayMs, signal),
    random,
  }
  const once = async (
    taskId: string,
    signal: AbortSignal | undefined,
    onRequest: () => void,
  ): Promise<TaskRead<TDetails>> => {
    const slot = limiter.acquire(signal)
    if (slot) await slot
    onRequest()
    return readTask(provider, transport, taskId, { signal, now, route: routeOf(taskId) })
  }
  const noop = () => {}
  return {
    read(taskId, settings, signal, onRequest) {
      return retryTransient(
        () => once(taskId, signal, onRequest),
        settings.retries,
        settings,
        runtime,
        signal,
      )
    },
    async observe(taskId, signal) {
      try {
        const { task, pollHintMs } = await once(taskId, signal, noop)
        return { kind: 'task', task, pollHintMs }
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        const { transient, retryAfterMs } = classifyFailure(error)
        return { kind: 'error', error, transient, retryAfterMs }
      }
    },
  }
}
