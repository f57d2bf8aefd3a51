import * as z from 'zod/mini'
import type { VideoTaskDetails, VideoTaskFailure, VideoTaskStatus } from '../model.js'
import {
  apiError,
  buildTask,
  builtInProvider,
  collectUrls,
  compact,
  type EnvelopeRules,
  type ErrorBodyRules,
  type ErrorKind,
  errorFromBody,
  isSuccessCode,
  kindFromStatus,
  kindFromText,
  mapStatus,
  numeric,
  type Provider,
  type ProviderDescription,
  type ProviderOptions,
  type ProviderResponse,
  parseProgress,
  parseShape,
  readJson,
  record,
  requestIdOf,
  text,
  validationError,
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

const idSchema = z.union([z.string(), z.number()])

// vendor-notes.md "Generic /task/{id}", shape 1: `{code, message, request_id, time_elapsed,
// status, data}`. Only what decides between a task and an error is checked here; `data` is
// checked once the code says success (an error envelope may carry `data: null`).
const envelopeSchema = z.looseObject({
  code: z.nullish(idSchema),
  message: z.nullish(z.string()),
  request_id: z.nullish(idSchema),
  status: z.nullish(idSchema),
  data: z.optional(z.unknown()),
})

/** The doc's `code: 0`, the upstream's `10000`; a missing code with a readable `data` too. */
const ENVELOPE: EnvelopeRules = { successCodes: [0, 10000] }

/*
 * Error bodies come in the envelope's `{code, message}`, MiniMax's `base_resp` or the
 * OpenAI-style `{error}`; the status decides the class except for a 400 that says more.
 */
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [400] }

const envelopeDataSchema = z.looseObject({ status: z.string() })

// vendor-notes.md "Generic /task/{id}", shape 2: a bare MiniMax-style object. An error carries
// only `base_resp` (and sometimes an empty `status`), so either of the two is enough here.
const miniMaxSchema = z
  .looseObject({
    task_id: z.nullish(idSchema),
    status: z.nullish(z.string()),
    file_id: z.nullish(idSchema),
    base_resp: z.nullish(
      z.looseObject({ status_code: z.nullish(idSchema), status_msg: z.nullish(z.string()) }),
    ),
  })
  .check(
    z.refine((value) => typeof value.status === 'string' || record(value.base_resp) !== null, {
      message: 'Expected a `status` string or a `base_resp` object',
    }),
  )

/*
 * vendor-notes.md "Generic /task/{id}": MiniMax answers request errors with HTTP 200 and a
 * non-zero `base_resp.status_code`. These codes describe the request, not the task, so they are
 * thrown whatever `status` says. `undefined` (2013, invalid parameters) is a plain ApiError:
 * reading again with the same id will not help.
 */
const MINIMAX_REQUEST_ERRORS: ReadonlyMap<number, ErrorKind | undefined> = new Map([
  // vendor-notes.md "What the open-source gateways send": "retry later" codes, transient, so a
  // retryable ServerError (the wait goes on): 1000 unknown error, 1001 request timeout, 1024
  // internal error, 1033 system error.
  [1000, 'server'],
  [1001, 'server'],
  [1024, 'server'],
  [1033, 'server'],
  [1002, 'rate-limit'],
  [1004, 'authentication'],
  [1008, 'permission'], // insufficient balance
  [2013, undefined],
  [2049, 'authentication'], // invalid API key
  [2038, 'permission'], // real-name verification required
])

/*
 * Sensitive content: 1026 (input) per vendor-notes.md, 1027 (generated video) per MiniMax's
 * query docs. Next to a task `status` the code is the task's outcome, so the task is `failed`
 * with the code as its reason (a poller must stop; the content will not pass on a later read).
 * Without a status there is no task to describe and it is a plain, non-retryable ApiError.
 */
const MINIMAX_SENSITIVE_CONTENT = new Set([1026, 1027])

// Shape 1's upstream reports these two as `data.status`; they are final (`failed`) in
// mapStatus, and this says why instead of the generic "without a reason".
const DATA_STATUS_REASONS: Readonly<Record<string, string>> = {
  not_found: 'The vendor does not know this task (not_found): wrong id, or purged',
  expired: 'The task expired on the vendor side (expired)',
}

