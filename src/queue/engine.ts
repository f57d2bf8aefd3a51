import { readTask } from '../client/read-task.js'
import { VideoTaskError } from '../errors.js'
import type { VideoTask } from '../model.js'
import type { ScheduleOptions } from '../options/schedule-options.js'
import { checkScheduleOptions, resolveScheduleOptions } from '../options/schedule-options.js'
import type { Provider } from '../providers/define-provider.js'
import { classifyFailure } from '../retry-policy.js'
import { createTransport, type Transport } from '../transport.js'
import {
  decideNext,
  initialPollState,
  type Observation,
  type PollState,
  type ScheduleSettings,
} from '../wait/schedule.js'

/*
 * The ONLY file of the queue driver that calls into the SDK core. Everything else in
 * src/queue/ talks to BullMQ and to this interface, so the core's pure pieces (one read, one
 * schedule step, PollState parsing, the JSON-safe outcome: issue 14) replace today's
 * decideNext/readTask here without touching the driver.
 */

/** A task as stored in a job: the task's JSON (dates as ISO strings), without `raw`. */
export type StoredTask = Record<string, unknown> & {
  /** The task id. */
  id: string
  /** The normalized status. */
  status: VideoTask['status']
}

/**
 * How a tracked task ended, as plain JSON (it is stored in the job before `onOutcome` runs, so
 * a handler re-run after a crash gets this very value).
 */
export type QueueOutcome =
  | {
      /** The task reached a final status. */
      kind: 'succeeded' | 'failed' | 'cancelled'
      /** The final task. */
      task: StoredTask
    }
  | {
      /** The deadline passed before the task finished. */
      kind: 'timed-out'
      /** The last task read, or `null` if no read succeeded. */
      task: StoredTask | null
    }
  | {
      /** A permanent error, or too many failed reads or `unknown` statuses in a row. */
      kind: 'error'
      /** The error's class name, message and HTTP status (`null` when not an HTTP error). */
      error: { name: string; message: string; status: number | null }
      /** The last task read, or `null`. */
      task: StoredTask | null
    }

/** The schedule settings a worker resolves once per provider, plus the wait's length. */
export interface QueueSettings extends ScheduleSettings {
  /** How long a wait may take in all, from enqueue (`Infinity` for no limit). */
  timeoutMs: number
}

/** One read's result, as the driver sees it. */
export interface QueueObservation {
  /** What the schedule step consumes. */
  observation: Observation
  /** A vendor 429's `Retry-After` (milliseconds): the driver pauses the whole queue. */
  rateLimitedForMs: number | null
  /** A permanent error: the wait ends with an `error` outcome. */
  permanent: boolean
}

