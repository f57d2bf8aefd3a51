import * as z from 'zod/mini'
import { ApiError } from '../errors.js'
import type { VideoTask, VideoTaskDetails, VideoTaskFailure } from '../model.js'
import { checkDashScopeOptions, DASHSCOPE_FACTS, type DashScopeOptions } from './factories.js'
import {
  apiError,
  buildTask,
  builtInProvider,
  type CreatedTask,
  type CreateRequestInput,
  collectUrls,
  compact,
  type ErrorBodyRules,
  type ErrorKind,
  encodeTaskId,
  errorBodyFields,
  errorFromBody,
  lazy,
  mapStatus,
  numeric,
  type OutputLocation,
  type Provider,
  type ProviderDescription,
  type ProviderRequest,
  type ProviderResponse,
  parseShape,
  parseTimestamp,
  providerCredentials,
  type ResolvedImage,
  readJson,
  record,
  requestIdOfResponse,
  text,
  validationError,
} from './kit/index.js'

/*
 * Wan video synthesis on Alibaba Cloud Model Studio (DashScope), natively.
 * Facts: vendor-docs/native/dashscope-wan.md (cited as "dashscope-wan.md §Section") and
 * test/fixtures/dashscope/README.md.
 */

export type { DashScopeOptions, DashScopeRegion } from './factories.js'

/** What the `dashscope` provider puts in `task.details` (dashscope-wan.md §Query). */
export interface DashScopeVideoDetails extends VideoTaskDetails {
  /** When the task was scheduled to run (`scheduled_time`). */
  startedAt?: Date | undefined
  /** The prompt as given (`orig_prompt`). */
  origPrompt?: string | undefined
  /** The prompt after rewriting (`actual_prompt`, with `prompt_extend`). */
  actualPrompt?: string | undefined
  /** The video length in seconds billed (`usage.video_duration`, or `usage.duration`). */
  durationSeconds?: number | undefined
  /**
   * Usage as sent: its keys differ between model generations (`video_duration`,
   * `video_ratio`, `video_count`; later `duration`, `video_count`, `SR`), so it is kept whole.
   */
  usage?: Record<string, unknown> | undefined
  /** The body's `request_id`, for Alibaba Cloud's support. */
  requestId?: string | undefined
}

/**
 * DashScope's own create fields, merged into the body's `input` and `parameters` (they win over
 * the fields mapped from the shared input; dashscope-wan.md §Create).
 */
export interface DashScopeProviderInput {
  /** The model (`wan2.6-t2v`, `wan2.2-i2v-flash`, `wan2.1-kf2v-plus`, ...). */
  model?: string | undefined
  /** `input` fields: `negative_prompt`, `first_frame_url`, `last_frame_url`, `audio_url`, `template`. */
  input?:
    | {
        negative_prompt?: string | undefined
        first_frame_url?: string | undefined
        last_frame_url?: string | undefined
        audio_url?: string | undefined
        template?: string | undefined
        [field: string]: unknown
      }
    | undefined
  /** `parameters` fields: `prompt_extend`, `watermark`, `seed`, `audio`, ... */
  parameters?:
    | {
        prompt_extend?: boolean | undefined
        watermark?: boolean | undefined
        seed?: number | undefined
        audio?: boolean | undefined
        [field: string]: unknown
      }
    | undefined
}

/** The `dashscope` provider: reads, creates, cancels while pending, and names the output URL. */
export type DashScopeProvider = Provider<DashScopeVideoDetails, DashScopeProviderInput>

const taskSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    output: z.looseObject({
      task_id: z.nullish(z.union([z.string(), z.number()])),
      task_status: z.string(),
    }),
  }),
)

// dashscope-wan.md §Errors: `{request_id, code, message}` with the class in the HTTP status.
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [] }

/** dashscope-wan.md §Errors: the documented codes, for an error told in a 200. */
function kindOfCode(code: string | null): ErrorKind | undefined {
  if (code === null) return undefined
  if (/^Throttling/i.test(code)) return 'rate-limit'
  if (/^InvalidApiKey$/i.test(code)) return 'authentication'
  if (/AccessDenied$/i.test(code)) return 'permission'
  if (/^(InternalError|ServiceUnavailable)/i.test(code)) return 'server'
  return undefined
}

const TASKS_PATH = '/api/v1/tasks'
const CREATE_PATH = '/api/v1/services/aigc/video-generation/video-synthesis'

/** dashscope-wan.md §Output URL and lifetime: the video URL is valid 24 hours. */
// 24 h, written out: a bundler keeps a top-level product even when unused (kit/lazy.ts).
const OUTPUT_LIFETIME_MS = 86_400_000

