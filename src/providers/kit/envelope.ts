import type { ApiError } from '../../errors.js'
import { apiError } from './api-error.js'
import { type ErrorKind, kindFromText } from './error-kind.js'
import { requestIdOf } from './headers.js'
import { numeric, record, text } from './normalize.js'
import type { ProviderResponse } from './types.js'

/*
 * The `{code, message, data}` envelope three vendors answer with (Doubao gateways, generic
 * /task/{id}, check-result; vendor-notes.md), and the error bodies every vendor sends.
 */

/** What a vendor's envelope `code` means. */
export interface EnvelopeRules {
  /**
   * The numeric codes that mean success: the docs' `0`, the generic upstream's `10000`, the
   * HTTP-style `200` of check-result and Doubao gateways. Numeric strings count too.
   */
  successCodes: readonly number[]
}

/** How a vendor's error bodies read. */
export interface ErrorBodyRules {
  /**
   * The HTTP statuses on which the body's code or message decides the error class
   * (`task_not_exist` in a 400 is a `TaskNotFoundError`); on the others the status decides.
   */
  kindFromBodyOn: readonly number[]
  /**
   * Whether the vendor's own numeric `code` decides the class of a 2xx or 4xx error whatever the
   * status (Kling sends 429 both for rate limits and for billing states, 1100-1102 vs
   * 1302/1303); a code the adapter does not know leaves it to the status. A 5xx stays a
   * retryable server error.
   * @default false
   */
  codeDecides?: boolean
}

/**
 * Whether an envelope's `code` says success: one of `rules.successCodes` (as a number or a
 * numeric string), or the words `success` / `ok` in any case. A missing code is success too:
 * the caller still requires a task in `data`.
 */
export function isSuccessCode(code: unknown, rules: EnvelopeRules): boolean {
  if (code === undefined || code === null) return true
  const number = numeric(code)
  if (number !== null) return rules.successCodes.includes(number)
  return typeof code === 'string' && /^\s*(success|ok)\s*$/i.test(code)
}

/** The message, code and request id an error body carries, whatever its shape. */
export interface ErrorBodyFields {
  message: string | null
  code: string | null
  /** OpenAI's `error.type`. */
  type: string | null
  requestId: string | null
}

/**
 * Reads an error body in any of the shapes vendors send: the envelope's `{code, message,
 * request_id}`, OpenAI's `{error: {message, code, type}}` (also what relay gateways' auth
 * middleware sends), and MiniMax's `base_resp: {status_code, status_msg}`. The envelope's own
 * fields come first.
 */
export function errorBodyFields(body: unknown): ErrorBodyFields {
  const object = record(body)
  const nested = record(object?.error)
  const baseResp = record(object?.base_resp)
  return {
    // Runway's `{error: "..."}` is a bare string.
    message:
      text(object?.message) ??
      text(baseResp?.status_msg) ??
      text(nested?.message) ??
      text(object?.error),
    code:
      text(object?.code) ?? text(baseResp?.status_code) ?? text(nested?.code) ?? text(nested?.type),
    type: text(nested?.type),
    requestId: text(object?.request_id),
  }
}

/**
 * The request id of a response: the body's `request_id`, the usual headers, or the
 * "(request id: ...)" one-api-style gateways append to error messages (vendor-notes.md
 * "Doubao through relay gateways").
 */
export function requestIdOfResponse(
  response: ProviderResponse,
  fields?: Pick<ErrorBodyFields, 'message' | 'requestId'>,
): string | null {
  return (
    fields?.requestId ??
    requestIdOf(response.headers) ??
    (fields?.message ? (/\(request id: ?([^)\s]+)\)/i.exec(fields.message)?.[1] ?? null) : null)
  )
}

/**
 * The typed error for an error body. `kind` overrides; otherwise the body's text decides on a
 * 2xx (an error told in a 200: the status says nothing) and on the statuses `rules` names, and
 * the status on the others.
 */
export function errorFromBody(
  response: ProviderResponse,
  body: unknown,
  rules: ErrorBodyRules,
  kind?: ErrorKind,
): ApiError {
  const fields = errorBodyFields(body)
  return apiError({
    response,
    message: fields.message,
    code: fields.code,
    kind:
      kind ??
      ((response.status >= 200 && response.status < 300) ||
      rules.kindFromBodyOn.includes(response.status)
        ? kindFromText(fields.code, fields.type, fields.message)
        : undefined),
    requestId: requestIdOfResponse(response, fields),
  })
}
