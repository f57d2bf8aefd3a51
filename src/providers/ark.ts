import * as z from 'zod/mini'
import { ApiError } from '../errors.js'
import type { VideoTask, VideoTaskDetails, VideoTaskFailure } from '../model.js'
import { ARK_FACTS, type ArkOptions, checkArkOptions } from './factories.js'
import {
  apiError,
  buildTask,
  builtInProvider,
  type CreatedTask,
  type CreateRequestInput,
  collectUrls,
  compact,
  type ErrorBodyRules,
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
 * Seedance on Volcengine Ark (China) and BytePlus ModelArk (international): one API, two clouds.
 * Facts: vendor-docs/native/ark-seedance.md (cited as "ark-seedance.md §Section") and
 * test/fixtures/ark/README.md.
 */

export type { ArkOptions, ArkRegion } from './factories.js'

/**
 * What the `ark` provider puts in `task.details` (ark-seedance.md §Query). Only what the vendor
 * sent is set.
 */
export interface ArkVideoDetails extends VideoTaskDetails {
  /** The model or endpoint id (`seedance-1-0-pro-250528`, `ep-...`). */
  model?: string | undefined
  /** `480p`, `720p` or `1080p`. */
  resolution?: string | undefined
  /** `16:9`, ..., or `adaptive`. */
  ratio?: string | undefined
  /** The video length in seconds (`duration`). */
  durationSeconds?: number | undefined
  /** Frames per second (`framespersecond`). */
  framesPerSecond?: number | undefined
  /** The seed used. */
  seed?: number | undefined
  /** Whether the video has generated audio (`generate_audio`). */
  generateAudio?: boolean | undefined
  /** `default` or `flex` (offline, cheaper, slower). */
  serviceTier?: string | undefined
  /** Whether it is a draft (`draft`). */
  draft?: boolean | undefined
  /** Tokens billed (`usage.completion_tokens`, `usage.total_tokens`), on terminal tasks. */
  usage?: { completionTokens?: number; totalTokens?: number } | undefined
  /** Seconds after which an unfinished task becomes `expired` (`execution_expires_after`). */
  executionExpiresAfterSeconds?: number | undefined
  /** The last frame's image (with `return_last_frame`); it expires with the video. */
  lastFrameUrl?: string | undefined
  /** The prompt as the model rewrote it (`revised_prompt`). */
  revisedPrompt?: string | undefined
  /** The `x-request-id` of this read, for Ark's support. */
  requestId?: string | undefined
}

/** A content item of an Ark create (ark-seedance.md §Create). */
export type ArkContentItem =
  | { type: 'text'; text: string }
  | {
      type: 'image_url'
      image_url: { url: string }
      role?: 'first_frame' | 'last_frame' | 'reference_image'
    }
  | { type: 'video_url'; video_url: { url: string }; role?: 'reference_video' }
  | { type: 'audio_url'; audio_url: { url: string }; role?: 'reference_audio' }

/**
 * Ark's own create fields, sent as given and winning over the fields mapped from the shared
 * input (ark-seedance.md §Create). `content` items are appended after the prompt and the image
 * (a `last_frame`, `reference_*` items).
 */
export interface ArkProviderInput {
  /** Extra content items, after the text and the first frame. */
  content?: ArkContentItem[] | undefined
  /** Seedance 1.5/2.x audio; Ark's default is on (and doubles the price on 1.5 pro). */
  generate_audio?: boolean | undefined
  /** Adds `content.last_frame_url` to the result. */
  return_last_frame?: boolean | undefined
  /** `flex` is offline: cheaper and slower. */
  service_tier?: 'default' | 'flex' | undefined
  /** Seconds before an unfinished task becomes `expired` (Ark's default 172800, 48 h). */
  execution_expires_after?: number | undefined
  camera_fixed?: boolean | undefined
  watermark?: boolean | undefined
  draft?: boolean | undefined
  frames?: number | undefined
  seed?: number | undefined
  resolution?: string | undefined
  ratio?: string | undefined
  duration?: number | undefined
  model?: string | undefined
  callback_url?: string | undefined
  /** Any other documented pass-through field (`tools`, `priority`, ...). */
  [field: string]: unknown
}

/** The `ark` provider: reads, creates, cancels while queued, and names the output URL. */
export type ArkProvider = Provider<ArkVideoDetails, ArkProviderInput>

// ark-seedance.md §Query: a bare task object. Only `status` decides; the rest is read leniently.
const taskSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: z.nullish(z.union([z.string(), z.number()])),
    status: z.string(),
  }),
)

