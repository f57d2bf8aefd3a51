import type { z } from 'zod'
import {
  ApiError,
  type ApiErrorOptions,
  AuthenticationError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  TaskNotFoundError,
  type ValidationIssue,
} from '../errors.js'
import type { VideoTask, VideoTaskDetails, VideoTaskFailure, VideoTaskStatus } from '../model.js'
import type { ProviderResponse } from '../providers/define-provider.js'

/*
 * Pure helpers the adapters share to turn a response into a task or a typed error.
 */

/**
 * How long the server asked to wait: `retry-after-ms` first, then `Retry-After` in seconds or as
 * an HTTP date (relative to `now`). `null` when absent or unreadable.
 */
export function retryAfterMs(
  headers: Readonly<Record<string, string>>,
  now: number,
): number | null {
  const milliseconds = Number(headers['retry-after-ms'])
  if (
    headers['retry-after-ms'] !== undefined &&
    Number.isFinite(milliseconds) &&
    milliseconds >= 0
  ) {
    return milliseconds
  }
  const value = headers['retry-after']?.trim()
  if (!value) return null
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** The request id from the usual headers. */
export function requestIdOf(headers: Readonly<Record<string, string>>): string | null {
  return (
    headers['x-request-id'] ??
    headers['request-id'] ??
    // one-api / new-api relay gateways (Doubao and OpenAI-compatible routes).
    headers['x-oneapi-request-id'] ??
    null
  )
}

/** What kind of error a vendor's body code means, when the status alone does not say. */
export type ErrorKind = 'authentication' | 'permission' | 'not-found' | 'rate-limit' | 'server'

/** The kind an HTTP status says (also an HTTP-style `code` or `status` inside a 200 body). */
export function kindFromStatus(status: number | null): ErrorKind | undefined {
  if (status === 401) return 'authentication'
  if (status === 403) return 'permission'
  if (status === 404) return 'not-found'
  if (status === 429) return 'rate-limit'
  if (status !== null && status >= 500 && status <= 599) return 'server'
  return undefined
}

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
    retryable: response.status >= 500,
  })
}

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

/** Parses `value` with a zod schema, throwing a {@link ResponseValidationError} with its issues. */
export function parseShape<T extends z.ZodType>(
  schema: T,
  value: unknown,
  response: ProviderResponse,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => ({
    path: issue.path,
    message: issue.message,
  }))
  const first = issues[0]
  throw validationError(
    response,
    `${what} does not have the expected shape${first ? `: ${first.message} at ${first.path.join('.') || '(root)'}` : ''}`,
    issues,
  )
}

/** The fields an adapter fills to build a task; {@link buildTask} enforces the status invariants. */
export interface TaskFields<TDetails extends VideoTaskDetails> {
  id: string
  provider: string
  status: VideoTaskStatus
  vendorStatus: string
  progress: number | null
  videoUrls: string[]
  error: VideoTaskFailure | null
  createdAt: Date | null
  completedAt: Date | null
  expiresAt: Date | null
  details: TDetails
  raw: unknown
}

/**
 * Builds a task from an adapter's fields so that the status union holds: a succeeded task has
 * progress 100 and no error; a failed one always has an error (a generic one if the vendor gave
 * no reason); queued and running have none.
 */
export function buildTask<TDetails extends VideoTaskDetails>(
  fields: TaskFields<TDetails>,
): VideoTask<TDetails> {
  const status = fields.status
  // One object literal, keys always in the same order, no spread: every task shares one hidden
  // class. `{ ...common, status, progress, error }` made a new hidden class per task on V8 11
  // (Node 20): ~3 µs and ~400 B more per task.
  return {
    id: fields.id,
    provider: fields.provider,
    vendorStatus: fields.vendorStatus,
    videoUrl: fields.videoUrls[0] ?? null,
    videoUrls: fields.videoUrls,
    createdAt: fields.createdAt,
    completedAt: fields.completedAt,
    expiresAt: fields.expiresAt,
    details: fields.details,
    raw: fields.raw,
    status,
    progress: status === 'succeeded' ? 100 : fields.progress,
    error:
      status === 'failed'
        ? (fields.error ?? {
            code: null,
            message: `The vendor reported status "${fields.vendorStatus}" without a reason`,
          })
        : status === 'cancelled' || status === 'unknown'
          ? fields.error
          : null,
  } as VideoTask<TDetails>
}

/** Drops `undefined` values so details hold only what the vendor sent. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  // A new object rather than `delete`, which turns the object into a slow dictionary.
  const result: Record<string, unknown> = {}
  for (const key in value) {
    const item = value[key]
    if (item !== undefined && item !== null) result[key] = item
  }
  return result as T
}

const KIND_PATTERNS: ReadonlyArray<[RegExp, ErrorKind]> = [
  [/task[_\s-]?not[_\s-]?(exist|found)|not[_\s-]?found|no such task|does not exist/i, 'not-found'],
  [/rate[_\s-]?limit|too many requests|quota exceeded|限流|频率/i, 'rate-limit'],
  [
    /invalid[_\s-]?(api[_\s-]?)?key|unauthori[sz]ed|authenticat|invalid[_\s-]?token|api key/i,
    'authentication',
  ],
  [/forbidden|permission|insufficient[_\s-]?(balance|quota|credits)|not allowed/i, 'permission'],
]

/**
 * The error kind a vendor's code or message says, for errors that arrive with a status that does
 * not say it (a 200 or 400 with `task_not_exist`, a 200 that says "rate limited").
 */
export function kindFromText(...values: unknown[]): ErrorKind | undefined {
  for (const value of values) {
    if (typeof value !== 'string' && typeof value !== 'number') continue
    const text = String(value)
    for (const [pattern, kind] of KIND_PATTERNS) if (pattern.test(text)) return kind
  }
  return undefined
}
