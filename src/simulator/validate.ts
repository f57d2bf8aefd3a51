import { isIP } from 'node:net'
import { FAULT_KINDS } from './faults.js'
import type {
  BodyFault,
  FaultKind,
  FaultSpec,
  ProgressMode,
  ResolvedDownloadScript,
  RetryAfterStyle,
  ScriptedFault,
  SimulatedDialect,
  SimulatedProvider,
  SimulatorDialects,
  TaskOutcome,
  TaskScript,
} from './types.js'
import { VENDOR_IDS, vendorOf } from './vendors/index.js'

/** Every provider the simulator serves. */
const PROVIDERS = VENDOR_IDS

/** A provider's dialects, the default first. */
function dialectsOf(provider: SimulatedProvider): readonly SimulatedDialect[] {
  return vendorOf(provider).dialects as readonly SimulatedDialect[]
}

const RETRY_AFTER_STYLES: readonly RetryAfterStyle[] = [
  'seconds',
  'http-date',
  'ms',
  'ms-and-seconds',
  'none',
]
const PROGRESS_MODES: readonly ProgressMode[] = ['fine', 'coarse', 'none']
const OUTCOMES: readonly TaskOutcome[] = ['succeeded', 'failed', 'cancelled']

/** The default kinds of random faults: the transient ones a client should retry. */
export const DEFAULT_RANDOM_KINDS: readonly FaultKind[] = ['rate-limit', 'server-error', 'reset']

/** Options with every default filled in. */
export interface ResolvedOptions {
  apiKey: string
  port: number
  host: string
  timeScale: number
  now: () => number
  seed: number
  faults: ResolvedRandomFaults | null
  dialects: SimulatorDialects
  idempotencyHeader: string | null
  advancePerReadMs: number
  createScript: Partial<TaskScript>
}

/** Random faults with their kinds as specs. */
export interface ResolvedRandomFaults {
  rate: number
  kinds: readonly FaultSpec[]
  seed: number | undefined
}

/** The prompt of a task whose script gives none. */
const DEFAULT_PROMPT = 'A calico cat plays a grand piano on a stage'