/**
 * dashscope-wan.md §Progress, timestamps: `"YYYY-MM-DD HH:MM:SS.mmm"` without a zone. Read as
 * UTC+8 (China Standard Time) on every host: unconfirmed, but the one reading under which the
 * recorded success's `Expires` is exactly `end_time` + 24 h.
 */
// 8 h, written out: a bundler keeps a top-level product even when unused (kit/lazy.ts).
const VENDOR_OFFSET_MS = 28_800_000

/**
 * The `dashscope` adapter's own factory: the provider, ready at once. Users get
 * `factories.ts`'s `dashscope`, which checks the same options
 * (`checkDashScopeOptions`) and loads this module on first use; the registry, the CLI and the
 * tests use this one.
 */
export function dashscope(options: DashScopeOptions): DashScopeProvider {
  const { providerOptions } = checkDashScopeOptions(options)
  const reader = builtInProvider(DASHSCOPE, providerOptions)
  const { headers } = providerCredentials('dashscope', providerOptions, true)
  const url = (path: string) => `${reader.baseURL}${path}`
  return Object.freeze({
    ...reader,
    buildCreateRequest: (input: CreateRequestInput<DashScopeProviderInput>): ProviderRequest => ({
      method: 'POST',
      url: url(CREATE_PATH),
      headers: {
        ...headers(),
        'content-type': 'application/json',
        // dashscope-wan.md §Hosts and auth: video synthesis is asynchronous only.
        'x-dashscope-async': 'enable',
      },
      body: JSON.stringify(dashscopeCreateBody(input)),
    }),
    parseCreateResponse: parseDashScopeCreateResponse,
    buildCancelRequest: (taskId: string): ProviderRequest => ({
      method: 'POST',
      url: url(`${TASKS_PATH}/${encodeTaskId(taskId)}/cancel`),
      headers: headers(),
    }),
    parseCancelResponse: parseDashScopeCancelResponse,
    outputs: dashscopeOutputs,
  })
}

/** The `dashscope` adapter's read path as data: see {@link dashscope}. */
export const DASHSCOPE: ProviderDescription<DashScopeVideoDetails> = {
  ...DASHSCOPE_FACTS,
  errorBodies: ERROR_BODIES,
  parseTask: (response) => parseDashScopeResponse(response),
}

/** An error told in a 2xx: a top-level `code` and no `output`. */
function errorIn2xx(response: ProviderResponse, body: unknown): ApiError | null {
  const object = record(body)
  if (!object || record(object.output) || text(object.code) === null) return null
  return errorFromBody(response, body, ERROR_BODIES, kindOfCode(text(object.code)))
}

/** Parses a `GET /api/v1/tasks/{id}` response. Pure. */
export function parseDashScopeResponse(
  response: ProviderResponse,
): VideoTask<DashScopeVideoDetails> {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const inBody = errorIn2xx(response, body)
  if (inBody) throw inBody
  const parsed = parseShape(taskSchema(), body, response, 'DashScope task')
  const output = parsed.output
  const vendorStatus = output.task_status
  const id = text(output.task_id) ?? response.taskId
  if (vendorStatus.trim().toUpperCase() === 'UNKNOWN') {
    // dashscope-wan.md §Status words: an unknown or expired id; it never changes.
    throw apiError({
      response,
      kind: 'not-found',
      code: 'UNKNOWN',
      message: `DashScope does not know task ${JSON.stringify(id)} (status UNKNOWN): a wrong id, another account or region, or a task older than about 24 hours`,
      requestId: text(record(body)?.request_id),
    })
  }
  const status = mapStatus(vendorStatus)
  const videoUrls = collectUrls(output.video_url)
  const completedAt = parseVendorTime(output.end_time)
  const usage = record(record(body)?.usage)
  return buildTask<DashScopeVideoDetails>({
    id,
    provider: 'dashscope',
    status,
    vendorStatus,
    progress: null,
    videoUrls,
    error: status === 'failed' ? failureOf(output) : null,
    createdAt: parseVendorTime(output.submit_time),
    completedAt,
    expiresAt: status === 'succeeded' ? expiryOf(videoUrls[0], completedAt) : null,
    details: compact({
      startedAt: parseVendorTime(output.scheduled_time) ?? undefined,
      origPrompt: text(output.orig_prompt) ?? undefined,
      actualPrompt: text(output.actual_prompt) ?? undefined,
      durationSeconds: positive(usage?.video_duration) ?? positive(usage?.duration),
      usage: usage ?? undefined,
      requestId:
        requestIdOfResponse(response, {
          message: null,
          requestId: text(record(body)?.request_id),
        }) ?? undefined,
    }),
    raw: body,
  })
}

