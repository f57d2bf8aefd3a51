import type { ClientDownloadOptions, ClientDownloadResult } from './client/download.js'
import { createReader } from './client/read.js'
import type {
  CancelOptions,
  GenerateOptions,
  GenerateResult,
  SubmitOptions,
} from './client/submit.js'
import { type SubmitContext, taskIdOf } from './client/submit-context.js'
import { createWaits } from './client/waits.js'
import { VideoTaskError } from './errors.js'
import { followSignals, markShared } from './internal/abort-hub.js'
import { errorFields, type Logger, type LogLevel, type RetryListener } from './logger.js'
import type { VideoTask, VideoTaskDetails, VideoTaskOf } from './model.js'
import { checkGetTaskOptions, resolveClientOptions } from './options/resolve-options.js'
import {
  type ResolvedScheduleOptions,
  resolveScheduleOptions,
  type ScheduleOptions,
} from './options/schedule-options.js'
import type { Provider } from './providers/define-provider.js'
import type { VideoInput } from './providers/kit/lifecycle.js'
import { retryTransient } from './retry-policy.js'
import type { TaskIdOrRef, TaskRef } from './task-ref.js'
import {
  cancelRequestsOn,
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
export type {
  CancelOptions,
  GenerateOptions,
  GenerateResult,
  SubmitOptions,
} from './client/submit.js'
export type { StatusHandlers, WaitCallbacks } from './wait/subscription.js'

type Submitter<TDetails extends VideoTaskDetails> = ReturnType<
  typeof import('./client/submit.js').createSubmitter<TDetails>
>

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
  getTask(taskId: TaskIdOrRef, options?: GetTaskOptions): Promise<VideoTask<TDetails>>
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
    taskId: TaskIdOrRef,
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
  watch(
    taskId: TaskIdOrRef,
    options?: WaitOptions<TDetails>,
  ): AsyncIterableIterator<VideoTask<TDetails>>
  /**
   * Waits for every task; resolves with them in order once all succeeded. The first rejection
   * rejects the whole and stops the other waits.
   */
  waitForAll(
    taskIds: readonly TaskIdOrRef[],
    options?: WaitOptions<TDetails>,
  ): Promise<VideoTaskOf<'succeeded', TDetails>[]>
  /**
   * Resolves with the first task to succeed and stops the other waits. Rejects with an
   * `AggregateError` of every wait's error if none succeeds.
   */
  waitForAny(
    taskIds: readonly TaskIdOrRef[],
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
  observe(taskId: TaskIdOrRef, options?: { signal?: AbortSignal | undefined }): Promise<Observation>
  /**
   * Creates a task and resolves with its {@link TaskRef} (JSON-safe, no credential): store it
   * before anything else can fail. The input is checked before anything is sent (`TypeError`
   * naming the field, or one the vendor cannot express). The create is resent only when it
   * provably never reached the server, or under the provider's idempotency header; when its
   * answer is lost after it may have arrived, rejects with `SubmitUncertainError` (the task may
   * exist and be billed). A provider without a create rejects with `UnsupportedOperationError`.
   *
   * @example
   * ```ts
   * const ref = await client.submit({ prompt: 'a red fox in snow', durationSeconds: 8 })
   * await db.save(JSON.stringify(ref))
   * ```
   */
  submit(input: VideoInput, options?: SubmitOptions): Promise<TaskRef>
  /**
   * `submit`, then `waitFor`: `onSubmitted(ref)` is awaited before the first read. Resolves
   * with the task, its ref, the time it took and the reads it cost. Every option is checked
   * before the create is sent. `timeoutMs` bounds the whole call, submit included.
   *
   * @example
   * ```ts
   * const { task, elapsedMs, reads } = await client.generate(
   *   { prompt: 'a red fox in snow' },
   *   { onSubmitted: (ref) => db.save(JSON.stringify(ref)), timeoutMs: 10 * 60_000 },
   * )
   * console.log(task.videoUrl, elapsedMs, reads)
   * ```
   */
  generate(
    input: VideoInput,
    options?: GenerateOptions<TDetails>,
  ): Promise<GenerateResult<TDetails>>
  /**
   * Asks the vendor to cancel a task. Rejects with `UnsupportedOperationError` when the provider
   * has no cancel route (none of the four built-in providers' vendors documents one).
   */
  cancel(taskId: TaskIdOrRef, options?: CancelOptions): Promise<void>
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
  /**
   * Stops every pending call (`getTask`, `observe`, waits and groups reject with a
   * `VideoTaskError`), aborts the requests in flight, and closes the connections. Once it
   * resolves, no request leaves the client; it resolves promptly even while a read hangs.
   */
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
  const limiter = new RateLimiter(queue, maxRequestsPerSecond)
  const routes = new Map<string, string>()
  const reader = createReader(provider, transport, limiter, queue, random, (id) => routes.get(id), {
    log,
    onRetry,
  })
  let closed = false
  const closedError = () => new VideoTaskError('This video-tasks client is closed')
  // Aborted by close(): every getTask and observe in flight (a read, a rate-limit slot, a retry
  // sleep) and every group stops at once with the closed error, so no request leaves after
  // close() resolves.
  const closing = new AbortController()
  // A call without a signal of its own passes this one down as is: on Node 20 an AbortController
  // costs about 5 µs (makeTransferable), a sixth of a read's CPU (bench/profile.mjs sdk-get).
  // Every layer below removes its listener when its part ends (test/client/signal.test.ts counts
  // them); a transport the user passed in joins it through one relay for all its requests
  // (markShared, SignalRelay), the client's own cancels all its requests on it. Retry sleeps and rate-capped slots still listen on it directly, any number at
  // once: on Node that must not warn (MaxListenersExceededWarning). EventTarget elsewhere does not.
  unlimitedListeners(closing.signal)
  markShared(closing.signal)
  // The transport this client made cancels all its requests when the client closes, so reads
  // that carry the closing signal give undici none (cancelRequestsOn says why).
  const cancelRequests = ownsTransport ? cancelRequestsOn(transport, closing.signal) : undefined
  /** The signal of one call: the client's own when the caller gave none. */
  const sharedCall = { signal: closing.signal, release: () => {} }
  const callSignal = (signal: AbortSignal | undefined) =>
    signal === undefined ? sharedCall : followSignals(signal, closing.signal)
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
  let downloads: DownloadTransport | undefined
  const retryRuntime = {
    sleep: (delayMs: number, signal: AbortSignal | undefined) =>
      queue.sleepUntil(queue.now() + delayMs, signal),
    random,
  }

  const { start, wait, group } = createWaits<TDetails>({
    host,
    provider,
    clientOptions: options,
    defaults,
    closedError: () => (closed ? closedError() : null),
    closing: closing.signal,
  })

  const submitContext: SubmitContext<TDetails> = {
    ...{ provider, transport, limiter, queue, random, defaults, routes },
    closedError: () => (closed ? closedError() : null),
  }
  // Loaded on the first submit, generate or cancel: a process that only waits never parses the
  // create path and its input checks (bench figure 5).
  let submitter: Promise<Submitter<TDetails>> | undefined
  const loadSubmitter = () =>
    (submitter ??= import('./client/submit.js').then(({ createSubmitter }) =>
      createSubmitter(submitContext),
    ))
  const idOf = (idOrRef: TaskIdOrRef, where: string) => taskIdOf(submitContext, idOrRef, where)
  // Not an array: left to `group`, which refuses it with its own message.
  // getTask with a signal of its own (followed beside the closing one) or a warn log.
  const getTaskWatched = async (
    taskId: string,
    settings: ResolvedScheduleOptions,
    signal: AbortSignal | undefined,
    onRetry: RetryListener | undefined,
  ): Promise<VideoTask<TDetails>> => {
    const call = callSignal(signal)
    try {
      const result = await reader.read(taskId, settings, call.signal, noop, undefined, onRetry)
      return result.task
    } catch (error) {
      if (reader.logs('warn') && !call.signal?.aborted && error instanceof VideoTaskError) {
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
    } finally {
      call.release()
    }
  }
  const idsOf = (idsOrRefs: readonly TaskIdOrRef[], where: string) =>
    (Array.isArray(idsOrRefs)
      ? idsOrRefs.map((each) => (typeof each === 'string' ? each : idOf(each, where)))
      : idsOrRefs) as readonly string[]

  const client: VideoTaskClient<TDetails> = {
    provider,
    getTask(idOrRef, getOptions) {
      let taskId: string
      let settings: ResolvedScheduleOptions
      try {
        if (closed) throw closedError()
        taskId = idOf(idOrRef, 'getTask')
        checkGetTaskOptions(getOptions === undefined ? NO_OPTIONS : getOptions)
        settings =
          getOptions?.retries === undefined
            ? defaults
            : resolveScheduleOptions(provider.pollDefaults, options, {
                retries: getOptions.retries,
              })
      } catch (error) {
        return Promise.reject(error)
      }
      const onRetry = getOptions?.onRetry
      // The common call (no signal of its own, no warn log) is one promise on top of the read:
      // an async wrapper with its try/finally cost about 0.4 KB and 1 µs a read (npm run bench
      // figure 1 at 1,000 reads in flight).
      if (getOptions?.signal === undefined && !reader.logs('warn')) {
        return reader.read(taskId, settings, closing.signal, noop, undefined, onRetry).then(taskOf)
      }
      return getTaskWatched(taskId, settings, getOptions?.signal, onRetry)
    },
    async observe(idOrRef, observeOptions = {}) {
      if (closed) throw closedError()
      const taskId = idOf(idOrRef, 'observe')
      checkGetTaskOptions(observeOptions, 'observe')
      const call = callSignal(observeOptions.signal)
      try {
        return await reader.observe(taskId, call.signal)
      } finally {
        call.release()
      }
    },
    // Not async: an async wrapper holds one more promise and reaction per wait (96 B, npm run
    // bench figure 2) for as long as the wait lasts.
    waitFor(idOrRef, waitOptions) {
      let taskId: string
      try {
        taskId = idOf(idOrRef, 'waitFor')
      } catch (error) {
        return Promise.reject(error)
      }
      return wait(taskId, waitOptions)
    },
    async download(task, downloadOptions) {
      if (closed) throw closedError()
      // Loaded on first use: a process that only waits never evaluates the download code.
      const { downloadTask } = await import('./client/download.js')
      // One listener on a user's signal shared by many downloads (the hub's), and close() stops
      // them: below here everything listens on this call's own signal.
      const given =
        typeof downloadOptions === 'object' && downloadOptions !== null
          ? downloadOptions.signal
          : undefined
      const call =
        given === undefined || given instanceof AbortSignal
          ? followSignals(given, closing.signal)
          : undefined
      const callOptions = call ? { ...downloadOptions, signal: call.signal } : downloadOptions
      try {
        return await downloadTask(
          {
            provider,
            transport,
            downloadTransport: () => {
              downloads ??= createDownloadTransport({ fetch: options.fetch })
              return downloads
            },
            taskIdOf: (target) => idOf(target, 'download'),
            getTask: (taskId, signal) => client.getTask(taskId, { signal }),
            retry: (attempt, signal) =>
              retryTransient(attempt, defaults.retries, defaults, retryRuntime, signal),
            now: () => queue.now(),
          },
          task,
          callOptions,
        )
      } finally {
        call?.release()
      }
    },
    nudge(task) {
      const taskId = idOf(task, 'nudge')
      return loops.get(taskId)?.nudge() ?? false
    },
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
    watch: (idOrRef, waitOptions = {}) =>
      watchIterator<TDetails>((sink) =>
        start(idOf(idOrRef, 'watch'), waitOptions, 'watch', null, sink),
      ),
    submit: async (input, submitOptions) => (await loadSubmitter()).submit(input, submitOptions),
    async generate(input, generateOptions = {}) {
      if (closed) throw closedError()
      const submitter = await loadSubmitter()
      const { submitOptions, waitOptions, onSubmitted } =
        submitter.checkGenerateOptions(generateOptions)
      const startedAt = queue.now()
      const ref = await submitter.submit(input, submitOptions)
      if (onSubmitted) await onSubmitted(ref)
      let reads = 0
      const { timeoutMs } = waitOptions
      const task = await wait(
        ref.taskId,
        {
          ...waitOptions,
          // The deadline counts from the submit.
          ...(timeoutMs === undefined || timeoutMs === Number.POSITIVE_INFINITY
            ? {}
            : { timeoutMs: Math.max(1, timeoutMs - (queue.now() - startedAt)) }),
          onPollState: (state) => {
            reads = state.reads
            waitOptions.onPollState?.(state)
          },
        },
        'generate',
      )
      const outputs = provider.outputs?.(task)
      return {
        task,
        ref,
        elapsedMs: Math.round(queue.now() - startedAt),
        reads,
        ...(outputs === undefined ? {} : { outputs }),
      }
    },
    cancel: async (idOrRef, cancelOptions) =>
      (await loadSubmitter()).cancel(idOrRef, cancelOptions),
    async waitForAll(taskIds, waitOptions = {}) {
      const ids = idsOf(taskIds, 'waitForAll')
      return group(ids, waitOptions, 'waitForAll', (waits) => Promise.all(waits))
    },
    async waitForAny(taskIds, waitOptions = {}) {
      const ids = idsOf(taskIds, 'waitForAny')
      return group(ids, waitOptions, 'waitForAny', (waits) => Promise.any(waits))
    },
    async close() {
      if (closed) return
      closed = true
      const error = closedError()
      closing.abort(error)
      cancelRequests?.()
      // Leaving stops each loop, which aborts its read in flight and cancels its sleep.
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

/**
 * Lifts Node's listener warning limit on a signal the client shares between its own calls
 * (`events.setMaxListeners`, reached through `process.getBuiltinModule` so that no `node:` import
 * enters the bundle); a no-op where there is no such API.
 */
const NO_OPTIONS: GetTaskOptions = Object.freeze({})
const noop = () => {}
const taskOf = <TTask>(read: { task: TTask }): TTask => read.task

function unlimitedListeners(signal: AbortSignal): void {
  try {
    const node = (
      globalThis as {
        process?: { getBuiltinModule?: (id: string) => unknown }
      }
    ).process
    const events = node?.getBuiltinModule?.('node:events') as
      | { setMaxListeners?: (n: number, ...targets: EventTarget[]) => void }
      | undefined
    events?.setMaxListeners?.(0, signal)
  } catch {}
}
