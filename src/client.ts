import { createReader } from './client/read.js'
import { createWaits } from './client/waits.js'
import { VideoTaskError } from './errors.js'
import { errorFields, type Logger, type LogLevel, type RetryListener } from './logger.js'
import type { VideoTask, VideoTaskDetails, VideoTaskOf } from './model.js'
import { checkGetTaskOptions, resolveClientOptions } from './options/resolve-options.js'
import { resolveScheduleOptions, type ScheduleOptions } from './options/schedule-options.js'
import { assertTaskId, type Provider } from './providers/define-provider.js'
import { createTransport, type Transport, type TransportOptions } from './transport.js'
import type { LoopDependencies, PollLoop } from './wait/poll-loop.js'
import { type PollState, parsePollState } from './wait/poll-state.js'
import { RateLimiter } from './wait/rate-limiter.js'
import type { Observation } from './wait/schedule.js'
import type { SubscriptionOptions, WaitHost } from './wait/subscription.js'
import { type Clock, TimerQueue } from './wait/timer-queue.js'
import { watchIterator } from './wait/watch.js'

export type { StatusHandlers, WaitCallbacks } from './wait/subscription.js'

/*
 * The public interfaces and the wiring: the wait engine (src/wait/) knows time, the reader
 * (src/client/read.ts) joins the provider, the transport and the retry policy; this file puts a
 * client together from them.
 */

/** Options of `waitFor`, `watch`, `resume`, `waitForAll` and `waitForAny`. */
export interface WaitOptions<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends ScheduleOptions,
    SubscriptionOptions<TDetails> {}

/** Options of `getTask`. */
export interface GetTaskOptions {
  /** Aborts the read at any moment. */
  signal?: AbortSignal | undefined
  /**
   * Retries after a transient failure.
   * @default the client's `retries` (2)
   */
  retries?: number | undefined
  /** Before each retry of this read, after the client's `onRetry`. A throw ends the read. */
  onRetry?: RetryListener | undefined
}

/** Options of {@link createClient}. Schedule options given here are the client's defaults. */
export interface ClientOptions<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends ScheduleOptions,
    TransportOptions {
  /** The vendor adapter: `openai(...)`, `doubao(...)`, `genericTask(...)`, `checkResult(...)` or `defineProvider(...)`. */
  provider: Provider<TDetails>
  /**
   * A transport to use instead of the built-in one (undici, or `fetch` when given).
   * @default createTransport({ fetch, headersTimeoutMs, bodyTimeoutMs, maxResponseBytes })
   */
  transport?: Transport | undefined
  /**
   * The most requests per second the client sends, over all its waits, spaced evenly.
   * `Infinity` for no cap.
   * @default 100
   */
  maxRequestsPerSecond?: number | undefined
  /**
   * The clock waits run on. Inject a virtual clock to test schedules without sleeping.
   * @default Date.now and the global timers
   */
  clock?: Clock | undefined
  /**
   * Random numbers in [0, 1) for jitter.
   * @default Math.random
   */
  random?: (() => number) | undefined
  /**
   * Where the client logs its retries, rate-limit waits, unknown statuses and give-ups (`info`
   * and `warn`), and each read (`debug`). Lines never hold the key. Silent when neither this,
   * `logLevel` nor the `VIDEO_TASKS_LOG` environment variable (Node) is set.
   * @default none; `console` when `logLevel` or `VIDEO_TASKS_LOG` is set
   * @example
   * ```ts
   * createClient({ provider, logger: pino(), logLevel: 'info' })
   * ```
   */
  logger?: Logger | undefined
  /**
   * How much to log: `debug`, `info`, `warn`, `error` or `off`.
   * @default `VIDEO_TASKS_LOG` if set (Node), else `warn` with a `logger`, else off
   */
  logLevel?: LogLevel | undefined
  /**
   * Called before every retry of every read of this client (`getTask`, the waits): the task id,
   * the attempt, the error and the delay, for metrics or a progress display. A wait's or
   * `getTask`'s own `onRetry` is called after it. A throw ends the read with that error.
   *
   * @example
   * ```ts
   * onRetry: ({ taskId, attempt, error, delayMs }) =>
   *   metrics.increment('video_tasks.retry', { taskId, attempt, delayMs, error: String(error) })
   * ```
   */
  onRetry?: RetryListener | undefined
}

