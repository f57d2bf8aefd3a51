import * as z from 'zod/mini'
import type { VideoTaskDetails } from '../model.js'
import { checkRunwayOptions, RUNWAY_FACTS, type RunwayOptions } from './factories.js'
import {
  buildTask,
  builtInProvider,
  type CreatedTask,
  type CreateRequestInput,
  collectUrls,
  compact,
  type ErrorBodyRules,
  encodeTaskId,
  errorFromBody,
  imageDataUri,
  type LifecycleContext,
  lazy,
  mapStatus,
  numeric,
  type Provider,
  type ProviderDescription,
  type ProviderLifecycle,
  type ProviderResponse,
  parseProgress,
  parseShape,
  parseSize,
  parseTimestamp,
  readJson,
  record,
  requestIdOf,
  text,
  validationError,
} from './kit/index.js'

/*
 * Runway's developer API. Facts: vendor-docs/native/runway.md, cited by section; readings of
 * what the doc marks unconfirmed: test/fixtures/runway/README.md.
 */

/**
 * What the `runway` provider puts in `task.details`.
 *
 * - `requestId`: the `x-request-id` header, when sent.
 *
 * The failure code (`failureCode`: `SAFETY.INPUT.TEXT`, `INTERNAL.BAD_OUTPUT.CODE01`, ...) is
 * `task.error.code`; the query echoes neither the model nor the ratio, duration or seed.
 */
export type RunwayVideoDetails = Pick<VideoTaskDetails, 'model' | 'requestId'>

/**
 * Runway's create fields beyond the shared {@link VideoInput}: sent as given, winning over the
 * mapped fields (vendor-docs/native/runway.md "Create").
 */
export interface RunwayInput {
  /** First and last frames: `[{ uri, position: 'first' | 'last' }]` (last where the model allows). */
  promptImage?: string | { uri: string; position: 'first' | 'last' }[] | undefined
  /** `"1280:720"`, `"720:1280"`, `"960:960"`, ... (per model). */
  ratio?: string | undefined
  /** `{ publicFigureThreshold: 'auto' | 'low' }`. */
  contentModeration?: { publicFigureThreshold?: 'auto' | 'low' } | undefined
  /** Veo models: generate audio. */
  audio?: boolean | undefined
  /** Veo models. */
  negativePrompt?: string | undefined
  /** Any other field the API takes. */
  [field: string]: unknown
}

export { RUNWAY_API_VERSION, RUNWAY_DEFAULT_BASE_URL } from './factories.js'

const DEFAULT_MODEL = 'gen4.5'

/*
 * doc §Progress, timestamps, output: output URLs "expire within 24-48 hours" (no exact value):
 * the conservative end, 24 h from the read that returned them. GET the task again for fresh ones.
 */
// 24 h, written out: a bundler keeps a top-level product even when unused (kit/lazy.ts).
const OUTPUT_LIFETIME_MS = 86_400_000

// doc §Status words: the SDK's six words; `THROTTLED` (over the concurrency limit, stored and
// enqueued later) is queued, never a failure.
const STATUS_OVERRIDES = { throttled: 'queued' } as const

// doc §Query: a union by `status`; extra fields may appear and are ignored.
const taskSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: z.nullish(z.union([z.string(), z.number()])),
    status: z.string(),
    failure: z.nullish(z.string()),
    failureCode: z.nullish(z.string()),
  }),
)

const createSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({ id: z.union([z.string(), z.number()]) }),
)

/*
 * doc §Errors (HTTP): `{error: "..."}` at the HTTP status, which decides (400/405 ApiError, 401,
 * 404 on the task route, 429 also for the daily cap, 502/503/504).
 */
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [] }

/** `aspectRatio` -> Runway `ratio` (doc §Create: gen4.5's and gen4's ratios). */
const RATIOS: Readonly<Record<string, string>> = {
  '16:9': '1280:720',
  '9:16': '720:1280',
  '1:1': '960:960',
  '4:3': '1104:832',
  '3:4': '832:1104',
  '21:9': '1584:672',
}

/**
 * The `runway` adapter's own factory: the provider, ready at once. Users get
 * `factories.ts`'s `runway`, which checks the same options (`checkRunwayOptions`: the
 * default base URL and `X-Runway-Version`) and loads this module on first use; the registry, the
 * CLI and the tests use this one.
 */
