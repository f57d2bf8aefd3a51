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
export type { ScheduleOptions } from './internal/options.js'
export type { Clock } from './internal/timer-queue.js'
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
export {
  defineProvider,
  encodeTaskId,
  type Provider,
  type ProviderDefinition,
  type ProviderPollDefaults,
  type ProviderRequest,
  type ProviderResponse,
} from './providers/define-provider.js'
export type { ProviderOptions } from './providers/kit/provider-options.js'
// The built-in providers (each factory, its details and options types) and their registry.
export * from './providers/registry.js'
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