/** A client for one provider. */
export interface VideoTaskClient<TDetails extends VideoTaskDetails = VideoTaskDetails> {
  /** The provider this client reads from. */
  readonly provider: Provider<TDetails>
  /**
   * Reads a task once. Transient failures (network, time limits, 408, 409, 429, 5xx) are retried
   * `retries` times, honouring `Retry-After`.
   *
   * @example
   * ```ts
   * const task = await client.getTask('task_123')
   * console.log(task.status, task.progress)
   * ```
   */
  getTask(taskId: string, options?: GetTaskOptions): Promise<VideoTask<TDetails>>
  /**
   * Polls until the task succeeds, and resolves with it. Rejects with `TaskFailedError`,
   * `TaskCancelledError`, `WaitTimeoutError`, a permanent `ApiError` or
   * `ResponseValidationError`, or the signal's reason.
   *
   * @example
   * ```ts
   * const task = await client.waitFor('task_123', {
   *   timeoutMs: 5 * 60_000,
   *   onProgress: (progress) => console.log(`${progress}%`),
   * })
   * console.log(task.videoUrl)
   * ```
   */
  waitFor(
    taskId: string,
    options?: WaitOptions<TDetails>,
  ): Promise<VideoTaskOf<'succeeded', TDetails>>
  /**
   * The same engine as an async iterator: yields every task read and ends after a final one
   * (succeeded, failed or cancelled: check `task.status`). Throws what `waitFor` throws, except
   * `TaskFailedError` and `TaskCancelledError`. Breaking out of the loop stops polling.
   *
   * @example
   * ```ts
   * for await (const task of client.watch('task_123')) console.log(task.status, task.progress)
   * ```
   */
  watch(taskId: string, options?: WaitOptions<TDetails>): AsyncIterableIterator<VideoTask<TDetails>>
  /**
   * Waits for every task; resolves with them in order once all succeeded. The first rejection
   * rejects the whole and stops the other waits.
   */
  waitForAll(
    taskIds: readonly string[],
    options?: WaitOptions<TDetails>,
  ): Promise<VideoTaskOf<'succeeded', TDetails>[]>
  /**
   * Resolves with the first task to succeed and stops the other waits. Rejects with an
   * `AggregateError` of every wait's error if none succeeds.
   */
  waitForAny(
    taskIds: readonly string[],
    options?: WaitOptions<TDetails>,
  ): Promise<VideoTaskOf<'succeeded', TDetails>>
  /**
   * Continues a wait from a state saved by `onPollState` (after a restart, say): same task, same
   * deadline unless `timeoutMs` is given, same place in the schedule.
   */
  resume(
    state: PollState,
    options?: WaitOptions<TDetails>,
  ): Promise<VideoTaskOf<'succeeded', TDetails>>
  /**
   * Exactly one request, no retries and no loop: the task, or the failure classified by the
   * retry policy (transient with the server's `Retry-After`, or permanent with its typed
   * error), plus the server's poll hint. For a driver that runs `pollStep` itself (a durable
   * queue). Rejects only with the signal's reason, or if the client is closed.
   *
   * @example
   * ```ts
   * const observation = await client.observe('task_123')
   * if (observation.kind === 'error' && !observation.transient) throw observation.error
   * ```
   */
  observe(taskId: string, options?: { signal?: AbortSignal | undefined }): Promise<Observation>
  /** Stops every wait (they reject with a `VideoTaskError`) and closes idle connections. */
  close(): Promise<void>
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>
}

/**
 * Creates a client for one provider.
 *
 * @example
 * ```ts
 * import { createClient, doubao } from 'video-tasks'
 *
 * const client = createClient({
 *   provider: doubao({ baseURL: 'https://gateway.example.com', apiKey: process.env.DOUBAO_KEY! }),
 * })
 * const task = await client.waitFor(taskId, { signal, timeoutMs: 10 * 60_000 })
 * console.log(task.videoUrl)
 * ```
 */