export function runway(options: RunwayOptions): Provider<RunwayVideoDetails, RunwayInput> {
  return builtInProvider(RUNWAY, checkRunwayOptions(options).options)
}

/** The `runway` adapter as data: see {@link runway}. */
export const RUNWAY: ProviderDescription<RunwayVideoDetails, RunwayInput> = {
  ...RUNWAY_FACTS,
  errorBodies: ERROR_BODIES,
  parseTask: (response) => parseRunwayResponse(response),
  lifecycle: (context) => runwayLifecycle(context),
}

/** Parses a `GET /v1/tasks/{id}` answer. Pure; exported for tests. */
export function parseRunwayResponse(response: ProviderResponse) {
  const body = readJson(response)
  const object = record(body)
  // Runway sends errors at their HTTP status; a proxy may pass one on in a 200. An `{error}`
  // without a `status` is no task: its text says the kind ("rate limit" is retried).
  if (
    response.status < 200 ||
    response.status >= 300 ||
    (object && object.status === undefined && text(object.error) !== null)
  ) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const task = parseShape(taskSchema(), body, response, 'Runway task')
  const vendorStatus = task.status
  const status = mapStatus(vendorStatus, STATUS_OVERRIDES)
  // `output` is an array of URLs; a string (a proxy) is read leniently.
  const videoUrls = collectUrls(task.output)
  if (status === 'succeeded' && videoUrls.length === 0) {
    throw validationError(response, 'Runway reported `SUCCEEDED` without an `output` URL', [
      { path: ['output'], message: 'Expected at least one http(s) URL' },
    ])
  }
  const failureMessage = text(task.failure)
  const failureCode = text(task.failureCode)
  return buildTask<RunwayVideoDetails>({
    id: text(task.id) ?? response.taskId,
    provider: 'runway',
    status,
    vendorStatus,
    progress: runwayProgress(task.progress),
    videoUrls,
    error:
      status === 'failed' || status === 'cancelled'
        ? failureMessage || failureCode
          ? { code: failureCode, message: failureMessage ?? `Runway failure ${failureCode}` }
          : null
        : null,
    createdAt: parseTimestamp(task.createdAt),
    completedAt: null,
    expiresAt: status === 'succeeded' ? new Date(response.receivedAt + OUTPUT_LIFETIME_MS) : null,
    details: compact({
      model: text(task.model) ?? undefined,
      requestId: requestIdOf(response.headers) ?? undefined,
    }),
    raw: body,
  })
}

/**
 * doc §Progress: a 0-1 fraction (1 while still RUNNING is 100, not success). A number above 1
 * is out of contract (a proxy's percentage): read as a percentage, never 4200.
 */
function runwayProgress(value: unknown): number | null {
  const number = numeric(value)
  if (number === null) return null
  return parseProgress(number, { fraction: number <= 1 })
}

