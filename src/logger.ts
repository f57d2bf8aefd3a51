/*
 * What the client says about its reads: a `logger` (console-shaped, silent unless given or
 * turned on by `VIDEO_TASKS_LOG`) and the `onRetry` event, as openai-node (`logger`, `logLevel`,
 * `OPENAI_LOG`) and the AWS SDK (a retry strategy's hooks) give. Every line goes through the
 * client's redaction, so no log line holds the key.
 */

/** How much the client logs: each level includes those after it; `off` logs nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off'

/** The levels, most verbose first. */
export const LOG_LEVELS: readonly LogLevel[] = Object.freeze([
  'debug',
  'info',
  'warn',
  'error',
  'off',
])

/**
 * Where the client logs: `console`, or any object with the four methods (pino, winston, a test
 * double). Each call gets a one-line message and, after it, a plain object of fields (task id,
 * attempt, delay, error name and message: never the error object, never the key).
 *
 * @example
 * ```ts
 * const client = createClient({ provider, logger: console, logLevel: 'info' })
 * ```
 */
export interface Logger {
  /** Each read and its outcome, the client's own request-rate waits. */
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void
  /** A retry: inside a read, or the schedule reading again after a failed read. */
  info(message: string, fields?: Readonly<Record<string, unknown>>): void
  /** A rate-limit wait (429 or `Retry-After`), an unknown status, a wait giving up. */
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void
  /** Reserved for failures of the client itself. */
  error(message: string, fields?: Readonly<Record<string, unknown>>): void
}

/** What `onRetry` receives: one failed attempt the client is about to retry. */
export interface RetryEvent {
  /** The task being read. */
  taskId: string
  /**
   * How many attempts have failed in a row: requests inside this read for `scope: 'request'`
   * (1 after the first request failed), reads for `scope: 'read'`.
   */
  attempt: number
  /** What the attempt failed with: a `ConnectionError`, `RateLimitError`, `ServerError`... */
  error: unknown
  /** How long the client waits before the next attempt, in milliseconds. */
  delayMs: number
  /**
   * `request`: retried inside the read (`retries`, short delays). `read`: the read failed after
   * its retries and the schedule reads again later (`maxConsecutiveFailures` such reads end the
   * wait).
   */
  scope: 'request' | 'read'
  /** `retry-after` when the server's `Retry-After` set the delay, else `backoff`. */
  reason: 'retry-after' | 'backoff'
}

/** The `onRetry` callback of the client, `getTask` and the waits. */
export type RetryListener = (event: RetryEvent) => void

/** The environment variable that turns on a console logger on Node. */
export const LOG_ENVIRONMENT_VARIABLE = 'VIDEO_TASKS_LOG'

/**
 * `VIDEO_TASKS_LOG`, read defensively: a browser or a worker has no `process`, and Deno throws
 * without the env permission. Neither must break `createClient`.
 */
export function logLevelFromEnvironment(): string | undefined {
  try {
    const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } })
      .process?.env
    const value = environment?.[LOG_ENVIRONMENT_VARIABLE]
    return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined
  } catch {
    return undefined
  }
}

/** Whether `value` is a {@link LogLevel}. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value)
}
