import {
  ApiError,
  type ApiErrorOptions,
  AuthenticationError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TaskNotFoundError,
} from '../../errors.js'
import { type ErrorKind, kindFromStatus } from './error-kind.js'
import { requestIdOf, retryAfterMs } from './headers.js'
import type { ProviderResponse } from './types.js'

/** Everything an adapter knows when it turns a response into an error. */
export interface ErrorFacts {
  response: ProviderResponse
  /** The vendor's message, if it sent one. */
  message?: string | null | undefined
  /** The vendor's code, if it sent one. */
  code?: string | number | null | undefined
  /** The kind the body says, overriding the status's kind (a 200 or 400 that says "not found"). */
  kind?: ErrorKind | undefined
  /** The request id from the body, when the headers have none. */
  requestId?: string | null | undefined
}

/**
 * The typed error for a response: by `kind` when the body says, else by status
 * (401, 403, 404, 429, 5xx, other).
 */
export function apiError(facts: ErrorFacts): ApiError {
  const { response } = facts
  const status = response.status
  const kind = facts.kind ?? kindFromStatus(status)
  const code = facts.code === null || facts.code === undefined ? null : String(facts.code)
  const vendorMessage = facts.message?.trim()
  const location = response.headers.location
  const message =
    vendorMessage ||
    (status >= 300 && status < 400
      ? `HTTP ${status} redirect${location ? ` to ${location}` : ''} not followed: credentials are only sent to the base URL`
      : `HTTP ${status}${code ? ` (${code})` : ''} from ${response.provider}`)
  const options: ApiErrorOptions = {
    status,
    code,
    message,
    requestId: facts.requestId ?? requestIdOf(response.headers),
    body: response.body,
    provider: response.provider,
    url: response.url,
  }
  switch (kind) {
    case 'authentication':
      return new AuthenticationError(options)
    case 'permission':
      return new PermissionDeniedError(options)
    case 'not-found':
      return new TaskNotFoundError(options)
    case 'rate-limit':
      return new RateLimitError({
        ...options,
        retryAfterMs: retryAfterMs(response.headers, response.receivedAt),
      })
    case 'server':
      return new ServerError({
        ...options,
        retryAfterMs: retryAfterMs(response.headers, response.receivedAt),
      })
    default:
      return new ApiError(options)
  }
}
