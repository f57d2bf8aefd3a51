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
/*
 * ---- Driver API ----
 * The wait engine's pieces for a driver that runs the schedule itself, outside this process's
 * memory (the durable `video-tasks/queue` worker is one; a cron job or a workflow engine could be
 * another). The in-process `waitFor` runs the same schedule (`decideNext`), so there is one
 * schedule, not two. A driver's loop, one step per read:
 *
 * 1. `resolvePollSettings(provider.pollDefaults, options)`: the settings, once.
 * 2. `initialPollState(...)` for a new wait, or `parsePollState(stored)` for one loaded from
 *    storage (untrusted JSON).
 * 3. `observeTask(provider, transport, taskId)`: exactly one request, no retries, no loop: the
 *    task and the server's poll hint, or a classified failure (transient with `Retry-After`, or
 *    permanent with its typed error).
 * 4. `pollStep(state, observation, settings, now, random)`: the next state and a decision (read
 *    again at `state.nextReadAt`, finished, timed out, given up). Store the state.
 * 5. `stepOutcome(...)`: the JSON-safe `WaitOutcome` once the decision ends the wait.
 */
export { observationOfFailure, observeTask } from './client/read-task.js'
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
export {
  type ResolvedScheduleOptions as PollSettings,
  resolvePollSettings,
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
