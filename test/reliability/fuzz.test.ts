import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, it } from 'vitest'
import {
  ApiError,
  AuthenticationError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  TaskNotFoundError,
  VideoTaskError,
} from '../../src/errors.js'
import type { VideoTask, VideoTaskDetails } from '../../src/model.js'
import { VideoTaskSchema } from '../../src/model-schemas.js'
import type { Provider, ProviderResponse } from '../../src/providers/define-provider.js'
import type { ProviderDescription } from '../../src/providers/kit/built-in-provider.js'
import { mapStatus } from '../../src/providers/kit/normalize.js'
import { BUILT_IN_PROVIDERS } from '../../src/providers/registry.js'

/*
 * Fuzzed adapters: whatever a server sends (any JSON value, an object shaped like the vendor's
 * payload with arbitrary values in its fields, any bytes), with any status code and any headers,
 * an adapter's parseResponse returns a VideoTask that passes VideoTaskSchema or throws a typed
 * VideoTaskError: never a TypeError, RangeError, URIError or any other exception.
 *
 * Each adapter is checked twice per run: its own parse function (the code under test, before
 * `defineProvider` wraps it: a crash there would otherwise be hidden as a ResponseValidationError)
 * and the provider's `parseResponse` that the client calls. Seeded: a failure prints its seed and
 * path, and the same seed gives the same runs. 10,000 runs per adapter.
 */

// Fixed, so `npm test` is reproducible. To explore further:
// FUZZ_SEED=123 FUZZ_SCALE=10 npx vitest run test/reliability/fuzz.test.ts
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_601)
const SCALE = Number(process.env.FUZZ_SCALE ?? 1)
const RUNS = { json: 4_000 * SCALE, shaped: 4_000 * SCALE, bytes: 2_000 * SCALE } as const
const BASE = 'https://api.fuzz.test'
const KEY = 'sk-fuzz-0123456789abcdef'

interface Adapter {
  name: string
  provider: Provider
  /** The adapter's own parser, as the provider calls it. */
  parse(response: ProviderResponse): VideoTask
  path: string
  /** Whether the task id goes at the end of the path (a GET route). */
  idInPath: boolean
  shaped: fc.Arbitrary<unknown>
  /** The vendor's own status words beyond the shared table (Kling's `succeed`). */
  statusWords: ProviderDescription<VideoTaskDetails>['statusWords']
  /** Whether a vendor code in the body decides the class of a 4xx (Kling), not the status. */
  codeDecides: boolean
}

/* ------------------------------------------------------------------------------------------------
 * Values
 */

const STATUS_WORDS = [
  ...[
    'queued',
    'pending',
    'submitted',
    'not_start',
    'created',
    'preparing',
    'queueing',
    'in_queue',
    'waiting',
    'in_progress',
    'running',
    'processing',
    'generating',
    'completed',
    'succeeded',
    'success',
    'done',
    'finished',
    'failed',
    'fail',
    'failure',
    'error',
    'expired',
    'not_found',
    'cancelled',
    'canceled',
    'unknown',
  ].flatMap((word) => [word, word.toUpperCase(), word[0]?.toUpperCase() + word.slice(1)]),
  '',
  ' ',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
]

/**
 * Any UTF-16 text: every code point, and now and then half a surrogate pair, which a JSON body
 * can carry as an escape (`"\ud800"`) and `JSON.parse` turns into a lone surrogate.
 */
const unit = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  },
)
const anyString = fc.string({ unit, maxLength: 40 })
const anyJson = fc.jsonValue({ maxDepth: 2, stringUnit: unit })
const statusWord = fc.oneof(fc.constantFrom(...STATUS_WORDS), anyString)
const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1, 0.5, 100, 101, 1e12, 2 ** 53 + 2, Number.MAX_VALUE),
)
const numberish = fc.oneof(number, number.map(String), anyString)
const progress = fc.oneof(
  numberish,
  number.map((value) => `${value}%`),
)
const url = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('', 'http://', 'https://x', 'ftp://x/y.mp4', 'javascript:alert(1)'),
  anyString,
)
const stamp = fc.oneof(
  numberish,
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
)
const id = fc.oneof(anyString, fc.integer(), fc.constantFrom(2 ** 60, -1, 0, 1.5))
/** A field's value: usually of the kind the vendor sends there, sometimes anything at all. */
const field = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary }, { weight: 1, arbitrary: anyJson })
const shape = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, field(value)])), {
    requiredKeys: [],
  })

const errorObject = shape({
  message: anyString,
  code: fc.oneof(anyString, fc.integer()),
  type: anyString,
})