/** What the driver does after a step. */
export type QueueStep =
  | {
      /** Read again at `at` (milliseconds since the epoch). */
      action: 'read'
      /** When. */
      at: number
      /** The state to store. */
      state: PollState
      /** The last task read (to store for a timed-out outcome). */
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

/** Today's engine: `readTask` + `decideNext` (src/schedule.ts), until the house issue lands. */
export function createQueueEngine(
  options: { transport?: Transport | undefined; now?: (() => number) | undefined } = {},
): QueueEngine {
  let transport = options.transport
  const now = options.now ?? Date.now
  return {
    settings(provider, options) {
      checkScheduleOptions(options)
      // A queue read makes one request: retries are the schedule's next reads.
      const { retries: _retries, ...settings } = resolveScheduleOptions(
        provider.pollDefaults,
        options,
      )
      return settings
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
      return parsePollState(value, provider.id, taskId)
    },
    async readOnce(provider, taskId, signal) {
      try {
        transport ??= createTransport()
        const read = await readTask(provider, transport, taskId, { signal, now })
        return {
          observation: { kind: 'task', task: read.task, pollHintMs: read.pollHintMs },
          rateLimitedForMs: null,
          permanent: false,
        }
      } catch (error) {
        if (signal.aborted) throw error
        const { transient, retryAfterMs } = classifyFailure(error)
        const status = (error as { status?: unknown }).status
        return {
          observation: { kind: 'error', error, transient, retryAfterMs },
          rateLimitedForMs: status === 429 ? (retryAfterMs ?? 1_000) : null,
          permanent: !transient,
        }
      }
    },
    step(state, read, lastTask, settings, at, random) {
      const { observation } = read
      const seen = observation.kind === 'task' ? storeTask(observation.task) : lastTask
      if (read.permanent && observation.kind === 'error') {
        const next = { ...state, reads: state.reads + 1 }
        return { action: 'finish', state: next, outcome: errorOutcome(observation.error, seen) }
      }
      const result = decideNext(state, observation, settings, at, random)
      const next = { ...result.state, reads: state.reads + 1 }
      const { decision } = result
      switch (decision.action) {
        case 'succeed':
          return {
            action: 'finish',
            state: next,
            outcome: { kind: 'succeeded', task: storeTask(decision.task) },
          }
        case 'fail':
          return {
            action: 'finish',
            state: next,
            outcome: { kind: 'failed', task: storeTask(decision.task) },
          }
        case 'cancel':
          return {
            action: 'finish',
            state: next,
            outcome: { kind: 'cancelled', task: storeTask(decision.task) },
          }
        case 'give-up':
          return {
            action: 'finish',
            state: next,
            outcome:
              decision.reason === 'unknown'
                ? {
                    kind: 'error',
                    error: {
                      name: 'UnknownStatusError',
                      message: `The task's status was unknown ${next.consecutiveUnknown} reads in a row`,
                      status: null,
                    },
                    task: seen,
                  }
                : errorOutcome(observation.kind === 'error' ? observation.error : undefined, seen),
          }
      }
      // The deadline holds: the last read is at the deadline, and a wait past it ends.
      if (next.deadlineAt !== null) {
        if (at >= next.deadlineAt)
          return { action: 'finish', state: next, outcome: { kind: 'timed-out', task: seen } }
        next.nextReadAt = Math.min(next.nextReadAt, next.deadlineAt)
      }
      return { action: 'read', at: next.nextReadAt, state: next, lastTask: seen }
    },
    timedOut(lastTask) {
      return { kind: 'timed-out', task: lastTask }
    },
  }
}

/** The task's JSON without `raw` (a vendor body can be large; the outcome stays small). */
function storeTask(task: VideoTask): StoredTask {
  const { raw: _raw, ...rest } = task
  return JSON.parse(JSON.stringify(rest)) as StoredTask
}

function errorOutcome(error: unknown, task: StoredTask | null): QueueOutcome {
  const name =
    error instanceof VideoTaskError ? error.name : error instanceof Error ? error.name : 'Error'
  const message = error instanceof Error ? error.message : String(error)
  const status = (error as { status?: unknown } | undefined)?.status
  return {
    kind: 'error',
    error: { name, message, status: typeof status === 'number' ? status : null },
    task,
  }
}

const STATE_NUMBERS = [
  'startedAt',
  'reads',
  'consecutiveFailures',
  'consecutiveUnknown',
  'backoffStep',
  'nextReadAt',
] as const

/** A minimal check of a stored PollState until the core exports its own parser. */
function parsePollState(value: unknown, provider: string, taskId: string): PollState {
  const fail = (what: string): never => {
    throw new TypeError(`Expected a stored PollState for ${provider} task ${taskId}: ${what}`)
  }
  if (typeof value !== 'object' || value === null) return fail('not an object')
  const state = value as Record<string, unknown>
  if (state.version !== 1) fail('unknown version')
  if (state.provider !== provider || state.taskId !== taskId) fail('another task')
  for (const key of STATE_NUMBERS) {
    if (typeof state[key] !== 'number' || !Number.isFinite(state[key])) fail(`bad ${key}`)
  }
  if (state.deadlineAt !== null && typeof state.deadlineAt !== 'number') fail('bad deadlineAt')
  if (!Array.isArray(state.samples)) fail('bad samples')
  return value as PollState
}
