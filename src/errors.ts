import type { FailedVideoTask, VideoTask, VideoTaskDetails } from './model.js'

/*
 * Every error class marks its instances with the names of its class chain under a global symbol,
 * so `instanceof` also recognises errors thrown by another copy of the package (an ESM and a CJS
 * copy, or two versions in one node_modules tree). `VideoTaskError.is(value)` and each subclass's
 * `is` do the same as a type guard.
 */
const KINDS = Symbol.for('video-tasks.error-kinds')
const KIND = Symbol.for('video-tasks.error-kind')

type Marked = { [KINDS]?: readonly string[] }

function hasKind(value: unknown, kind: string): boolean {
  if (typeof value !== 'object' || value === null) return false
  const kinds = (value as Marked)[KINDS]
  return Array.isArray(kinds) && kinds.includes(kind)
}

function ownKind(errorClass: object): string {
  return (errorClass as Record<symbol, string>)[KIND] as string
}

/** How many characters of a response body an error keeps. */
export const BODY_EXCERPT_LENGTH = 500

/** Cuts a body to {@link BODY_EXCERPT_LENGTH} characters for an error message or property. */
export function bodyExcerpt(body: string): string {
  return body.length > BODY_EXCERPT_LENGTH ? `${body.slice(0, BODY_EXCERPT_LENGTH)}…` : body
}

/** What the base error class accepts besides the message. */
export interface VideoTaskErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown
  /**
   * Whether reading again may succeed.
   * @default false
   */
  retryable?: boolean | undefined
  /**
   * How long the server asked to wait, in milliseconds.
   * @default null
   */
  retryAfterMs?: number | null | undefined
}

/**
 * The base class of every error this package throws (except `TypeError` for a wrong option and
 * an abort signal's own reason).
 */
export class VideoTaskError extends Error {
  /** The class's kind: how `instanceof` recognises instances from another copy of the package. */
  static readonly [KIND]: string = 'VideoTaskError'
  /** The kinds of the instance's class chain, most derived first. */
  declare readonly [KINDS]: readonly string[]
  /**
   * Whether reading again may succeed (network, time limits, 408, 409, 429, 5xx). The retry
   * policy (`src/retry-policy.ts`) reads this field and nothing else to tell a transient failure.
   * @default false
   */
  readonly retryable: boolean
  /**
   * How long the server asked to wait before the next request (`retry-after-ms` or
   * `Retry-After`), in milliseconds; `null` when it did not say.
   * @default null
   */
  readonly retryAfterMs: number | null

  constructor(message: string, options?: VideoTaskErrorOptions) {
    // No `cause` property at all unless there is one (`{ cause: undefined }` would install one).
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.retryable = options?.retryable ?? false
    this.retryAfterMs = options?.retryAfterMs ?? null
    const kinds: string[] = []
    for (
      let current: unknown = new.target;
      typeof current === 'function';
      current = Object.getPrototypeOf(current)
    ) {
      if (Object.hasOwn(current, KIND)) kinds.push(ownKind(current))
    }
    Object.defineProperty(this, KINDS, { value: Object.freeze(kinds), enumerable: false })
    // The package's classes are named by their kind, not `new.target.name`, so the name survives
    // minifiers; a user's subclass (which has no kind of its own) by its own class name.
    const name = Object.hasOwn(new.target, KIND) ? kinds[0] : new.target.name || kinds[0]
    Object.defineProperty(this, 'name', {
      value: name ?? 'VideoTaskError',
      enumerable: false,
      configurable: true,
      writable: true,
    })
  }

  /** `instanceof`: true for instances of this class from this copy of the package or another. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    return Object.hasOwn(this, KIND) && hasKind(value, ownKind(this))
  }

  /**
   * Whether `value` is an instance of this class, from this copy of the package or another.
   *
   * @example
   * ```ts
   * if (RateLimitError.is(error)) await sleep(error.retryAfterMs ?? 1000)
   * ```
   */
  static is<T extends abstract new (...args: never[]) => unknown>(
    this: T,
    value: unknown,
  ): value is InstanceType<T> {
    return value instanceof (this as unknown as typeof VideoTaskError)
  }
}

