import { redact } from '../internal/redact.js'
import { LOG_LEVELS, type Logger, type LogLevel } from '../logger.js'

/*
 * The client's log, built by the client's core from the level `createClient` resolved: a module
 * of its own, loaded with the core on the first call (logger.ts, with the option's types and
 * levels, is in what `import 'video-tasks'` loads; issue 12, "Cost of importing it").
 */

/** The client's log: levels filtered, every string redacted, a throwing logger contained. */
export interface ClientLog {
  /** Whether `level` is logged (to skip building a message nobody reads). */
  enabled(level: Exclude<LogLevel, 'off'>): boolean
  /** Logs at `level`, redacting `secrets` from the message and every string field. */
  write(
    level: Exclude<LogLevel, 'off'>,
    message: string,
    fields: Record<string, unknown>,
    secrets: readonly string[],
  ): void
}

/** A log that logs nothing (the default). */
export const SILENT_LOG: ClientLog = Object.freeze({
  enabled: () => false,
  write: () => {},
})

/** The client's log for a resolved logger and level. */
export function createClientLog(logger: Logger | undefined, level: LogLevel): ClientLog {
  if (logger === undefined || level === 'off') return SILENT_LOG
  const threshold = LOG_LEVELS.indexOf(level)
  const enabled = (at: Exclude<LogLevel, 'off'>) => LOG_LEVELS.indexOf(at) >= threshold
  return {
    enabled,
    write(at, message, fields, secrets) {
      if (!enabled(at)) return
      const clean: Record<string, unknown> = {}
      for (const [name, value] of Object.entries(fields)) {
        clean[name] = typeof value === 'string' ? redact(value, secrets) : value
      }
      try {
        logger[at](redact(`video-tasks: ${message}`, secrets), clean)
      } catch {
        // A logger that throws must not change what a read returns.
      }
    },
  }
}

/**
 * A short reason for a failed attempt, as the CLI's bar and the log show it: the HTTP status
 * (`429`, `503`), the network error's code (`ECONNREFUSED`), `timed out`, or the error's name.
 */
export function failureReason(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error)
  const status = (error as { status?: unknown }).status
  if (typeof status === 'number') return String(status)
  if ((error as { timedOut?: unknown }).timedOut === true) return 'timed out'
  // The network error's code sits on the error or somewhere down its `cause` chain.
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  const name = (error as { name?: unknown }).name
  return typeof name === 'string' ? name : 'error'
}

/** The fields a log line carries for an error: its name, message and reason, as strings. */
export function errorFields(error: unknown): Record<string, string> {
  if (error instanceof Error) {
    return { errorName: error.name, errorMessage: error.message, reason: failureReason(error) }
  }
  return { errorName: typeof error, errorMessage: String(error), reason: failureReason(error) }
}
