import type { ClientDownloadOptions, ClientDownloadResult } from './client/download.js'
import type {
  CancelOptions,
  GenerateOptions,
  GenerateResult,
  SubmitOptions,
} from './client/submit.js'
import { VideoTaskError, WaitTimeoutError } from './errors.js'
import type { Logger, LogLevel, RetryListener } from './logger.js'
import type { VideoTask, VideoTaskDetails, VideoTaskOf } from './model.js'
import { type ResolvedClientOptions, resolveClientOptions } from './options/resolve-options.js'
import type { ScheduleOptions } from './options/schedule-options.js'
import type { Provider } from './providers/define-provider.js'
import type { VideoInput } from './providers/kit/lifecycle.js'
import { assertTaskId } from './providers/kit/task-id.js'
import { parseTaskRef, type TaskIdOrRef, type TaskRef } from './task-ref.js'
import type { Transport, TransportOptions } from './transport.js'
import type { PollState } from './wait/poll-state.js'
import type { Observation } from './wait/schedule.js'
import type { SubscriptionOptions } from './wait/subscription.js'
import type { Clock } from './wait/timer-queue.js'

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

/*
 * The public interfaces and `createClient`, which checks the options at once and loads the client
 * itself (src/client/core.ts) and the provider's adapter on the first call.
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
  const resolved = resolveClientOptions(options)
  if (core !== undefined && resolved.provider.load === undefined) {
    return core.createClientCore(options, resolved)
  }
  return lazyClient(options, resolved)
}

type ClientCore = typeof import('./client/core.js')
/** src/client/core.ts once loaded: clients created after it are built at once. */
let core: ClientCore | undefined
let coreLoading: Promise<ClientCore> | undefined
/**
 * Loads the client's core module (once). Internal: the client calls it on its first call; the
 * test setup (test/support/preload.ts) calls it so that virtual-clock tests start ready.
 */
export const loadClientCore = (): Promise<ClientCore> =>
  (coreLoading ??= import('./client/core.js').then(
    (module) => {
      core = module
      return module
    },
    (error: unknown) => {
      coreLoading = undefined
      throw error
    },
  ))

/**
 * Loads the client's code and the given providers' adapters now, which a client otherwise does on
 * its first call (`import()`; about 40 ms for the core and one adapter on Node.js 20 on the
 * benchmark machine, `node bench/first-call.mjs`). Afterwards a client starts its first
 * call in the same tick: load before installing fake timers in a test, or at start-up to keep the
 * load off the first request. A provider of the same vendor created later is ready at once.
 *
 * @example
 * ```ts
 * const provider = doubao({ baseURL, apiKey })
 * await preload(provider)
 * vi.useFakeTimers()
 * const client = createClient({ provider })
 * ```
 */
export async function preload(...providers: Provider[]): Promise<void> {
  await Promise.all([loadClientCore(), ...providers.map((provider) => provider.load?.())])
}

/*
 * A client whose code loads on its first call: every member waits for the core module and the
 * provider's adapter (`Provider.load`), then is the loaded client's. Nothing is sent before; a
 * signal or a deadline given to a call counts from the call, the load included. Closed before the
 * load, it loads nothing and rejects every call as a closed client does.
 */
