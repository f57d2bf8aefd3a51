import {
  isLogLevel,
  LOG_ENVIRONMENT_VARIABLE,
  LOG_LEVELS,
  type Logger,
  type LogLevel,
  logLevelFromEnvironment,
  type RetryListener,
} from '../logger.js'
import type { VideoTaskDetails } from '../model.js'
import { normalizeBaseURL, type Provider } from '../providers/define-provider.js'
import { checkRequestHeaders } from '../providers/kit/header-value.js'
import type { TransportOptions } from '../transport.js'
import { type Clock, systemClock } from '../wait/clock.js'
import { checkKnownKeys } from './check-known-keys.js'
import {
  checkFunction,
  checkNumber,
  checkScheduleOptions,
  type ResolvedScheduleOptions,
  resolveScheduleOptions,
  SCHEDULE_KEYS,
  type ScheduleOptions,
} from './schedule-options.js'
import { resolveTransportOptions } from './transport-options.js'

/*
 * The one resolver for what a user passes to `createClient`, `getTask` and the waits: unknown
 * keys, types, ranges and how values relate are all checked here, when the call is made, and a
 * wrong option is a TypeError that names it.
 */

/** Fails to compile when a key list misses a key of its type (a new option must be listed). */
type Exhaustive<TKeys, TListed> = [Exclude<TKeys, TListed>] extends [never] ? true : never

const TRANSPORT_KEYS = [
  'fetch',
  'headersTimeoutMs',
  'bodyTimeoutMs',
  'maxResponseBytes',
] as const satisfies readonly (keyof TransportOptions)[]
const transportKeysListed: Exhaustive<keyof TransportOptions, (typeof TRANSPORT_KEYS)[number]> =
  true

const CLIENT_KEYS = [
  'provider',
  'transport',
  'maxRequestsPerSecond',
  'clock',
  'random',
  'logger',
  'logLevel',
  'onRetry',
  ...SCHEDULE_KEYS,
  ...TRANSPORT_KEYS,
] as const
void transportKeysListed

/** What the client options resolve to. */
/** Where a client logs, and from which level (`off`: nowhere). */
export interface LogSettings {
  logger: Logger | undefined
  level: LogLevel
}

export interface ResolvedClientOptions<TProvider> {
  /** The provider, checked. */
  provider: TProvider
  /** The rate cap. */
  maxRequestsPerSecond: number
  /** The clock. */
  clock: Clock
  /** The source of jitter. */
  random: () => number
  /** The schedule every wait without options of its own uses. */
  defaults: ResolvedScheduleOptions
  /**
   * Where the client logs: `logger` at `logLevel`, the console at `VIDEO_TASKS_LOG`'s level, or
   * nowhere (`level: 'off'`). The core builds the log from it (src/client/log.ts).
   */
  log: LogSettings
  /** The client's `onRetry`. */
  onRetry: RetryListener | undefined
}

/** The options `createClient` reads, as far as the resolver is concerned. */
export interface ClientOptionsInput<TProvider> extends ScheduleOptions, TransportOptions {
  provider: TProvider
  transport?: { send(...args: never[]): unknown } | undefined
  maxRequestsPerSecond?: number | undefined
  clock?: Clock | undefined
  random?: (() => number) | undefined
  logger?: Logger | undefined
  logLevel?: LogLevel | undefined
  onRetry?: RetryListener | undefined
}