/** dashscope-wan.md §Disagreements: the reason is in `output.code` / `output.message`. */
function failureOf(output: Record<string, unknown>): VideoTaskFailure {
  const code = text(output.code)
  const message = text(output.message)
  return { code, message: message ?? (code ? `task failed (${code})` : 'task failed') }
}

/**
 * A DashScope time string as a date (UTC+8, see {@link VENDOR_OFFSET_MS}); a number as epoch
 * seconds or milliseconds, a zoned ISO string as itself; anything else `null`, never NaN.
 */
export function parseVendorTime(value: unknown): Date | null {
  if (typeof value === 'string') {
    const match = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?\s*$/.exec(
      value,
    )
    if (match) {
      const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ]
      const milliseconds = Number((match[7] ?? '0').padEnd(3, '0'))
      const utc = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds)
      const date = new Date(utc - VENDOR_OFFSET_MS)
      return Number.isNaN(date.getTime()) ? null : date
    }
    // Only a string that says its zone; a bare date would be read in the machine's zone.
    if (!/(Z|[+-]\d{2}:?\d{2})\s*$/i.test(value)) return null
  }
  return parseTimestamp(value)
}

/** The URL's `Expires` (Unix seconds), else the end time plus the documented 24 hours. */
function expiryOf(url: string | undefined, completedAt: Date | null): Date | null {
  if (url !== undefined) {
    try {
      const expires = new URL(url).searchParams.get('Expires')
      const seconds = expires !== null && /^\d{9,11}$/.test(expires) ? Number(expires) : null
      if (seconds !== null) return new Date(seconds * 1000)
    } catch {
      // not a URL we can read: fall back to the end time
    }
  }
  return completedAt ? new Date(completedAt.getTime() + OUTPUT_LIFETIME_MS) : null
}

function positive(value: unknown): number | undefined {
  const number = typeof value === 'number' ? numeric(value) : null
  return number !== null && number > 0 ? number : undefined
}

/* ------------------------------------------------------------------------------------------------
 * Create
 */

const RESOLUTIONS = ['480P', '720P', '1080P'] as const

/**
 * The create body for the shared input (dashscope-wan.md §Create): `input.prompt`,
 * `input.img_url`, `parameters.size` with `*`, `parameters.resolution` upper case,
 * `parameters.duration` and `parameters.seed` as integers; `providerInput` last. Throws a
 * `TypeError` naming the field DashScope cannot take.
 */
export function dashscopeCreateBody(
  input: CreateRequestInput<DashScopeProviderInput>,
): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) {
    throw new TypeError('Expected the video input to be an object with `prompt`')
  }
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '') {
    throw new TypeError('Expected `prompt` to be a non-empty string')
  }
  const fields: Record<string, unknown> = { prompt: input.prompt }
  const parameters: Record<string, unknown> = {}
  if (input.image !== undefined) fields.img_url = imageUrl(input.image)
  const model = input.model ?? (input.image === undefined ? 'wan2.2-t2v-plus' : 'wan2.2-i2v-flash')
  if (typeof model !== 'string' || model.trim() === '') {
    throw new TypeError('Expected `model` to be a non-empty string (a Wan model name)')
  }
  if (input.aspectRatio !== undefined) {
    throw new TypeError(
      'Expected `size` (such as 1280x720) instead of `aspectRatio`: DashScope takes a size for text-to-video and a `resolution` for image-to-video',
    )
  }
  if (input.size !== undefined) {
    const match =
      typeof input.size === 'string' ? /^\s*(\d+)\s*[x×*]\s*(\d+)\s*$/i.exec(input.size) : null
    if (!match) {
      throw new TypeError(
        `Expected \`size\` to be WIDTHxHEIGHT (such as 1280x720), got ${JSON.stringify(input.size)}`,
      )
    }
    // dashscope-wan.md §Quirks: `*`, not `x`.
    parameters.size = `${match[1]}*${match[2]}`
  }
  if (input.resolution !== undefined) {
    const value = typeof input.resolution === 'string' ? input.resolution.trim().toUpperCase() : ''
    if (!(RESOLUTIONS as readonly string[]).includes(value)) {
      throw new TypeError(
        `Expected \`resolution\` to be one of 480p, 720p, 1080p for dashscope, got ${JSON.stringify(input.resolution)}`,
      )
    }
    // dashscope-wan.md §Quirks: upper case.
    parameters.resolution = value
  }
  if (input.durationSeconds !== undefined) {
    const duration = input.durationSeconds
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration <= 0) {
      throw new TypeError(
        `Expected \`durationSeconds\` to be a whole number of seconds for dashscope (\`parameters.duration\` is an integer), got ${String(duration)}`,
      )
    }
    parameters.duration = duration
  }
  if (input.seed !== undefined) {
    if (!Number.isSafeInteger(input.seed)) {
      throw new TypeError(`Expected \`seed\` to be an integer, got ${String(input.seed)}`)
    }
    parameters.seed = input.seed
  }
  if (input.callbackUrl !== undefined) {
    throw new TypeError(
      'Expected no `callbackUrl` for dashscope: DashScope sends no callbacks for video synthesis; wait for the task instead',
    )
  }
  const bag = input.providerInput
  let bagModel: unknown
  if (bag !== undefined) {
    if (typeof bag !== 'object' || bag === null || Array.isArray(bag)) {
      throw new TypeError('Expected `providerInput` to be an object ({ model, input, parameters })')
    }
    for (const key of Object.keys(bag)) {
      if (key !== 'model' && key !== 'input' && key !== 'parameters') {
        throw new TypeError(
          `Unknown key \`providerInput.${key}\` for dashscope (accepted: model, input, parameters)`,
        )
      }
    }
    for (const part of ['input', 'parameters'] as const) {
      const value = bag[part]
      if (
        value !== undefined &&
        (typeof value !== 'object' || value === null || Array.isArray(value))
      ) {
        throw new TypeError(`Expected \`providerInput.${part}\` to be an object`)
      }
    }
    Object.assign(fields, bag.input)
    Object.assign(parameters, bag.parameters)
    bagModel = bag.model
  }
  return {
    model: bagModel ?? model,
    input: fields,
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
  }
}

