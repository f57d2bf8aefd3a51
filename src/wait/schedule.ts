import type { VideoTask, VideoTaskOf } from '../model.js'
import { backoffDelayMs, retryAfterDelayMs } from '../retry-policy.js'
import type { PollState, ProgressSample, ScheduleState } from './poll-state.js'

export type { PollState, ProgressSample, ScheduleState }

/**
 * The schedule's settings, resolved (every value present). See `WaitOptions` for what each means
 * and its default.
 */
export interface ScheduleSettings {
  /** The first interval between reads, in milliseconds. */
  intervalMs: number
  /** The longest interval between reads. */
  maxIntervalMs: number
  /** The floor for every delay, whatever a server asks. */
  minIntervalMs: number
  /** How much the interval grows per read (`1` for a fixed interval). */
  backoffFactor: number
  /** The share, 0 to 1, by which an interval is shortened at random. */
  jitter: number
  /** The cap on a server's `Retry-After`. */
  maxRetryAfterMs: number
  /** Whether to aim the next read at the finish predicted from the progress rate. */
  adaptive: boolean
  /** Failed reads in a row that end the wait. */
  maxConsecutiveFailures: number
  /** `unknown` statuses in a row that end the wait. */
  maxConsecutiveUnknown: number
}

/** What one read produced: a task (with the server's hint), or an error. */
export type Observation =
  | {
      /** A read that gave a task. */
      kind: 'task'
      /** The task read. */
      task: VideoTask
      /** The server's suggested delay before the next read (`openai-poll-after-ms`), if any. */
      pollHintMs: number | null
    }
  | {
      /** A read that failed. */
      kind: 'error'
      /** What it failed with. */
      error: unknown
      /** Whether reading again may succeed (network, time limits, 408, 409, 429, 5xx). */
      transient: boolean
      /** The server's `retry-after-ms` / `Retry-After`, in milliseconds, if any. */
      retryAfterMs: number | null
    }

/** What to do after an observation. */
export type Decision =
  | {
      /** Read again after `delayMs`. */
      action: 'read'
      /** How long to wait before the next read, in milliseconds. */
      delayMs: number
      /** Why this delay. */
      reason: DelayReason
    }
  | {
      /** The task succeeded: the wait resolves. */
      action: 'succeed'
      /** The succeeded task. */
      task: VideoTask
    }
  | {
      /** The task failed: the wait rejects with `TaskFailedError`. */
      action: 'fail'
      /** The failed task. */
      task: VideoTaskOf<'failed'>
    }
  | {
      /** The task was cancelled: the wait rejects with `TaskCancelledError`. */
      action: 'cancel'
      /** The cancelled task. */
      task: VideoTask
    }
  | {
      /** Too many failed reads or `unknown` statuses in a row: the wait rejects. */
      action: 'give-up'
      /** Which limit was reached: `maxConsecutiveFailures` or `maxConsecutiveUnknown`. */
      reason: 'failures' | 'unknown'
    }

/** Why the schedule chose a delay: useful in logs and tests. */
export type DelayReason = 'backoff' | 'adaptive' | 'poll-hint' | 'retry-after' | 'failure-backoff'