/** The create and cancel members of the `runway` provider. */
function runwayLifecycle(
  context: LifecycleContext,
): ProviderLifecycle<RunwayVideoDetails, RunwayInput> {
  return {
    buildCreateRequest: (input) => {
      const body = runwayCreateBody(input)
      const route = body.promptImage === undefined ? '/v1/text_to_video' : '/v1/image_to_video'
      return {
        method: 'POST',
        url: context.url(route),
        headers: { ...context.headers(), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }
    },
    parseCreateResponse: (response) => parseRunwayCreateResponse(response),
    buildCancelRequest: (taskId) => ({
      method: 'DELETE',
      url: context.url(`/v1/tasks/${encodeTaskId(taskId)}`),
      // The SDK sends `Accept: */*`: the answer has no body (doc §Cancel / delete).
      headers: { ...context.headers(), accept: '*/*' },
    }),
    parseCancelResponse: (response) => {
      // Any 2xx, with no body or a JSON one, is done (fixtures README: 204 presumed).
      if (response.status >= 200 && response.status < 300) return
      let body: unknown = null
      try {
        body = JSON.parse(response.body)
      } catch {
        // an HTML page or nothing: the status decides
      }
      throw errorFromBody(response, body, ERROR_BODIES)
    },
    outputs: (task) =>
      task.status === 'succeeded'
        ? task.videoUrls.map((url) => [{ kind: 'url', url, expiresAt: task.expiresAt }])
        : [],
  }
}

/**
 * The JSON body of a create for the shared input (doc §Create). What Runway cannot express is a
 * `TypeError` naming the option. Pure; exported for tests.
 */
export function runwayCreateBody(input: CreateRequestInput<RunwayInput>): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) {
    throw new TypeError('Expected the create input to be an object with `prompt`')
  }
  const { prompt, model, durationSeconds, size, aspectRatio, seed, image, providerInput } = input
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    throw new TypeError('Expected `prompt` to be a non-empty string for runway')
  }
  // doc §Create: "≤ 1000 UTF-16 code units" (String.length counts exactly those).
  if (prompt.length > 1000) {
    throw new TypeError(
      `Expected \`prompt\` to have at most 1000 UTF-16 code units for runway, got ${prompt.length}`,
    )
  }
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '')) {
    throw new TypeError('Expected `model` to be a non-empty string')
  }
  if (input.resolution !== undefined) {
    throw new TypeError(
      'runway cannot take `resolution`: Runway has no such field, the `size` (ratio) implies it',
    )
  }
  if (input.callbackUrl !== undefined) {
    throw new TypeError('runway cannot take a callback URL: Runway sends no webhooks (poll)')
  }
  const body: Record<string, unknown> = { model: model ?? DEFAULT_MODEL, promptText: prompt }
  if (size !== undefined && aspectRatio !== undefined) {
    throw new TypeError('Expected `size` or `aspectRatio`, not both')
  }
  if (size !== undefined) {
    const parsed = parseSize(size)
    if (!parsed) {
      throw new TypeError(`Expected \`size\` to be WIDTHxHEIGHT, got ${JSON.stringify(size)}`)
    }
    body.ratio = `${parsed.width}:${parsed.height}`
  }
  if (aspectRatio !== undefined) {
    const ratio = typeof aspectRatio === 'string' ? RATIOS[aspectRatio.trim()] : undefined
    if (ratio === undefined) {
      throw new TypeError(
        `Expected \`aspectRatio\` to be one of ${Object.keys(RATIOS).join(', ')} for runway, got ${JSON.stringify(aspectRatio)} (or give \`size\`)`,
      )
    }
    body.ratio = ratio
  }
  if (durationSeconds !== undefined) {
    if (!Number.isInteger(durationSeconds) || (durationSeconds as number) <= 0) {
      throw new TypeError(
        `Expected \`durationSeconds\` to be a whole number of seconds for runway, got ${String(durationSeconds)}`,
      )
    }
    body.duration = durationSeconds
  }
  if (seed !== undefined) {
    if (!Number.isInteger(seed) || (seed as number) < 0 || (seed as number) > 4_294_967_295) {
      throw new TypeError(`Expected \`seed\` to be an integer from 0 to 4294967295, got ${seed}`)
    }
    body.seed = seed
  }
  if (image !== undefined) body.promptImage = promptImage(image)
  if (providerInput !== undefined) {
    if (
      typeof providerInput !== 'object' ||
      providerInput === null ||
      Array.isArray(providerInput)
    ) {
      throw new TypeError('Expected `providerInput` to be an object of Runway create fields')
    }
    Object.assign(body, providerInput)
  }
  return body
}

/** `promptImage`: an HTTPS URL as is (Runway fetches it), bytes as a `data:` URI (doc §Create). */
function promptImage(image: NonNullable<CreateRequestInput['image']>): string {
  if (image.kind === 'url') {
    if (!/^(https:|data:image\/)/i.test(image.url)) {
      throw new TypeError(
        'Expected `image` to be an https: URL or image bytes for runway (Runway fetches only HTTPS assets)',
      )
    }
    return image.url
  }
  return imageDataUri(image, 'runway')
}

/** Reads a create answer, `{id}`, or throws the typed error. Pure; exported for tests. */
export function parseRunwayCreateResponse(
  response: ProviderResponse,
): CreatedTask<RunwayVideoDetails> {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const taskId = text(parseShape(createSchema(), body, response, 'Runway create answer').id)
  if (taskId === null) {
    throw validationError(response, 'Runway create answer has an empty `id`', [
      { path: ['id'], message: 'Expected a task id' },
    ])
  }
  return { taskId, task: null }
}