/*
 * ark-seedance.md §Errors: the HTTP status carries the class and the body
 * `{error: {code, message, param, type}}` only details it, so no status is read from the body.
 * Two readings of the notes give way to the shared invariants (test/reliability/fuzz.test.ts):
 * a 429 `QuotaExceeded` / `SetLimitExceeded` stays a RateLimitError (the code is kept, and the
 * wait's `maxConsecutiveFailures` ends it), and `x-should-retry: false` does not make a 5xx
 * permanent.
 */
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [] }

/** The routes (ark-seedance.md §Create, §Query, §Cancel / delete). */
const TASKS_PATH = '/api/v3/contents/generations/tasks'

/** ark-seedance.md §Progress, timestamps, output: the video URL is valid 24 hours. */
// 24 h, written out: a bundler keeps a top-level product even when unused (kit/lazy.ts).
const OUTPUT_LIFETIME_MS = 86_400_000

/**
 * The `ark` adapter's own factory: the provider, ready at once. Users get `factories.ts`'s
 * `ark`, which checks the same options (`checkArkOptions`) and loads this module on first use;
 * the registry, the CLI and the tests use this one.
 */
export function ark(options: ArkOptions): ArkProvider {
  const { providerOptions, defaultModel } = checkArkOptions(options)
  const reader = builtInProvider(ARK, providerOptions)
  // The same checks again (cheap), for the key's closure the lifecycle requests use.
  const { headers } = providerCredentials('ark', providerOptions, true)
  const url = (path: string) => `${reader.baseURL}${path}`
  return Object.freeze({
    ...reader,
    buildCreateRequest: (input: CreateRequestInput<ArkProviderInput>): ProviderRequest => ({
      method: 'POST',
      url: url(TASKS_PATH),
      headers: { ...headers(), 'content-type': 'application/json' },
      body: JSON.stringify(arkCreateBody(input, defaultModel)),
    }),
    parseCreateResponse: parseArkCreateResponse,
    buildCancelRequest: (taskId: string): ProviderRequest => ({
      method: 'DELETE',
      url: url(`${TASKS_PATH}/${encodeTaskId(taskId)}`),
      headers: headers(),
    }),
    parseCancelResponse: parseArkCancelResponse,
    // ark-seedance.md "Cancel": honoured only while queued; the same DELETE on a finished task
    // deletes its record (and its video link with it), so the client reads first.
    cancellableStatuses: ['queued'] as const,
    outputs: arkOutputs,
  })
}

/** The `ark` adapter's read path as data: see {@link ark}. */
export const ARK: ProviderDescription<ArkVideoDetails> = {
  ...ARK_FACTS,
  errorBodies: ERROR_BODIES,
  parseTask: (response) => parseArkResponse(response),
}

