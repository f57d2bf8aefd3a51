import { apiError } from './api-error.js'
import type { ProviderResponse } from './types.js'
import { validationError } from './validation-error.js'

/**
 * Parses a body as JSON. A body that is not JSON (an HTML page from a proxy, empty, truncated)
 * becomes the status's error when the status is an error (a 502 page is a `ServerError`), or a
 * {@link ResponseValidationError} on 2xx.
 */
export function readJson(response: ProviderResponse): unknown {
  const body = response.body
  if (body.trim() !== '') {
    try {
      return JSON.parse(body)
    } catch {
      // handled below
    }
  }
  if (response.status < 200 || response.status >= 300) throw apiError({ response })
  const reason =
    body.trim() === ''
      ? 'Empty body'
      : /^\s*</.test(body)
        ? 'HTML page instead of JSON'
        : 'Body is not valid JSON'
  throw validationError(response, reason)
}
