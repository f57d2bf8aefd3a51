/*
 * The provider kit: the pure helpers the built-in adapters share, one helper a file. Adapters
 * import from here; nothing in the kit knows a vendor, the transport or the wait engine.
 */
export { apiError, type ErrorFacts } from './api-error.js'
export {
  BASE_RESP_ERRORS,
  BASE_RESP_SENSITIVE,
  type BaseResp,
  type BaseRespRules,
  baseRespFailure,
  baseRespMessage,
  baseRespSchema,
  isMiniMaxTask,
  type MiniMaxTask,
  miniMaxTaskSchema,
} from './base-resp.js'
export { normalizeBaseURL } from './base-url.js'
export { buildTask, compact, type TaskFields } from './build-task.js'
export {
  builtInProvider,
  type CreateDescription,
  type LifecycleContext,
  type OutputContext,
  type ParseContext,
  type ProviderDescription,
  type ProviderRoute,
} from './built-in-provider.js'
export {
  imageUrl,
  jsonCreateRequest,
  multipartBody,
  refuseField,
  refuseUnmapped,
  type SharedField,
  withProviderInput,
} from './create-input.js'
export { imageDataUri } from './data-uri.js'
export {
  type EnvelopeRules,
  type ErrorBodyFields,
  type ErrorBodyRules,
  errorBodyFields,
  errorFromBody,
  isSuccessCode,
  requestIdOfResponse,
} from './envelope.js'
export { type ErrorKind, kindFromStatus, kindFromText } from './error-kind.js'
export { requestIdOf, retryAfterMs } from './headers.js'
export { lazy } from './lazy.js'
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
} from './lifecycle.js'
export {
  collectUrls,
  idText,
  isHttpUrl,
  mapStatus,
  numeric,
  parseProgress,
  parseSize,
  parseTimestamp,
  record,
  text,
} from './normalize.js'
export { parseShape } from './parse-shape.js'
export { type ProviderOptions, providerCredentials } from './provider-options.js'
export { readJson } from './read-json.js'
export { isNullishId, isNullishString, isPlainRecord } from './shape-guards.js'
export { assertTaskId, encodeTaskId } from './task-id.js'
export type {
  Provider,
  ProviderDefinition,
  ProviderPollDefaults,
  ProviderRequest,
  ProviderResponse,
} from './types.js'
export { validationError } from './validation-error.js'
