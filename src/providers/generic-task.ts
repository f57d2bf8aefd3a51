import * as z from 'zod/mini'
import type { VideoTaskDetails, VideoTaskFailure, VideoTaskStatus } from '../model.js'
import { GENERIC_TASK_FACTS, genericTaskOptions } from './factories.js'
import {
  apiError,
  BASE_RESP_ERRORS,
  type BaseRespRules,
  baseRespFailure,
  baseRespMessage,
  buildTask,
  builtInProvider,
  type CreateDescription,
  type CreatedTask,
  type CreateRequestInput,
  collectUrls,
  compact,
  type EnvelopeRules,
  type ErrorBodyRules,
  errorFromBody,
  idText,
  imageUrl,
  isMiniMaxTask,
  isNullishId,
  isNullishString,
  isPlainRecord,
  isSuccessCode,
  jsonCreateRequest,
  kindFromStatus,
  kindFromText,
  lazy,
  mapStatus,
  miniMaxTaskSchema,
  numeric,
  type Provider,
  type ProviderDescription,
  type ProviderOptions,
  type ProviderResponse,
  parseProgress,
  parseShape,
  readJson,
  record,
  refuseField,
  refuseUnmapped,
  requestIdOf,
  text,
  validationError,
  withProviderInput,
} from './kit/index.js'

/**
 * What the `generic-task` provider puts in `task.details`.
 *
 * - `fileId`: the vendor's file id (MiniMax `file_id`), always a string even when the server
 *   sends a number. **A succeeded task with a `fileId` and no `videoUrl` is not downloadable
 *   as is**: resolve the id through the vendor's file API with the same key. For MiniMax that is
 *   `GET /v1/files/retrieve?file_id=<fileId>`, which answers `{ file: { download_url, ... },
 *   base_resp }`; the download URL expires, so resolve it when you need it.
 * - `width`, `height`: from `video_width` / `video_height`, when sent.
 * - `requestId`: the body's `request_id`, else the `x-request-id` header.
 * - `binaryDataCount`: how many base64 items the server put in `data.binary_data_base64`. Some
 *   deployments return the result itself there instead of a URL; it is never copied into
 *   `videoUrl`. Decode it from `task.raw.data.binary_data_base64`.
 */
export type GenericTaskVideoDetails = Pick<
  VideoTaskDetails,
  'width' | 'height' | 'fileId' | 'requestId'
> & {
  /** How many base64-encoded items `raw.data.binary_data_base64` holds (only set when > 0). */
  binaryDataCount?: number
}

const idSchema = /* @__PURE__ */ lazy(() => z.union([z.string(), z.number()]))

/**
 * vendor-notes.md "Generic /task/{id}", shape 1: `{code, message, request_id, time_elapsed,
 * status, data}`. Only what decides between a task and an error is checked here; `data` is
 * checked once the code says success (an error envelope may carry `data: null`). Exported for
 * the guard's property test.
 */
export const envelopeSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    code: z.nullish(idSchema()),
    message: z.nullish(z.string()),
    request_id: z.nullish(idSchema()),
    status: z.nullish(idSchema()),
    data: z.optional(z.unknown()),
  }),
)

/** The doc's `code: 0`, the upstream's `10000`; a missing code with a readable `data` too. */
const ENVELOPE: EnvelopeRules = { successCodes: [0, 10000] }

/*
 * Error bodies come in the envelope's `{code, message}`, MiniMax's `base_resp` or the
 * OpenAI-style `{error}`; the status decides the class except for a 400 that says more.
 */
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [400] }

/** Shape 1's `data`: only `status` decides; exported for the guard's property test. */
export const envelopeDataSchema = /* @__PURE__ */ lazy(() => z.looseObject({ status: z.string() }))

/**
 * What `envelopeSchema` accepts as it is, checked without zod's copy (parseShape's `accepts`).
 * Exported for the property test that holds it to the schema.
 */
export function isGenericTaskEnvelope(
  value: unknown,
): value is z.infer<ReturnType<typeof envelopeSchema>> {
  return (
    isPlainRecord(value) &&
    isNullishId(value.code) &&
    isNullishString(value.message) &&
    isNullishId(value.request_id) &&
    isNullishId(value.status)
  )
}

/**
 * What `envelopeDataSchema` accepts as it is (parseShape's `accepts`). Exported for the property
 * test that holds it to the schema.
 */