export function createClient<TDetails extends VideoTaskDetails>(
  options: ClientOptions<TDetails>,
): VideoTaskClient<TDetails> {
  const { provider, clock, random, maxRequestsPerSecond, defaults, log, onRetry } =
    resolveClientOptions(options)
  const ownsTransport = options.transport === undefined
  const transport = options.transport ?? createTransport(options)
  const queue = new TimerQueue(clock)
  const reader = createReader(
    provider,
    transport,
    new RateLimiter(queue, maxRequestsPerSecond),
    queue,
    random,
    { log, onRetry },
  )
  const loops = new Map<string, PollLoop>()
  // One object for all of this client's loops.
  const loopDependencies: LoopDependencies = {
    read: reader.read,
    reports: reader,
    queue,
    random,
    onIdle: (idle) => {
      if (loops.get(idle.taskId) === idle) loops.delete(idle.taskId)
    },
  }
  const host: WaitHost = {
    queue,
    waits: new Set(),
    loops,
    loopDependencies,
    providerId: provider.id,
  }
  let closed = false
  const closedError = () => new VideoTaskError('This video-tasks client is closed')

  const { start, wait, group } = createWaits<TDetails>({
    host,
    provider,
    clientOptions: options,
    defaults,
    closedError: () => (closed ? closedError() : null),
  })

  const client: VideoTaskClient<TDetails> = {
    provider,
    async getTask(taskId, getOptions = {}) {
      if (closed) throw closedError()
      assertTaskId(taskId)
      checkGetTaskOptions(getOptions)
      const settings =
        getOptions.retries === undefined
          ? defaults
          : resolveScheduleOptions(provider.pollDefaults, options, { retries: getOptions.retries })
      try {
        const result = await reader.read(
          taskId,
          settings,
          getOptions.signal,
          () => {},
          getOptions.onRetry,
        )
        return result.task
      } catch (error) {
        if (reader.logs('warn') && !getOptions.signal?.aborted && error instanceof VideoTaskError) {
          if (error.retryable) {
            reader.log(
              'warn',
              taskId,
              `giving up on reading task ${taskId} after ${settings.retries + 1} attempts`,
              {
                attempts: settings.retries + 1,
                ...errorFields(error),
              },
            )
          }
        }
        throw error
      }
    },
    async observe(taskId, observeOptions = {}) {
      if (closed) throw closedError()
      assertTaskId(taskId)
      checkGetTaskOptions(observeOptions, 'observe')
      return reader.observe(taskId, observeOptions.signal)
    },
    waitFor: (taskId, waitOptions) => wait(taskId, waitOptions),
    resume(state, waitOptions) {
      let parsed: PollState
      try {
        parsed = parsePollState(state)
      } catch (error) {
        return Promise.reject(error)
      }
      if (parsed.provider !== provider.id) {
        return Promise.reject(
          new TypeError(
            `Expected \`state\` of provider ${provider.id}, got one of ${parsed.provider}`,
          ),
        )
      }
      return wait(parsed.taskId, waitOptions, 'resume', parsed)
    },
    watch: (taskId, waitOptions = {}) =>
      watchIterator<TDetails>((sink) => start(taskId, waitOptions, 'watch', null, sink)),
    waitForAll: (taskIds, waitOptions = {}) =>
      group(taskIds, waitOptions, 'waitForAll', (waits) => Promise.all(waits)),
    waitForAny: (taskIds, waitOptions = {}) =>
      group(taskIds, waitOptions, 'waitForAny', (waits) => Promise.any(waits)),
    async close() {
      if (closed) return
      closed = true
      const error = closedError()
      for (const subscription of [...host.waits]) subscription.leave(error)
      if (ownsTransport) await transport.close()
    },
    [Symbol.asyncDispose]() {
      return client.close()
    },
  }
  return client
}