/**
 * Generic task APIs (`GET {baseURL}/task/{id}`): the documented `{code, data, ...}` envelope
 * and the bare MiniMax-style object the same route may answer with.
 *
 * Polls every 5 s at first, growing to 10 s. A succeeded MiniMax-style task often has no URL, only
 * `details.fileId`: see {@link GenericTaskVideoDetails} for how to resolve it.
 *
 * @example
 * ```ts
 * const client = createClient({
 *   provider: genericTask({ baseURL: 'https://api.example.com', apiKey: process.env.TASK_API_KEY }),
 * })
 * const task = await client.waitFor('314052875571396')
 * if (!task.videoUrl && task.details.fileId) {
 *   // MiniMax: GET /v1/files/retrieve?file_id=${task.details.fileId} -> file.download_url
 * }
 * ```
 */
export function genericTask(options: ProviderOptions): Provider<GenericTaskVideoDetails> {
  return builtInProvider(GENERIC_TASK, options)
}

/** The `generic-task` adapter as data: see {@link genericTask}. */
export const GENERIC_TASK: ProviderDescription<GenericTaskVideoDetails> = {
  id: 'generic-task',
  route: { method: 'GET', path: '/task/{id}' },
  keyRequired: true,
  envelope: ENVELOPE,
  errorBodies: ERROR_BODIES,
  // Neither shape reports progress, so there is no rate to predict the finish from.
  pollDefaults: { intervalMs: 5_000, maxIntervalMs: 10_000, adaptive: false },
  parseTask: (response) => parseGenericTaskResponse(response),
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
  const envelope = parseShape(envelopeSchema, body, response, 'Task envelope')
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
  const data = parseShape(envelopeDataSchema, envelope.data, response, 'Task envelope `data`')
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
  const object = parseShape(miniMaxSchema, body, response, 'MiniMax-style task object')
  const vendorStatus = text(object.status)
  const statusCode = object.base_resp?.status_code
  const numericCode = numeric(statusCode)
  let failure: VideoTaskFailure | null = null
  if (statusCode !== undefined && statusCode !== null && numericCode !== 0) {
    const code = text(statusCode)
    const message = text(object.base_resp?.status_msg)
    if (numericCode !== null && MINIMAX_REQUEST_ERRORS.has(numericCode)) {
      throw apiError({ response, code, message, kind: MINIMAX_REQUEST_ERRORS.get(numericCode) })
    }
    const sensitive = numericCode !== null && MINIMAX_SENSITIVE_CONTENT.has(numericCode)
    if (!vendorStatus || !(sensitive || mapStatus(vendorStatus) === 'failed')) {
      // A code this adapter does not know, next to a status that is not a failure (or none):
      // the answer describes the request, not the task.
      throw apiError({ response, code, message, kind: kindFromText(message) })
    }
    failure = { code, message: message ?? `MiniMax status code ${code}` }
  }
  if (!vendorStatus) {
    throw validationError(response, 'MiniMax-style task object has no `status`', [
      { path: ['status'], message: 'Expected a non-empty status string' },
    ])
  }
  if (failure === null && mapStatus(vendorStatus) === 'failed') {
    // vendor-notes.md "Across vendors": a `Fail` with status_code 0 still says why in status_msg.
    const message = text(object.base_resp?.status_msg)
    if (message && !isSuccessWord(message)) failure = { code: null, message }
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

/**
 * An id as a string. vendor-notes.md "Generic /task/{id}": ids may come as numbers, and a JSON
 * number above 2^53 loses digits in `JSON.parse`, so such an id is read back from the body text
 * when its key occurs exactly once there.
 */
function idText(value: unknown, key: string, body: string): string | null {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    const matches = [...body.matchAll(new RegExp(`"${key}"\\s*:\\s*(\\d+)`, 'g'))]
    const digits = matches.length === 1 ? matches[0]?.[1] : undefined
    if (digits) return digits
  }
  return text(value)
}