export function isGenericTaskEnvelopeData(
  value: unknown,
): value is z.infer<ReturnType<typeof envelopeDataSchema>> {
  return isPlainRecord(value) && typeof value.status === 'string'
}

// vendor-notes.md "Generic /task/{id}", shape 2: a bare MiniMax-style object, read with
// the kit's miniMaxTaskSchema (base-resp.ts), as the native `minimax` provider reads its own.

/*
 * vendor-notes.md "Generic /task/{id}": MiniMax answers request errors with HTTP 200 and a
 * non-zero `base_resp.status_code` (the kit's `base-resp.ts` has the code table, shared with the
 * native `minimax` provider). A relay's `/task/{id}` is not MiniMax's query route: a 2013 stays a
 * plain ApiError, and a moderation code without a status is a refused request.
 */
const MINIMAX_RULES: BaseRespRules = {
  notFoundOnInvalidTaskId: false,
  sensitiveWithoutStatus: 'error',
}

// Shape 1's upstream reports these two as `data.status`; they are final (`failed`) in
// mapStatus, and this says why instead of the generic "without a reason".
const DATA_STATUS_REASONS: Readonly<Record<string, string>> = {
  not_found: 'The vendor does not know this task (not_found): wrong id, or purged',
  expired: 'The task expired on the vendor side (expired)',
}

/**
 * The `generic-task` adapter's own factory: the provider, ready at once. Users get
 * `factories.ts`'s `genericTask`, which checks the same options (with
 * `genericTaskOptions`) and loads this module on first use; the registry, the CLI and the tests
 * use this one.
 */
export function genericTask(options: GenericTaskOptions): Provider<GenericTaskVideoDetails> {
  const { providerOptions, createPath } = genericTaskOptions(options)
  if (createPath === undefined) return builtInProvider(GENERIC_TASK, providerOptions)
  return builtInProvider({ ...GENERIC_TASK, create: miniMaxCreate(createPath) }, providerOptions)
}

/** Options of {@link genericTask}: the common provider options and the create route's path. */
export type GenericTaskOptions = ProviderOptions & {
  /**
   * The MiniMax-style create route's path on the base URL. Relays mount it under a prefix
   * (`/task/minimax/v1/video_generation`, vendor-notes.md).
   * @default '/v1/video_generation'
   */
  createPath?: string | undefined
}

/**
 * What `providerInput` may hold for `generic-task`: any field of MiniMax's
 * `POST /v1/video_generation` (`prompt_optimizer`, `last_frame_image`, `subject_reference`, ...).
 * It wins over the mapped fields.
 */
export type GenericTaskProviderInput = Record<string, unknown>

/*
 * vendor-docs/native/minimax.md "Create": JSON `{model, prompt, duration, resolution,
 * first_frame_image, callback_url, ...}`; `resolution` is written `768P`, and an image may be a
 * URL or a `data:image/...;base64,...` URL. No size, aspect ratio or seed.
 */
function miniMaxCreate(path: string): CreateDescription<GenericTaskVideoDetails> {
  return {
    build: (input, { url, headers }) =>
      jsonCreateRequest(url(path), headers, miniMaxCreateBody(input)),
    parse: (response) => parseMiniMaxCreateResponse(response),
  }
}

function miniMaxCreateBody(input: CreateRequestInput): Record<string, unknown> {
  refuseUnmapped('generic-task', input, ['model', 'durationSeconds', 'resolution'])
  const duration = input.durationSeconds
  if (duration !== undefined && !Number.isInteger(duration)) {
    throw refuseField(
      'generic-task',
      'durationSeconds',
      `\`duration\` is whole seconds, got ${duration}`,
    )
  }
  return withProviderInput(
    {
      model: input.model,
      prompt: input.prompt,
      duration,
      resolution: input.resolution?.toUpperCase(),
      first_frame_image: input.image === undefined ? undefined : imageUrl(input.image),
      callback_url: input.callbackUrl,
    },
    input.providerInput,
  )
}

/**
 * Parses a MiniMax-style create answer: `{task_id, base_resp}`, an error being HTTP 200 with a
 * non-zero `base_resp.status_code` and no `task_id` (vendor-docs/native/minimax.md). Pure;
 * exported for tests.
 */
