/*
 * What every `video-tasks` command shares: exit codes, the I/O seam, usage errors, option
 * parsing helpers and the provider factories by name.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import type { VideoTaskDetails } from '../model.js'
import type { Provider } from '../providers/define-provider.js'
import {
  BUILT_IN_PROVIDER_IDS,
  type BuiltInProviderId,
  builtInProviderEntry,
} from '../providers/registry.js'
import type { Transport } from '../transport.js'
import type { Clock } from '../wait/timer-queue.js'
import type { Outcome, OutputStream } from './render.js'

/**
 * The CLI's exit codes. Scripts branch on them, so they are part of the public interface: never
 * renumber one.
 */
export const EXIT = {
  /** The task succeeded (or the command did its job). */
  ok: 0,
  /**
   * Any other error that ends a wait: authentication, permission, not found, a response that is
   * not the vendor's shape. (Network failures, 429 and 5xx are retried until the deadline: 4.)
   */
  error: 1,
  /** The task failed. */
  failed: 2,
  /** The task was cancelled. */
  cancelled: 3,
  /** `--timeout` passed before the task finished. */
  timeout: 4,
  /** Wrong flags or arguments, or the API key's variable is not set (sysexits' EX_USAGE). */
  usage: 64,
  /** Interrupted by Ctrl-C (SIGINT): 128 + 2, as shells report it. */
  interrupted: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  terminated: 143,
} as const

/** The exit code of each outcome of a wait. */
export const OUTCOME_EXIT: Record<Exclude<Outcome, 'aborted'>, number> = {
  succeeded: EXIT.ok,
  failed: EXIT.failed,
  cancelled: EXIT.cancelled,
  timeout: EXIT.timeout,
  error: EXIT.error,
}

/** The process's streams, environment and signals: injected, so commands run in tests too. */
export interface CliIO {
  /** The result: JSON lines for scripts, or the summary on a terminal. */
  stdout: OutputStream
  /** Progress bars, retries and diagnostics, so `video-tasks wait ... | jq` still shows them. */
  stderr: OutputStream
  env: Record<string, string | undefined>
  /** Subscribes to SIGINT / SIGTERM; returns the unsubscribe function. */
  onSignal(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void
  /** The clock waits run on (tests inject a virtual one). @default the system clock */
  clock?: Clock | undefined
  /** The transport to send requests with (tests wrap one). @default createTransport() */
  transport?: Transport | undefined
}

/** The real process as a {@link CliIO}. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onSignal(handler) {
      const onInt = () => handler('SIGINT')
      const onTerm = () => handler('SIGTERM')
      process.on('SIGINT', onInt)
      process.on('SIGTERM', onTerm)
      return () => {
        process.off('SIGINT', onInt)
        process.off('SIGTERM', onTerm)
      }
    },
  }
}

/** A mistake in how the command was called: reported with a hint to `--help`, exit code 64. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** The providers the CLI knows, by the SDK's provider ids: every entry of the registry. */
export const PROVIDER_IDS: readonly BuiltInProviderId[] = BUILT_IN_PROVIDER_IDS

/** One of {@link PROVIDER_IDS}. */
export type ProviderId = BuiltInProviderId

/** The variable the API key is read from unless `--api-key-env` names another. */
export const DEFAULT_KEY_VARIABLE = 'VIDEO_TASKS_API_KEY'

/**
 * Parses `args` with node:util's parseArgs, strictly, turning its errors into
 * {@link UsageError}s. A key-looking flag gets a message of its own that never repeats the value:
 * a key typed on a command line lands in the shell history and in `ps`, so there is no such flag.
 */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: T,
): ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
> {
  for (const arg of args) {
    if (arg === '--') break
    const name = arg.split('=', 1)[0] ?? ''
    if (/^--(api[-_]?key|key|token)$/i.test(name)) {
      throw new UsageError(
        `There is no ${name} flag: a key on the command line lands in your shell history. ` +
          `Put it in ${DEFAULT_KEY_VARIABLE}, or name another variable with --api-key-env.`,
      )
    }
  }
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
  } catch (error) {
    // parseArgs's messages name the option, never a value.
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/** The common flags of the commands that talk to a vendor API. */
export const API_OPTIONS = {
  provider: { type: 'string', short: 'p' },
  'base-url': { type: 'string', short: 'u' },
  'api-key-env': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Reads `--provider`, `--base-url` and the key's variable into a provider. */
export function providerFromFlags(
  values: {
    provider?: string | undefined
    'base-url'?: string | undefined
    'api-key-env'?: string | undefined
  },
  env: CliIO['env'],
): { provider: Provider<VideoTaskDetails>; id: ProviderId } {
  const given = values.provider
  if (given === undefined) throw new UsageError(`Missing --provider (${PROVIDER_IDS.join(', ')})`)
  const id = PROVIDER_IDS.find((known) => known === given)
  const entry = id === undefined ? undefined : builtInProviderEntry(id)
  if (id === undefined || entry === undefined) {
    throw new UsageError(
      `Unknown --provider ${JSON.stringify(given)}: use one of ${PROVIDER_IDS.join(', ')}`,
    )
  }
  const baseURL = values['base-url']
  if (baseURL === undefined)
    throw new UsageError('Missing --base-url (the API origin, like https://api.openai.com)')
  const variable = values['api-key-env'] ?? DEFAULT_KEY_VARIABLE
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
    throw new UsageError(`--api-key-env takes a variable name, got ${JSON.stringify(variable)}`)
  }
  const value = env[variable]
  const apiKey = value === undefined || value.trim() === '' ? undefined : value
  // Only APIs that declare no security (check-result) may go without a key.
  if (apiKey === undefined && entry.keyRequired) {
    throw new UsageError(
      `Set ${variable} to the API key (the key is read from the environment, never from a flag)`,
    )
  }
  try {
    const provider = entry.factory(apiKey === undefined ? { baseURL } : { baseURL, apiKey })
    return { provider, id }
  } catch (error) {
    // The factories' TypeErrors name the option (`baseURL`), never the key's value.
    if (error instanceof TypeError)
      throw new UsageError(error.message.replace('`baseURL`', '--base-url'))
    throw error
  }
}

/**
 * A duration flag: milliseconds (`90000`), or with a unit (`500ms`, `90s`, `10m`, `1h`).
 * `Infinity` only where `allowInfinity`.
 */
export function parseDuration(flag: string, value: string, allowInfinity = false): number {
  if (allowInfinity && /^(infinity|none)$/i.test(value.trim())) return Number.POSITIVE_INFINITY
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(value)
  if (match === null) {
    throw new UsageError(
      `${flag} takes milliseconds or a duration like 90s or 10m, got ${JSON.stringify(value)}`,
    )
  }
  const unit = (match[2] ?? 'ms').toLowerCase()
  const factor = unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : unit === 's' ? 1_000 : 1
  const ms = Number(match[1]) * factor
  if (!(ms > 0)) throw new UsageError(`${flag} must be more than 0`)
  return ms
}

/** A positive number flag. */
export function parsePositive(flag: string, value: string): number {
  const number = Number(value)
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`${flag} takes a number above 0, got ${JSON.stringify(value)}`)
  }
  return number
}

/** The only positional argument: the task id. */
export function taskIdFrom(positionals: readonly string[], command: string): string {
  const [taskId, ...extra] = positionals
  if (taskId === undefined || taskId.trim() === '')
    throw new UsageError(`Missing <taskId>: video-tasks ${command} <taskId>`)
  if (extra.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(extra[0])}`)
  return taskId
}

/** An error's one-line description for people: `Name: message`. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}
