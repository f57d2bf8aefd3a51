/**
 * video-tasks: one model and one polling loop for video-generation tasks across vendors.
 *
 * The exports, in groups: the client and its options (logging and `onRetry` included); the
 * task model; the errors; the providers (the built-in factories, their registry and
 * `defineProvider`); downloads; the transport; and, last, the wait engine's pure pieces for
 * drivers that run the schedule themselves. Everything exported here is documented and meant
 * for users; the package's other modules are internal.
 *
 * @module video-tasks
 */

// The job's life beyond the wait: submit (never billed twice), the reference to store, the
// input every vendor shares, where the outputs are, and callbacks that nudge a wait.
export {
  type CallbackHandler,
  type CallbackHandlerOptions,
  createCallbackHandler,
  type Nudgeable,
  toNodeListener,
} from './client/callback-handler.js'
// Driver API: one request with no loop and no retries, as an observation for `pollStep`.
export { observationOfFailure, observeTask } from './client/read-task.js'
// The client: create one per provider; its options, calls and callbacks.
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
// From its own module: download/index.ts would reach the engine, download/options.ts the
// option resolver (a chunk the download chunks share), statically.
export { DOWNLOAD_DEFAULTS } from './download/defaults.js'
// Downloads: a task's video to a file or a stream, resumable and checked.
export type {
  DownloadChecksum,
  DownloadOptions,
  DownloadProgress,
  DownloadResult,
  DownloadToFileOptions,
  DownloadToFileResult,
  DownloadToStreamOptions,
} from './download/index.js'
// Loaded on the first download: the engine is not parsed by a process that only waits.
export { downloadToFile, downloadToStream } from './download/lazy.js'
// The errors every call rejects with.
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
// What the client says about its reads: the `logger` option and the `onRetry` event.
export type { Logger, LogLevel, RetryEvent, RetryListener } from './logger.js'
// The task model.
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
/*
 * Advanced: the wait engine's pure pieces, for a driver that runs the schedule itself (a durable
 * queue worker, `video-tasks/queue`, say). One request with no loop is `client.observe`; the
 * schedule as one pure step is `pollStep` (built on `decideNext`, which the in-process `waitFor`
 * runs too, from `initialPollState`); its settings come from `resolvePollSettings`; a stored
 * `PollState` is checked when loaded with `parsePollState` (`pollStateSchema`); a step's end
 * becomes a JSON-safe outcome with `stepOutcome` / `outcomeOf` / `taskToJson`. The retry
 * policy's classification and delays are here for drivers that retry. docs/performance.md and
 * src/queue/ show them in use.
 */
export {
  type ResolvedScheduleOptions as PollSettings,
  resolvePollSettings,
} from './options/schedule-options.js'
// The providers: each built-in factory with its details and options types, the registry of
// them (by id, for a config file or a CLI), and `defineProvider` for any other vendor.
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
export {
  type ArkContentItem,
  type ArkOptions,
  type ArkProvider,
  type ArkProviderInput,
  type ArkRegion,
  type ArkVideoDetails,
  ark,
  BUILT_IN_PROVIDER_IDS,
  type BuiltInProvider,
  type BuiltInProviderId,
  type CheckResultCreateOptions,
  type CheckResultOptions,
  type CheckResultVideoDetails,
  checkResult,
  type DashScopeOptions,
  type DashScopeProvider,
  type DashScopeProviderInput,
  type DashScopeRegion,
  type DashScopeVideoDetails,
  type DoubaoProviderInput,
  type DoubaoVideoDetails,
  dashscope,
  doubao,
  type GeminiOptions,
  type GeminiProviderInput,
  type GeminiVideoDetails,
  type GenericTaskOptions,
  type GenericTaskProviderInput,
  type GenericTaskVideoDetails,
  gemini,
  genericTask,
  isBuiltInProviderId,
  type KlingOptions,
  type KlingProviderInput,
  type KlingRoute,
  type KlingVideoDetails,
  kling,
  type MiniMaxInput,
  type MiniMaxVideoDetails,
  minimax,
  minimaxCallbackAnswer,
  type OpenAIProviderInput,
  type OpenAIVideoDetails,
  openai,
  type ProgressStyle,
  PUBLIC_BUILT_IN_PROVIDERS as BUILT_IN_PROVIDERS,
  type RunwayInput,
  type RunwayVideoDetails,
  runway,
  type SimulatorDialectFacts,
} from './providers/registry.js'
export {
  backoffDelayMs,
  type ClassifiedFailure,
  classifyFailure,
  isTransient,
  type RetryDelaySettings,
  retryAfterDelayMs,
} from './retry-policy.js'
export { isTaskRef, parseTaskRef, type TaskIdOrRef, type TaskRef } from './task-ref.js'
// The transport: the one HTTP layer, to wrap (count, trace) or replace via `transport`.
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