/** Parses a `GET .../contents/generations/tasks/{id}` response (or a callback body). Pure. */
export function parseArkResponse(response: ProviderResponse): VideoTask<ArkVideoDetails> {
  const body = readJson(response)
  const object = record(body)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  // An error told in a 200 (a proxy): `{error: {...}}` with no task.
  if (object && !('status' in object) && record(object.error)) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const task = parseShape(taskSchema(), body, response, 'Ark task')
  const vendorStatus = task.status
  // ark-seedance.md §Status words: every word is in the shared table (`expired` is failed,
  // `pending` / `processing` from gateways), compared case-insensitively.
  const status = mapStatus(vendorStatus)
  const content = record(task.content)
  const usage = record(task.usage)
  // ark-seedance.md §Progress: no `completed_at`; `updated_at` is the finish once terminal.
  const completedAt = parseTimestamp(task.updated_at)
  const videoUrls = collectUrls(content?.video_url, content?.file_url)
  return buildTask<ArkVideoDetails>({
    id: text(task.id) ?? response.taskId,
    provider: 'ark',
    status,
    vendorStatus,
    progress: null,
    videoUrls,
    error: status === 'failed' ? failureOf(vendorStatus, task.error, task) : null,
    createdAt: parseTimestamp(task.created_at),
    completedAt,
    expiresAt:
      status === 'succeeded' && completedAt && videoUrls.length > 0
        ? new Date(completedAt.getTime() + OUTPUT_LIFETIME_MS)
        : null,
    details: compact({
      model: text(task.model) ?? undefined,
      resolution: text(task.resolution) ?? undefined,
      ratio: text(task.ratio) ?? undefined,
      durationSeconds: positive(task.duration),
      framesPerSecond: positive(task.framespersecond),
      seed: integer(task.seed),
      generateAudio: boolean(task.generate_audio),
      serviceTier: text(task.service_tier) ?? undefined,
      draft: boolean(task.draft),
      usage: usage
        ? compact({
            completionTokens: integer(usage.completion_tokens),
            totalTokens: integer(usage.total_tokens),
          })
        : undefined,
      executionExpiresAfterSeconds: positive(task.execution_expires_after),
      lastFrameUrl: collectUrls(content?.last_frame_url)[0],
      revisedPrompt: text(task.revised_prompt) ?? undefined,
      requestId: requestIdOfResponse(response) ?? undefined,
    }),
    raw: body,
  })
}

/**
 * Why a failed task failed. ark-seedance.md §Status words: `expired` is missing from the SDK's
 * enum and may come without an `error` or with an empty one (relays): code `expired` then.
 * §Quirks: an `error` with empty strings says nothing.
 */
function failureOf(
  vendorStatus: string,
  error: unknown,
  task: Record<string, unknown>,
): VideoTaskFailure | null {
  const object = record(error)
  const code = text(object?.code)
  const message = text(object?.message)
  if (code || message) return { code, message: message ?? `Ark task failed (${code})` }
  if (vendorStatus.trim().toLowerCase() === 'expired') {
    const after = positive(task.execution_expires_after)
    return {
      code: 'expired',
      message: `The task expired: not finished within execution_expires_after${after ? ` (${after} s)` : ''}`,
    }
  }
  return null
}

function positive(value: unknown): number | undefined {
  const number = typeof value === 'number' ? numeric(value) : null
  return number !== null && number > 0 ? number : undefined
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined
}

function boolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined
}

/* ------------------------------------------------------------------------------------------------
 * Create
 */

/** ark-seedance.md §Create: the documented ratios. */
const RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'] as const
/** ark-seedance.md §Create: the documented resolutions (lower case). */
const RESOLUTIONS = ['480p', '720p', '1080p'] as const

/**
 * The create body for the shared input (ark-seedance.md §Create): the prompt as the one text
 * item, the image as a `first_frame` (Seedance 2.x refuses an image without a role, §Quirks),
 * top-level `duration`, `ratio`, `resolution`, `seed`, `callback_url`; `providerInput` last.
 * Throws a `TypeError` naming the field Ark cannot take.
 */