const openaiShape = shape({
  id,
  object: fc.constantFrom('video', 'list'),
  status: statusWord,
  progress,
  progress_pct: progress,
  url,
  video_url: url,
  metadata: shape({ url }),
  error: fc.oneof(errorObject, fc.constant(null)),
  created_at: stamp,
  completed_at: stamp,
  expires_at: stamp,
  size: fc.oneof(fc.constantFrom('720x1280', '1x1', '0x0', '99999999999999999999x1'), anyString),
  seconds: numberish,
  model: anyString,
  thumbnail_url: url,
})

const doubaoTask = shape({
  task_id: id,
  status: statusWord,
  progress,
  fail_reason: fc.oneof(url, anyString),
  result_url: url,
  url,
  video_url: url,
  error: fc.oneof(errorObject, anyString, fc.constant(null)),
  submit_time: stamp,
  start_time: stamp,
  finish_time: stamp,
  created_at: stamp,
  properties: shape({ origin_model_name: anyString, upstream_model_name: anyString }),
  model: anyString,
  data: anyJson,
})
const doubaoShape = fc.oneof(
  shape({
    code: fc.oneof(fc.constantFrom('success', 'task_not_exist', 'rate_limit', 0, 200), anyString),
    message: anyString,
    data: fc.oneof(doubaoTask, fc.constant(null)),
  }),
  shape({ error: errorObject }),
)

const genericShape = fc.oneof(
  shape({
    code: fc.oneof(fc.constantFrom(0, 10000, 50429, 50413, 401, 'success', 'OK'), numberish),
    message: anyString,
    request_id: id,
    status: numberish,
    data: fc.oneof(
      shape({
        status: statusWord,
        task_id: id,
        video_url: url,
        url,
        video_urls: fc.array(url, { maxLength: 3 }),
        progress,
        file_id: id,
        video_width: numberish,
        video_height: numberish,
        binary_data_base64: fc.array(anyString, { maxLength: 3 }),
      }),
      fc.constant(null),
    ),
  }),
  shape({
    task_id: id,
    status: statusWord,
    file_id: id,
    video_width: numberish,
    video_height: numberish,
    url,
    video_url: url,
    download_url: url,
    progress,
    base_resp: shape({
      status_code: fc.oneof(
        fc.constantFrom(0, 1002, 1004, 1008, 1026, 1027, 2013, 2049),
        numberish,
      ),
      status_msg: anyString,
    }),
  }),
)

const checkResultShape = shape({
  code: fc.oneof(fc.constantFrom(0, 200, 400, 401, 403, 404, 429, 500), numberish),
  message: anyString,
  data: fc.oneof(
    shape({
      status: statusWord,
      progress,
      result_url: url,
      result_urls: fc.oneof(fc.array(url, { maxLength: 3 }), anyJson),
      failure_reason: anyString,
      error_message: anyString,
      credits_refunded: fc.oneof(fc.boolean(), anyJson),
      refund_trans_no: id,
      taskId: id,
      task_id: id,
    }),
    fc.constant(null),
  ),
})

/*
 * Hand-written payload shapes for the vendors that have one; a vendor without one (a new registry
 * entry) is fuzzed with its fixtures (test/fixtures/<id>/*.json) whose values are replaced by
 * arbitrary ones.
 */
const SHAPES: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  openai: openaiShape,
  doubao: doubaoShape,
  'generic-task': genericShape,
  'check-result': checkResultShape,
}

/** Any value in place of each leaf of a fixture, keeping its keys and nesting. */
function mutated(value: unknown): fc.Arbitrary<unknown> {
  if (Array.isArray(value)) return fc.tuple(...value.map(mutated))
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
    return fc
      .tuple(...entries.map(([, item]) => mutated(item)))
      .map((items) => Object.fromEntries(entries.map(([key], index) => [key, items[index]])))
  }
  return fc.oneof(fc.constant(value), anyJson)
}

function fixtureShape(id: string): fc.Arbitrary<unknown> {
  const directory = new URL(`../fixtures/${id}/`, import.meta.url)
  // `malformed-*` fixtures are not JSON on purpose (truncated, HTML, empty): the byte fuzzing
  // covers those; the shaped values grow from the ones that parse.
  const fixtures = readdirSync(directory)
    // `malformed-*` fixtures are not JSON on purpose (test/providers/native-fixtures.test.ts).
    .filter((name) => name.endsWith('.json') && !name.startsWith('malformed-'))
    .map((name) => JSON.parse(readFileSync(new URL(name, directory), 'utf8')) as unknown)
  if (fixtures.length === 0) throw new Error(`No fixtures in test/fixtures/${id}/ to fuzz from`)
  return fc.oneof(...fixtures.map(mutated))
}

