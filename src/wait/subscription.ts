import { WaitTimeoutError } from '../errors.js'
import { addAbortCallback, removeAbortCallback } from '../internal/abort-hub.js'
import type { RetryEvent, RetryListener } from '../logger.js'
import type { VideoTask, VideoTaskDetails, VideoTaskOf, VideoTaskStatus } from '../model.js'
import { type LoopDependencies, type LoopSettings, PollLoop, type Waiter } from './poll-loop.js'
import type { PollState, ScheduleState } from './poll-state.js'
import { initialPollState } from './schedule.js'
import type { TimerEntry, TimerQueue } from './timer-queue.js'

/*
 * One wait on a shared poll loop: the callback fan-out, the wait's deadline and its signal.
 * The wait's window (`startedAt`, `deadlineAt`) lives here and only here; the loop carries the
 * schedule alone, and each `PollState` handed to `onPollState` is built here from both.
 */

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
  /**
   * Before each retry: a request retried inside a read (`scope: 'request'`) or a failed read the
   * schedule repeats (`scope: 'read'`), with the error, the attempt and the delay. Called after
   * the client's own `onRetry`.
   *
   * @example
   * ```ts
   * onRetry: ({ attempt, error, delayMs }) => console.error(`retry ${attempt} in ${delayMs} ms`, error)
   * ```
   */
  onRetry?: RetryListener | undefined
}

/** What a subscription reads from the wait's options. */
export interface SubscriptionOptions<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends WaitCallbacks<TDetails> {
  /** Aborts the wait at any moment: it rejects with `signal.reason` and cancels the request. */
  signal?: AbortSignal | undefined
}

/** A started wait. */
export interface Subscription<TDetails extends VideoTaskDetails> {
  /** Settles when the wait ends. */
  promise: Promise<VideoTask<TDetails>>
  /** Leaves the loop, resolving with the last task instead of an error of its own. */
  cancel(): void
}

/** What every wait of one client shares. */
export interface WaitHost {
  /** The client's timers. */
  queue: TimerQueue
  /** The waits still pending, for `close()`. */
  waits: Set<WaitSubscription<VideoTaskDetails>>
  /** The running loops by task id: waits for one task share one loop. */
  loops: Map<string, PollLoop>
  /** One object for all of the client's loops. */
  loopDependencies: LoopDependencies
  /** The provider id, written into fresh states. */
  providerId: string
}

/**
 * Starts a wait: joins the task's loop (starting one, from `resumed` when given) and arms the
 * wait's deadline and signal. A resumed wait keeps its start and deadline unless `timeoutMs` was
 * given for this call (`timeoutGiven`), which sets a new deadline from now.
 */
export function subscribe<TDetails extends VideoTaskDetails>(
  host: WaitHost,
  taskId: string,
  options: SubscriptionOptions<TDetails>,
  settings: LoopSettings & { timeoutMs: number },
  resumed: PollState | null,
  timeoutGiven: boolean,
  sink?: (task: VideoTask<TDetails>) => void,
): Subscription<TDetails> {
  const now = host.queue.now()
  if (resumed) resumed = fromStoredState(resumed, host.queue, now, settings.maxIntervalMs)
  const startedAt = resumed?.startedAt ?? now
  const deadlineAt =
    resumed && !timeoutGiven
      ? resumed.deadlineAt
      : Number.isFinite(settings.timeoutMs)
        ? now + settings.timeoutMs
        : null
  let loop = host.loops.get(taskId)
  let fresh: PollLoop | null = null
  if (!loop) {
    const {
      startedAt: _start,
      deadlineAt: _deadline,
      ...schedule
    } = resumed ?? initialPollState({ taskId, provider: host.providerId, now, timeoutMs: Infinity })
    loop = new PollLoop(taskId, host.loopDependencies, settings, schedule)
    host.loops.set(taskId, loop)
    fresh = loop
  }
  const subscription = new WaitSubscription<TDetails>(
    host,
    loop,
    options,
    startedAt,
    deadlineAt,
    sink,
  )
  subscription.start()
  // Started once its first wait has joined, so the first read already reports to it (onRetry).
  fresh?.start()
  return subscription
}

