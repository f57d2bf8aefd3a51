import { TaskCancelledError, TaskFailedError, UnknownStatusError } from '../errors.js'
import type { VideoTask } from '../model.js'
import { classifyFailure } from '../retry-policy.js'
import type { ScheduleState } from './poll-state.js'
import { decideNext, type Observation, type ScheduleSettings } from './schedule.js'
import type { TimerEntry, TimerQueue } from './timer-queue.js'

/*
 * The poll loop. It knows nothing of vendors: it calls `read`, feeds what comes back to the
 * pure schedule, sleeps on the client's timer queue, and hands each task to the waits that
 * share the loop. One loop per task id per client.
 */

/** One subscriber of a loop: a `waitFor`, a `watch` or a `resume`. */
export interface Waiter {
  /**
   * Called with every task read and the loop's schedule state (the waiter adds its own window
   * to make a `PollState`). Throwing rejects this waiter only.
   */
  deliver(task: VideoTask, state: ScheduleState): void
  /** Called once when the loop ends for this waiter. */
  settle(outcome: { ok: true; task: VideoTask } | { ok: false; error: unknown }): void
}

/**
 * What loops need from their client: one object shared by all of a client's loops (10,000 waits
 * hold one, not 10,000 sets of closures).
 */
export interface LoopDependencies {
  /**
   * One read, with the client's retries; `onRequest` is called for each HTTP request. Resolves
   * with the task and the server's poll hint; rejects with a typed error or the signal's reason.
   */
  read(
    taskId: string,
    settings: LoopSettings,
    signal: AbortSignal,
    onRequest: () => void,
  ): Promise<{ task: VideoTask; pollHintMs: number | null }>
  /** The client's timers. */
  queue: TimerQueue
  /** Random numbers in [0, 1) for jitter. */
  random: () => number
  /** Called when the last waiter leaves, so the client can forget the loop. */
  onIdle(loop: PollLoop): void
}

/** The schedule settings and the retries inside one read. */
export type LoopSettings = ScheduleSettings & { retries: number }

/** Internal: the reason a loop aborts its own request when nobody waits any more. */
const STOPPED = Symbol('stopped')

/** A poll loop for one task id, shared by every wait for it on one client. */
export class PollLoop {
  readonly taskId: string
  /** The schedule's state: no wait's window (`startedAt`, `deadlineAt`) in it. */
  state: ScheduleState
  lastTask: VideoTask | null = null
  lastError: unknown = undefined
  readonly #deps: LoopDependencies
  readonly #settings: LoopSettings
  // An array, not a Set: nearly always one waiter, and a Set costs ~100 B more per wait.
  #waiters: Waiter[] = []
  #controller: AbortController | null = null
  #sleep: TimerEntry | null = null
  #finished = false
  /** Whether the read in flight has sent its request (a nudge before that needs no new read). */
  #sent = false
  /** A nudge came after the read in flight was sent: read again as soon as it ends. */
  #nudged = false

  constructor(
    taskId: string,
    deps: LoopDependencies,
    settings: LoopSettings,
    state: ScheduleState,
  ) {
    this.taskId = taskId
    this.#deps = deps
    this.#settings = settings
    this.state = state
  }

  /** How many waits share the loop. */
  get waiters(): number {
    return this.#waiters.length
  }

