import { isRetryableStatus, ResponseValidationError, type ValidationIssue } from '../../errors.js'
import type { ProviderResponse } from './types.js'

/** A {@link ResponseValidationError} for this response. Retryable when the status is 5xx. */
export function validationError(
  response: ProviderResponse,
  message: string,
  issues: readonly ValidationIssue[] = [],
): ResponseValidationError {
  return new ResponseValidationError({
    message: `${message} (HTTP ${response.status} from ${response.provider} at ${response.url})`,
    status: response.status,
    issues,
    body: response.body,
    provider: response.provider,
    url: response.url,
    retryable: response.status >= 500 && isRetryableStatus(response.status),
  })
}