/** What every {@link ApiError} knows about the response that caused it. */
export interface ApiErrorOptions {
  /** The HTTP status (200 when a vendor reports an error inside a 200 response). */
  status: number
  /** The vendor's own error code, as a string. */
  code?: string | null | undefined
  /** The vendor's message, or a description of the problem. */
  message: string
  /** The request id from the response headers or body, for the vendor's support. */
  requestId?: string | null | undefined
  /** The start of the response body. */
  body?: string | undefined
  /** The provider id. */
  provider: string
  /** The URL that was requested. */
  url: string
  /** Whether reading again may succeed. Defaults to the status class's rule. */
  retryable?: boolean | undefined
  /** The underlying error, if any. */
  cause?: unknown
}

/**
 * The vendor answered with an error: a non-2xx status, or a 2xx whose body carries an error
 * code. Subclasses name the common cases; a plain `ApiError` is any other status.
 */
export class ApiError extends VideoTaskError {
  static override readonly [KIND]: string = 'ApiError'
  /** The HTTP status (200 when the vendor puts its errors in 200 responses). */
  readonly status: number
  /** The vendor's error code, when it sent one. */
  readonly code: string | null
  /** The request id, when the response carried one. */
  readonly requestId: string | null
  /** The first 500 characters of the body (`…` marks a cut). */
  readonly bodyExcerpt: string
  /** The provider id. */
  readonly provider: string
  /** The URL that was requested. */
  readonly url: string
  constructor(options: ApiErrorOptions & { retryAfterMs?: number | null | undefined }) {
    super(options.message, {
      cause: options.cause,
      retryable: options.retryable ?? isRetryableStatus(options.status),
      retryAfterMs: options.retryAfterMs,
    })
    this.status = options.status
    this.code = options.code ?? null
    this.requestId = options.requestId ?? null
    this.bodyExcerpt = bodyExcerpt(options.body ?? '')
    this.provider = options.provider
    this.url = options.url
  }
}

/** Statuses that the official SDKs retry: 408, 409, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500
}

/** 401, or a vendor code that means the key is missing, wrong or revoked. */
export class AuthenticationError extends ApiError {
  static override readonly [KIND]: string = 'AuthenticationError'
  constructor(options: ApiErrorOptions) {
    super({ ...options, retryable: false })
  }
}

/** 403, or a vendor code that means the key may not do this (or the balance is spent). */
export class PermissionDeniedError extends ApiError {
  static override readonly [KIND]: string = 'PermissionDeniedError'
  constructor(options: ApiErrorOptions) {
    super({ ...options, retryable: false })
  }
}

/** 404, or a body that says the task does not exist (such as a 400 with `task_not_exist`). */
export class TaskNotFoundError extends ApiError {
  static override readonly [KIND]: string = 'TaskNotFoundError'
  constructor(options: ApiErrorOptions) {
    super({ ...options, retryable: false })
  }
}

/** 429, or a body that says rate limited. */
export class RateLimitError extends ApiError {
  static override readonly [KIND]: string = 'RateLimitError'
  constructor(options: ApiErrorOptions & { retryAfterMs?: number | null | undefined }) {
    super({ ...options, retryable: true })
  }
}

/** 5xx: the vendor or a proxy in front of it failed. Retryable. */
export class ServerError extends ApiError {
  static override readonly [KIND]: string = 'ServerError'
  constructor(options: ApiErrorOptions & { retryAfterMs?: number | null | undefined }) {
    super({ ...options, retryable: true })
  }
}

/**
 * The request did not get a complete response: DNS, refused or reset connection, TLS, or a
 * time limit (`headersTimeoutMs`, `bodyTimeoutMs`). Retryable; `cause` holds the original error.
 */