export function arkCreateBody(
  input: CreateRequestInput<ArkProviderInput>,
  defaultModel: string,
): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) {
    throw new TypeError('Expected the video input to be an object with `prompt`')
  }
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '') {
    throw new TypeError('Expected `prompt` to be a non-empty string')
  }
  const model = input.model ?? defaultModel
  if (typeof model !== 'string' || model.trim() === '') {
    throw new TypeError('Expected `model` to be a non-empty string (an Ark model or endpoint id)')
  }
  const body: Record<string, unknown> = { model }
  const content: ArkContentItem[] = [{ type: 'text', text: input.prompt }]
  if (input.image !== undefined) {
    content.push({
      type: 'image_url',
      image_url: { url: imageUrl(input.image) },
      role: 'first_frame',
    })
  }
  if (input.durationSeconds !== undefined) {
    const duration = input.durationSeconds
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration <= 0) {
      throw new TypeError(
        `Expected \`durationSeconds\` to be a whole number of seconds for ark (Ark's \`duration\` is an integer), got ${String(duration)}`,
      )
    }
    body.duration = duration
  }
  if (input.size !== undefined && input.aspectRatio !== undefined) {
    throw new TypeError('Expected `size` or `aspectRatio`, not both')
  }
  let resolution: string | undefined
  if (input.aspectRatio !== undefined) body.ratio = ratioOf(input.aspectRatio)
  if (input.size !== undefined) {
    const mapped = sizeToRatio(input.size)
    body.ratio = mapped.ratio
    resolution = mapped.resolution
  }
  if (input.resolution !== undefined) {
    const value = typeof input.resolution === 'string' ? input.resolution.trim().toLowerCase() : ''
    if (!(RESOLUTIONS as readonly string[]).includes(value)) {
      throw new TypeError(
        `Expected \`resolution\` to be one of ${RESOLUTIONS.join(', ')} for ark, got ${JSON.stringify(input.resolution)}`,
      )
    }
    if (resolution !== undefined && resolution !== value) {
      throw new TypeError(
        `Expected \`resolution\` (${value}) to agree with \`size\` ${JSON.stringify(input.size)} (${resolution})`,
      )
    }
    resolution = value
  }
  if (resolution !== undefined) body.resolution = resolution
  if (input.seed !== undefined) {
    if (!Number.isSafeInteger(input.seed)) {
      throw new TypeError(`Expected \`seed\` to be an integer, got ${String(input.seed)}`)
    }
    body.seed = input.seed
  }
  if (input.callbackUrl !== undefined) body.callback_url = input.callbackUrl
  const bag = input.providerInput
  if (bag !== undefined) {
    if (typeof bag !== 'object' || bag === null || Array.isArray(bag)) {
      throw new TypeError('Expected `providerInput` to be an object of Ark create fields')
    }
    const { content: extra, ...fields } = bag
    if (extra !== undefined) {
      if (!Array.isArray(extra)) {
        throw new TypeError('Expected `providerInput.content` to be an array of content items')
      }
      content.push(...extra)
    }
    Object.assign(body, fields)
  }
  body.content = content
  return body
}

function ratioOf(value: unknown): string {
  const ratio = typeof value === 'string' ? value.trim().toLowerCase() : ''
  if (!(RATIOS as readonly string[]).includes(ratio)) {
    throw new TypeError(
      `Expected \`aspectRatio\` to be one of ${RATIOS.join(', ')} for ark, got ${JSON.stringify(value)}`,
    )
  }
  return ratio
}

/**
 * Ark takes a ratio and a resolution, not pixels: a `size` maps when it is exactly a documented
 * ratio at a documented resolution (its short side 480, 720 or 1080), and is refused otherwise
 * rather than silently rounded.
 */
function sizeToRatio(size: unknown): { ratio: string; resolution: string } {
  const match = typeof size === 'string' ? /^\s*(\d+)\s*[x×*]\s*(\d+)\s*$/i.exec(size) : null
  const width = Number(match?.[1])
  const height = Number(match?.[2])
  const short = Math.min(width, height)
  for (const ratio of RATIOS) {
    if (ratio === 'adaptive') continue
    const [w, h] = ratio.split(':').map(Number) as [number, number]
    if (width * h === height * w && [480, 720, 1080].includes(short)) {
      return { ratio, resolution: `${short}p` }
    }
  }
  throw new TypeError(
    `Expected \`size\` to be a documented Ark ratio (${RATIOS.filter((r) => r !== 'adaptive').join(', ')}) at 480, 720 or 1080 pixels on its short side (such as 1280x720), got ${JSON.stringify(size)}; or give \`aspectRatio\` and \`resolution\``,
  )
}