/** An image as DashScope takes it: a URL, or the bytes as a `data:` URL (§Create: "URL or base64"). */
function imageUrl(image: ResolvedImage): string {
  if (image.kind === 'url') return image.url
  let binary = ''
  for (let index = 0; index < image.bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...image.bytes.subarray(index, index + 0x8000))
  }
  return `data:${image.mediaType};base64,${btoa(binary)}`
}

/** Reads a create answer: the task id is `output.task_id` (dashscope-wan.md §Create). Pure. */
export function parseDashScopeCreateResponse(
  response: ProviderResponse,
): CreatedTask<DashScopeVideoDetails> {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    if (response.status !== 404) throw errorFromBody(response, body, ERROR_BODIES)
    // A 404 on create is an unknown model (`ModelNotFound`), not an unknown task.
    const fields = errorBodyFields(body)
    throw new ApiError({
      status: 404,
      code: fields.code,
      message: fields.message ?? 'HTTP 404 from dashscope: model not found',
      requestId: requestIdOfResponse(response, fields),
      body: response.body,
      provider: response.provider,
      url: response.url,
    })
  }
  const inBody = errorIn2xx(response, body)
  if (inBody) throw inBody
  const id = text(record(record(body)?.output)?.task_id)
  if (id === null) {
    throw validationError(response, 'DashScope create answer has no `output.task_id`', [
      { path: ['output', 'task_id'], message: 'Expected a non-empty task id' },
    ])
  }
  return { taskId: id, task: null }
}

/**
 * Checks a cancel answer (dashscope-wan.md §Cancel; its shape is unconfirmed): any 2xx without
 * an error `code` is accepted, `{request_id}` alone or with the `CANCELED` task. A 404 is a
 * TaskNotFoundError; another 4xx (`UnsupportedOperation` for a task no longer pending) is a
 * permanent ApiError; 429 and 5xx stay retryable.
 */
export function parseDashScopeCancelResponse(response: ProviderResponse): void {
  let body: unknown = null
  try {
    body = response.body.trim() === '' ? null : JSON.parse(response.body)
  } catch {
    // a text or HTML body: the status decides
  }
  const status = response.status
  if (status >= 200 && status < 300) {
    const inBody = errorIn2xx(response, body)
    if (inBody) throw inBody
    return
  }
  if (
    status === 404 ||
    status === 401 ||
    status === 403 ||
    status === 429 ||
    status >= 500 ||
    status < 400
  ) {
    throw body === null ? apiError({ response }) : errorFromBody(response, body, ERROR_BODIES)
  }
  const fields = errorBodyFields(body)
  throw new ApiError({
    status,
    code: fields.code,
    message: fields.message ?? `HTTP ${status} from dashscope: the task cannot be cancelled`,
    requestId: requestIdOfResponse(response, fields),
    body: response.body,
    provider: response.provider,
    url: response.url,
    retryable: false,
  })
}

/** Where a succeeded task's video is: the signed OSS URL, no key needed, valid 24 hours. */
export function dashscopeOutputs(task: VideoTask<DashScopeVideoDetails>): OutputLocation[][] {
  if (task.status !== 'succeeded') return []
  return task.videoUrls.map((url) => [{ kind: 'url', url, expiresAt: task.expiresAt }])
}