  /** Starts the loop: the first read is due at `state.nextReadAt` (at once for a new wait). */
  start(): void {
    if (this.state.nextReadAt <= this.#deps.queue.now()) void this.#tick()
    else this.#scheduleRead(this.state.nextReadAt)
  }

  /** Adds a wait. A wait that joins a running loop sees the latest task at once. */
  add(waiter: Waiter): void {
    // `[waiter]` has room for one; a push onto an empty array reserves room for 17.
    if (this.#waiters.length === 0) this.#waiters = [waiter]
    else this.#waiters.push(waiter)
    if (this.lastTask) this.#deliver(waiter, this.lastTask)
  }

  /** Removes a wait; the last one out stops the loop, cancelling its request and sleep. */
  remove(waiter: Waiter): void {
    if (!this.#delete(waiter) || this.#waiters.length > 0) return
    this.#stop()
  }

  #delete(waiter: Waiter): boolean {
    const index = this.#waiters.indexOf(waiter)
    if (index < 0) return false
    this.#waiters.splice(index, 1)
    return true
  }

  #stop(): void {
    if (this.#finished) return
    this.#finished = true
    this.#deps.queue.cancel(this.#sleep)
    this.#sleep = null
    this.#controller?.abort(STOPPED)
    this.#controller = null
    this.#deps.onIdle(this)
  }

  /**
   * Something outside (a vendor callback, a queue message) says the task may have changed: read
   * now instead of at the next scheduled time. Nudges arriving together collapse into one read
   * (a read already due, or not yet sent, covers them); a read in flight is followed by one more
   * as soon as it ends. A failure's backoff (a server's `Retry-After`) is kept. The read still
   * goes through the client's rate limit. Returns `false` when the loop has ended.
   */
  nudge(): boolean {
    if (this.#finished) return false
    if (this.#controller !== null) {
      if (this.#sent) this.#nudged = true
      return true
    }
    const sleep = this.#sleep
    const now = this.#deps.queue.now()
    if (sleep === null || sleep.at <= now || this.state.consecutiveFailures > 0) return true
    this.#deps.queue.cancel(sleep)
    this.state = { ...this.state, nextReadAt: now }
    this.#scheduleRead(now)
    return true
  }

  #scheduleRead(at: number): void {
    this.#sleep = this.#deps.queue.schedule(at, this)
  }

  /** The sleep before the next read is over (called by the timer queue). */
  onTimer(): void {
    this.#sleep = null
    void this.#tick()
  }

  async #tick(): Promise<void> {
    if (this.#finished) return
    const controller = new AbortController()
    this.#controller = controller
    this.#sent = false
    this.#nudged = false
    let observation: Observation
    let pollHintMs: number | null = null
    try {
      const read = await this.#deps.read(this.taskId, this.#settings, controller.signal, () => {
        this.#sent = true
        this.state = { ...this.state, reads: this.state.reads + 1 }
      })
      pollHintMs = read.pollHintMs
      observation = { kind: 'task', task: read.task, pollHintMs }
    } catch (error) {
      if (controller.signal.aborted) return
      const { transient, retryAfterMs } = classifyFailure(error)
      this.lastError = error
      if (!transient) {
        this.#settleAll({ ok: false, error })
        return
      }
      observation = { kind: 'error', error, transient, retryAfterMs }
    }
    if (this.#finished) return
    this.#controller = null
    const now = this.#deps.queue.now()
    const { state, decision } = decideNext(
      this.state,
      observation,
      this.#settings,
      now,
      this.#deps.random(),
    )
    this.state = state
    if (observation.kind === 'task') {
      this.lastTask = observation.task
      for (const waiter of [...this.#waiters]) this.#deliver(waiter, observation.task)
      if (this.#finished) return
    }
    switch (decision.action) {
      case 'read':
        if (this.#nudged && observation.kind === 'task') {
          this.#nudged = false
          this.state = { ...state, nextReadAt: now }
        }
        this.#scheduleRead(this.state.nextReadAt)
        return
      case 'succeed':
        this.#settleAll({ ok: true, task: decision.task })
        return
      case 'fail':
        this.#settleAll({ ok: false, error: new TaskFailedError(decision.task) })
        return
      case 'cancel':
        this.#settleAll({ ok: false, error: new TaskCancelledError(decision.task) })
        return
      case 'give-up':
        this.#settleAll({
          ok: false,
          error:
            decision.reason === 'unknown' && this.lastTask
              ? new UnknownStatusError(this.lastTask, this.state.consecutiveUnknown)
              : this.lastError,
        })
    }
  }

  #deliver(waiter: Waiter, task: VideoTask): void {
    try {
      waiter.deliver(task, this.state)
    } catch (error) {
      // A callback that throws ends its own wait with that error; others go on.
      this.#delete(waiter)
      waiter.settle({ ok: false, error })
      if (this.#waiters.length === 0) this.#stop()
    }
  }

  #settleAll(outcome: Parameters<Waiter['settle']>[0]): void {
    const waiters = this.#waiters
    this.#waiters = []
    this.#stop()
    for (const waiter of waiters) waiter.settle(outcome)
  }
}
