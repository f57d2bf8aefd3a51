/**
 * video-tasks: one model and one polling loop for video-generation tasks across vendors.
 *
 * @packageDocumentation
 */

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
export {
  defineProvider,
  encodeTaskId,
  type Provider,
  type ProviderDefinition,
  type ProviderPollDefaults,
  type ProviderRequest,
  type ProviderResponse,
} from './providers/define-provider.js'
export { type OpenAIVideoDetails, openai } from './providers/openai.js'
export {
  createTransport,
  type FetchFunction,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from './transport.js'