export class ConnectionError extends VideoTaskError {
  static override readonly [KIND]: string = 'ConnectionError'
  /** The URL that was requested. */
  readonly url: string
  /** Whether a time limit (rather than the network) ended the request. */
  readonly timedOut: boolean
  /**
   * Whether the request provably never left this machine (DNS failure, refused connection,
   * connect timeout), so the server cannot have acted on it. A create is resent only then
   * (unless the provider honours an idempotency header).
   * @default false
   */
  readonly notSent: boolean
  constructor(
    message: string,
    options: { url: string; timedOut?: boolean; notSent?: boolean; cause?: unknown },
  ) {
    // Always retryable: another read may succeed.
    super(message, { cause: options.cause, retryable: true })
    this.url = options.url
    this.timedOut = options.timedOut ?? false
    this.notSent = options.notSent ?? false
  }
}

/**
 * A create request was sent but its answer was lost (a reset or time limit after sending, a 5xx
 * without the vendor's error body, an answer that could not be read): the task **may have been
 * created and billed**. The create is not resent, since the vendor could bill a second task.
 * Reconcile instead: look for a task created around `requestedAt` (the vendor's task list or
 * dashboard), and resend only once you know none was made. Not retryable.
 *
 * @example
 * ```ts
 * try {
 *   await client.submit({ prompt: 'a red fox in snow' })
 * } catch (error) {
 *   if (SubmitUncertainError.is(error)) {
 *     console.error(`check for a task created at ${error.requestedAt.toISOString()}`)
 *   }
 * }
 * ```
 */
export class SubmitUncertainError extends VideoTaskError {
  static override readonly [KIND]: string = 'SubmitUncertainError'
  /** The idempotency key the create was sent with (or would have been, had the vendor one). */
  readonly idempotencyKey: string
  /** When the create request was sent. */
  readonly requestedAt: Date
  /** The provider id. */
  readonly provider: string
  /** The create URL (without user info). */
  readonly url: string
  constructor(options: {
    idempotencyKey: string
    requestedAt: Date
    provider: string
    url: string
    /** What lost the answer: the transport's error, the typed error of the answer, an abort. */
    cause?: unknown
  }) {
    const reason =
      options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unknown')
    super(
      `The create request to ${options.url} (${options.provider}) was sent at ${options.requestedAt.toISOString()} but its answer was lost (${reason}); the task may have been created and billed. It was not resent: look for a task created at that time before submitting again (idempotency key ${options.idempotencyKey}).`,
      { cause: options.cause, retryable: false },
    )
    this.idempotencyKey = options.idempotencyKey
    this.requestedAt = options.requestedAt
    this.provider = options.provider
    this.url = options.url
  }
}

/**
 * The provider cannot do this: it has no create (`submit`, `generate`) or cancel route, or its
 * definition gave none. Thrown before any request is sent.
 */
export class UnsupportedOperationError extends VideoTaskError {
  static override readonly [KIND]: string = 'UnsupportedOperationError'
  /** What was asked: `submit` or `cancel`. */
  readonly operation: string
  /** The provider id. */
  readonly provider: string
  constructor(options: { operation: string; provider: string; hint?: string | undefined }) {
    super(
      `Provider ${options.provider} does not support ${options.operation}${options.hint ? `: ${options.hint}` : ''}`,
    )
    this.operation = options.operation
    this.provider = options.provider
  }
}

/** One problem found in a response body. */
export interface ValidationIssue {
  /** Where in the body, as a path of keys and indexes. */
  path: readonly PropertyKey[]
  /** What is wrong there. */
  message: string
}

/**
 * The response was not what the vendor documents: not JSON, an HTML page, JSON of the wrong
 * shape, or larger than `maxResponseBytes`. Not retryable unless the status was 5xx.
 */
export class ResponseValidationError extends VideoTaskError {
  static override readonly [KIND]: string = 'ResponseValidationError'
  /** The HTTP status of the response. */
  readonly status: number
  /** The problems found. */
  readonly issues: readonly ValidationIssue[]
  /** The first 500 characters of the body (`…` marks a cut). */
  readonly bodyExcerpt: string
  /** The provider id. */
  readonly provider: string
  /** The URL that was requested. */
  readonly url: string
  constructor(options: {
    message: string
    status: number
    issues?: readonly ValidationIssue[]
    body?: string
    provider: string
    url: string
    retryable?: boolean
    cause?: unknown
  }) {
    super(options.message, { cause: options.cause, retryable: options.retryable ?? false })
    this.status = options.status
    this.issues = options.issues ?? []
    this.bodyExcerpt = bodyExcerpt(options.body ?? '')
    this.provider = options.provider
    this.url = options.url
  }
}