/** An image as Ark takes it: a URL, or the bytes as a `data:` URL (ark-seedance.md §Create). */
function imageUrl(image: ResolvedImage): string {
  if (image.kind === 'url') return image.url
  return `data:${image.mediaType};base64,${base64(image.bytes)}`
}

/** Base64 without `Buffer`, so the adapter runs on every runtime. */
function base64(bytes: Uint8Array): string {
  let binary = ''
  const chunk = 0x8000
  for (let index = 0; index < bytes.length; index += chunk) {
    binary += String.fromCharCode(...bytes.subarray(index, index + chunk))
  }
  return btoa(binary)
}

/** Reads a create answer: `{"id": "cgt-..."}` (ark-seedance.md §Create). Pure. */
export function parseArkCreateResponse(response: ProviderResponse): CreatedTask<ArkVideoDetails> {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) throw createError(response, body)
  const object = record(body)
  const id = text(object?.id)
  if (object && id === null && record(object.error)) throw createError(response, body)
  if (id === null) {
    throw validationError(response, 'Ark create answer has no task `id`', [
      { path: ['id'], message: 'Expected a non-empty task id' },
    ])
  }
  return { taskId: id, task: null }
}

/**
 * A create's error: by status, except that a 404 on create is an unknown or unopened model
 * (`ModelNotOpen`, `InvalidEndpointOrModel.NotFound`; ark-seedance.md §Errors, §Quirks), not
 * an unknown task.
 */
function createError(response: ProviderResponse, body: unknown): ApiError {
  if (response.status !== 404) return errorFromBody(response, body, ERROR_BODIES)
  const fields = errorBodyFields(body)
  return new ApiError({
    status: response.status,
    code: fields.code,
    message: fields.message ?? `HTTP 404 from ark: model or endpoint not found`,
    requestId: requestIdOfResponse(response, fields),
    body: response.body,
    provider: response.provider,
    url: response.url,
  })
}

/**
 * Checks a cancel answer (ark-seedance.md §Cancel / delete): any 2xx, with `{}` or an empty body,
 * is accepted. A 404 is a TaskNotFoundError; any other 4xx (a running or cancelled task; the
 * exact code is unconfirmed, 400 and 409 are both covered) is a permanent ApiError: resending
 * the same DELETE will not help. 429 and 5xx stay retryable.
 */
export function parseArkCancelResponse(response: ProviderResponse): void {
  if (response.status >= 200 && response.status < 300) return
  let body: unknown = null
  try {
    body = JSON.parse(response.body)
  } catch {
    // a text or HTML error body: the status decides
  }
  const status = response.status
  if (status === 404 || status === 429 || status >= 500 || status < 400) {
    throw body === null ? apiError({ response }) : errorFromBody(response, body, ERROR_BODIES)
  }
  const fields = errorBodyFields(body)
  if (status === 401 || status === 403) throw errorFromBody(response, body, ERROR_BODIES)
  throw new ApiError({
    status,
    code: fields.code,
    message: fields.message ?? `HTTP ${status} from ark: the task cannot be cancelled`,
    requestId: requestIdOfResponse(response, fields),
    body: response.body,
    provider: response.provider,
    url: response.url,
    retryable: false,
  })
}

/**
 * Where a succeeded task's video is: the signed TOS URL, no key needed, valid 24 hours
 * (ark-seedance.md §Progress, timestamps, output).
 */
export function arkOutputs(task: VideoTask<ArkVideoDetails>): OutputLocation[][] {
  if (task.status !== 'succeeded') return []
  return task.videoUrls.map((url) => [{ kind: 'url', url, expiresAt: task.expiresAt }])
}
