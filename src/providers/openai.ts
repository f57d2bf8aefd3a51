import * as z from 'zod/mini'
import type { VideoTaskDetails } from '../model.js'
import { OPENAI_FACTS } from './factories.js'
import {
  buildTask,
  builtInProvider,
  type CreateRequestInput,
  collectUrls,
  compact,
  type ErrorBodyRules,
  errorFromBody,
  jsonCreateRequest,
  lazy,
  mapStatus,
  multipartBody,
  numeric,
  type ParseContext,
  type Provider,
  type ProviderDescription,
  type ProviderOptions,
  type ProviderResponse,
  parseProgress,
  parseShape,
  parseSize,
  parseTimestamp,
  readJson,
  record,
  refuseField,
  refuseUnmapped,
  requestIdOf,
  text,
  withProviderInput,
} from './kit/index.js'

/**
 * What the `openai` provider puts in `task.details`.
 *
 * - `contentUrl`: on a succeeded task without a public URL (the retired official API; gateways
 *   serve the same route),
 *   `GET {baseURL}/v1/videos/{id}/content` serves the video with the same `Authorization` header.
 *   Add `?variant=thumbnail` or `?variant=spritesheet` for the other assets. It answers 404 until
 *   the video is ready and the link expires at `expiresAt` (about an hour on the official API).
 * - `model`, `width`, `height` (from `size`), `durationSeconds` (from `seconds`), `requestId`
 *   (`x-request-id`).
 */
export type OpenAIVideoDetails = Pick<
  VideoTaskDetails,
  'model' | 'width' | 'height' | 'durationSeconds' | 'contentUrl' | 'thumbnailUrl' | 'requestId'
>

// vendor-notes.md "OpenAI Sora": every field but `status` varies between the official API and
// gateways, so only `status` is required; the rest is read leniently below.
/** The video object as zod reads it; exported for the test of its guard. */
export const videoObjectSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: z.optional(z.union([z.string(), z.number()])),
    status: z.string(),
    error: z.nullish(
      z.looseObject({
        message: z.nullish(z.string()),
        code: z.nullish(z.union([z.string(), z.number()])),
      }),
    ),
  }),
)

/**
 * What `videoObjectSchema` accepts as it is, checked without zod's copy (parseShape's
 * `accepts`). Exported for the property test that holds it to the schema.
 */
export function isOpenAIVideoObject(
  value: unknown,
): value is z.infer<ReturnType<typeof videoObjectSchema>> {
  const video = record(value)
  if (video === null || typeof video.status !== 'string') return false
  if (video.id !== undefined && !isStringOrNumber(video.id)) return false
  if (video.error === undefined || video.error === null) return true
  const error = record(video.error)
  return (
    error !== null &&
    (error.message === undefined || error.message === null || typeof error.message === 'string') &&
    (error.code === undefined || error.code === null || isStringOrNumber(error.code))
  )
}

/** What `z.union([z.string(), z.number()])` accepts: zod's number is finite. */
function isStringOrNumber(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
}

// OpenAI's `{error: {message, type, code}}`, and the open-source gateway's `{code, message, data}`
// at the HTTP status (vendor-notes.md "What the open-source gateways send"): a 400 says in its
// code whether the task is unknown (`task_not_exist`).
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [400] }

/**
 * The `openai` adapter's own factory: the provider, ready at once. Users get
 * `factories.ts`'s `openai`, which checks the same options and loads this module on first
 * use; the registry, the CLI and the tests use this one.
 */
export function openai(options: ProviderOptions): Provider<OpenAIVideoDetails> {
  return builtInProvider(OPENAI, options)
}

/** The `openai` adapter as data: see {@link openai}. */
export const OPENAI: ProviderDescription<OpenAIVideoDetails> = {
  ...OPENAI_FACTS,
  errorBodies: ERROR_BODIES,
  parseTask: (response, context) => parseOpenAIResponse(response, context),
  pollHintMs: (response) => numeric(response.headers['openai-poll-after-ms']),
  create: {
    build: (input, { url, headers }) => buildOpenAICreate(input, url('/v1/videos'), headers),
    parse: (response, context) => {
      const task = parseOpenAIResponse(response, context)
      return { taskId: task.id, task }
    },
  },
  // vendor-notes.md "OpenAI Sora": gateways name the video's URL (several fields, one video);
  // the official object has none, and `/v1/videos/{id}/content` serves it with the same bearer
  // token until `expires_at` (about an hour).
  outputs: (task, { headers, link }) => {
    if (task.videoUrls.length > 0) return [task.videoUrls.map((url) => link(url, task.expiresAt))]
    const url = task.details.contentUrl
    if (url === undefined) return []
    return [
      [
        {
          kind: 'authenticated',
          request: { method: 'GET', url, headers: { ...headers(), accept: '*/*' } },
        },
      ],
    ]
  },
}

