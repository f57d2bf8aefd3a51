import { observeTask } from '../client/read-task.js'
import { RateLimitError } from '../errors.js'
import type { VideoTask } from '../model.js'
import type { ResolvedScheduleOptions, ScheduleOptions } from '../options/schedule-options.js'
import { resolvePollSettings } from '../options/schedule-options.js'
import type { Provider } from '../providers/define-provider.js'
import { createTransport, type Transport } from '../transport.js'
import { taskToJson, type VideoTaskJson, type WaitOutcome } from '../wait/outcome.js'
import { type PollState, parsePollState } from '../wait/poll-state.js'
import { pollStep, stepOutcome } from '../wait/poll-step.js'
import { initialPollState, type Observation } from '../wait/schedule.js'

/*
 * The ONLY file of the queue driver that calls into the SDK core, and only through the core's
 * public driver API (src/index.ts, "Driver API"): `observeTask` (one read), `pollStep` (the
 * schedule as one pure step, on the `decideNext` the in-process `waitFor` runs), `stepOutcome`
 * and `taskToJson` (the JSON-safe outcome), `resolvePollSettings` and `parsePollState`.
 * Everything else in src/queue/ talks to BullMQ and to this interface.
 */

/** A task as stored in a job: the task's JSON (dates as ISO strings) without `raw`. */
export type StoredTask = Omit<VideoTaskJson, 'raw'>

// The fields a compact task leaves out when empty, with their empty value.
const EMPTY_FIELDS = {
  videoUrl: null,
  videoUrls: [],
  error: null,
  createdAt: null,
  completedAt: null,
  expiresAt: null,
} as const satisfies Partial<StoredTask>

type EmptyField = keyof typeof EMPTY_FIELDS

/**
 * A {@link StoredTask} as a waiting job keeps it: without `id` and `provider` (the job id holds
 * them) and without the fields that are at their empty value (`videoUrl`, `error` and the
 * dates when `null`, `videoUrls` when `[]`). {@link expandTask} gives the task back.
 */
export type CompactTask = Omit<StoredTask, 'id' | 'provider' | EmptyField> &
  Partial<Pick<StoredTask, EmptyField>>

/** The task without what {@link expandTask} restores. */
export function compactTask(task: StoredTask): CompactTask {
  const { id: _id, provider: _provider, ...compact } = task
  const fields = compact as Partial<Record<EmptyField, unknown>>
  for (const field of Object.keys(EMPTY_FIELDS) as EmptyField[]) {
    const value = fields[field]
    if (value === null || (Array.isArray(value) && value.length === 0)) delete fields[field]
  }
  return compact
}

/** The task a {@link compactTask} left, with its id, provider and empty fields back. */
export function expandTask(compact: CompactTask, provider: string, taskId: string): StoredTask {
  return {
    id: taskId,
    provider,
    ...EMPTY_FIELDS,
    videoUrls: [],
    ...compact,
  } as StoredTask
}

/**
 * How a tracked task ended: the core's JSON-safe {@link WaitOutcome} with each task's `raw`
 * vendor payload left out (it can be large, and the outcome lives in the job). It is stored in
 * the job before `onOutcome` runs, so a handler re-run after a crash gets this very value.
 */
export type QueueOutcome =
  | {
      /** The task reached a final status. */
      status: 'succeeded' | 'failed' | 'cancelled'
      /** The final task. */
      task: StoredTask
    }
  | {
      /** The deadline passed before the task finished. */
      status: 'timed-out'
      /** The last task read, or `null` if no read succeeded. */
      lastTask: StoredTask | null
    }
  | Extract<WaitOutcome, { status: 'error' }>

/** The schedule settings a worker resolves once per provider (`timeoutMs` is the producer's). */
export type QueueSettings = ResolvedScheduleOptions

/** One read's result, as the driver sees it. */
export interface QueueObservation {
  /** What the schedule step consumes: the task and poll hint, or the classified failure. */
  observation: Observation
  /** A vendor 429's `Retry-After` (milliseconds): the driver pauses the whole queue. */
  rateLimitedForMs: number | null
}

/** What the driver does after a step. */
export type QueueStep =
  | {
      /**
       * Run the job again at `at` (milliseconds since the epoch): the next read, or the deadline
       * when the schedule's next read would fall past it (the job then ends `timed-out`).
       */
      action: 'delay'
      /** When. */
      at: number
      /** The state to store. */
      state: PollState
      /** The last task read (for a timed-out outcome). */
      lastTask: StoredTask | null
    }
  | {
      /** The wait ended. */
      action: 'finish'
      /** The state to store. */
      state: PollState
      /** The outcome to record, then deliver. */
      outcome: QueueOutcome
    }

