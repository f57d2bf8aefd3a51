import type { ClientDownloadOptions, ClientDownloadResult } from './client/download.js'
import { createReader } from './client/read.js'
import { taskIdOf } from './client/task-id-of.js'
import { createWaits } from './client/waits.js'
import { VideoTaskError } from './errors.js'
import type { VideoTask, VideoTaskDetails, VideoTaskOf } from './model.js'
import { checkGetTaskOptions, resolveClientOptions } from './options/resolve-options.js'
import { resolveScheduleOptions, type ScheduleOptions } from './options/schedule-options.js'
import { assertTaskId, type Provider } from './providers/define-provider.js'
import { retryTransient } from './retry-policy.js'
import type { TaskIdOrRef } from './task-ref.js'
import {
  createDownloadTransport,
  createTransport,
  type DownloadTransport,
  type Transport,
  type TransportOptions,
} from './transport.js'
import type { LoopDependencies, PollLoop } from './wait/poll-loop.js'
import { type PollState, parsePollState } from './wait/poll-state.js'
import { RateLimiter } from './wait/rate-limiter.js'
import type { Observation } from './wait/schedule.js'
import type { SubscriptionOptions, WaitHost } from './wait/subscription.js'
import { type Clock, TimerQueue } from './wait/timer-queue.js'
import { watchIterator } from './wait/watch.js'

export type {
  ClientDownloadOptions,
  ClientDownloadResult,
  DownloadOutputInfo,
  DownloadTarget,
} from './client/download.js'
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
  /**
   * Downloads a finished task's outputs (every one, or the one `output` picks), wherever the
   * vendor keeps them: the task's URL, the key-protected content route (the key goes to the
   * provider's origin only, never through a redirect elsewhere), a file id resolved through the
   * vendor's file API. To a path, the bytes go to a temporary file renamed into place once
   * complete and checked; a dropped connection resumes with `Range`; an expired link is fetched
   * again once. Given an id or a `TaskRef`, reads the task first: one still running is a
   * `TaskNotReadyError`, a failed one a `TaskFailedError`.
   *
   * @example
   * ```ts
   * const [result] = await client.download(task, { to: 'out.mp4' })
   * console.log(`${result.bytes} bytes in ${result.path}`)
   * await client.download(ref, { to: 'clip-{index}.mp4' }) // several outputs (result_urls)
   * ```
   */
  download(
    task: TaskIdOrRef | VideoTask<TDetails>,
    options: ClientDownloadOptions,
  ): Promise<ClientDownloadResult[]>
  /**
   * Something outside (a vendor callback, a queue message, a user's click) says the task may
   * have changed: a wait on it reads now instead of at its next scheduled time, within the
   * client's rate cap. Nudges arriving together collapse into one read. The read, not whatever
   * said so, decides the result. Returns whether a wait on the task was running (`false` is a
   * no-op).
   *
   * @example
   * ```ts
   * app.post('/hooks/video', (req, res) => { client.nudge(req.body.task_id); res.end() })
   * ```
   */
  nudge(task: TaskIdOrRef): boolean
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
  const { provider, clock, random, maxRequestsPerSecond, defaults } = resolveClientOptions(options)
  const ownsTransport = options.transport === undefined
  const transport = options.transport ?? createTransport(options)
  const queue = new TimerQueue(clock)
  const reader = createReader(
    provider,
    transport,
    new RateLimiter(queue, maxRequestsPerSecond),
    queue,
    random,
  )
  const loops = new Map<string, PollLoop>()
  // One object for all of this client's loops.
  const loopDependencies: LoopDependencies = {
    read: reader.read,
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
  let downloads: DownloadTransport | undefined
  const retryRuntime = {
    sleep: (delayMs: number, signal: AbortSignal | undefined) =>
      queue.sleepUntil(queue.now() + delayMs, signal),
    random,
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
      const result = await reader.read(taskId, settings, getOptions.signal, () => {})
      return result.task
    },
    async observe(taskId, observeOptions = {}) {
      if (closed) throw closedError()
      assertTaskId(taskId)
      checkGetTaskOptions(observeOptions, 'observe')
      return reader.observe(taskId, observeOptions.signal)
    },
    async download(task, downloadOptions) {
      if (closed) throw closedError()
      // Loaded on first use: a process that only waits never evaluates the download code.
      const { downloadTask } = await import('./client/download.js')
      return downloadTask(
        {
          provider,
          transport,
          downloadTransport: () => {
            downloads ??= createDownloadTransport({ fetch: options.fetch })
            return downloads
          },
          getTask: (taskId, signal) => client.getTask(taskId, { signal }),
          retry: (attempt, signal) =>
            retryTransient(attempt, defaults.retries, defaults, retryRuntime, signal),
          now: () => queue.now(),
        },
        task,
        downloadOptions,
      )
    },
    nudge(task) {
      const taskId = taskIdOf(provider as Provider<VideoTaskDetails>, task, 'nudge')
      return loops.get(taskId)?.nudge() ?? false
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
      await downloads?.close()
    },
    [Symbol.asyncDispose]() {
      return client.close()
    },
  }
  return client
}
