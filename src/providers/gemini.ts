import * as z from 'zod/mini'
import { ApiError, RateLimitError } from '../errors.js'
import type { VideoTask, VideoTaskDetails, VideoTaskFailure, VideoTaskStatus } from '../model.js'
import { checkGeminiOptions, GEMINI_FACTS } from './factories.js'
import { createProvider } from './kit/create-provider.js'
import {
  apiError,
  buildTask,
  type CreatedTask,
  type CreateRequestInput,
  compact,
  type ErrorBodyRules,
  type ErrorKind,
  encodeTaskId,
  errorFromBody,
  isHttpUrl,
  kindFromStatus,
  lazy,
  numeric,
  type OutputLocation,
  type ParseContext,
  type Provider,
  type ProviderDescription,
  type ProviderRequest,
  type ProviderResponse,
  parseShape,
  readJson,
  record,
  requestIdOf,
  retryAfterMs,
  text,
  validationError,
} from './kit/index.js'

/*
 * Veo on the Gemini API: a create starts a long-running operation, whose `name` is the task id.
 * Facts: vendor-docs/native/gemini-veo.md; readings of its unconfirmed facts:
 * test/fixtures/gemini/README.md.
 */

/**
 * What the `gemini` provider puts in `task.details`.
 *
 * - `contentUrl`: the first video's `uri`, an API route on the provider's origin that needs the
 *   same `x-goog-api-key` header and redirects to storage (follow it, without the key). The
 *   others are in `client.outputs`/`provider.outputs(task)`.
 * - `model`: from the operation name (`models/{model}/operations/...`).
 * - `sampleCount`: how many videos came back; `raiMediaFilteredCount` and
 *   `raiMediaFilteredReasons`: how many the safety filters removed, and why.
 * - `inlineVideoCount`: videos sent inline as base64 (`video.encodedVideo`) instead of a uri;
 *   read them from `task.raw`.
 */
export type GeminiVideoDetails = Pick<VideoTaskDetails, 'model' | 'contentUrl' | 'requestId'> & {
  /** Videos returned. */
  sampleCount?: number
  /** Videos the safety filters removed. */
  raiMediaFilteredCount?: number
  /** Why the safety filters removed them. */
  raiMediaFilteredReasons?: string[]
  /** Videos sent inline (base64) rather than as a uri. */
  inlineVideoCount?: number
}

/** Veo's own create fields beyond the shared ones; they win over the mapped fields. */
export interface GeminiProviderInput {
  /** What the video must not show. */
  negativePrompt?: string
  /** `allow_all`, `allow_adult` or `dont_allow`. */
  personGeneration?: string
  /** Let the model rewrite the prompt. */
  enhancePrompt?: boolean
  /** How many videos (`numberOfVideos` in Google's SDK). */
  sampleCount?: number
  /** The last frame (Veo 3.1): `{bytesBase64Encoded, mimeType}`. */
  lastFrame?: { bytesBase64Encoded: string; mimeType: string }
  /** Up to three `{image, referenceType: "asset"}` (Veo 3.1). */
  referenceImages?: unknown[]
  /** A previous Veo video to extend: `{uri}`. */
  video?: { uri: string }
  /** Any other `parameters` field. */
  parameters?: Record<string, unknown>
}

/** The options of {@link gemini}. */
export interface GeminiOptions {
  /** A Gemini API key, sent as `x-goog-api-key` to the base URL's origin only. */
  apiKey: string
  /**
   * The API root (`/v1beta` at its end is not repeated).
   *
   * @default 'https://generativelanguage.googleapis.com'
   */
  baseURL?: string | undefined
  /** Extra headers for every request. */
  headers?: Record<string, string> | undefined
}

export { GEMINI_DEFAULT_BASE_URL } from './factories.js'

const DEFAULT_MODEL = 'veo-3.1-generate-preview'

/** vendor-docs/native/gemini-veo.md "Download": videos kept 2 days (unconfirmed). */
// 48 h, written out: a bundler keeps a top-level product even when unused (kit/lazy.ts).
const OUTPUT_LIFETIME_MS = 172_800_000