/** The SDK core as the queue driver uses it. */
export interface QueueEngine {
  /** Resolves the schedule from the provider's defaults and the user's options (throws a TypeError naming a wrong one). */
  settings(provider: Provider, options: ScheduleOptions): QueueSettings
  /** A fresh state for a wait that starts at `now`. */
  start(provider: Provider, taskId: string, now: number, settings: QueueSettings): PollState
  /** Checks a state loaded from storage (untrusted JSON); throws a TypeError if it is not one. */
  parseState(value: unknown, provider: Provider, taskId: string): PollState
  /** Exactly one request, no retries: the task or a classified failure. */
  readOnce(provider: Provider, taskId: string, signal: AbortSignal): Promise<QueueObservation>
  /** One pure step: state + observation + settings + now + random -> next state and what to do. */
  step(
    state: PollState,
    read: QueueObservation,
    lastTask: StoredTask | null,
    settings: QueueSettings,
    now: number,
    random: number,
  ): QueueStep
  /** The outcome when the deadline passed before a read was due. */
  timedOut(lastTask: StoredTask | null): QueueOutcome
}

/** The engine on the core's driver API. */
export function createQueueEngine(
  options: { transport?: Transport | undefined; now?: (() => number) | undefined } = {},
): QueueEngine {
  let transport = options.transport
  const now = options.now ?? Date.now
  return {
    settings(provider, scheduleOptions) {
      return resolvePollSettings(provider.pollDefaults, scheduleOptions)
    },
    start(provider, taskId, at, settings) {
      return initialPollState({
        taskId,
        provider: provider.id,
        now: at,
        timeoutMs: settings.timeoutMs,
      })
    },
    parseState(value, provider, taskId) {
      const state = parsePollState(value)
      if (state.provider !== provider.id || state.taskId !== taskId) {
        throw new TypeError(
          `Expected the stored PollState to be of ${provider.id} task ${taskId}, got ${state.provider} task ${state.taskId}`,
        )
      }
      return state
    },
    async readOnce(provider, taskId, signal) {
      transport ??= createTransport()
      // A built-in provider's adapter loads on first use (`Provider.load`, issue 12): its
      // members throw until then. The load is shared, so later reads resolve it at once.
      const ready = await (provider.load?.() ?? provider)
      const observation = await observeTask(ready, transport, taskId, { signal, now })
      const rateLimited =
        observation.kind === 'error' &&
        (observation.error instanceof RateLimitError ||
          (observation.error as { status?: unknown } | null)?.status === 429)
      return {
        observation,
        rateLimitedForMs:
          rateLimited && observation.kind === 'error' ? (observation.retryAfterMs ?? 1_000) : null,
      }
    },
    step(state, read, lastTask, settings, at, random) {
      const { observation } = read
      const { state: next, decision } = pollStep(state, observation, settings, at, random)
      const seen = observation.kind === 'task' ? storeTask(observation.task) : lastTask
      if (decision.action === 'time-out') {
        // Ended at the deadline, as the in-process waitFor does: the job runs once more then,
        // without a read, and records `timed-out` with the last task.
        return { action: 'delay', at: state.deadlineAt ?? at, state: next, lastTask: seen }
      }
      // The driver never needs the previous task here: a time-out is handled above, and an
      // `unknown` give-up comes from a read that gave a task.
      const outcome = stepOutcome(decision, observation, next, null)
      if (outcome === null) {
        return { action: 'delay', at: next.nextReadAt, state: next, lastTask: seen }
      }
      return { action: 'finish', state: next, outcome: withoutRaw(outcome) }
    },
    timedOut(lastTask) {
      return { status: 'timed-out', lastTask }
    },
  }
}

/** The task's JSON without `raw` (a vendor body can be large; the job stays small). */
function storeTask(task: VideoTask): StoredTask {
  const { raw: _raw, ...rest } = taskToJson(task)
  return rest
}

function withoutRaw(outcome: WaitOutcome): QueueOutcome {
  switch (outcome.status) {
    case 'succeeded':
    case 'failed':
    case 'cancelled': {
      const { raw: _raw, ...task } = outcome.task
      return { status: outcome.status, task }
    }
    case 'timed-out': {
      if (outcome.lastTask === null) return { status: 'timed-out', lastTask: null }
      const { raw: _raw, ...lastTask } = outcome.lastTask
      return { status: 'timed-out', lastTask }
    }
    case 'error':
      return outcome
  }
}