export function parseMiniMaxCreateResponse(
  response: ProviderResponse,
): CreatedTask<GenericTaskVideoDetails> {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const object = record(body)
  const baseResponse = record(object?.base_resp)
  const statusCode = numeric(baseResponse?.status_code)
  if (statusCode !== null && statusCode !== 0) {
    const message = text(baseResponse?.status_msg)
    throw apiError({
      response,
      code: text(baseResponse?.status_code),
      message,
      kind: BASE_RESP_ERRORS.has(statusCode)
        ? BASE_RESP_ERRORS.get(statusCode)
        : kindFromText(message),
    })
  }
  const taskId = idText(object?.task_id, 'task_id', response.body)
  if (!taskId) {
    throw validationError(response, 'MiniMax-style create answer has no `task_id`', [
      { path: ['task_id'], message: 'Expected the created task id' },
    ])
  }
  return { taskId, task: null }
}

/** The `generic-task` adapter as data: see {@link genericTask}. */
export const GENERIC_TASK: ProviderDescription<GenericTaskVideoDetails> = {
  ...GENERIC_TASK_FACTS,
  envelope: ENVELOPE,
  errorBodies: ERROR_BODIES,
  parseTask: (response) => parseGenericTaskResponse(response),
  // Pure (it builds an object): annotated so a bundle without this adapter drops it (kit/lazy.ts).
  create: /* @__PURE__ */ miniMaxCreate('/v1/video_generation'),
  /*
   * vendor-notes.md "Creating tasks and fetching outputs": a MiniMax `file_id` resolves through
   * `GET /v1/files/retrieve?file_id=...` (same key) to a pre-signed `download_url` whose lifetime
   * is not stated (vendor-docs/native/minimax.md), so it is resolved when downloading. A URL a
   * reseller put next to the id names the same file and is tried first; without an id, every URL
   * (`video_url`, `url`, `video_urls`) is an output of its own.
   */
  outputs: (task, { url, headers }) => {
    const urls = task.videoUrls.map((link) => ({
      kind: 'url' as const,
      url: link,
      expiresAt: null,
    }))
    const fileId = task.details.fileId
    if (fileId === undefined) return urls.map((location) => [location])
    return [
      [
        ...urls,
        {
          kind: 'resolve',
          request: {
            method: 'GET',
            url: url(`/v1/files/retrieve?file_id=${encodeURIComponent(fileId)}`),
            headers: headers(),
          },
          parse: parseFileRetrieveResponse,
        },
      ],
    ]
  },
}

/**
 * Parses a MiniMax `GET /v1/files/retrieve` answer (`{file: {download_url, ...}, base_resp}`)
 * into the download URL. Errors come as HTTP 200 with a non-zero `base_resp.status_code`
 * (vendor-docs/native/minimax.md), or as the route's error bodies. Pure; exported for tests.
 */
export function parseFileRetrieveResponse(response: ProviderResponse): {
  url: string
  expiresAt: null
} {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const object = record(body)
  const baseResp = record(object?.base_resp)
  const code = numeric(baseResp?.status_code)
  if (code !== null && code !== 0) {
    const message = text(baseResp?.status_msg)
    throw apiError({
      response,
      code: text(baseResp?.status_code),
      message,
      kind: BASE_RESP_ERRORS.has(code) ? BASE_RESP_ERRORS.get(code) : kindFromText(message),
    })
  }
  const downloadUrl = text(record(object?.file)?.download_url)
  if (downloadUrl === null || collectUrls(downloadUrl).length === 0) {
    throw validationError(response, 'MiniMax file answer has no `file.download_url`', [
      { path: ['file', 'download_url'], message: 'Expected an http(s) URL' },
    ])
  }
  // The lifetime of `download_url` is not stated for video generation (native/minimax.md).
  return { url: downloadUrl, expiresAt: null }
}

/** Parses a `GET /task/{id}` response, in either shape. Pure; exported for tests. */
export function parseGenericTaskResponse(response: ProviderResponse) {
  const body = readJson(response)
  const object = record(body)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  if (object && (Object.hasOwn(object, 'code') || Object.hasOwn(object, 'data'))) {
    return parseEnvelope(body, response)
  }
  return parseMiniMax(body, response)
}