/** A fresh state for a wait that starts at `now`. The first read is due at once. */
export function initialPollState(options: {
  taskId: string
  provider: string
  now: number
  timeoutMs: number
}): PollState {
  return {
    version: 1,
    taskId: options.taskId,
    provider: options.provider,
    startedAt: options.now,
    deadlineAt: Number.isFinite(options.timeoutMs) ? options.now + options.timeoutMs : null,
    reads: 0,
    consecutiveFailures: 0,
    consecutiveUnknown: 0,
    backoffStep: 0,
    lastStatus: null,
    samples: NO_SAMPLES,
    nextReadAt: options.now,
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

/**
 * Decides what follows an observation: a pure function of the state, the observation, the
 * settings, the time and a random number in [0, 1) for jitter. Returns the next state and the
 * decision; the caller does the sleeping.
 *
 * - Succeeded, failed and cancelled end the wait. `unknown` keeps polling until
 *   `maxConsecutiveUnknown` in a row.
 * - Permanent errors are the caller's to throw; transient ones back off (or follow
 *   `Retry-After`, capped at `maxRetryAfterMs`) until `maxConsecutiveFailures` in a row.
 * - Otherwise the interval grows from `intervalMs` by `backoffFactor` per read up to
 *   `maxIntervalMs`, resetting when the status changes. A server's poll hint replaces it; with
 *   `adaptive`, steadily rising progress aims the next read at the predicted finish.
 * - No delay is ever shorter than `minIntervalMs`, whatever the server says.
 */
export function decideNext<TState extends ScheduleState>(
  state: TState,
  observation: Observation,
  settings: ScheduleSettings,
  now: number,
  random: number,
): {
  /** The state after this observation, to pass to the next call (and to store for resume). */
  state: TState
  /** What to do next. */
  decision: Decision
} {
  const next: TState = { ...state }
  if (observation.kind === 'error') {
    next.consecutiveFailures = state.consecutiveFailures + 1
    if (next.consecutiveFailures >= settings.maxConsecutiveFailures) {
      return { state: next, decision: { action: 'give-up', reason: 'failures' } }
    }
    // One formula with the reads' own retries (src/retry-policy.ts); between reads it starts
    // from `intervalMs`.
    const delay =
      observation.retryAfterMs !== null
        ? {
            delayMs: retryAfterDelayMs(observation.retryAfterMs, settings, random),
            reason: 'retry-after' as const,
          }
        : {
            delayMs: backoffDelayMs(
              next.consecutiveFailures,
              settings.intervalMs,
              settings,
              random,
            ),
            reason: 'failure-backoff' as const,
          }
    next.nextReadAt = now + delay.delayMs
    return { state: next, decision: { action: 'read', ...delay } }
  }

  const { task, pollHintMs } = observation
  next.consecutiveFailures = 0
  const changed = task.status !== state.lastStatus
  next.lastStatus = task.status
  next.backoffStep = changed ? 0 : state.backoffStep + 1
  next.samples = nextSamples(state.samples, task, now, changed)

  switch (task.status) {
    case 'succeeded':
      return { state: next, decision: { action: 'succeed', task } }
    case 'failed':
      return { state: next, decision: { action: 'fail', task } }
    case 'cancelled':
      return { state: next, decision: { action: 'cancel', task } }
    case 'unknown':
      next.consecutiveUnknown = state.consecutiveUnknown + 1
      if (next.consecutiveUnknown >= settings.maxConsecutiveUnknown) {
        return { state: next, decision: { action: 'give-up', reason: 'unknown' } }
      }
      break
    default:
      next.consecutiveUnknown = 0
  }

  let delayMs: number
  let reason: DelayReason
  const predicted = settings.adaptive ? predictRemainingMs(next.samples) : null
  if (pollHintMs !== null) {
    delayMs = clamp(pollHintMs, settings.minIntervalMs, settings.maxIntervalMs)
    reason = 'poll-hint'
  } else if (predicted !== null) {
    delayMs = clamp(predicted, settings.minIntervalMs, settings.maxIntervalMs)
    reason = 'adaptive'
  } else {
    // Jitter only shortens the interval, so maxIntervalMs holds.
    const grown = settings.intervalMs * settings.backoffFactor ** next.backoffStep
    delayMs = clamp(
      Math.min(grown, settings.maxIntervalMs) * (1 - settings.jitter * random),
      settings.minIntervalMs,
      settings.maxIntervalMs,
    )
    reason = 'backoff'
  }
  next.nextReadAt = now + delayMs
  return { state: next, decision: { action: 'read', delayMs, reason } }
}

// Shared by every state without samples: one empty array, not one per wait.
const NO_SAMPLES: ProgressSample[] = Object.freeze([]) as unknown as ProgressSample[]

/*
 * Keeps the first and the latest sample of the current run of rising progress while running.
 * Progress that goes backwards, or a status change, starts a new run: the old rate no longer
 * says anything about the time left.
 */
function nextSamples(
  samples: readonly ProgressSample[],
  task: VideoTask,
  now: number,
  changed: boolean,
): ProgressSample[] {
  if (task.status !== 'running' || task.progress === null) return NO_SAMPLES
  const sample = { at: now, progress: task.progress }
  const first = samples[0]
  const latest = samples[samples.length - 1]
  if (changed || !first || !latest || task.progress < latest.progress) return [sample]
  return [first, sample]
}

/** Milliseconds until progress reaches 100 at the rate seen so far, or `null` if unknown. */
export function predictRemainingMs(samples: readonly ProgressSample[]): number | null {
  const first = samples[0]
  const latest = samples[samples.length - 1]
  if (!first || !latest || samples.length < 2) return null
  const elapsed = latest.at - first.at
  const gained = latest.progress - first.progress
  if (elapsed <= 0 || gained <= 0 || latest.progress >= 100) return null
  return ((100 - latest.progress) * elapsed) / gained
}