/*
 * An operation name as Google writes it: it goes in the path as it is (vendor-docs "Quirks": do
 * not rebuild it). Segments start with a letter or digit, so none is `.` or `..`. Any other id
 * is one encoded segment and cannot change the path.
 */
const OPERATION_NAME =
  /^models\/[A-Za-z0-9][A-Za-z0-9._-]*\/operations\/[A-Za-z0-9][A-Za-z0-9._-]*$/

function operationPath(name: string): string {
  return OPERATION_NAME.test(name) ? name : encodeTaskId(name)
}

const googleErrorSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    code: z.optional(z.number()),
    message: z.optional(z.string()),
    status: z.optional(z.string()),
    details: z.optional(z.array(z.unknown())),
  }),
)

// vendor-docs/native/gemini-veo.md "Query": `done` is absent while running; `error` is a
// google.rpc.Status. `name` is required: an unrelated JSON answer is no running operation.
const operationSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    name: z.string(),
    done: z.optional(z.boolean()),
    error: z.optional(
      z.looseObject({ code: z.optional(z.number()), message: z.optional(z.string()) }),
    ),
    response: z.optional(
      z.looseObject({
        generateVideoResponse: z.optional(
          z.looseObject({
            generatedSamples: z.optional(z.array(z.unknown())),
            raiMediaFilteredReasons: z.optional(z.array(z.unknown())),
          }),
        ),
        videos: z.optional(z.array(z.unknown())),
        raiMediaFilteredReasons: z.optional(z.array(z.unknown())),
      }),
    ),
  }),
)

// A 400 says in its body whether the key is bad (`API_KEY_INVALID`) or the region refused.
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [400] }

/** `"37s"` or `"1.5s"` (a protobuf Duration in JSON) in milliseconds. */
function durationMs(value: unknown): number | null {
  if (typeof value !== 'string') return null
  const match = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(value)
  return match ? Math.round(Number(match[1]) * 1000) : null
}

/** The typed error of a Google error answer. `onRead`: a 404 means the operation is unknown. */
function googleError(
  response: ProviderResponse,
  body: unknown,
  onRead: boolean,
  statusInBody = false,
): ApiError {
  const nested = record(record(body)?.error)
  const parsed = nested ? googleErrorSchema().safeParse(nested) : null
  if (!parsed?.success) return errorFromBody(response, body, ERROR_BODIES)
  const error = parsed.data
  const details = (error.details ?? []).map(record)
  const reason = details.map((detail) => text(detail?.reason)).find((value) => value !== null)
  // A relay may pass Google's error with HTTP 200: its `code` is then the HTTP status that counts.
  const status = statusInBody && error.code !== undefined ? error.code : response.status
  const code =
    reason ?? text(error.status) ?? (error.code === undefined ? null : String(error.code))
  const message = text(error.message)
  let kind: ErrorKind | undefined
  if (reason === 'API_KEY_INVALID') kind = 'authentication'
  else if (status === 400 && error.status === 'FAILED_PRECONDITION') kind = 'permission'
  else if (status === 404 && !onRead) {
    // vendor-docs/native/gemini-veo.md "Availability warning": Veo's place on the Gemini API
    // is unconfirmed; a 404 on create is most likely the model.
    return new ApiError({
      status: response.status,
      code,
      message: `${message ?? 'Not found'} (the model may not be available on the Gemini API any more)`,
      requestId: requestIdOf(response.headers),
      body: response.body,
      provider: response.provider,
      url: response.url,
      retryable: false,
    })
  }
  if (status === 429) {
    const delay = details
      .filter((detail) => String(detail?.['@type'] ?? '').endsWith('google.rpc.RetryInfo'))
      .map((detail) => durationMs(detail?.retryDelay))
      .find((value) => value !== null)
    return new RateLimitError({
      status: response.status,
      code,
      message: message ?? 'Resource has been exhausted',
      requestId: requestIdOf(response.headers),
      body: response.body,
      provider: response.provider,
      url: response.url,
      retryAfterMs: delay ?? retryAfterMs(response.headers, response.receivedAt),
    })
  }
  if (statusInBody) kind ??= kindFromStatus(status)
  return apiError({ response, message, code, kind })
}

