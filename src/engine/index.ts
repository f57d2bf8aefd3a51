/**
 * `video-tasks/engine`: the parts under the client, for programs that run the schedule
 * themselves (a durable queue worker such as `video-tasks/queue`), wrap the transport, or check
 * stored values with the model's schemas.
 *
 * - One request with no loop and no retries: `observeTask` (or `client.observe`).
 * - The schedule as one pure step: `pollStep`, built on `decideNext` (which the in-process
 *   `waitFor` runs too), from `initialPollState`; its settings from `resolvePollSettings`; a
 *   stored `PollState` checked when loaded with `parsePollState` (`pollStateSchema`); a step's end
 *   as a JSON-safe outcome with `stepOutcome` / `outcomeOf` / `taskToJson`.
 * - The retry policy's classification and delays, for drivers that retry.
 * - The transport: `createTransport` (the one HTTP layer, to wrap or replace via the client's
 *   `transport` option) and `createDownloadTransport`.
 * - The model's zod schemas (Standard Schema compatible): `VideoTaskSchema` and its parts.
 *
 * A subpath of its own: `import 'video-tasks'` stays small (the client loads this code on its
 * first call; issue 12, "Cost of importing it"), and these are for the few programs that drive
 * the engine themselves. docs/performance.md and src/queue/ show them in use.
 *
 * @module video-tasks/engine
 */
export { observationOfFailure, observeTask } from '../client/read-task.js'
export {
  VideoTaskSchema,
  videoTaskDetailsSchema,
  videoTaskFailureSchema,
  videoTaskStatusSchema,
} from '../model-schemas.js'
export {
  type ResolvedScheduleOptions as PollSettings,
  resolvePollSettings,
} from '../options/schedule-options.js'
export {
  backoffDelayMs,
  type ClassifiedFailure,
  classifyFailure,
  isTransient,
  type RetryDelaySettings,
  retryAfterDelayMs,
} from '../retry-policy.js'
export {
  createDownloadTransport,
  createTransport,
  type DownloadTransport,
  type DownloadTransportOptions,
  type FetchFunction,
  STREAM_DEFAULTS,
  type StreamRequest,
  type StreamResponse,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from '../transport.js'
export { outcomeOf, taskToJson, type VideoTaskJson, type WaitOutcome } from '../wait/outcome.js'
export {
  type PollState,
  type ProgressSample,
  parsePollState,
  pollStateSchema,
  type ScheduleState,
} from '../wait/poll-state.js'
export { pollStep, type StepDecision, stepOutcome } from '../wait/poll-step.js'
export {
  type Decision,
  type DelayReason,
  decideNext,
  initialPollState,
  type Observation,
  type ScheduleSettings,
} from '../wait/schedule.js'
export type { Clock } from '../wait/timer-queue.js'
