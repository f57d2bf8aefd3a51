import pRetry from 'p-retry'
import { z } from 'zod'
import { TaskCancelledError, TaskFailedError, VideoTaskError } from './errors.js'
import { addAbortCallback, removeAbortCallback } from './internal/abort.js'
import {
  checkFunction,
  checkNumber,
  checkScheduleOptions,
  checkSignal,
  pickScheduleOptions,
  type ResolvedScheduleOptions,
  resolveScheduleOptions,
  type ScheduleOptions,
} from './internal/options.js'
import { RateLimiter } from './internal/rate-limiter.js'
import { readTask, type TaskRead } from './internal/read-task.js'
import { type Clock, systemClock, type TimerEntry, TimerQueue } from './internal/timer-queue.js'
import {
  type VideoTask,
  type VideoTaskDetails,
  type VideoTaskOf,
  type VideoTaskStatus,
  videoTaskStatusSchema,
} from './model.js'
import {
  classifyError,
  type LoopDependencies,
  PollLoop,
  timeoutError,
  type Waiter,
} from './poller.js'
import { assertTaskId, normalizeBaseURL, type Provider } from './providers/define-provider.js'
import { initialPollState, type PollState } from './schedule.js'
import {
  createTransport,
  resolveTransportOptions,
  type Transport,
  type TransportOptions,
} from './transport.js'

/** Handlers for particular statuses: each sees that status's task type. */
export type StatusHandlers<TDetails extends VideoTaskDetails = VideoTaskDetails> = {
  [S in VideoTaskStatus]?: (task: VideoTaskOf<S, TDetails>) => void
}

/**
 * Callbacks of a wait. They run synchronously as each read arrives. A callback that throws
 * rejects its own wait with that error (other waits for the same task go on).
 */
export interface WaitCallbacks<TDetails extends VideoTaskDetails = VideoTaskDetails> {
  /** Every task read, the first one included. */
  onUpdate?: ((task: VideoTask<TDetails>) => void) | undefined
  /**
   * When the status differs from the previous read's; on the first read `previous` is `null`.
   */
  onStatusChange?:
    | ((task: VideoTask<TDetails>, previous: VideoTask<TDetails> | null) => void)
    | undefined
  /**
   * Per-status handlers, called when the status changes to theirs, with the narrowed type.
   *
   * @example
   * ```ts
   * onStatus: { failed: (task) => log(task.error.message), running: (task) => log(task.progress) }
   * ```
   */
  onStatus?: StatusHandlers<TDetails> | undefined
  /**
   * When progress rises above the highest seen in this wait. Progress that goes backwards (some
   * vendors restart their counter) is not reported, so a progress bar never jumps back; the
   * task's own `progress` still shows what the vendor sent.
   */
  onProgress?: ((progress: number, task: VideoTask<TDetails>) => void) | undefined
  /** After every read, the wait's state as plain JSON, to store for `client.resume`. */
  onPollState?: ((state: PollState) => void) | undefined
}

/** Options of `waitFor`, `watch`, `resume`, `waitForAll` and `waitForAny`. */
export interface WaitOptions<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends ScheduleOptions,
    WaitCallbacks<TDetails> {
  /** Aborts the wait at any moment: it rejects with `signal.reason` and cancels the request. */
  signal?: AbortSignal | undefined
}

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
  /** Stops every wait (they reject with a `VideoTaskError`) and closes idle connections. */
  close(): Promise<void>
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>
}

const pollStateSchema = z.object({
  version: z.literal(1),
  taskId: z.string().min(1),
  provider: z.string().min(1),
  startedAt: z.number().finite(),
  deadlineAt: z.number().finite().nullable(),
  reads: z.number().int().min(0),
  consecutiveFailures: z.number().int().min(0),
  consecutiveUnknown: z.number().int().min(0),
  backoffStep: z.number().int().min(0),
  lastStatus: z
    .enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'unknown'])
    .nullable(),
  samples: z
    .array(z.object({ at: z.number().finite(), progress: z.number().min(0).max(100) }))
    .max(2),
  nextReadAt: z.number().finite(),
})