/** Checks `createClient`'s options and resolves the client's defaults against the provider. */
export function resolveClientOptions<TDetails extends VideoTaskDetails>(
  options: ClientOptionsInput<Provider<TDetails>>,
): ResolvedClientOptions<Provider<TDetails>> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected createClient() to receive an options object with `provider`')
  }
  checkKnownKeys(options, CLIENT_KEYS, 'createClient options')
  const provider = options.provider
  if (
    typeof provider !== 'object' ||
    provider === null ||
    typeof provider.buildRequest !== 'function' ||
    typeof provider.parseResponse !== 'function'
  ) {
    throw new TypeError(
      'Expected `provider` to be a provider: a built-in factory’s (doubao(), ...) or defineProvider()’s',
    )
  }
  // The built-in providers and defineProvider check it too; a hand-made provider object is
  // held to the same rule: http(s), no credentials in the URL.
  normalizeBaseURL(provider.baseURL, 'provider.baseURL')
  checkProviderRequest(provider)
  checkScheduleOptions(options)
  checkFunction('random', options.random)
  checkFunction('onRetry', options.onRetry)
  const log = resolveLog(options.logger, options.logLevel)
  const maxRequestsPerSecond =
    options.maxRequestsPerSecond === undefined
      ? 100
      : checkNumber('maxRequestsPerSecond', options.maxRequestsPerSecond, {
          above: 0,
          infinity: true,
        })
  const clock = options.clock ?? systemClock
  if (
    typeof clock !== 'object' ||
    typeof clock.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new TypeError('Expected `clock` to have now(), setTimeout() and clearTimeout()')
  }
  if (
    options.transport !== undefined &&
    (typeof options.transport !== 'object' || typeof options.transport?.send !== 'function')
  ) {
    throw new TypeError('Expected `transport` to have a send() method')
  }
  // Validates the client's defaults against the provider's now, not at the first wait.
  const defaults = resolveScheduleOptions(provider.pollDefaults, options)
  resolveTransportOptions(options)
  return {
    provider,
    maxRequestsPerSecond,
    clock,
    random: options.random ?? Math.random,
    defaults,
    log,
    onRetry: options.onRetry,
  }
}

/*
 * A hand-made provider (or a defineProvider adapter) whose requests carry a header that cannot
 * be sent would fail every read with a network-looking error, retried to the deadline: one
 * request is built now and its headers checked. A provider that refuses the probe id is left to
 * its first read.
 */
function checkProviderRequest(provider: Provider): void {
  let request: { headers?: unknown } | undefined
  try {
    request = provider.buildRequest('probe')
  } catch {
    return
  }
  if (request?.headers !== undefined)
    checkRequestHeaders(request.headers, 'provider request header ')
}

/**
 * The client's log. `logLevel` wins, then `VIDEO_TASKS_LOG` (Node), then `warn` when a `logger`
 * is given; with neither a logger nor a level it is silent. A level without a logger logs to
 * `console`. A `VIDEO_TASKS_LOG` that is not a level is ignored (an environment variable must
 * not make `createClient` throw), and said so once on the console.
 */
function resolveLog(logger: unknown, logLevel: unknown): LogSettings {
  if (logger !== undefined) {
    const methods = ['debug', 'info', 'warn', 'error'] as const
    if (
      typeof logger !== 'object' ||
      logger === null ||
      methods.some((name) => typeof (logger as Record<string, unknown>)[name] !== 'function')
    ) {
      throw new TypeError(
        'Expected `logger` to have debug(), info(), warn() and error() methods, like console',
      )
    }
  }
  if (logLevel !== undefined && !isLogLevel(logLevel)) {
    throw new TypeError(
      `Expected \`logLevel\` to be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`,
    )
  }
  let level: LogLevel | undefined = logLevel
  if (level === undefined) {
    const fromEnvironment = logLevelFromEnvironment()
    if (isLogLevel(fromEnvironment)) level = fromEnvironment
    else if (fromEnvironment !== undefined) warnBadEnvironment(fromEnvironment)
  }
  if (level === undefined)
    return { logger: logger as Logger | undefined, level: logger === undefined ? 'off' : 'warn' }
  return { logger: (logger as Logger | undefined) ?? console, level }
}

let warnedBadEnvironment = false
function warnBadEnvironment(value: string): void {
  if (warnedBadEnvironment) return
  warnedBadEnvironment = true
  console.warn(
    `video-tasks: ${LOG_ENVIRONMENT_VARIABLE}=${JSON.stringify(value)} is not one of ${LOG_LEVELS.join(', ')}; ignored`,
  )
}