/** Vertex's bare support codes ("58061214") read as what they are. */
function reasonText(value: unknown): string | null {
  const reason = text(value)
  if (reason === null) return null
  return /^\d+$/.test(reason) ? `support code ${reason}` : reason
}

/**
 * Parses an operation (`GET /v1beta/{name}`, or a create's answer). Pure; exported for tests.
 * `context` joins paths onto the base URL: a video uri on its origin needs the key.
 */
export function parseGeminiResponse(
  response: ProviderResponse,
  context: ParseContext,
  onRead = true,
): VideoTask<GeminiVideoDetails> {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    throw googleError(response, body, onRead)
  }
  const object = record(body)
  if (object && !('name' in object) && record(object.error)) {
    throw googleError(response, body, onRead, true)
  }
  const operation = parseShape(operationSchema(), body, response, 'Gemini operation')
  const origin = new URL(context.url('/')).origin
  const model =
    /^models\/([^/]+)\//.exec(operation.name)?.[1] ??
    /\/models\/([^/]+)\//.exec(operation.name)?.[1]
  const requestId = requestIdOf(response.headers) ?? undefined
  // vendor-docs/native/gemini-veo.md "Quirks": test `done === true`, not presence.
  if (operation.done !== true) {
    const progress = numeric(record(operation.metadata)?.progressPercent)
    return buildTask<GeminiVideoDetails>({
      id: operation.name || response.taskId,
      provider: 'gemini',
      status: 'running',
      vendorStatus: 'running',
      // Proxies send metadata.progressPercent; Google's own is unconfirmed (fixtures README).
      progress: progress !== null && progress >= 0 && progress <= 100 ? progress : null,
      videoUrls: [],
      error: null,
      createdAt: null,
      completedAt: null,
      expiresAt: null,
      details: compact({ model, requestId }),
      raw: body,
    })
  }
  const result = operation.response
  // Gemini nests under generateVideoResponse, Vertex does not (vendor-docs "Disagreements").
  const nested = result?.generateVideoResponse
  const samples = (nested?.generatedSamples ?? result?.videos ?? []).map(record)
  const uris: string[] = []
  let inline = 0
  for (const sample of samples) {
    const video = record(sample?.video) ?? sample
    const uri = text(video?.uri) ?? text(video?.gcsUri)
    if (uri !== null) uris.push(uri)
    else if (text(video?.encodedVideo) ?? text(video?.bytesBase64Encoded)) inline++
  }
  const reasons = (nested?.raiMediaFilteredReasons ?? result?.raiMediaFilteredReasons ?? [])
    .map(reasonText)
    .filter((reason): reason is string => reason !== null)
  const filtered = numeric(
    record(nested)?.raiMediaFilteredCount ?? record(result)?.raiMediaFilteredCount,
  )
  let status: VideoTaskStatus = 'succeeded'
  let error: VideoTaskFailure | null = null
  if (operation.error !== undefined) {
    status = 'failed'
    error = {
      code: operation.error.code === undefined ? null : String(operation.error.code),
      message: text(operation.error.message) ?? 'The operation failed without a message',
    }
  } else if (uris.length + inline === 0) {
    // `done: true` without a video is a failure, never a success (vercel/ai PR #18929).
    status = 'failed'
    error =
      reasons.length > 0
        ? { code: 'rai_filtered', message: reasons.join(' ') }
        : { code: 'no_output', message: 'The operation finished without a video' }
  }
  const own = uris.filter((uri) => isHttpUrl(uri) && new URL(uri).origin === origin)
  const completedAt = response.receivedAt > 0 ? new Date(response.receivedAt) : null
  return buildTask<GeminiVideoDetails>({
    id: operation.name || response.taskId,
    provider: 'gemini',
    status,
    vendorStatus: 'done',
    progress: null,
    // A uri on another origin is a plain link (no key goes there); the API's own need the key.
    videoUrls: uris.filter((uri) => isHttpUrl(uri) && !own.includes(uri)),
    error,
    createdAt: null,
    completedAt,
    expiresAt:
      status === 'succeeded' && completedAt
        ? new Date(completedAt.getTime() + OUTPUT_LIFETIME_MS)
        : null,
    details: compact({
      model,
      contentUrl: status === 'succeeded' ? own[0] : undefined,
      sampleCount: samples.length > 0 ? samples.length : undefined,
      raiMediaFilteredCount: filtered ?? undefined,
      raiMediaFilteredReasons: reasons.length > 0 ? reasons : undefined,
      inlineVideoCount: inline > 0 ? inline : undefined,
      requestId,
    }),
    raw: body,
  })
}

