import type { ProviderPollDefaults } from '../providers/define-provider.js'
import type { ScheduleSettings } from '../wait/schedule.js'

/*
 * Every option's default and validation, in one place. A wrong option is a TypeError that names
 * it, thrown when the option is given, never a failure deep inside a wait.
 */

/** The schedule and retry options a client and each call accept. */
export interface ScheduleOptions {
  /**
   * How long a wait may take in all: sleeps, requests and retries. `Infinity` for no limit.
   * @default 600_000 (10 minutes)
   */
  timeoutMs?: number | undefined
  /**
   * The interval after the first read; it then grows by `backoffFactor` per read.
   * @default the provider's (OpenAI 4 s, Doubao and generic-task 5 s, check-result 5 s)
   */
  intervalMs?: number | undefined
  /**
   * The longest interval between two reads (server poll hints are capped here too).
   * @default the provider's (10-15 s)
   */
  maxIntervalMs?: number | undefined
  /**
   * The shortest interval between two reads, whatever a server hint or the progress rate says:
   * a wait never busy-loops.
   * @default the provider's (Runway 5 s), else 1_000; or `intervalMs` when that is smaller
   */
  minIntervalMs?: number | undefined
  /**
   * How much the interval grows per read without a status change (1 for a fixed interval).
   * @default 1.5
   */
  backoffFactor?: number | undefined
  /**
   * The share (0 to 1) by which each computed interval is shortened at random, so many waits
   * started together spread out. It only shortens, so `maxIntervalMs` holds.
   * @default 0.1
   */
  jitter?: number | undefined
  /**
   * The longest wait a `Retry-After` / `retry-after-ms` header can impose.
   * @default 60_000
   */
  maxRetryAfterMs?: number | undefined
  /**
   * Aim the next read at the finish predicted from the progress rate (never beyond
   * `maxIntervalMs`).
   * @default the provider's (on for OpenAI and check-result, off for coarse or no progress)
   */
  adaptive?: boolean | undefined
  /**
   * Retries of one read after a transient failure (network, time limit, 408, 409, 429, 5xx),
   * before the read counts as failed.
   * @default 2
   */
  retries?: number | undefined
  /**
   * Failed reads in a row (after their retries) that end a wait with the last error.
   * `Infinity`: only the deadline ends it.
   * @default Infinity
   */
  maxConsecutiveFailures?: number | undefined
  /**
   * Reads in a row with an `unknown` status that end a wait with an `UnknownStatusError`.
   * @default Infinity
   */
  maxConsecutiveUnknown?: number | undefined
}

/** Schedule options with every value present. */
export interface ResolvedScheduleOptions extends ScheduleSettings {
  timeoutMs: number
  retries: number
}

/** The defaults that do not come from the provider. */
export const SCHEDULE_DEFAULTS = {
  timeoutMs: 600_000,
  minIntervalMs: 1_000,
  backoffFactor: 1.5,
  jitter: 0.1,
  maxRetryAfterMs: 60_000,
  retries: 2,
  maxConsecutiveFailures: Number.POSITIVE_INFINITY,
  maxConsecutiveUnknown: Number.POSITIVE_INFINITY,
} as const

type NumberRule = {
  min?: number
  above?: number
  max?: number
  integer?: boolean
  infinity?: boolean
}

/** Throws a TypeError naming the option unless `value` is a number within the rule. */
export function checkNumber(name: string, value: unknown, rule: NumberRule): number {
  const describe = typeof value === 'number' ? String(value) : typeof value
  const fail = (expected: string): never => {
    throw new TypeError(`Expected \`${name}\` to be ${expected}, got ${describe}`)
  }
  if (typeof value !== 'number' || Number.isNaN(value)) fail('a number')
  const number = value as number
  if (!Number.isFinite(number) && !(rule.infinity && number === Number.POSITIVE_INFINITY)) {
    fail(rule.infinity ? 'a finite number or Infinity' : 'a finite number')
  }
  if (rule.integer && Number.isFinite(number) && !Number.isInteger(number)) fail('an integer')
  if (rule.min !== undefined && number < rule.min) fail(`at least ${rule.min}`)
  if (rule.above !== undefined && number <= rule.above) fail(`greater than ${rule.above}`)
  if (rule.max !== undefined && number > rule.max) fail(`at most ${rule.max}`)
  return number
}

/** Every schedule option, for the unknown-key check and picking. */
export const SCHEDULE_KEYS = [
  'timeoutMs',
  'intervalMs',
  'maxIntervalMs',
  'minIntervalMs',
  'backoffFactor',
  'jitter',
  'maxRetryAfterMs',
  'adaptive',
  'retries',
  'maxConsecutiveFailures',
  'maxConsecutiveUnknown',
] as const

