/**
 * video-tasks: one model and one polling loop for video-generation tasks across vendors.
 *
 * @packageDocumentation
 */

export {
  type ClientOptions,
  createClient,
  type GetTaskOptions,
  type StatusHandlers,
  type VideoTaskClient,
  type WaitCallbacks,
  type WaitOptions,
} from './client.js'
export {
  ApiError,
  type ApiErrorOptions,
  AuthenticationError,
  ConnectionError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  TaskCancelledError,
  TaskFailedError,
  TaskNotFoundError,
  UnknownStatusError,
  type ValidationIssue,
  VideoTaskError,
  WaitTimeoutError,
} from './errors.js'
export type { ProviderOptions } from './internal/provider-options.js'
export {
  type FinalVideoTaskStatus,
  isFinalStatus,
  type VideoTask,
  type VideoTaskDetails,
  type VideoTaskFailure,
  type VideoTaskOf,
  VideoTaskSchema,
  type VideoTaskStatus,
  videoTaskDetailsSchema,
  videoTaskFailureSchema,
  videoTaskStatusSchema,
} from './model.js'
export type { ScheduleOptions } from './options/schedule-options.js'
/**
 * The wait engine's pure pieces, for a driver that runs the schedule itself (a durable queue
 * worker, say): one request with no loop (`client.observe`), the schedule as one pure step
 * (`pollStep`, built on `decideNext`, which the in-process `waitFor` runs too), the settings
 * (`resolvePollSettings`), `PollState` checked when loaded (`parsePollState`), and a JSON-safe
 * outcome (`outcomeOf`). The retry policy's delays are exported for drivers that retry.
 */
export {
  type ResolvedScheduleOptions as PollSettings,
  resolveScheduleOptions as resolvePollSettings,
} from './options/schedule-options.js'
export {
  type CheckResultOptions,
  type CheckResultVideoDetails,
  checkResult,
} from './providers/check-result.js'
export {
  defineProvider,
  encodeTaskId,
  type Provider,
  type ProviderDefinition,
  type ProviderPollDefaults,
  type ProviderRequest,
  type ProviderResponse,
} from './providers/define-provider.js'
export { type DoubaoVideoDetails, doubao } from './providers/doubao.js'
export { type GenericTaskVideoDetails, genericTask } from './providers/generic-task.js'
export { type OpenAIVideoDetails, openai } from './providers/openai.js'
export {
  backoffDelayMs,
  type ClassifiedFailure,
  classifyFailure,
  isTransient,
  type RetryDelaySettings,
  retryAfterDelayMs,
} from './retry-policy.js'
export {
  createTransport,
  type FetchFunction,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from './transport.js'
export { outcomeOf, taskToJson, type VideoTaskJson, type WaitOutcome } from './wait/outcome.js'
export {
  type PollState,
  type ProgressSample,
  parsePollState,
  pollStateSchema,
  type ScheduleState,
} from './wait/poll-state.js'
export { pollStep, type StepDecision, stepOutcome } from './wait/poll-step.js'
export {
  type Decision,
  type DelayReason,
  decideNext,
  initialPollState,
  type Observation,
  type ScheduleSettings,
} from './wait/schedule.js'
export type { Clock } from './wait/timer-queue.js'
