import { TaskCancelledError, TaskFailedError, UnknownStatusError } from '../errors.js'
import type { VideoTask } from '../model.js'
import { outcomeOf, type WaitOutcome } from './outcome.js'
import type { PollState } from './poll-state.js'
import { type Decision, decideNext, type Observation, type ScheduleSettings } from './schedule.js'

/** What a durable driver does after one read: {@link Decision}, or the wait's deadline passed. */
export type StepDecision =
  | Decision
  | {
      /** The deadline passes before the next read would be due: the wait times out. */
      action: 'time-out'
    }
  | {
      /** The read failed permanently (`transient: false`): the wait ends with its error. */
      action: 'error'
      /** The typed error of the read. */
      error: unknown
    }

/**
 * The schedule as one pure step for a driver that makes one request per step (a durable queue
 * worker): counts the read, runs {@link decideNext}, and holds the deadline (a next read due at
 * or after `deadlineAt` is a `time-out`). `random` is a number in [0, 1) for jitter.
 *
 * The in-process `waitFor` runs the same {@link decideNext}; it counts each HTTP request as it
 * is sent (retries inside a read included) and keeps each wait's deadline on a timer, because
 * one in-process loop serves several waits with different deadlines.
 *
 * @example
 * ```ts
 * const observation = await client.observe(state.taskId)
 * const { state: next, decision } = pollStep(state, observation, settings, Date.now(), Math.random())
 * if (decision.action === 'read') await queue.delay(job, next.nextReadAt)
 * ```
 */
export function pollStep(
  state: PollState,
  observation: Observation,
  settings: ScheduleSettings,
  now: number,
  random: number,
): {
  /** The state to store and pass to the next step. */
  state: PollState
  /** What to do next. */
  decision: StepDecision
} {
  const counted: PollState = { ...state, reads: state.reads + 1 }
  if (observation.kind === 'error' && !observation.transient) {
    return { state: counted, decision: { action: 'error', error: observation.error } }
  }
  const step = decideNext(counted, observation, settings, now, random)
  if (
    step.decision.action === 'read' &&
    state.deadlineAt !== null &&
    step.state.nextReadAt >= state.deadlineAt
  ) {
    return { state: step.state, decision: { action: 'time-out' } }
  }
  return step
}

/**
 * The outcome a step's decision ends the wait with, or `null` when it reads again. `lastTask`
 * is the last task read before this step (for a time-out or an `unknown` give-up).
 *
 * @example
 * ```ts
 * const outcome = stepOutcome(decision, observation, job.data.lastTask)
 * if (outcome) await recordAndNotify(outcome)
 * ```
 */
export function stepOutcome(
  decision: StepDecision,
  observation: Observation,
  state: PollState,
  lastTask: VideoTask | null,
): WaitOutcome | null {
  const latest = observation.kind === 'task' ? observation.task : lastTask
  switch (decision.action) {
    case 'read':
      return null
    case 'succeed':
      return outcomeOf.succeeded(decision.task)
    case 'fail':
      return outcomeOf.rejected(new TaskFailedError(decision.task))
    case 'cancel':
      return outcomeOf.rejected(new TaskCancelledError(decision.task))
    case 'time-out':
      return outcomeOf.timedOut(latest)
    case 'error':
      return outcomeOf.rejected(decision.error)
    case 'give-up':
      return decision.reason === 'unknown' && latest
        ? outcomeOf.rejected(new UnknownStatusError(latest, state.consecutiveUnknown))
        : outcomeOf.rejected(observation.kind === 'error' ? observation.error : undefined)
  }
}