/** Checks the types of the schedule options that are present (not how they relate). */
export function checkScheduleOptions(options: ScheduleOptions): void {
  const given = (key: (typeof SCHEDULE_KEYS)[number]) => options[key] !== undefined
  if (given('timeoutMs')) checkNumber('timeoutMs', options.timeoutMs, { above: 0, infinity: true })
  for (const key of ['intervalMs', 'maxIntervalMs', 'minIntervalMs'] as const) {
    if (given(key)) checkNumber(key, options[key], { above: 0 })
  }
  if (given('backoffFactor'))
    checkNumber('backoffFactor', options.backoffFactor, { min: 1, max: 10 })
  if (given('jitter')) checkNumber('jitter', options.jitter, { min: 0, max: 1 })
  if (given('maxRetryAfterMs')) checkNumber('maxRetryAfterMs', options.maxRetryAfterMs, { min: 0 })
  if (given('adaptive') && typeof options.adaptive !== 'boolean') {
    throw new TypeError(`Expected \`adaptive\` to be a boolean, got ${typeof options.adaptive}`)
  }
  if (given('retries')) checkNumber('retries', options.retries, { min: 0, max: 100, integer: true })
  for (const key of ['maxConsecutiveFailures', 'maxConsecutiveUnknown'] as const) {
    if (given(key)) checkNumber(key, options[key], { min: 1, integer: true, infinity: true })
  }
}

/** Picks the schedule options out of a larger options object, leaving out absent ones. */
export function pickScheduleOptions(options: ScheduleOptions): ScheduleOptions {
  const picked: Record<string, unknown> = {}
  for (const key of SCHEDULE_KEYS) if (options[key] !== undefined) picked[key] = options[key]
  return picked as ScheduleOptions
}

/**
 * Resolves the schedule: the call's options over the client's over the provider's over the
 * defaults, then checks how they relate (`minIntervalMs <= intervalMs <= maxIntervalMs`).
 */
export function resolveScheduleOptions(
  provider: ProviderPollDefaults,
  ...layers: ScheduleOptions[]
): ResolvedScheduleOptions {
  const merged: ScheduleOptions = {}
  for (const layer of layers) Object.assign(merged, pickScheduleOptions(layer))
  const intervalMs = merged.intervalMs ?? provider.intervalMs
  const maxIntervalMs = merged.maxIntervalMs ?? Math.max(provider.maxIntervalMs, intervalMs)
  const minIntervalMs =
    merged.minIntervalMs ??
    Math.min(provider.minIntervalMs ?? SCHEDULE_DEFAULTS.minIntervalMs, intervalMs)
  if (maxIntervalMs < intervalMs) {
    throw new TypeError(
      `Expected \`maxIntervalMs\` (${maxIntervalMs}) to be at least \`intervalMs\` (${intervalMs})`,
    )
  }
  if (minIntervalMs > intervalMs) {
    throw new TypeError(
      `Expected \`minIntervalMs\` (${minIntervalMs}) to be at most \`intervalMs\` (${intervalMs})`,
    )
  }
  return {
    timeoutMs: merged.timeoutMs ?? SCHEDULE_DEFAULTS.timeoutMs,
    intervalMs,
    maxIntervalMs,
    minIntervalMs,
    backoffFactor: merged.backoffFactor ?? SCHEDULE_DEFAULTS.backoffFactor,
    jitter: merged.jitter ?? SCHEDULE_DEFAULTS.jitter,
    maxRetryAfterMs: merged.maxRetryAfterMs ?? SCHEDULE_DEFAULTS.maxRetryAfterMs,
    adaptive: merged.adaptive ?? provider.adaptive,
    retries: merged.retries ?? SCHEDULE_DEFAULTS.retries,
    maxConsecutiveFailures:
      merged.maxConsecutiveFailures ?? SCHEDULE_DEFAULTS.maxConsecutiveFailures,
    maxConsecutiveUnknown: merged.maxConsecutiveUnknown ?? SCHEDULE_DEFAULTS.maxConsecutiveUnknown,
  }
}

/**
 * The schedule settings for a driver (driver API): the provider's defaults (`provider.pollDefaults`)
 * under the user's options, each layer checked first (a wrong option is a TypeError naming it),
 * later layers winning. The same resolution `createClient` and `waitFor` use.
 *
 * @example
 * ```ts
 * const settings = resolvePollSettings(provider.pollDefaults, { intervalMs: 2_000, timeoutMs: 3_600_000 })
 * ```
 */
export function resolvePollSettings(
  pollDefaults: ProviderPollDefaults,
  ...options: ScheduleOptions[]
): ResolvedScheduleOptions {
  for (const layer of options) {
    if (typeof layer !== 'object' || layer === null) {
      throw new TypeError('Expected the schedule options to be an object')
    }
    checkScheduleOptions(layer)
  }
  return resolveScheduleOptions(pollDefaults, ...options)
}

/** Throws a TypeError naming the option unless it is a function or absent. */
export function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${typeof value}`)
  }
}

/** Throws a TypeError unless `value` is an AbortSignal or absent. */
export function checkSignal(value: unknown): void {
  if (
    value !== undefined &&
    (typeof value !== 'object' ||
      value === null ||
      typeof (value as AbortSignal).aborted !== 'boolean' ||
      typeof (value as AbortSignal).addEventListener !== 'function')
  ) {
    throw new TypeError('Expected `signal` to be an AbortSignal')
  }
}