/** A validated script before the simulator fills in `id` and `videoUrl`. */
export interface ValidatedScript
  extends Omit<
    Required<TaskScript>,
    'id' | 'videoUrl' | 'pollAfterMs' | 'faults' | 'seconds' | 'size' | 'download'
  > {
  download: ValidatedDownload
  seconds: string | undefined
  size: string | undefined
  id: string | undefined
  videoUrl: string | undefined
  pollAfterMs: number | undefined
  faults: readonly ScriptedFault[]
  dialect: SimulatedDialect
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fail(name: string, expected: string, value: unknown): never {
  let shown: string
  try {
    shown = typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value))
  } catch {
    shown = String(value)
  }
  throw new TypeError(`${name} must be ${expected}, got ${shown}`)
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], name: string) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${name}.${key} is not a known option (known: ${allowed.join(', ')})`)
    }
  }
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(name, `one of ${allowed.map((item) => `'${item}'`).join(', ')}`, value)
  }
  return value as T
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(name, 'a finite number >= 0', value)
  }
  return value
}

function count(value: unknown, name: string, allowInfinity: boolean): number {
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return value
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    fail(name, allowInfinity ? 'an integer >= 0 or Infinity' : 'an integer >= 0', value)
  }
  return value
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(name, 'a non-empty string', value)
  return value
}

function optional<T>(
  record: Record<string, unknown>,
  key: string,
  fallback: T,
  check: (value: unknown) => T,
): T {
  const value = record[key]
  return value === undefined ? fallback : check(value)
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  if (isIP(bare) === 4) return bare.startsWith('127.')
  if (isIP(bare) === 6) return bare === '::1' || bare.toLowerCase().startsWith('::ffff:127.')
  return false
}

const FAULT_KEYS = [
  'kind',
  'delayMs',
  'chunks',
  'retryAfter',
  'retryAfterMs',
  'status',
  'body',
  'statusWord',
  'code',
  'message',
] as const

/** Validates one fault. `scripted` also allows `times` and `afterReads`. */
export function validateFault(value: unknown, name: string, scripted: boolean): ScriptedFault {
  if (typeof value === 'string' && !scripted) return { kind: oneOf(value, FAULT_KINDS, name) }
  if (!isRecord(value)) {
    fail(name, scripted ? 'a fault object' : 'a fault kind or a fault object', value)
  }
  checkKeys(value, scripted ? [...FAULT_KEYS, 'times', 'afterReads'] : FAULT_KEYS, name)
  const fault: ScriptedFault = { kind: oneOf(value.kind, FAULT_KINDS, `${name}.kind`) }
  if (value.delayMs !== undefined) fault.delayMs = nonNegative(value.delayMs, `${name}.delayMs`)
  if (value.chunks !== undefined) {
    fault.chunks = count(value.chunks, `${name}.chunks`, false)
    if (fault.chunks < 1) fail(`${name}.chunks`, 'an integer >= 1', value.chunks)
  }
  if (value.retryAfter !== undefined) {
    fault.retryAfter = oneOf(value.retryAfter, RETRY_AFTER_STYLES, `${name}.retryAfter`)
  }
  if (value.retryAfterMs !== undefined) {
    fault.retryAfterMs = nonNegative(value.retryAfterMs, `${name}.retryAfterMs`)
  }
  if (value.status !== undefined) {
    if (
      value.status !== 500 &&
      value.status !== 502 &&
      value.status !== 503 &&
      value.status !== 504
    ) {
      fail(`${name}.status`, 'one of 500, 502, 503, 504', value.status)
    }
    fault.status = value.status
  }
  if (value.body !== undefined) {
    fault.body = oneOf(value.body, ['html', 'vendor'] as const, `${name}.body`)
  }
  if (value.statusWord !== undefined) {
    fault.statusWord = nonEmptyString(value.statusWord, `${name}.statusWord`)
  }
  if (value.code !== undefined) {
    if (typeof value.code !== 'string' && typeof value.code !== 'number') {
      fail(`${name}.code`, 'a string or a number', value.code)
    }
    fault.code = value.code
  }
  if (value.message !== undefined) {
    if (typeof value.message !== 'string') fail(`${name}.message`, 'a string', value.message)
    fault.message = value.message
  }
  if (value.times !== undefined) fault.times = count(value.times, `${name}.times`, true)
  if (value.afterReads !== undefined) {
    fault.afterReads = count(value.afterReads, `${name}.afterReads`, false)
  }
  return fault
}

/** Validates random faults (`options.faults`, `setFaults`, `POST /__simulator/faults`). */
export function validateRandomFaults(value: unknown, name: string): ResolvedRandomFaults {
  if (!isRecord(value)) fail(name, 'an object like { rate: 0.05, kinds: [...] }', value)
  checkKeys(value, ['rate', 'kinds', 'seed'], name)
  const { rate } = value
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    fail(`${name}.rate`, 'a number from 0 to 1', rate)
  }
  let kinds: FaultSpec[] = DEFAULT_RANDOM_KINDS.map((kind) => ({ kind }))
  if (value.kinds !== undefined) {
    if (!Array.isArray(value.kinds) || value.kinds.length === 0) {
      fail(`${name}.kinds`, 'a non-empty array of fault kinds or fault objects', value.kinds)
    }
    kinds = value.kinds.map((kind: unknown, index) =>
      validateFault(kind, `${name}.kinds[${index}]`, false),
    )
  }
  const seed = value.seed === undefined ? undefined : validateSeed(value.seed, `${name}.seed`)
  return { rate, kinds, seed }
}

function validateSeed(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(name, 'an integer', value)
  return value
}

/** Validates {@link SimulatorOptions} and fills in the defaults. */
export function validateOptions(options: unknown): ResolvedOptions {
  if (options === undefined) options = {}
  if (!isRecord(options)) fail('options', 'an object', options)
  const o = options
  checkKeys(
    o,
    [
      'apiKey',
      'port',
      'host',
      'allowNonLoopback',
      'timeScale',
      'now',
      'seed',
      'faults',
      'dialects',
      'idempotencyHeader',
      'createScript',
      'advancePerReadMs',
    ],
    'options',
  )
  const apiKey = optional(o, 'apiKey', 'sim-test-key', (value) => {
    if (typeof value !== 'string' || value.length === 0 || /\s/.test(value)) {
      fail('options.apiKey', 'a non-empty string without whitespace', value)
    }
    return value
  })
  const port = optional(o, 'port', 0, (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
      fail('options.port', 'an integer from 0 to 65535', value)
    }
    return value
  })
  const allowNonLoopback = optional(o, 'allowNonLoopback', false, (value) => {
    if (typeof value !== 'boolean') fail('options.allowNonLoopback', 'a boolean', value)
    return value
  })
  const host = optional(o, 'host', '127.0.0.1', (value) => {
    const text = nonEmptyString(value, 'options.host')
    if (!allowNonLoopback && !isLoopback(text)) {
      fail('options.host', 'a loopback address (or set options.allowNonLoopback)', value)
    }
    return text
  })
  const timeScale = optional(o, 'timeScale', 1, (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      fail('options.timeScale', 'a finite number > 0', value)
    }
    return value
  })
  const now = optional(o, 'now', Date.now, (value) => {
    if (typeof value !== 'function') fail('options.now', 'a function returning ms', value)
    const sample: unknown = value()
    if (typeof sample !== 'number' || !Number.isFinite(sample)) {
      fail('options.now', 'a function returning a finite number of ms; it returned', sample)
    }
    return value as () => number
  })
  const seed = optional(o, 'seed', 1, (value) => validateSeed(value, 'options.seed'))
  const faults = optional<ResolvedRandomFaults | null>(o, 'faults', null, (value) =>
    validateRandomFaults(value, 'options.faults'),
  )
  const dialects = Object.fromEntries(
    PROVIDERS.map((provider) => [provider, dialectsOf(provider)[0]]),
  ) as SimulatorDialects
  if (o.dialects !== undefined) {
    if (!isRecord(o.dialects)) fail('options.dialects', 'an object', o.dialects)
    checkKeys(o.dialects, PROVIDERS, 'options.dialects')
    for (const provider of PROVIDERS) {
      const value = o.dialects[provider]
      if (value !== undefined) {
        ;(dialects as unknown as Record<string, string>)[provider] = oneOf(
          value,
          dialectsOf(provider),
          `options.dialects.${provider}`,
        )
      }
    }
  }
  const idempotencyHeader = optional<string | null>(o, 'idempotencyHeader', null, (value) => {
    if (value === null) return null
    if (typeof value !== 'string' || !/^[A-Za-z0-9-]+$/.test(value)) {
      fail('options.idempotencyHeader', 'a header name or null', value)
    }
    return value.toLowerCase()
  })
  const advancePerReadMs = optional(o, 'advancePerReadMs', 0, (value) =>
    nonNegative(value, 'options.advancePerReadMs'),
  )
  const createScript = optional<Partial<TaskScript>>(o, 'createScript', {}, (value) => {
    if (!isRecord(value)) fail('options.createScript', 'a task script without provider', value)
    if ('provider' in value || 'id' in value) {
      fail('options.createScript', 'a task script without provider and id', value)
    }
    // Checked against every vendor now, so a wrong field fails at start, not at the first create.
    for (const provider of PROVIDERS) {
      validateScript({ ...value, provider, dialect: undefined }, dialects, 'options.createScript')
    }
    return value as Partial<TaskScript>
  })
  return {
    apiKey,
    port,
    host,
    timeScale,
    now,
    seed,
    faults,
    dialects,
    idempotencyHeader,
    createScript,
    advancePerReadMs,
  }
}

const SCRIPT_KEYS = [
  'provider',
  'dialect',
  'id',
  'queuedMs',
  'runningMs',
  'progress',
  'outcome',
  'videoUrl',
  'failureReason',
  'faults',
  'urlField',
  'timestampUnit',
  'progressFormat',
  'pollAfterMs',
  'earlyUrl',
  'model',
  'prompt',
  'seconds',
  'size',
  'download',
] as const

const DOWNLOAD_KEYS = [
  'bytes',
  'seed',
  'via',
  'expiresAfterMs',
  'expiredStatus',
  'ranges',
  'faults',
] as const

/** A validated download script before the simulator fills in the seed. */
export type ValidatedDownload = Omit<ResolvedDownloadScript, 'seed'> & { seed: number | undefined }

function validateBodyFault(value: unknown, name: string): BodyFault {
  if (!isRecord(value)) fail(name, 'a body fault like { kind: "reset", afterBytes: 1000 }', value)
  checkKeys(value, ['kind', 'afterBytes', 'times'], name)
  const fault: BodyFault = {
    kind: oneOf(value.kind, ['reset', 'stall', 'short'] as const, `${name}.kind`),
    afterBytes: count(value.afterBytes, `${name}.afterBytes`, false),
  }
  if (value.times !== undefined) fault.times = count(value.times, `${name}.times`, true)
  return fault
}

function validateDownload(value: unknown, name: string): ValidatedDownload {
  const record = value === undefined ? {} : value
  if (!isRecord(record)) fail(name, 'an object like { bytes: 1048576 }', value)
  checkKeys(record, DOWNLOAD_KEYS, name)
  const download: ValidatedDownload = {
    bytes: optional(record, 'bytes', 4096, (v) => {
      const bytes = count(v, `${name}.bytes`, false)
      if (!Number.isSafeInteger(bytes)) fail(`${name}.bytes`, 'a safe integer', v)
      return bytes
    }),
    seed: optional<number | undefined>(record, 'seed', undefined, (v) =>
      validateSeed(v, `${name}.seed`),
    ),
    via: optional(record, 'via', 'direct' as const, (v) =>
      oneOf(v, ['direct', 'cdn'] as const, `${name}.via`),
    ),
    expiredStatus: optional(record, 'expiredStatus', 403 as const, (v) => {
      if (v !== 403 && v !== 410) fail(`${name}.expiredStatus`, '403 or 410', v)
      return v
    }),
    ranges: optional(record, 'ranges', true, (v) => {
      if (typeof v !== 'boolean') fail(`${name}.ranges`, 'a boolean', v)
      return v
    }),
    faults: optional<readonly BodyFault[]>(record, 'faults', [], (v) => {
      if (!Array.isArray(v)) fail(`${name}.faults`, 'an array of body faults', v)
      return v.map((fault: unknown, index) => validateBodyFault(fault, `${name}.faults[${index}]`))
    }),
  }
  if (record.expiresAfterMs !== undefined) {
    download.expiresAfterMs = nonNegative(record.expiresAfterMs, `${name}.expiresAfterMs`)
  }
  return download
}

/** Validates a {@link TaskScript} and fills in the defaults (but `id` and `videoUrl`). */
export function validateScript(
  script: unknown,
  dialects: SimulatorDialects,
  name = 'script',
): ValidatedScript {
  if (!isRecord(script)) fail(name, 'an object like { provider: "openai" }', script)
  checkKeys(script, SCRIPT_KEYS, name)
  const provider = oneOf(script.provider, PROVIDERS, `${name}.provider`)
  const dialect = optional<SimulatedDialect>(script, 'dialect', dialects[provider], (value) =>
    oneOf(value, dialectsOf(provider), `${name}.dialect`),
  )
  const id = optional<string | undefined>(script, 'id', undefined, (value) => {
    const text = nonEmptyString(value, `${name}.id`)
    if (text.length > 200 || /[\s/?#%]/.test(text)) {
      fail(`${name}.id`, 'at most 200 characters without whitespace, "/", "?", "#" or "%"', value)
    }
    return text
  })
  const vendor = vendorOf(provider)
  const progressFormats = vendor.progressFormats
  const progressFormat = optional(script, 'progressFormat', progressFormats[0], (v) =>
    oneOf(v, progressFormats, `${name}.progressFormat`),
  )
  const faults = optional<readonly ScriptedFault[]>(script, 'faults', [], (value) => {
    if (!Array.isArray(value)) fail(`${name}.faults`, 'an array of fault objects', value)
    return value.map((fault: unknown, index) =>
      validateFault(fault, `${name}.faults[${index}]`, true),
    )
  })
  return {
    provider,
    dialect,
    id,
    queuedMs: optional(script, 'queuedMs', 2000, (v) => nonNegative(v, `${name}.queuedMs`)),
    runningMs: optional(script, 'runningMs', 10_000, (v) => nonNegative(v, `${name}.runningMs`)),
    progress: optional<ProgressMode>(script, 'progress', vendor.defaultProgress, (v) =>
      oneOf(v, PROGRESS_MODES, `${name}.progress`),
    ),
    outcome: optional<TaskOutcome>(script, 'outcome', 'succeeded', (v) =>
      oneOf(v, OUTCOMES, `${name}.outcome`),
    ),
    videoUrl: optional<string | undefined>(script, 'videoUrl', undefined, (v) => {
      const text = nonEmptyString(v, `${name}.videoUrl`)
      if (!URL.canParse(text)) fail(`${name}.videoUrl`, 'an absolute URL', v)
      return text
    }),
    failureReason: optional(
      script,
      'failureReason',
      'Video generation failed: content policy violation',
      (v) => nonEmptyString(v, `${name}.failureReason`),
    ),
    faults,
    urlField: optional(script, 'urlField', 'url' as const, (v) =>
      oneOf(v, ['url', 'video_url', 'metadata.url'], `${name}.urlField`),
    ),
    timestampUnit: optional(script, 'timestampUnit', 's' as const, (v) =>
      oneOf(v, ['s', 'ms'], `${name}.timestampUnit`),
    ),
    progressFormat,
    pollAfterMs: optional<number | undefined>(script, 'pollAfterMs', undefined, (v) =>
      count(v, `${name}.pollAfterMs`, false),
    ),
    earlyUrl: optional(script, 'earlyUrl', false, (v) => {
      if (typeof v !== 'boolean') fail(`${name}.earlyUrl`, 'a boolean', v)
      return v
    }),
    model: optional(script, 'model', vendor.defaultModel, (v) =>
      nonEmptyString(v, `${name}.model`),
    ),
    prompt: optional(script, 'prompt', DEFAULT_PROMPT, (v) => nonEmptyString(v, `${name}.prompt`)),
    seconds: optional<string | undefined>(script, 'seconds', undefined, (v) =>
      nonEmptyString(v, `${name}.seconds`),
    ),
    size: optional<string | undefined>(script, 'size', undefined, (v) =>
      nonEmptyString(v, `${name}.size`),
    ),
    download: validateDownload(script.download, `${name}.download`),
  }
}
