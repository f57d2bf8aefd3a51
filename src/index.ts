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
