import type { PollState } from './poll-state.js'
import { type Decision, decideNext, type Observation, type ScheduleSettings } from './schedule.js'

/** What a durable driver does after one read: {@link Decision}, or the wait's deadline passed. */
export type StepDecision =
  | Decision
  | {
      /** The deadline passes before the next read would be due: the wait times out. */
      action: 'time-out'
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