/**
 * The task reached `failed`. `task.error` holds the vendor's reason.
 *
 * @example
 * ```ts
 * try {
 *   await client.waitFor(id)
 * } catch (error) {
 *   if (TaskFailedError.is(error)) console.error(error.task.error.message)
 * }
 * ```
 */
export class TaskFailedError<
  TDetails extends VideoTaskDetails = VideoTaskDetails,
> extends VideoTaskError {
  static override readonly [KIND]: string = 'TaskFailedError'
  /** The failed task: its `error` is always set. */
  readonly task: FailedVideoTask<TDetails>
  constructor(task: FailedVideoTask<TDetails>) {
    // `?.`: a JavaScript caller may pass a task without an error; the message still reads.
    super(`Task ${task.id} (${task.provider}) failed: ${task.error?.message ?? 'no reason given'}`)
    this.task = task
  }
}

/** The task reached `cancelled`. */
export class TaskCancelledError extends VideoTaskError {
  static override readonly [KIND]: string = 'TaskCancelledError'
  /** The cancelled task. */
  readonly task: VideoTask
  constructor(task: VideoTask) {
    super(
      `Task ${task.id} (${task.provider}) was cancelled${task.error ? `: ${task.error.message}` : ''}`,
    )
    this.task = task
  }
}

/**
 * The task has not finished (queued, running or unknown), so there is nothing to download yet:
 * wait for it first (`client.waitFor`).
 */
export class TaskNotReadyError extends VideoTaskError {
  static override readonly [KIND]: string = 'TaskNotReadyError'
  /** The task as read. */
  readonly task: VideoTask
  constructor(task: VideoTask, action: string) {
    super(
      `Task ${task.id} (${task.provider}) is ${task.status}, not succeeded: cannot ${action} it yet; wait for it first (client.waitFor)`,
    )
    this.task = task
  }
}