/**
 * What `providerInput` may hold for `openai`: any field of `POST /v1/videos` (gateways take more,
 * such as `metadata`). It wins over the mapped fields.
 */
export type OpenAIProviderInput = Record<string, unknown>

/*
 * vendor-notes.md "Creating tasks and fetching outputs": `POST /v1/videos` takes `prompt`,
 * `model`, `seconds` (a string), `size` (`1280x720`) and `input_reference`, a file part, so a
 * request with an image file is `multipart/form-data`; without one, JSON.
 */
function buildOpenAICreate(
  input: CreateRequestInput,
  url: string,
  headers: Readonly<Record<string, string>>,
) {
  refuseUnmapped('openai', input, ['model', 'durationSeconds', 'size'])
  if (input.callbackUrl !== undefined) {
    throw refuseField('openai', 'callbackUrl', 'the route has no callbacks; the client polls')
  }
  const seconds = input.durationSeconds
  if (seconds !== undefined && !Number.isInteger(seconds)) {
    throw refuseField('openai', 'durationSeconds', `\`seconds\` is whole seconds, got ${seconds}`)
  }
  const fields = withProviderInput(
    {
      prompt: input.prompt,
      model: input.model,
      seconds: seconds === undefined ? undefined : String(seconds),
      size: input.size,
    },
    input.providerInput,
  )
  const image = input.image
  if (image === undefined) return jsonCreateRequest(url, headers, fields)
  if (image.kind === 'url') {
    throw refuseField(
      'openai',
      'image',
      '`input_reference` is a file part: pass the image as bytes, a Blob or a file path (or a gateway field in `providerInput`)',
    )
  }
  const { body, contentType } = multipartBody(fields, {
    name: 'input_reference',
    fileName: image.fileName,
    mediaType: image.mediaType,
    bytes: image.bytes,
  })
  return {
    method: 'POST' as const,
    url,
    headers: { ...headers, 'content-type': contentType },
    body,
  }
}

/**
 * Parses a `GET /v1/videos/{id}` response. Pure; exported for tests. `context` is the base URL
 * (as a string) or the {@link ParseContext} the provider passes.
 */
export function parseOpenAIResponse(response: ProviderResponse, context: string | ParseContext) {
  const url = typeof context === 'string' ? (path: string) => `${context}${path}` : context.url
  const body = readJson(response)
  const object = record(body)
  const ok = response.status >= 200 && response.status < 300
  if (!ok || (object && !('status' in object) && record(object.error))) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const video = parseShape(videoObjectSchema(), body, response, 'Video object', isOpenAIVideoObject)
  const id = text(video.id) ?? response.taskId
  const vendorStatus = video.status
  const status = mapStatus(vendorStatus)
  const metadata = record(video.metadata)
  const videoUrls = collectUrls(video.url, video.video_url, metadata?.url)
  const size = parseSize(video.size)
  const progress =
    video.progress !== undefined && video.progress !== null
      ? parseProgress(video.progress)
      : parseProgress(video.progress_pct, { fraction: true })
  const failure = video.error
  const message = text(failure?.message)
  return buildTask<OpenAIVideoDetails>({
    id,
    provider: 'openai',
    status,
    vendorStatus,
    progress,
    videoUrls,
    error: message ? { code: text(failure?.code), message } : null,
    createdAt: parseTimestamp(video.created_at),
    completedAt: parseTimestamp(video.completed_at),
    expiresAt: parseTimestamp(video.expires_at),
    details: compact({
      model: text(video.model) ?? undefined,
      width: size?.width,
      height: size?.height,
      durationSeconds: numeric(video.seconds) ?? undefined,
      thumbnailUrl: collectUrls(video.thumbnail_url)[0],
      contentUrl:
        status === 'succeeded' && videoUrls.length === 0
          ? url(`/v1/videos/${encodeSegment(id)}/content`)
          : undefined,
      requestId: requestIdOf(response.headers) ?? undefined,
    }),
    raw: body,
  })
}

/**
 * `encodeURIComponent` for an id read from a body, which may hold half a surrogate pair (JSON
 * can escape one: `"\ud800"`) that `encodeURIComponent` refuses: such a half becomes U+FFFD.
 */
function encodeSegment(value: string): string {
  return encodeURIComponent(new TextDecoder().decode(new TextEncoder().encode(value)))
}