function lazyClient<TDetails extends VideoTaskDetails>(
  options: ClientOptions<TDetails>,
  resolved: ResolvedClientOptions<Provider<TDetails>>,
): VideoTaskClient<TDetails> {
  const { provider, clock } = resolved
  let ready: VideoTaskClient<TDetails> | undefined
  let loading: Promise<VideoTaskClient<TDetails>> | undefined
  let closed = false
  let coreClosing: Promise<void> | undefined
  const closeCore = (client: VideoTaskClient<TDetails>) => {
    coreClosing ??= client.close()
    return coreClosing
  }
  const closedError = () => new VideoTaskError('This video-tasks client is closed')
  const load = (): Promise<VideoTaskClient<TDetails>> => {
    if (ready) return Promise.resolve(ready)
    if (closed) return Promise.reject(closedError())
    loading ??= Promise.all([loadClientCore(), provider.load?.() ?? provider]).then(
      ([module, loaded]) => {
        const client = module.createClientCore<TDetails>(options, { ...resolved, provider: loaded })
        ready = client
        // Closed while loading: the calls that waited for the load then reject as closed.
        if (closed) void closeCore(client)
        return client
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading
  }
  /*
   * A wait's deadline counts from the call, the load included: the time the load took comes off
   * `timeoutMs` (the call's, or the client's default), as `generate` does after its submit.
   */
  const fromCall = <TOptions extends { timeoutMs?: number | undefined }>(
    given: TOptions | undefined,
    calledAt: number,
  ): TOptions | undefined => {
    if (given !== undefined && !isOptionsObject(given)) return given
    const timeoutMs = given?.timeoutMs ?? resolved.defaults.timeoutMs
    const elapsedMs = clock.now() - calledAt
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || !(elapsedMs > 0)) return given
    return { ...given, timeoutMs: Math.max(1, timeoutMs - elapsedMs) } as TOptions
  }
  type Loaded = VideoTaskClient<TDetails>
  /*
   * The load, as one call waits for it: a signal given to the call rejects the call at once when
   * it aborts, and a wait's deadline (`timed`) holds even if the load never ends (a bundle's
   * chunk that does not arrive), as it does once the client runs.
   */
  const loadFor = (args: unknown[], calledAt: number, timed: boolean): Promise<Loaded> =>
    new Promise<Loaded>((resolve, reject) => {
      const options = isOptionsObject(args[1]) ? (args[1] as { signal?: unknown }) : {}
      const signal = options.signal instanceof AbortSignal ? options.signal : undefined
      const timeoutMs = timed
        ? ((options as WaitOptions).timeoutMs ?? resolved.defaults.timeoutMs)
        : 0
      const settle = (outcome: () => void) => () => {
        signal?.removeEventListener('abort', onAbort)
        if (timer !== undefined) clock.clearTimeout(timer)
        outcome()
      }
      const onAbort = settle(() => reject(signal?.reason))
      // Past the longest delay a timer holds (24.8 days), the wait's own deadline takes over.
      const timer =
        timeoutMs > 0 && timeoutMs <= 2_147_483_647
          ? clock.setTimeout(
              settle(() =>
                reject(
                  new WaitTimeoutError({
                    taskId: idText(args[0]),
                    lastTask: null,
                    elapsedMs: clock.now() - calledAt,
                    reads: 0,
                    timeoutMs,
                  }),
                ),
              ),
              timeoutMs,
            )
          : undefined
      if (signal?.aborted) onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })
      load().then(
        (it) => settle(() => resolve(it))(),
        (error: unknown) => settle(() => reject(error))(),
      )
    })
  // A call made before the load runs on the loaded client; a wait's deadline counts from the call.
  const later =
    <TArguments extends unknown[], TResult>(
      call: (client: Loaded, ...args: TArguments) => TResult,
      timed?: 'timed',
    ) =>
    (...args: TArguments): TResult | Promise<Awaited<TResult>> => {
      if (ready) return call(ready, ...args)
      const calledAt = clock.now()
      return loadFor(args, calledAt, timed === 'timed').then((it) => {
        if (timed) args[1] = fromCall(args[1] as WaitOptions<TDetails>, calledAt)
        return call(it, ...args) as Awaited<TResult>
      })
    }
  const client: Loaded = {
    provider,
    getTask: later((it, first, second) => it.getTask(first, second)),
    observe: later((it, first, second) => it.observe(first, second)),
    waitFor: later((it, first, second) => it.waitFor(first, second), 'timed'),
    watch(taskId, waitOptions) {
      if (ready) return ready.watch(taskId, waitOptions)
      const calledAt = clock.now()
      return lazyIterator(
        loadFor([taskId, waitOptions], calledAt, true).then((it) =>
          it.watch(taskId, fromCall(waitOptions, calledAt)),
        ),
      )
    },
    waitForAll: later((it, first, second) => it.waitForAll(first, second), 'timed'),
    waitForAny: later((it, first, second) => it.waitForAny(first, second), 'timed'),
    resume(state, waitOptions) {
      if (ready) return ready.resume(state, waitOptions)
      // A resumed wait keeps the saved deadline; only a `timeoutMs` given here counts from now.
      const calledAt = clock.now()
      const given = isOptionsObject(waitOptions) && waitOptions.timeoutMs !== undefined
      return loadFor([state, waitOptions], calledAt, given).then((it) =>
        it.resume(state, given ? fromCall(waitOptions, calledAt) : waitOptions),
      )
    },
    submit: later((it, first, second) => it.submit(first, second)),
    generate: later((it, first, second) => it.generate(first, second), 'timed'),
    cancel: later((it, first, second) => it.cancel(first, second)),
    download: later((it, first, second) => it.download(first, second)),
    nudge(task) {
      if (ready) return ready.nudge(task)
      // Nothing waits before the first call: the id or ref is still checked (the loaded client
      // also holds a ref to its provider and origin, which only matters once something waits).
      if (typeof task === 'string') assertTaskId(task)
      else parseTaskRef(task)
      return false
    },
    async close() {
      closed = true
      const loaded = ready ?? (await loading?.catch(() => undefined))
      if (loaded) await closeCore(loaded)
    },
    [Symbol.asyncDispose]() {
      return client.close()
    },
  }
  return client
}

/** The task a call names, for a deadline that passes while the client loads. */
function idText(target: unknown): string {
  if (typeof target === 'string') return target
  const taskId = isOptionsObject(target) ? (target as { taskId?: unknown }).taskId : undefined
  return typeof taskId === 'string' ? taskId : String(target)
}

function isOptionsObject(value: unknown): value is { timeoutMs?: number | undefined } {
  return typeof value === 'object' && value !== null
}

/** An iterator that starts once `source` resolves (`watch` before the client is loaded). */
function lazyIterator<T>(source: Promise<AsyncIterableIterator<T>>): AsyncIterableIterator<T> {
  let iterator: AsyncIterableIterator<T> | undefined
  const started = source.then((it) => {
    iterator = it
    return it
  })
  // A failed load surfaces on the first next(); until then it is not an unhandled rejection.
  started.catch(() => {})
  const lazy: AsyncIterableIterator<T> = {
    next: () => (iterator ? iterator.next() : started.then((it) => it.next())),
    return: (value?: unknown) =>
      started.then(
        (it) => it.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
        () => ({ done: true as const, value: undefined }),
      ),
    [Symbol.asyncIterator]: () => lazy,
  }
  return lazy
}