/** The `gemini` adapter's read, as data (for the registry and shared tests): see {@link gemini}. */
export const GEMINI: ProviderDescription<GeminiVideoDetails> = {
  ...GEMINI_FACTS,
  errorBodies: ERROR_BODIES,
  // No status word: `done` says it all. `done` reads as succeeded only with a video.
  statusWords: { done: 'succeeded' },
  parseTask: (response, context) => parseGeminiResponse(response, context),
}

const ASPECT_RATIOS = new Set(['16:9', '9:16'])
const RESOLUTIONS = new Set(['720p', '1080p'])

/** Raw base64 of some bytes. */
function base64(bytes: Uint8Array): string {
  let binary = ''
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000))
  }
  return btoa(binary)
}

function imageOf(input: CreateRequestInput<GeminiProviderInput>) {
  const image = input.image
  if (image === undefined) return undefined
  if (image.kind === 'bytes') {
    return { bytesBase64Encoded: base64(image.bytes), mimeType: image.mediaType }
  }
  const data = /^data:([^;,]+);base64,(.*)$/is.exec(image.url)
  if (data) return { bytesBase64Encoded: data[2] ?? '', mimeType: data[1] ?? 'image/png' }
  throw new TypeError(
    'Gemini takes the first frame as bytes: give `image` as bytes, a file path or a data: URL, not a link',
  )
}

/** Builds the `:predictLongRunning` body (vendor-docs/native/gemini-veo.md "Create"). */
function createBody(input: CreateRequestInput<GeminiProviderInput>): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) {
    throw new TypeError('Expected a create input object with `prompt`')
  }
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '') {
    throw new TypeError('Expected `prompt` to be a non-empty string')
  }
  if (input.size !== undefined) {
    throw new TypeError(
      'Gemini takes no `size`: give `aspectRatio` (16:9 or 9:16) and `resolution`',
    )
  }
  // vendor-docs/native/gemini-veo.md "Create": the SDK refuses seed on the Gemini API.
  if (input.seed !== undefined)
    throw new TypeError('Gemini (Veo) takes no `seed` on the Gemini API')
  if (input.aspectRatio !== undefined && !ASPECT_RATIOS.has(input.aspectRatio)) {
    throw new TypeError(
      `Expected \`aspectRatio\` to be 16:9 or 9:16 for Gemini, got ${JSON.stringify(input.aspectRatio)}`,
    )
  }
  if (input.resolution !== undefined && !RESOLUTIONS.has(input.resolution)) {
    throw new TypeError(
      `Expected \`resolution\` to be 720p or 1080p for Gemini, got ${JSON.stringify(input.resolution)}`,
    )
  }
  const duration = input.durationSeconds
  if (duration !== undefined && (!Number.isInteger(duration) || duration <= 0)) {
    throw new TypeError(
      `Expected \`durationSeconds\` to be a whole number of seconds for Gemini (4, 6 or 8), got ${String(duration)}`,
    )
  }
  if (input.callbackUrl !== undefined) {
    throw new TypeError('Gemini sends no callbacks: leave out `callbackUrl`')
  }
  const bag = input.providerInput ?? {}
  const { parameters: extra, lastFrame, referenceImages, video, ...known } = bag
  const instance = compact({
    prompt: input.prompt,
    image: imageOf(input),
    lastFrame,
    referenceImages,
    video,
  })
  const parameters = {
    ...compact({
      aspectRatio: input.aspectRatio,
      durationSeconds: duration,
      resolution: input.resolution,
    }),
    ...known,
    ...record(extra),
  }
  return { instances: [instance], parameters }
}