const BASE_CONTEXT = { url: (path: string) => `${BASE}${path}` }

/** Every registered provider. */
const ADAPTERS: Adapter[] = BUILT_IN_PROVIDERS.map((entry) => {
  const route = entry.description.route
  return {
    name: entry.id,
    provider: entry.forSimulator(BASE, KEY),
    parse: (response: ProviderResponse) => entry.description.parseTask(response, BASE_CONTEXT),
    statusWords: entry.description.statusWords,
    codeDecides: entry.description.errorBodies.codeDecides === true,
    path: route.method === 'GET' ? route.path.replace(/\{id\}$/, '') : route.path,
    idInPath: route.method === 'GET',
    shaped: SHAPES[entry.id] ?? fixtureShape(entry.id),
  }
})

/* ------------------------------------------------------------------------------------------------
 * Responses
 */

const HEADER_NAMES = [
  'retry-after',
  'retry-after-ms',
  'x-request-id',
  'request-id',
  'x-oneapi-request-id',
  'openai-poll-after-ms',
  'content-type',
  'content-length',
  'location',
  '__proto__',
  'constructor',
]
const headerValue = fc.oneof(
  anyString,
  number.map(String),
  fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
)
const headers = fc.dictionary(
  fc.oneof(
    fc.constantFrom(...HEADER_NAMES),
    anyString.map((name) => name.toLowerCase()),
  ),
  headerValue,
  { maxKeys: 4 },
)
const status = fc.oneof(
  { weight: 2, arbitrary: fc.constant(200) },
  { weight: 3, arbitrary: fc.integer({ min: 100, max: 599 }) },
)
const taskId = fc
  .string({ minLength: 1, maxLength: 30 })
  .filter((text) => text !== '.' && text !== '..')

function responseArbitrary(adapter: Adapter, body: fc.Arbitrary<string>) {
  return fc
    .record({
      status,
      headers,
      body,
      taskId,
      receivedAt: fc.integer({ min: 0, max: 2 ** 42 }),
    })
    .map(
      (parts): ProviderResponse => ({
        ...parts,
        url: `${BASE}${adapter.path}${adapter.idInPath ? encodeURIComponent(parts.taskId) : ''}`,
        provider: adapter.provider.id,
      }),
    )
}

const BODIES = {
  json: anyJson.chain((value) =>
    fc.constantFrom(JSON.stringify(value), ` ${JSON.stringify(value)}\n`),
  ),
  bytes: fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((bytes) => new TextDecoder().decode(bytes)),
    fc.string({ unit, maxLength: 300 }),
  ),
}

/* ------------------------------------------------------------------------------------------------
 * The property
 */

function fail(message: string, detail?: unknown): never {
  throw new Error(detail === undefined ? message : `${message}: ${String(detail)}`, {
    cause: detail,
  })
}

/** What one parser does with a response: a task, or a typed error; anything else fails. */
function outcome(parse: () => VideoTask, what: string): VideoTask | VideoTaskError {
  try {
    return parse()
  } catch (error) {
    if (!(error instanceof VideoTaskError)) fail(`${what} threw a non-VideoTaskError`, error)
    return error
  }
}