function parseEnvelope(body: unknown, response: ProviderResponse) {
  const envelope = parseShape(
    envelopeSchema(),
    body,
    response,
    'Task envelope',
    isGenericTaskEnvelope,
  )
  const requestId = text(envelope.request_id)
  if (!isSuccessCode(envelope.code, ENVELOPE)) {
    // The code or message may name the kind ("rate limit"); failing that, an HTTP-style `code`
    // or top-level `status` (401, 429, 5xx, or the upstream's 50429) does. Otherwise a plain
    // ApiError.
    throw errorFromBody(
      response,
      body,
      ERROR_BODIES,
      kindFromText(envelope.code, text(envelope.message)) ??
        kindFromStatus(httpStatusOf(envelope.code)) ??
        kindFromStatus(httpStatusOf(envelope.status)),
    )
  }
  const data = parseShape(
    envelopeDataSchema(),
    envelope.data,
    response,
    'Task envelope `data`',
    isGenericTaskEnvelopeData,
  )
  const vendorStatus = data.status
  const status = mapStatus(vendorStatus)
  const statusKey = vendorStatus.trim().toLowerCase()
  const envelopeMessage = text(envelope.message)
  let error: VideoTaskFailure | null = null
  if (status === 'failed' || status === 'cancelled') {
    const reason = Object.hasOwn(DATA_STATUS_REASONS, statusKey)
      ? DATA_STATUS_REASONS[statusKey]
      : undefined
    // The envelope's message is "Success" on every readable answer; only another text is a reason.
    const message =
      reason ?? (envelopeMessage && !isSuccessWord(envelopeMessage) ? envelopeMessage : null)
    error = message ? { code: reason ? statusKey : null, message } : null
  }
  const binary = Array.isArray(data.binary_data_base64)
    ? data.binary_data_base64.filter((item) => typeof item === 'string' && item !== '').length
    : 0
  return buildTask<GenericTaskVideoDetails>({
    id: idText(data.task_id, 'task_id', response.body) ?? response.taskId,
    provider: 'generic-task',
    status,
    vendorStatus,
    progress: parseProgress(data.progress),
    // `video_url` may be "" while running; base64 results never go into a URL field.
    videoUrls: collectUrls(data.video_url, data.url, data.video_urls),
    error,
    createdAt: null,
    completedAt: null,
    expiresAt: null,
    details: compact({
      width: positive(data.video_width),
      height: positive(data.video_height),
      fileId: idText(data.file_id, 'file_id', response.body) ?? undefined,
      requestId: requestId ?? requestIdOf(response.headers) ?? undefined,
      binaryDataCount: binary > 0 ? binary : undefined,
    }),
    raw: body,
  })
}

function parseMiniMax(body: unknown, response: ProviderResponse) {
  const object = parseShape(
    miniMaxTaskSchema(),
    body,
    response,
    'MiniMax-style task object',
    isMiniMaxTask,
  )
  const vendorStatus = text(object.status)
  let failure = baseRespFailure(response, object.base_resp, vendorStatus, MINIMAX_RULES)
  if (!vendorStatus) {
    throw validationError(response, 'MiniMax-style task object has no `status`', [
      { path: ['status'], message: 'Expected a non-empty status string' },
    ])
  }
  if (failure === null && mapStatus(vendorStatus) === 'failed') {
    // vendor-notes.md "Across vendors": a `Fail` with status_code 0 still says why in status_msg.
    const message = baseRespMessage(object.base_resp)
    if (message) failure = { code: null, message }
  }
  const status: VideoTaskStatus = failure ? 'failed' : mapStatus(vendorStatus)
  return buildTask<GenericTaskVideoDetails>({
    id: idText(object.task_id, 'task_id', response.body) ?? response.taskId,
    provider: 'generic-task',
    status,
    vendorStatus,
    progress: parseProgress(object.progress),
    // MiniMax itself sends only `file_id`; resellers add `url` or `video_url`.
    videoUrls: collectUrls(object.url, object.video_url, object.download_url),
    error: failure,
    createdAt: null,
    completedAt: null,
    expiresAt: null,
    details: compact({
      width: positive(object.video_width),
      height: positive(object.video_height),
      fileId: idText(object.file_id, 'file_id', response.body) ?? undefined,
      requestId: requestIdOf(response.headers) ?? undefined,
    }),
    raw: body,
  })
}

/**
 * The HTTP status an envelope code stands for: an HTTP-style code as is, and the upstream's
 * `50000 + status` codes (`50429` "Request Has Reached API Limit", `50500`) as that status.
 */
function httpStatusOf(code: unknown): number | null {
  const number = numeric(code)
  return number !== null && number > 50_000 && number < 50_600 ? number - 50_000 : number
}

function isSuccessWord(value: string): boolean {
  return /^\s*(success|ok)\s*$/i.test(value)
}

/** A positive number (MiniMax may send `0` for a size it does not know yet), else `undefined`. */
function positive(value: unknown): number | undefined {
  const number = numeric(value)
  return number !== null && number > 0 ? number : undefined
}