function hasScheduleOptions(options: ScheduleOptions): boolean {
  return Object.keys(pickScheduleOptions(options)).length > 0
}

const CALLBACKS = ['onUpdate', 'onStatusChange', 'onProgress', 'onPollState'] as const

function checkWaitOptions(options: unknown): asserts options is WaitOptions<VideoTaskDetails> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected the options to be an object')
  }
  const wait = options as WaitOptions
  checkScheduleOptions(wait)
  checkSignal(wait.signal)
  for (const name of CALLBACKS) checkFunction(name, wait[name])
  if (wait.onStatus !== undefined) {
    if (typeof wait.onStatus !== 'object' || wait.onStatus === null) {
      throw new TypeError('Expected `onStatus` to be an object of functions')
    }
    for (const [status, handler] of Object.entries(wait.onStatus)) {
      // A misspelt status (`succeded`) would silently never fire.
      if (!videoTaskStatusSchema.safeParse(status).success) {
        throw new TypeError(
          `Expected \`onStatus.${status}\` to be one of ${videoTaskStatusSchema.options.join(', ')}`,
        )
      }
      checkFunction(`onStatus.${status}`, handler)
    }
  }
}

interface Subscription<TDetails extends VideoTaskDetails> {
  promise: Promise<VideoTask<TDetails>>
  /** Leaves the loop without settling the promise with an error of its own. */
  cancel(): void
}

/** What every wait of one client shares. */
interface WaitHost {
  queue: TimerQueue
  /** The waits still pending, for `close()`. */
  waits: Set<WaitSubscription<VideoTaskDetails>>
}

/*
 * One wait (`waitFor`, `watch`, `resume`): a class with its methods on the prototype, and itself
 * the target of its deadline timer and of its signal's abort, so a sleeping wait holds no
 * closures of its own (npm run bench, memory per wait).
 */
