/**
 * video-tasks: one model and one polling loop for video-generation tasks across vendors.
 *
 * @module video-tasks
 */

export {
  type CallbackHandler,
  type CallbackHandlerOptions,
  createCallbackHandler,
  type Nudgeable,
  toNodeListener,
} from './client/callback-handler.js'
export {
  type CancelOptions,
  type ClientDownloadOptions,
  type ClientDownloadResult,
  type ClientOptions,
  createClient,
  type DownloadOutputInfo,
  type DownloadTarget,
  type GenerateOptions,
  type GenerateResult,
  type GetTaskOptions,
  type StatusHandlers,
  type SubmitOptions,
  type VideoTaskClient,
  type WaitCallbacks,
  type WaitOptions,
} from './client.js'
export {
  DOWNLOAD_DEFAULTS,
  type DownloadChecksum,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
  type DownloadToFileOptions,
  type DownloadToFileResult,
  type DownloadToStreamOptions,
  downloadToFile,
  downloadToStream,
} from './download/index.js'
export {
  ApiError,
  type ApiErrorOptions,
  AuthenticationError,
  ConnectionError,
  DownloadError,
  type DownloadErrorOptions,
  DownloadExpiredError,
  DownloadIntegrityError,
  DownloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  SubmitUncertainError,
  TaskCancelledError,
  TaskFailedError,
  TaskNotFoundError,
  TaskNotReadyError,
  UnknownStatusError,
  UnsupportedOperationError,
  type ValidationIssue,
  VideoTaskError,
  WaitTimeoutError,
} from './errors.js'
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
  defineProvider,
  encodeTaskId,
  type Provider,
  type ProviderDefinition,
  type ProviderPollDefaults,
  type ProviderRequest,
  type ProviderResponse,
} from './providers/define-provider.js'
export type {
  CreatedTask,
  CreateRequestInput,
  DefinitionLifecycle,
  ImageInput,
  OutputLocation,
  ProviderCreateRequest,
  ProviderLifecycle,
  ResolvedImage,
  UrlHelpers,
  VideoInput,
} from './providers/kit/lifecycle.js'
export type { ProviderOptions } from './providers/kit/provider-options.js'
// The built-in providers (each factory, its details and options types) and their registry.
export * from './providers/registry.js'
export {
  backoffDelayMs,
  type ClassifiedFailure,
  classifyFailure,
  isTransient,
  type RetryDelaySettings,
  retryAfterDelayMs,
} from './retry-policy.js'
export { isTaskRef, parseTaskRef, type TaskIdOrRef, type TaskRef } from './task-ref.js'
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
