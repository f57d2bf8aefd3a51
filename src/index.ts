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
  preload,
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
  type VideoTaskStatus,
} from './model.js'
export type { ScheduleOptions } from './options/schedule-options.js'
export {
  BUILT_IN_PROVIDER_IDS,
  type BuiltInProvider,
  type BuiltInProviderId,
  isBuiltInProviderId,
  type ProgressStyle,
  PUBLIC_BUILT_IN_PROVIDERS as BUILT_IN_PROVIDERS,
} from './providers/built-in.js'
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
// Each factory checks its options at once and loads its adapter on first use (Provider.load).
export {
  ark,
  checkResult,
  dashscope,
  doubao,
  gemini,
  genericTask,
  kling,
  minimax,
  minimaxCallbackAnswer,
  openai,
  type RunwayOptions,
  runway,
} from './providers/factories.js'
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
// The providers' own types (erased: no adapter is loaded by them).
export type {
  ArkContentItem,
  ArkOptions,
  ArkProvider,
  ArkProviderInput,
  ArkRegion,
  ArkVideoDetails,
  CheckResultCreateOptions,
  CheckResultOptions,
  CheckResultVideoDetails,
  DashScopeOptions,
  DashScopeProvider,
  DashScopeProviderInput,
  DashScopeRegion,
  DashScopeVideoDetails,
  DoubaoProviderInput,
  DoubaoVideoDetails,
  GeminiOptions,
  GeminiProviderInput,
  GeminiVideoDetails,
  GenericTaskOptions,
  GenericTaskProviderInput,
  GenericTaskVideoDetails,
  KlingOptions,
  KlingProviderInput,
  KlingRoute,
  KlingVideoDetails,
  MiniMaxInput,
  MiniMaxVideoDetails,
  OpenAIProviderInput,
  OpenAIVideoDetails,
  RunwayInput,
  RunwayVideoDetails,
} from './providers/registry.js'
export { isTaskRef, parseTaskRef, type TaskIdOrRef, type TaskRef } from './task-ref.js'
// The transport's types, for the `transport` and `fetch` options; `createTransport` and the wait
// engine's pure pieces are in `video-tasks/engine`.
export type {
  DownloadTransport,
  DownloadTransportOptions,
  FetchFunction,
  StreamRequest,
  StreamResponse,
  Transport,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from './transport.js'
export type { VideoTaskJson, WaitOutcome } from './wait/outcome.js'
export type { PollState, ProgressSample, ScheduleState } from './wait/poll-state.js'
export type { Decision, DelayReason, Observation, ScheduleSettings } from './wait/schedule.js'
export type { Clock } from './wait/timer-queue.js'
