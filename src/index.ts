/**
 * video-tasks: one model and one polling loop for video-generation tasks across vendors.
 *
 * @module video-tasks
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
export type { ScheduleOptions } from './internal/options.js'
export type { ProviderOptions } from './internal/provider-options.js'
export type { Clock } from './internal/timer-queue.js'
export {
  type CancelledVideoTask,
  type FailedVideoTask,
  type FinalVideoTaskStatus,
  isFinalStatus,
  type QueuedVideoTask,
  type RunningVideoTask,
  type SucceededVideoTask,
  type UnknownVideoTask,
  type VideoTask,
  type VideoTaskDetails,
  type VideoTaskFailure,
  type VideoTaskFields,
  type VideoTaskOf,
  VideoTaskSchema,
  type VideoTaskStatus,
  videoTaskDetailsSchema,
  videoTaskFailureSchema,
  videoTaskStatusSchema,
} from './model.js'
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
  type Decision,
  type DelayReason,
  decideNext,
  initialPollState,
  type Observation,
  type PollState,
  type ProgressSample,
  type ScheduleSettings,
} from './schedule.js'
export {
  createTransport,
  type FetchFunction,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from './transport.js'