/**
 * The `gemini` adapter's own factory: the provider, ready at once. Users get
 * `factories.ts`'s `gemini`, which checks the same options (`checkGeminiOptions`) and
 * loads this module on first use; the registry, the CLI and the tests use this one.
 */
export function gemini(options: GeminiOptions): Provider<GeminiVideoDetails, GeminiProviderInput> {
  const { baseURL, apiKey, headers: extra } = checkGeminiOptions(options)
  const headers = Object.freeze({
    accept: 'application/json',
    ...extra,
    'x-goog-api-key': apiKey,
  })
  const postHeaders = Object.freeze({ ...headers, 'content-type': 'application/json' })
  const origin = new URL(baseURL).origin
  const context: ParseContext = { url: (path) => `${baseURL}${path}` }
  const base = createProvider<GeminiVideoDetails>(
    {
      id: 'gemini',
      baseURL,
      pollDefaults: GEMINI.pollDefaults,
      buildRequest: (taskId, { url }) => ({
        method: 'GET',
        url: url(`/v1beta/${operationPath(taskId)}`),
        headers,
      }),
      parseResponse: (response) => parseGeminiResponse(response, context),
    },
    null,
  )
  const provider: Provider<GeminiVideoDetails, GeminiProviderInput> = {
    ...base,
    buildCreateRequest(input) {
      const body = createBody(input)
      const model = input.model ?? DEFAULT_MODEL
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(model)) {
        throw new TypeError(
          `Expected \`model\` to be a Veo model name, got ${JSON.stringify(model)}`,
        )
      }
      return {
        method: 'POST',
        url: `${baseURL}/v1beta/models/${model}:predictLongRunning`,
        headers: postHeaders,
        body: JSON.stringify(body),
      }
    },
    parseCreateResponse(response): CreatedTask<GeminiVideoDetails> {
      const task = parseGeminiResponse(response, context, false)
      if (task.id === '') {
        throw validationError(response, 'Gemini create answer has no operation `name`', [
          { path: ['name'], message: 'Expected the operation name' },
        ])
      }
      return { taskId: task.id, task }
    },
    buildCancelRequest(taskId) {
      const request = base.buildRequest(taskId)
      return {
        ...request,
        method: 'POST',
        url: `${request.url}:cancel`,
        headers: postHeaders,
        body: '{}',
      }
    },
    parseCancelResponse(response) {
      if (response.status >= 200 && response.status < 300) return
      if (response.status === 501) {
        throw new ApiError({
          status: 501,
          code: 'cancel_unsupported',
          message: 'Gemini does not support cancelling this operation (HTTP 501 UNIMPLEMENTED)',
          requestId: requestIdOf(response.headers),
          body: response.body,
          provider: response.provider,
          url: response.url,
          retryable: false,
        })
      }
      let body: unknown
      try {
        body = JSON.parse(response.body)
      } catch {
        body = null
      }
      throw googleError(response, body, true)
    },
    outputs(task) {
      const raw = record(task.raw)
      const result = record(raw?.response)
      const nested = record(result?.generateVideoResponse)
      const samples = [
        ...(Array.isArray(nested?.generatedSamples) ? nested.generatedSamples : []),
        ...(Array.isArray(result?.videos) ? result.videos : []),
      ].map(record)
      if (task.status !== 'succeeded') return []
      const locations: OutputLocation[][] = []
      for (const sample of samples) {
        const uri = text((record(sample?.video) ?? sample)?.uri)
        if (!isHttpUrl(uri)) continue
        if (new URL(uri).origin === origin) {
          const request: ProviderRequest = { method: 'GET', url: uri, headers }
          locations.push([{ kind: 'authenticated', request }])
        } else {
          locations.push([{ kind: 'url', url: uri, expiresAt: task.expiresAt }])
        }
      }
      return locations
    },
  }
  return Object.freeze(provider)
}