class WaitSubscription<TDetails extends VideoTaskDetails>
  implements Waiter, Subscription<TDetails>
{
  readonly promise: Promise<VideoTask<TDetails>>
  #resolve!: (task: VideoTask<TDetails>) => void
  #reject!: (error: unknown) => void
  #settled = false
  #previous: VideoTask<TDetails> | null = null
  #highestProgress = Number.NEGATIVE_INFINITY
  #deadline: TimerEntry | null = null
  readonly #host: WaitHost
  readonly #loop: PollLoop
  readonly #options: WaitOptions<TDetails>
  readonly #startedAt: number
  readonly #deadlineAt: number | null
  readonly #sink: ((task: VideoTask<TDetails>) => void) | undefined

  constructor(
    host: WaitHost,
    loop: PollLoop,
    options: WaitOptions<TDetails>,
    startedAt: number,
    deadlineAt: number | null,
    sink: ((task: VideoTask<TDetails>) => void) | undefined,
  ) {
    this.#host = host
    this.#loop = loop
    this.#options = options
    this.#startedAt = startedAt
    this.#deadlineAt = deadlineAt
    this.#sink = sink
    this.promise = new Promise<VideoTask<TDetails>>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
  }

  start(): void {
    if (this.#deadlineAt !== null)
      this.#deadline = this.#host.queue.schedule(this.#deadlineAt, this)
    if (this.#options.signal) addAbortCallback(this.#options.signal, this)
    this.#host.waits.add(this as unknown as WaitSubscription<VideoTaskDetails>)
    this.#loop.add(this)
  }

  /** The deadline (called by the timer queue). */
  onTimer(): void {
    this.#deadline = null
    const deadlineAt = this.#deadlineAt ?? this.#host.queue.now()
    this.leave(
      timeoutError(
        this.#loop,
        this.#startedAt,
        this.#host.queue.now(),
        deadlineAt - this.#startedAt,
      ),
    )
  }

  /** The signal aborted. */
  onAbort(): void {
    this.leave(this.#options.signal?.reason)
  }

  /** Leaves the loop and rejects with `error`. */
  leave(error: unknown): void {
    this.#loop.remove(this)
    this.#finish(false, error)
  }

  cancel(): void {
    this.#loop.remove(this)
    this.#finish(true, this.#previous)
  }

  deliver(value: VideoTask, state: PollState): void {
    const options = this.#options
    const task = value as VideoTask<TDetails>
    const last = this.#previous
    this.#previous = task
    this.#sink?.(task)
    options.onUpdate?.(task)
    if (last === null || last.status !== task.status) {
      options.onStatusChange?.(task, last)
      const handler = options.onStatus?.[task.status] as
        | ((task: VideoTask<TDetails>) => void)
        | undefined
      handler?.(task)
    }
    if (task.progress !== null && task.progress > this.#highestProgress) {
      this.#highestProgress = task.progress
      options.onProgress?.(task.progress, task)
    }
    options.onPollState?.({ ...state, startedAt: this.#startedAt, deadlineAt: this.#deadlineAt })
  }

  settle(outcome: { ok: true; task: VideoTask } | { ok: false; error: unknown }): void {
    if (outcome.ok) this.#finish(true, outcome.task)
    else this.#finish(false, outcome.error)
  }

  #finish(ok: boolean, value: unknown): void {
    if (this.#settled) return
    this.#settled = true
    this.#host.queue.cancel(this.#deadline)
    this.#deadline = null
    if (this.#options.signal) removeAbortCallback(this.#options.signal, this)
    this.#host.waits.delete(this as unknown as WaitSubscription<VideoTaskDetails>)
    if (ok) this.#resolve(value as VideoTask<TDetails>)
    else this.#reject(value)
  }
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
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected createClient() to receive an options object with `provider`')
  }
  const provider = options.provider
  if (
    typeof provider !== 'object' ||
    provider === null ||
    typeof provider.buildRequest !== 'function' ||
    typeof provider.parseResponse !== 'function'
  ) {
    throw new TypeError(
      'Expected `provider` to be a provider: openai(), doubao(), genericTask(), checkResult() or defineProvider()',
    )
  }
  // The built-in providers and defineProvider check it too; a hand-made provider object is
  // held to the same rule: http(s), no credentials in the URL.
  normalizeBaseURL(provider.baseURL, 'provider.baseURL')
  checkScheduleOptions(options)
  checkFunction('random', options.random)
  const maxRequestsPerSecond =
    options.maxRequestsPerSecond === undefined
      ? 100
      : checkNumber('maxRequestsPerSecond', options.maxRequestsPerSecond, {
          above: 0,
          infinity: true,
        })
  const clock = options.clock ?? systemClock
  if (
    typeof clock !== 'object' ||
    typeof clock.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new TypeError('Expected `clock` to have now(), setTimeout() and clearTimeout()')
  }
  if (
    options.transport !== undefined &&
    (typeof options.transport !== 'object' || typeof options.transport?.send !== 'function')
  ) {
    throw new TypeError('Expected `transport` to have a send() method')
  }
  // Validates the client's defaults against the provider's now, not at the first wait.
  const clientDefaults = resolveScheduleOptions(provider.pollDefaults, options)
  resolveTransportOptions(options)
  const ownsTransport = options.transport === undefined
  const transport = options.transport ?? createTransport(options)
  const random = options.random ?? Math.random
  const queue = new TimerQueue(clock)
  const limiter = new RateLimiter(queue, maxRequestsPerSecond)
  const loops = new Map<string, PollLoop>()
  const host: WaitHost = { queue, waits: new Set() }
  let closed = false

  const closedError = () => new VideoTaskError('This video-tasks client is closed')

  function retryDelayMs(
    attempt: number,
    settings: ResolvedScheduleOptions,
    retryAfterMs: number | null,
  ) {
    if (retryAfterMs !== null) {
      return Math.min(Math.max(retryAfterMs, settings.minIntervalMs), settings.maxRetryAfterMs)
    }
    const backoff = settings.minIntervalMs * 2 ** (attempt - 1) * (1 - settings.jitter * random())
    return Math.min(Math.max(backoff, settings.minIntervalMs), settings.maxIntervalMs)
  }

  const now = () => queue.now()

  function read(
    taskId: string,
    settings: ResolvedScheduleOptions,
    signal: AbortSignal | undefined,
    onRequest: () => void,
  ): Promise<TaskRead<TDetails>> {
    const attempt = async () => {
      const slot = limiter.acquire(signal)
      if (slot) await slot
      onRequest()
      return readTask(provider, transport, taskId, { signal, now })
    }
    // The first attempt runs on its own: most reads succeed, and p-retry's setup costs about
    // 5 µs a read (npm run bench). Only a transient failure hands over to p-retry.
    return attempt().catch((error: unknown) => {
      if (signal?.aborted) throw signal.reason
      const { transient, retryAfterMs } = classifyError(error)
      if (!transient || settings.retries === 0) throw error
      return queue.sleepUntil(now() + retryDelayMs(1, settings, retryAfterMs), signal).then(() =>
        pRetry(attempt, {
          retries: settings.retries - 1,
          // The delays are ours (below), on the client's clock, so virtual time applies.
          minTimeout: 0,
          signal,
          shouldRetry: ({ error: failure }) => classifyError(failure).transient,
          onFailedAttempt: async ({ error: failure, attemptNumber, retriesLeft }) => {
            const classified = classifyError(failure)
            if (!classified.transient || retriesLeft === 0) return
            const delay = retryDelayMs(attemptNumber + 1, settings, classified.retryAfterMs)
            await queue.sleepUntil(now() + delay, signal)
          },
        }),
      )
    })
  }

  // One object for all of this client's loops.
  const loopDependencies: LoopDependencies = {
    read,
    queue,
    random,
    onIdle: (idle) => {
      if (loops.get(idle.taskId) === idle) loops.delete(idle.taskId)
    },
  }

  function subscribe(
    taskId: string,
    waitOptions: WaitOptions<TDetails>,
    resumed: PollState | null,
    sink?: (task: VideoTask<TDetails>) => void,
  ): Subscription<TDetails> {
    if (closed) throw closedError()
    assertTaskId(taskId)
    checkWaitOptions(waitOptions)
    // A wait without schedule options of its own shares the client's resolved settings.
    const settings = hasScheduleOptions(waitOptions)
      ? resolveScheduleOptions(provider.pollDefaults, options, waitOptions)
      : clientDefaults
    waitOptions.signal?.throwIfAborted()

    const now = queue.now()
    const startedAt = resumed?.startedAt ?? now
    const deadlineAt =
      resumed && waitOptions.timeoutMs === undefined
        ? resumed.deadlineAt
        : Number.isFinite(settings.timeoutMs)
          ? now + settings.timeoutMs
          : null
    let loop = loops.get(taskId)
    if (!loop) {
      const state = resumed
        ? { ...resumed, startedAt, deadlineAt }
        : initialPollState({ taskId, provider: provider.id, now, timeoutMs: settings.timeoutMs })
      loop = new PollLoop(taskId, loopDependencies, settings, state)
      loops.set(taskId, loop)
      loop.start()
    }
    const subscription = new WaitSubscription<TDetails>(
      host,
      loop,
      waitOptions,
      startedAt,
      deadlineAt,
      sink,
    )
    subscription.start()
    return subscription
  }

  function wait(
    taskId: string,
    waitOptions: WaitOptions<TDetails> = {},
    resumed: PollState | null = null,
  ): Promise<VideoTaskOf<'succeeded', TDetails>> {
    try {
      return subscribe(taskId, waitOptions, resumed).promise as Promise<
        VideoTaskOf<'succeeded', TDetails>
      >
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** Runs `waitFor` for each id with one signal that stops all of them. */
  function group<T>(
    taskIds: readonly string[],
    waitOptions: WaitOptions<TDetails>,
    combine: (waits: Promise<VideoTaskOf<'succeeded', TDetails>>[]) => Promise<T>,
  ): Promise<T> {
    if (!Array.isArray(taskIds))
      return Promise.reject(new TypeError('Expected `taskIds` to be an array'))
    try {
      // Everything a single wait would refuse, refused once for the group (not as an
      // AggregateError of one refusal per id from waitForAny).
      if (closed) throw closedError()
      checkWaitOptions(waitOptions)
      resolveScheduleOptions(provider.pollDefaults, options, waitOptions)
      for (const taskId of taskIds) assertTaskId(taskId)
      waitOptions.signal?.throwIfAborted()
    } catch (error) {
      return Promise.reject(error)
    }
    const controller = new AbortController()
    const outer = waitOptions.signal
    const forward = () => controller.abort(outer?.reason)
    outer?.addEventListener('abort', forward, { once: true })
    const waits = taskIds.map((id) => wait(id, { ...waitOptions, signal: controller.signal }))
    return combine(waits).finally(() => {
      outer?.removeEventListener('abort', forward)
      // Stops the waits still running; their rejections are already handled by `combine`.
      controller.abort(new VideoTaskError('Stopped: the group of waits has settled'))
    })
  }

  const client: VideoTaskClient<TDetails> = {
    provider,
    async getTask(taskId, getOptions = {}) {
      if (closed) throw closedError()
      assertTaskId(taskId)
      if (typeof getOptions !== 'object' || getOptions === null) {
        throw new TypeError('Expected the options to be an object')
      }
      checkSignal(getOptions.signal)
      checkScheduleOptions({ retries: getOptions.retries })
      const settings =
        getOptions.retries === undefined
          ? clientDefaults
          : resolveScheduleOptions(provider.pollDefaults, options, { retries: getOptions.retries })
      const result = await read(taskId, settings, getOptions.signal, () => {})
      return result.task
    },
    waitFor: (taskId, waitOptions) => wait(taskId, waitOptions),
    resume(state, waitOptions) {
      const parsed = pollStateSchema.safeParse(state)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        return Promise.reject(
          new TypeError(
            `Expected \`state\` to be a PollState from onPollState: ${issue?.message ?? 'invalid'} at ${issue?.path.join('.') ?? ''}`,
          ),
        )
      }
      if (parsed.data.provider !== provider.id) {
        return Promise.reject(
          new TypeError(
            `Expected \`state\` of provider ${provider.id}, got one of ${parsed.data.provider}`,
          ),
        )
      }
      return wait(parsed.data.taskId, waitOptions, parsed.data)
    },
    watch(taskId, waitOptions = {}) {
      const buffer: VideoTask<TDetails>[] = []
      let wake: (() => void) | undefined
      let outcome: { done: true; error?: unknown } | undefined
      let subscription: Subscription<TDetails> | undefined
      const start = () => {
        subscription = subscribe(taskId, waitOptions, null, (task) => {
          buffer.push(task)
          wake?.()
        })
        subscription.promise.then(
          () => {
            outcome = { done: true }
            wake?.()
          },
          (error: unknown) => {
            const final = error instanceof TaskFailedError || error instanceof TaskCancelledError
            outcome = final ? { done: true } : { done: true, error }
            wake?.()
          },
        )
      }
      const iterator: AsyncIterableIterator<VideoTask<TDetails>> = {
        async next() {
          if (!subscription) start()
          for (;;) {
            const task = buffer.shift()
            if (task) return { done: false, value: task }
            if (outcome) {
              if ('error' in outcome) {
                const { error } = outcome
                outcome = { done: true }
                throw error
              }
              return { done: true, value: undefined }
            }
            await new Promise<void>((resolve) => {
              wake = resolve
            })
            wake = undefined
          }
        },
        async return() {
          subscription?.cancel()
          outcome = { done: true }
          buffer.length = 0
          return { done: true, value: undefined }
        },
        [Symbol.asyncIterator]() {
          return iterator
        },
      }
      return iterator
    },
    waitForAll(taskIds, waitOptions = {}) {
      return group(taskIds, waitOptions, (waits) => Promise.all(waits))
    },
    waitForAny(taskIds, waitOptions = {}) {
      return group(taskIds, waitOptions, (waits) => Promise.any(waits))
    },
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