/**
 * A stored `PollState` (wall-clock times, untrusted) on the client's clock, brought within what
 * the schedule allows: a `nextReadAt` beyond `maxIntervalMs` from now (a skewed clock, an old or
 * edited state) is brought back to it; a start in the future is now; samples from the future
 * are dropped. Never trusted to make a wait sleep longer than any read would.
 */
function fromStoredState(
  state: PollState,
  queue: TimerQueue,
  now: number,
  maxIntervalMs: number,
): PollState {
  const samples = state.samples.map((sample) => ({
    at: queue.fromWall(sample.at),
    progress: sample.progress,
  }))
  return {
    ...state,
    startedAt: Math.min(queue.fromWall(state.startedAt), now),
    deadlineAt: state.deadlineAt === null ? null : queue.fromWall(state.deadlineAt),
    nextReadAt: Math.min(queue.fromWall(state.nextReadAt), now + maxIntervalMs),
    samples: samples.some((sample) => sample.at > now) ? [] : samples,
  }
}

/*
 * One wait (`waitFor`, `watch`, `resume`): a class with its methods on the prototype, and itself
 * the target of its deadline timer and of its signal's abort, so a sleeping wait holds no
 * closures of its own (npm run bench, memory per wait).
 */
export class WaitSubscription<TDetails extends VideoTaskDetails>
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
  readonly #options: SubscriptionOptions<TDetails>
  readonly #startedAt: number
  readonly #deadlineAt: number | null
  readonly #sink: ((task: VideoTask<TDetails>) => void) | undefined

  constructor(
    host: WaitHost,
    loop: PollLoop,
    options: SubscriptionOptions<TDetails>,
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

  /** Arms the deadline and the signal, and joins the loop. */
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
    const now = this.#host.queue.now()
    const deadlineAt = this.#deadlineAt ?? now
    const loop = this.#loop
    this.leave(
      new WaitTimeoutError({
        taskId: loop.taskId,
        lastTask: loop.lastTask,
        // Whole milliseconds: the monotonic clock has fractions nobody asked for.
        elapsedMs: Math.round(now - this.#startedAt),
        reads: loop.state.reads,
        timeoutMs: deadlineAt - this.#startedAt,
        cause: loop.lastError,
      }),
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

  deliver(value: VideoTask, state: ScheduleState): void {
    const options = this.#options
    const task = value as VideoTask<TDetails>
    const last = this.#previous
    this.#previous = task
    this.#sink?.(task)
    this.#watch(options.onUpdate?.(task))
    if (last === null || last.status !== task.status) {
      this.#watch(options.onStatusChange?.(task, last))
      const handler = options.onStatus?.[task.status] as
        | ((task: VideoTask<TDetails>) => unknown)
        | undefined
      this.#watch(handler?.(task))
    }
    if (task.progress !== null && task.progress > this.#highestProgress) {
      this.#highestProgress = task.progress
      this.#watch(options.onProgress?.(task.progress, task))
    }
    if (options.onPollState) this.#watch(options.onPollState(this.#storedState(state)))
  }

  /*
   * The state to store, its times on the wall clock (the loop's are on the client's monotonic
   * clock, which means nothing to another process).
   */
  #storedState(state: ScheduleState): PollState {
    const queue = this.#host.queue
    return {
      ...state,
      nextReadAt: queue.toWall(state.nextReadAt),
      samples:
        state.samples.length === 0
          ? state.samples
          : state.samples.map((sample) => ({
              at: queue.toWall(sample.at),
              progress: sample.progress,
            })),
      startedAt: queue.toWall(this.#startedAt),
      deadlineAt: this.#deadlineAt === null ? null : queue.toWall(this.#deadlineAt),
    }
  }

  /*
   * A callback may be async (its type says `void`, and an async function fits it): its
   * rejection rejects this wait, exactly as a throw does, instead of going unhandled and ending
   * the process. The wait is not held up by a pending promise.
   */
  #watch(result: unknown): void {
    if (
      result !== null &&
      (typeof result === 'object' || typeof result === 'function') &&
      typeof (result as PromiseLike<unknown>).then === 'function'
    ) {
      ;(result as PromiseLike<unknown>).then(undefined, (error: unknown) => this.leave(error))
    }
  }

  get listensToRetries(): boolean {
    return this.#options.onRetry !== undefined
  }

  retried(event: RetryEvent): void {
    this.#options.onRetry?.(event)
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
