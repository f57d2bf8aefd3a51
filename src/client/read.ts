import { secretsOf } from '../internal/redact.js'
import type { RetryEvent, RetryListener } from '../logger.js'
import type { VideoTaskDetails } from '../model.js'
import type { ResolvedScheduleOptions } from '../options/schedule-options.js'
import type { Provider } from '../providers/define-provider.js'
import { retryTransient } from '../retry-policy.js'
import type { Transport } from '../transport.js'
import type { RateLimiter } from '../wait/rate-limiter.js'
import type { Observation } from '../wait/schedule.js'
import type { TimerQueue } from '../wait/timer-queue.js'
import { type ClientLog, errorFields } from './log.js'
import { observationOfFailure, readOnce, type TaskRead } from './read-task.js'

/** The reads of one client: one request, or one read with the retry policy's retries. */
export interface Reader<TDetails extends VideoTaskDetails> {
  /**
   * One read with retries inside it; `onRequest` is called before each HTTP request,
   * `onFailure` with each request's failure (not an abort), `onRetry` (the call's own listener,
   * after the client's) before each retry.
   */
  read(
    taskId: string,
    settings: ResolvedScheduleOptions,
    signal: AbortSignal | undefined,
    onRequest: () => void,
    onFailure?: (error: unknown) => void,
    onRetry?: RetryListener | undefined,
  ): Promise<TaskRead<TDetails>>
  /**
   * Reports a retry the schedule decided (a read that failed after its retries): logs it and
   * calls the client's `onRetry`. The loop calls each wait's own listener.
   */
  retried(event: RetryEvent): void
  /** Logs at `level` about `taskId`, with the provider's secrets redacted. */
  log: (
    level: 'debug' | 'info' | 'warn' | 'error',
    taskId: string,
    message: string,
    fields?: Record<string, unknown>,
  ) => void
  /** Whether `level` is logged. */
  logs(level: 'debug' | 'info' | 'warn' | 'error'): boolean
  /** Exactly one request, no retries: the task or the classified failure. */
  observe(taskId: string, signal: AbortSignal | undefined): Promise<Observation>
}

/** What the client says about its reads: its log and its `onRetry`. */
export interface ReaderReports {
  /** The client's log (silent by default). */
  log: ClientLog
  /** The client's `onRetry`. */
  onRetry?: RetryListener | undefined
}

/** Joins the provider, the transport, the rate limit and the retry policy for one client. */
export function createReader<TDetails extends VideoTaskDetails>(
  provider: Provider<TDetails>,
  transport: Transport,
  limiter: RateLimiter,
  queue: TimerQueue,
  random: () => number,
  routeOf: (taskId: string) => string | undefined = () => undefined,
  reports: ReaderReports = { log: { enabled: () => false, write: () => {} } },
): Reader<TDetails> {
  // Wall-clock: `receivedAt` is a timestamp, and an HTTP-date `Retry-After` is read against it.
  const now = () => queue.wallNow()
  const sleep = (delayMs: number, signal: AbortSignal | undefined) =>
    queue.sleepUntil(queue.now() + delayMs, signal)
  const runtime = { sleep, random }
  const { log: clientLog, onRetry: clientOnRetry } = reports
  // The key as every form the transport redacts; only computed when a line is written.
  const secrets = (taskId: string): string[] => {
    try {
      return secretsOf(provider.buildRequest(taskId).headers)
    } catch {
      return []
    }
  }
  const log: Reader<TDetails>['log'] = (level, taskId, message, fields = {}) => {
    if (!clientLog.enabled(level)) return
    clientLog.write(level, message, { taskId, provider: provider.id, ...fields }, secrets(taskId))
  }
  const retried = (event: RetryEvent) => {
    if (clientLog.enabled('info')) {
      const limited = event.reason === 'retry-after' || errorFields(event.error).reason === '429'
      const fields = errorFields(event.error)
      log(
        limited ? 'warn' : 'info',
        event.taskId,
        `${limited ? 'rate limited' : 'retrying'} (${fields.reason}): ${
          event.scope === 'request' ? 'request' : 'read'
        } ${event.attempt} of task ${event.taskId} failed, next in ${Math.round(event.delayMs)} ms: ${fields.errorMessage}`,
        {
          attempt: event.attempt,
          delayMs: Math.round(event.delayMs),
          scope: event.scope,
          retryReason: event.reason,
          ...fields,
        },
      )
    }
    clientOnRetry?.(event)
  }
  const logRead = (taskId: string) => (result: TaskRead<TDetails>) => {
    const { status, vendorStatus, progress } = result.task
    log('debug', taskId, `read task ${taskId}: ${status} (${vendorStatus})`, {
      status,
      vendorStatus,
      progress,
    })
    return result
  }
  const send = (taskId: string, signal: AbortSignal | undefined, onRequest: () => void) => {
    // Aborted while it waited for its slot (or the client closed): nothing is sent.
    signal?.throwIfAborted()
    onRequest()
    const read = readOnce(provider, transport, taskId, signal, now, routeOf(taskId))
    return clientLog.enabled('debug') ? read.then(logRead(taskId)) : read
  }
  const waitForSlot = async (
    slot: Promise<void>,
    taskId: string,
    signal: AbortSignal | undefined,
    onRequest: () => void,
  ): Promise<TaskRead<TDetails>> => {
    if (clientLog.enabled('debug')) {
      log('debug', taskId, `waiting for the client's request rate cap (maxRequestsPerSecond)`)
    }
    await slot
    return send(taskId, signal, onRequest)
  }
  // Not async: a read that needs no rate-cap slot is the read's own promise, one layer less per
  // read (npm run bench figure 1).
  const once = (
    taskId: string,
    signal: AbortSignal | undefined,
    onRequest: () => void,
  ): Promise<TaskRead<TDetails>> => {
    try {
      const slot = limiter.acquire(signal)
      if (slot) return waitForSlot(slot, taskId, signal, onRequest)
      return send(taskId, signal, onRequest)
    } catch (error) {
      return Promise.reject(error)
    }
  }
  const noop = () => {}
  const quiet = clientOnRetry === undefined && !clientLog.enabled('info')
  return {
    read(taskId, settings, signal, onRequest, onFailure, onRetry) {
      const attempt = onFailure
        ? () =>
            once(taskId, signal, onRequest).catch((error: unknown) => {
              if (!signal?.aborted) onFailure(error)
              throw error
            })
        : () => once(taskId, signal, onRequest)
      // Most clients neither log nor listen: their reads allocate no reporting closure.
      const readRuntime =
        quiet && onRetry === undefined
          ? runtime
          : {
              sleep,
              random,
              onRetry: (attemptNumber: number, error: unknown, delayMs: number, after: boolean) => {
                const event: RetryEvent = {
                  taskId,
                  attempt: attemptNumber,
                  error,
                  delayMs,
                  scope: 'request',
                  reason: after ? 'retry-after' : 'backoff',
                }
                retried(event)
                onRetry?.(event)
              },
            }
      return retryTransient(attempt, settings.retries, settings, readRuntime, signal)
    },
    retried,
    log,
    logs: (level) => clientLog.enabled(level),
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