/** The wait's deadline (`timeoutMs`) passed before the task reached a final state. */
export class WaitTimeoutError extends VideoTaskError {
  static override readonly [KIND]: string = 'WaitTimeoutError'
  /** The id of the task waited for. */
  readonly taskId: string
  /** The last task read, or `null` if no read completed. */
  readonly lastTask: VideoTask | null
  /** Milliseconds from the start of the wait to the deadline. */
  readonly elapsedMs: number
  /** How many reads were made (including failed ones). */
  readonly reads: number
  constructor(options: {
    taskId: string
    lastTask: VideoTask | null
    elapsedMs: number
    reads: number
    timeoutMs: number
    /** The last failed read's error, when the last read failed. */
    cause?: unknown
  }) {
    const last = options.lastTask
      ? `last status ${options.lastTask.status}${options.lastTask.progress === null ? '' : ` at ${options.lastTask.progress}%`}`
      : 'no successful read'
    super(
      `Timed out after ${options.timeoutMs} ms waiting for task ${options.taskId} (${options.reads} reads, ${last})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    )
    this.taskId = options.taskId
    this.lastTask = options.lastTask
    this.elapsedMs = options.elapsedMs
    this.reads = options.reads
  }
}

/** The vendor kept answering with a status word the adapter does not know, past `maxConsecutiveUnknown`. */
export class UnknownStatusError extends VideoTaskError {
  static override readonly [KIND]: string = 'UnknownStatusError'
  /** The last task read (status `unknown`; `vendorStatus` holds the word). */
  readonly task: VideoTask
  constructor(task: VideoTask, count: number) {
    super(
      `Task ${task.id} (${task.provider}) reported the unknown status "${task.vendorStatus}" ${count} times in a row`,
    )
    this.task = task
  }
}

/**
 * A URL as the package shows it in download messages and error properties: origin and path only.
 * A pre-signed link carries its signature in the query string (sometimes credentials as user
 * info), so both go. Kept here, not imported, so this module stays self-contained (a copy of it
 * must load alone; see test/errors.test.ts). Not exported from the package.
 */
export function publicUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return '(invalid URL)'
  }
}

/** What every {@link DownloadError} knows. */
export interface DownloadErrorOptions {
  /** The URL being downloaded; kept without its query string (a signed link's signature). */
  url: string
  /** The HTTP status that ended the download, or `null` when none did (a connection failure, a time limit). */
  status?: number | null | undefined
  /** The bytes received so far (kept in the temporary file until it is removed). */
  receivedBytes?: number | undefined
  /** Whether another attempt may succeed. */
  retryable?: boolean | undefined
  /** Whether a time limit ended the download. */
  timedOut?: boolean | undefined
  /** The underlying error, if any. */
  cause?: unknown
}

/**
 * A download failed. Subclasses name the cases an app handles differently: an expired link, an
 * integrity mismatch, a body over `maxBytes`. The message and properties never hold the key or
 * a signed link's query string.
 */
export class DownloadError extends VideoTaskError {
  static override readonly [KIND]: string = 'DownloadError'
  /** The URL, as origin and path only. */
  readonly url: string
  /** The HTTP status that ended the download, or `null`. */
  readonly status: number | null
  /** The bytes received before it failed. */
  readonly receivedBytes: number
  /** Whether a time limit (idle, headers, or the whole download's `timeoutMs`) ended it. */
  readonly timedOut: boolean
  constructor(message: string, options: DownloadErrorOptions) {
    super(message, { cause: options.cause, retryable: options.retryable ?? false })
    this.url = publicUrl(options.url)
    this.status = options.status ?? null
    this.receivedBytes = options.receivedBytes ?? 0
    this.timedOut = options.timedOut ?? false
  }
}

/**
 * The link has expired: its `expiresAt` has passed, or the storage answered 403 (to a request
 * without credentials) or 410. Thrown when no fresh link could be had, or the fresh one expired
 * too.
 */
export class DownloadExpiredError extends DownloadError {
  static override readonly [KIND]: string = 'DownloadExpiredError'
  /** When the link expired, as an ISO 8601 string, when that is known. */
  readonly expiresAt: string | null
  /** Whether a fresh link was fetched (and expired as well) before this error. */
  readonly refreshed: boolean
  constructor(
    message: string,
    options: DownloadErrorOptions & { expiresAt?: string | null; refreshed?: boolean },
  ) {
    super(message, { ...options, retryable: false })
    this.expiresAt = options.expiresAt ?? null
    this.refreshed = options.refreshed ?? false
  }
}

/** The downloaded bytes do not match the announced length or the expected checksum. */
export class DownloadIntegrityError extends DownloadError {
  static override readonly [KIND]: string = 'DownloadIntegrityError'
  /** What did not match. */
  readonly check: 'length' | 'sha256'
  /** The expected value (a byte count, or a lower-case hex digest). */
  readonly expected: string
  /** The value found. */
  readonly actual: string
  constructor(
    message: string,
    options: DownloadErrorOptions & {
      check: 'length' | 'sha256'
      expected: string
      actual: string
    },
  ) {
    super(message, { ...options, retryable: false })
    this.check = options.check
    this.expected = options.expected
    this.actual = options.actual
  }
}

/** The body is larger than `maxBytes`: announced so, or found so while streaming. */
export class DownloadTooLargeError extends DownloadError {
  static override readonly [KIND]: string = 'DownloadTooLargeError'
  /** The limit. */
  readonly maxBytes: number
  /** The size the server announced, or `null` when it was found while streaming. */
  readonly announcedBytes: number | null
  constructor(
    message: string,
    options: DownloadErrorOptions & { maxBytes: number; announcedBytes?: number | null },
  ) {
    super(message, { ...options, retryable: false })
    this.maxBytes = options.maxBytes
    this.announcedBytes = options.announcedBytes ?? null
  }
}