function check(adapter: Adapter, response: ProviderResponse): void {
  const own = outcome(() => adapter.parse(response), `${adapter.name} parser`)
  const viaProvider = outcome(() => adapter.provider.parseResponse(response), 'parseResponse')

  if (own instanceof VideoTaskError) {
    // The provider passes the parser's typed error on untouched.
    if (viaProvider !== own && viaProvider.constructor !== own.constructor) {
      fail(
        `parseResponse threw ${viaProvider.constructor.name}, the parser ${own.constructor.name}`,
      )
    }
    if (!(own instanceof ApiError || own instanceof ResponseValidationError)) {
      fail('an adapter may only throw ApiError or ResponseValidationError', own)
    }
    if (own.status !== response.status) fail(`error.status ${own.status} !== ${response.status}`)
    if (typeof own.message !== 'string' || own.message === '') fail('error without a message')
    if (own.bodyExcerpt.length > 501) fail('bodyExcerpt longer than the limit')
    // Outside 2xx the HTTP status decides the class (a 400 may say more in its body), unless
    // the vendor's own code does (`errorBodies.codeDecides`: Kling's 429 is a rate limit or a
    // billing state by its code).
    const expected: Record<number, new (...args: never[]) => VideoTaskError> = {
      401: AuthenticationError,
      403: PermissionDeniedError,
      404: TaskNotFoundError,
      429: RateLimitError,
    }
    const Expected = expected[response.status]
    const name = own.constructor.name
    const decidedByCode = adapter.codeDecides && own instanceof ApiError && own.code !== null
    if (Expected && !(own instanceof Expected) && !decidedByCode) {
      fail(`HTTP ${response.status} gave ${name}`)
    }
    // Every 5xx is worth another read but 501 and 505, which say it will never work.
    const permanent5xx = response.status === 501 || response.status === 505
    if (response.status >= 500 && !permanent5xx && !own.retryable) {
      fail(`HTTP ${response.status} not retryable`)
    }
    if (permanent5xx && own.retryable) fail(`HTTP ${response.status} retried`)
    return
  }

  // A task: never from a non-2xx response, always a valid VideoTask.
  if (response.status < 200 || response.status >= 300) {
    fail(`HTTP ${response.status} produced a task with status ${own.status}`)
  }
  const parsed = VideoTaskSchema.safeParse(own)
  if (!parsed.success) fail('not a valid VideoTask', parsed.error.issues[0]?.message)
  if (viaProvider instanceof VideoTaskError)
    fail('parseResponse threw on a valid task', viaProvider)
  if (viaProvider.status !== own.status) fail('parseResponse disagrees with the parser')
  // Success and cancellation come only from the vendor's own word, never a guess.
  if (
    (own.status === 'succeeded' || own.status === 'cancelled') &&
    mapStatus(own.vendorStatus, adapter.statusWords) !== own.status
  ) {
    fail(`${own.status} from the vendor word ${JSON.stringify(own.vendorStatus)}`)
  }
  const hint = adapter.provider.pollHintMs?.(response) ?? null
  if (hint !== null && !(Number.isFinite(hint) && hint >= 0)) fail(`poll hint ${hint}`)
}

// The fallback a new vendor gets, run here on every vendor's fixtures so it is known to work.
describe.each(ADAPTERS)('fuzzed adapter from its fixtures: $name', (adapter) => {
  it('fixtures with arbitrary values, any status, any headers (500 runs)', () => {
    const body = fixtureShape(adapter.name).map((value) => JSON.stringify(value))
    fc.assert(
      fc.property(responseArbitrary(adapter, body), (response) => check(adapter, response)),
      { seed: SEED, numRuns: 500 * SCALE },
    )
  })
})

describe.each(ADAPTERS)('fuzzed adapter: $name', (adapter) => {
  it(`any JSON value as the body, any status, any headers (${RUNS.json} runs)`, () => {
    fc.assert(
      fc.property(responseArbitrary(adapter, BODIES.json), (response) => check(adapter, response)),
      { seed: SEED, numRuns: RUNS.json },
    )
  })

  it(`an object shaped like the vendor's payload, arbitrary values (${RUNS.shaped} runs)`, () => {
    fc.assert(
      fc.property(
        responseArbitrary(
          adapter,
          adapter.shaped.map((value) => JSON.stringify(value)),
        ),
        (response) => check(adapter, response),
      ),
      { seed: SEED, numRuns: RUNS.shaped },
    )
  })

  it(`any bytes as the body (${RUNS.bytes} runs)`, () => {
    fc.assert(
      fc.property(responseArbitrary(adapter, BODIES.bytes), (response) => check(adapter, response)),
      { seed: SEED, numRuns: RUNS.bytes },
    )
  })
})

describe('counterexamples the fuzzing found, kept as regressions', () => {
  const response = (adapter: Adapter, body: string): ProviderResponse => ({
    status: 200,
    headers: {},
    body,
    taskId: 'task_1',
    receivedAt: 0,
    url: `${BASE}${adapter.path}task_1`,
    provider: adapter.provider.id,
  })

  it.each(ADAPTERS)('$name: a task id that is half a surrogate pair', (adapter) => {
    // openai built `details.contentUrl` with encodeURIComponent, which threw a URIError.
    const bodies = [
      '{"id":"\\ud800","status":"succeeded"}',
      '{"code":0,"data":{"task_id":"\\udc00","status":"Success"}}',
      '{"code":"success","data":{"task_id":"\\ud800","status":"SUCCESS"}}',
      '{"code":0,"data":{"taskId":"\\ud800","status":"succeeded"}}',
    ]
    for (const body of bodies) check(adapter, response(adapter, body))
  })
})
