import * as z from 'zod/mini'
import { ApiError } from '../errors.js'
import type { VideoTask, VideoTaskDetails, VideoTaskStatus } from '../model.js'
import { checkKlingOptions, KLING_FACTS } from './factories.js'
import { createProvider } from './kit/create-provider.js'
import type { Hs256TokenSource } from './kit/hs256-token.js'
import {
  apiError,
  assertTaskId,
  buildTask,
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
  readJson,
  record,
  requestIdOf,
  requestIdOfResponse,
  text,
  validationError,
} from './kit/index.js'

/*
 * Kling (Kuaishou), its own API: the legacy routes (`/v1/videos/{text2video|image2video}`, an
 * HS256 token signed from the access and secret keys) and the newer API-key routes (`/tasks`).
 * Facts: vendor-docs/native/kling.md; readings of its unconfirmed facts:
 * test/fixtures/kling/README.md.
 */

/** The route family a Kling task lives on; a task is read on the family it was created on. */
export type KlingRoute = 'text2video' | 'image2video' | 'tasks'

const ROUTES: readonly KlingRoute[] = ['text2video', 'image2video', 'tasks']

/**
 * What the `kling` provider puts in `task.details`.
 *
 * - `route`: the route family the answer came from (`text2video`, `image2video`, `tasks`).
 * - `durationSeconds`: the first video's `duration` (a string of seconds on the wire).
 * - `credits`: what the task cost: the legacy `final_unit_deduction`, or the sum of the new
 *   routes' `billing[].amount`.
 * - `externalTaskId`: your own id (`external_task_id` / `external_id`), when you gave one.
 * - `watermarkUrl`: the watermarked copy of the first video, when a watermark was asked for.
 * - `model`: only when the answer names it (the legacy routes do not echo `model_name`).
 * - `requestId`: the envelope's `request_id`.
 */
export type KlingVideoDetails = Pick<
  VideoTaskDetails,
  'model' | 'durationSeconds' | 'requestId'
> & {
  /** The route family the answer came from. */
  route?: KlingRoute
  /** Credits (units) the task cost, when Kling reports them. */
  credits?: number
  /** Your `external_task_id`, when you gave one. */
  externalTaskId?: string
  /** The watermarked copy of the first video. */
  watermarkUrl?: string
}

/**
 * Kling's own create fields beyond the shared ones; they win over the mapped fields. On the
 * legacy routes they go at the top level of the body; on the API-key routes `settings` and
 * `options` are merged one level deep into the mapped ones and anything else goes at the top.
 */
export interface KlingProviderInput {
  /** What the video must not show (≤ 2500 characters). */
  negative_prompt?: string
  /** Prompt adherence, 0-1 (legacy; not supported by v2.x models). */
  cfg_scale?: number
  /** `std` or `pro` (legacy). */
  mode?: 'std' | 'pro'
  /** `on` or `off` (legacy, v2.6+). */
  sound?: 'on' | 'off'
  /** Camera movement (legacy). */
  camera_control?: Record<string, unknown>
  /** `{enabled: boolean}` (legacy; on the new routes put it under `options`). */
  watermark_info?: { enabled: boolean }
  /** Your own id, unique per account. */
  external_task_id?: string
  /** The last frame (image2video), a URL or raw base64. */
  image_tail?: string
  /** The new routes' `settings` (`audio`, `resolution`, ...). */
  settings?: Record<string, unknown>
  /** The new routes' `options` (`external_task_id`, `watermark_info`, ...). */
  options?: Record<string, unknown>
  /** Anything else the vendor takes. */
  [field: string]: unknown
}

/** The options of {@link kling}: the access and secret keys, or an API key. */
export type KlingOptions =
  | {
      /** Kling's access key: the token's issuer. Legacy routes. */
      accessKey: string
      /** Kling's secret key: signs the token; it is never sent, printed or stored elsewhere. */
      secretKey: string
      apiKey?: undefined
      /**
       * The API root.
       *
       * @default 'https://api-singapore.klingai.com' (`https://api-beijing.klingai.com` in China)
       */
      baseURL?: string | undefined
      /** Extra headers for every request. */
      headers?: Record<string, string> | undefined
    }
  | {
      /** A console API key, sent as `Authorization: Bearer <apiKey>`. The API-key routes. */
      apiKey: string
      accessKey?: undefined
      secretKey?: undefined
      /**
       * The API root.
       *
       * @default 'https://api-singapore.klingai.com' (`https://api-beijing.klingai.com` in China)
       */
      baseURL?: string | undefined
      /** Extra headers for every request. */
      headers?: Record<string, string> | undefined
    }

export { KLING_DEFAULT_BASE_URL } from './factories.js'

/** vendor-docs/native/kling.md "Output": generated files are deleted after 30 days. */
// 30 days, written out: a bundler keeps a top-level product even when unused (kit/lazy.ts).
const OUTPUT_LIFETIME_MS = 2_592_000_000

const DEFAULT_LEGACY_MODEL = 'kling-v2-6'
const DEFAULT_MODEL = 'kling-2.6'

/*
 * vendor-docs/native/kling.md "Status words": the legacy routes say `succeed`, the new ones
 * `succeeded` (both accepted); there is no cancelled word.
 */
const STATUS_OVERRIDES: Readonly<Record<string, VideoTaskStatus>> = { succeed: 'succeeded' }

/*
 * vendor-docs/native/kling.md "Errors": decide on `code`, not on the HTTP status (429 carries
 * both billing states and rate limits). `null`: a plain, permanent ApiError.
 */
const ERROR_CODES: ReadonlyMap<number, ErrorKind | null> = new Map<number, ErrorKind | null>([
  [1000, 'authentication'],
  [1001, 'authentication'],
  [1002, 'authentication'],
  // Token not yet valid (clock ahead) / expired: the token source re-signs 5 min before
  // expiry, so these mean a clock off by minutes; re-reading would send the same token.
  [1003, 'authentication'],
  [1004, 'authentication'],
  [1100, 'permission'], // account exception
  [1101, null], // arrears: permanent until recharge
  [1102, null], // resource pack depleted: permanent until top-up
  [1103, 'permission'],
  [1200, null],
  [1201, null],
  [1202, null],
  [1203, null], // on a read: see NOT_FOUND_ON_READ
  [1300, null], // platform policy
  [1301, null], // content security policy
  [1302, 'rate-limit'],
  [1303, 'rate-limit'],
  [1304, 'permission'], // IP whitelist
  [5000, 'server'],
  [5001, 'server'],
  [5002, 'server'],
])

/*
 * test/fixtures/kling/README.md "Unconfirmed facts": an unknown task id is undocumented; on a
 * read, 1203 ("resource does not exist"), a 404 other than 1202 (wrong method), and a 1201 whose
 * message names the task are read as TaskNotFoundError.
 */
function notFoundOnRead(status: number, code: number | null, message: string | null): boolean {
  if (code === 1203) return true
  if (status === 404 && code !== 1202) return true
  return code === 1201 && message !== null && /task/i.test(message)
}

// Errors come as `{code, message, request_id}`; the code decides (ERROR_CODES); an unknown
// code on a 400 may still say it in its text.
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [400], codeDecides: true }

const idSchema = /* @__PURE__ */ lazy(() => z.union([z.string(), z.number()]))

const envelopeSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    code: z.nullish(idSchema()),
    message: z.nullish(z.string()),
    request_id: z.nullish(idSchema()),
    data: z.optional(z.unknown()),
  }),
)

const legacyTaskSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    task_id: z.nullish(idSchema()),
    task_status: z.string(),
    task_status_msg: z.nullish(z.string()),
  }),
)

const newTaskSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: idSchema(),
    status: z.string(),
    message: z.nullish(z.string()),
  }),
)

/** The typed error for a Kling error answer (any status, or a 200 with a code other than 0). */
function klingError(response: ProviderResponse, body: unknown, onRead: boolean): ApiError {
  const fields = errorBodyFields(body)
  const code = numeric(record(body)?.code)
  const requestId = requestIdOfResponse(response, fields)
  // A 5xx is the server's failure whatever its body says: retryable, by the status.
  if (response.status >= 500) return errorFromBody(response, body, ERROR_BODIES)
  if (onRead && notFoundOnRead(response.status, code, fields.message)) {
    return apiError({
      response,
      message: fields.message,
      code: fields.code,
      kind: 'not-found',
      requestId,
    })
  }
  if (code !== null && ERROR_CODES.has(code)) {
    const kind = ERROR_CODES.get(code)
    if (kind)
      return apiError({ response, message: fields.message, code: fields.code, kind, requestId })
    // A plain ApiError, permanent even on a 429 (1101, 1102) or a 5xx relay status.
    return new ApiError({
      status: response.status,
      code: fields.code,
      message: fields.message ?? `Kling error code ${code}`,
      requestId,
      body: response.body,
      provider: response.provider,
      url: response.url,
      retryable: false,
    })
  }
  return errorFromBody(response, body, ERROR_BODIES)
}

/** The envelope's `data`, or the typed error the answer carries. */
function envelopeData(
  response: ProviderResponse,
  onRead: boolean,
): { body: unknown; data: unknown; requestId: string | null } {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) throw klingError(response, body, onRead)
  const envelope = parseShape(envelopeSchema(), body, response, 'Kling envelope')
  const code = numeric(envelope.code)
  // vendor-docs/native/kling.md "Errors": `code` 0 is success; anything else is an error even
  // with HTTP 200 (relays). A code that is no number at all is no success either.
  if (envelope.code !== undefined && envelope.code !== null && code !== 0) {
    throw klingError(response, body, onRead)
  }
  return {
    body,
    data: envelope.data,
    requestId: text(envelope.request_id) ?? requestIdOf(response.headers),
  }
}

function routeOfUrl(url: string): KlingRoute {
  if (/\/v1\/videos\/image2video(\/|$|\?)/.test(url)) return 'image2video'
  if (/\/v1\/videos\/text2video(\/|$|\?)/.test(url)) return 'text2video'
  return 'tasks'
}

/** An id exactly as sent (not trimmed: ids are compared with the one asked for), or `null`. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : null
}

/** `duration` is a string of seconds on the wire (a number accepted too). */
function seconds(value: unknown): number | undefined {
  const number = numeric(value)
  return number !== null && number >= 0 ? number : undefined
}

function sumCredits(billing: unknown): number | undefined {
  if (!Array.isArray(billing)) return undefined
  let total = 0
  let any = false
  for (const item of billing) {
    const amount = numeric(record(item)?.amount)
    if (amount !== null) {
      total += amount
      any = true
    }
  }
  return any ? total : undefined
}

function expiresAfter(
  createdAt: Date | null,
  status: VideoTaskStatus,
  urls: string[],
): Date | null {
  // vendor-docs/native/kling.md "Output": deleted after 30 days (derived from created_at).
  if (status !== 'succeeded' || urls.length === 0 || createdAt === null) return null
  return new Date(createdAt.getTime() + OUTPUT_LIFETIME_MS)
}

/** A legacy task object (`data` of a legacy answer, or a legacy callback body). */
function legacyTask(
  object: unknown,
  response: ProviderResponse,
  requestId: string | null,
  route: KlingRoute,
): VideoTask<KlingVideoDetails> {
  const task = parseShape(legacyTaskSchema(), object, response, 'Kling task `data`')
  const vendorStatus = task.task_status
  const status = mapStatus(vendorStatus, STATUS_OVERRIDES)
  const result = record(task.task_result)
  const videos = Array.isArray(result?.videos) ? result.videos.map(record) : []
  const videoUrls = collectUrls(videos.map((video) => video?.url))
  const message = text(task.task_status_msg)
  const createdAt = parseTimestamp(task.created_at)
  return buildTask<KlingVideoDetails>({
    id: idOf(task.task_id) ?? response.taskId,
    provider: 'kling',
    status,
    vendorStatus,
    progress: null,
    videoUrls,
    // The reason is free text (vendor-docs/native/kling.md "Errors"): no code.
    error: status === 'failed' && message ? { code: null, message } : null,
    createdAt,
    completedAt: parseTimestamp(task.updated_at),
    expiresAt: expiresAfter(createdAt, status, videoUrls),
    details: compact({
      route,
      model: text(task.model_name) ?? text(task.model) ?? undefined,
      durationSeconds: seconds(videos[0]?.duration),
      credits: numeric(task.final_unit_deduction) ?? undefined,
      externalTaskId: text(record(task.task_info)?.external_task_id) ?? undefined,
      watermarkUrl: collectUrls(videos[0]?.watermark_url)[0],
      requestId: requestId ?? undefined,
    }),
    raw: object,
  })
}

/** A task object of the API-key routes (an element of `data[]`, or a create's `data`). */
function newTask(
  object: unknown,
  response: ProviderResponse,
  requestId: string | null,
  raw: unknown,
): VideoTask<KlingVideoDetails> {
  const task = parseShape(newTaskSchema(), object, response, 'Kling task')
  const vendorStatus = task.status
  const status = mapStatus(vendorStatus, STATUS_OVERRIDES)
  // vendor-docs/native/kling.md "New design": the video is the output with `type: "video"`.
  const outputs = (Array.isArray(task.outputs) ? task.outputs.map(record) : []).filter(
    (output) => output !== null && (output.type === undefined || output.type === 'video'),
  )
  const videoUrls = collectUrls(outputs.map((output) => output?.url))
  const message = text(task.message)
  const createdAt = parseTimestamp(task.create_time)
  return buildTask<KlingVideoDetails>({
    id: idOf(task.id) ?? response.taskId,
    provider: 'kling',
    status,
    vendorStatus,
    progress: null,
    videoUrls,
    error: status === 'failed' && message ? { code: null, message } : null,
    createdAt,
    completedAt: parseTimestamp(task.update_time),
    expiresAt: expiresAfter(createdAt, status, videoUrls),
    details: compact({
      route: 'tasks' as const,
      model: text(task.model) ?? undefined,
      durationSeconds: seconds(outputs[0]?.duration),
      credits: sumCredits(task.billing),
      externalTaskId: text(task.external_id) ?? undefined,
      watermarkUrl: collectUrls(outputs[0]?.watermark_url)[0],
      requestId: requestId ?? undefined,
    }),
    raw,
  })
}

/**
 * Parses a read of a Kling task: a legacy `GET /v1/videos/{family}/{id}` answer (`data` an
 * object) or a `GET /tasks?task_ids={id}` answer (`data` an array, of which the element whose
 * `id` is the task's is read; none is a `TaskNotFoundError`). Pure; exported for tests.
 */
export function parseKlingResponse(response: ProviderResponse): VideoTask<KlingVideoDetails> {
  const { body, data, requestId } = envelopeData(response, true)
  if (Array.isArray(data)) {
    const match = data.find((item) => idOf(record(item)?.id) === response.taskId)
    if (match === undefined) {
      // test/fixtures/kling/README.md: an empty `data` for an unknown id (unconfirmed reading).
      throw apiError({
        response,
        kind: 'not-found',
        message: `Kling does not know task ${JSON.stringify(response.taskId)} (no such id in \`data\`)`,
        requestId,
      })
    }
    return newTask(match, response, requestId, body)
  }
  if (record(data) === null) {
    throw validationError(response, 'Kling answer has no task: `data` is not an object', [
      { path: ['data'], message: 'Expected a task object or an array of tasks' },
    ])
  }
  return { ...legacyTask(data, response, requestId, routeOfUrl(response.url)), raw: body }
}

/** Parses a create answer: the task id, the task, and the route family to read it on. */
export function parseKlingCreateResponse(
  response: ProviderResponse,
): CreatedTask<KlingVideoDetails> {
  const { body, data, requestId } = envelopeData(response, false)
  const object = record(data)
  const route = routeOfUrl(response.url)
  if (object === null) {
    throw validationError(response, 'Kling create answer has no task: `data` is not an object', [
      { path: ['data'], message: 'Expected the created task' },
    ])
  }
  const withId = { ...response, taskId: text(object.task_id) ?? text(object.id) ?? '' }
  if (withId.taskId === '') {
    throw validationError(response, 'Kling create answer has no task id', [
      { path: ['data', route === 'tasks' ? 'id' : 'task_id'], message: 'Expected a task id' },
    ])
  }
  const task =
    route === 'tasks'
      ? newTask(object, withId, requestId, body)
      : { ...legacyTask(object, withId, requestId, route), raw: body }
  return { taskId: task.id, task, route }
}

/**
 * Reads a Kling callback body: the legacy bare task object, the same wrapped in the envelope
 * (vendor-docs/native/kling.md "Disagreements": both seen), or a new-route task object. A callback
 * is a hint: confirm by reading the task. Pure.
 */
export function parseKlingCallback(body: string): VideoTask<KlingVideoDetails> {
  const response: ProviderResponse = {
    status: 200,
    headers: {},
    body,
    url: 'callback:',
    provider: 'kling',
    taskId: '',
    receivedAt: 0,
  }
  const parsed = readJson(response)
  const object = record(parsed)
  if (object && ('code' in object || 'data' in object) && !('task_status' in object)) {
    const { data, requestId } = envelopeData(response, false)
    const taskId = text(record(data)?.task_id) ?? ''
    return {
      ...legacyTask(data, { ...response, taskId }, requestId, 'text2video'),
      raw: parsed,
    }
  }
  if (object && 'task_status' in object) {
    const taskId = text(object.task_id) ?? ''
    return legacyTask(object, { ...response, taskId }, null, 'text2video')
  }
  const taskId = text(object?.id) ?? ''
  return newTask(object, { ...response, taskId }, null, parsed)
}

/** The `kling` adapter's read, as data (for the registry and shared tests): see {@link kling}. */
export const KLING: ProviderDescription<KlingVideoDetails> = {
  ...KLING_FACTS,
  errorBodies: ERROR_BODIES,
  statusWords: STATUS_OVERRIDES,
  parseTask: (response) => parseKlingResponse(response),
}

const ASPECT_RATIOS = new Set(['16:9', '9:16', '1:1'])

/** Raw base64 of some bytes (Kling wants no `data:` prefix). */
function base64(bytes: Uint8Array): string {
  let binary = ''
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000))
  }
  return btoa(binary)
}

/** A `data:` URL's base64 payload, or the URL as it is. */
function withoutDataPrefix(url: string): string {
  const match = /^data:[^,]*;base64,(.*)$/is.exec(url)
  return match ? (match[1] ?? '') : url
}

function checkCreateInput(input: CreateRequestInput<KlingProviderInput>): void {
  if (typeof input !== 'object' || input === null) {
    throw new TypeError('Expected a create input object with `prompt`')
  }
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '') {
    throw new TypeError('Expected `prompt` to be a non-empty string')
  }
  if (input.size !== undefined) {
    throw new TypeError(
      'Kling takes no `size`: give `aspectRatio` (16:9, 9:16 or 1:1) and, on the API-key routes, `resolution`',
    )
  }
  if (input.seed !== undefined) throw new TypeError('Kling takes no `seed`')
  if (input.aspectRatio !== undefined && !ASPECT_RATIOS.has(input.aspectRatio)) {
    throw new TypeError(
      `Expected \`aspectRatio\` to be 16:9, 9:16 or 1:1 for Kling, got ${JSON.stringify(input.aspectRatio)}`,
    )
  }
  const duration = input.durationSeconds
  if (duration !== undefined && (!Number.isInteger(duration) || duration <= 0)) {
    throw new TypeError(
      `Expected \`durationSeconds\` to be a whole number of seconds for Kling (5 or 10), got ${String(duration)}`,
    )
  }
  if (
    input.providerInput !== undefined &&
    (typeof input.providerInput !== 'object' || input.providerInput === null)
  ) {
    throw new TypeError('Expected `providerInput` to be an object')
  }
}

/** The legacy create body (vendor-docs/native/kling.md "Create (legacy)"). */
function legacyCreateBody(input: CreateRequestInput<KlingProviderInput>): {
  family: KlingRoute
  body: Record<string, unknown>
} {
  if (input.resolution !== undefined) {
    throw new TypeError(
      'Kling legacy routes take no `resolution`: set `providerInput.mode` (`std` or `pro`) instead',
    )
  }
  const image = input.image
  const body: Record<string, unknown> = compact({
    model_name: input.model ?? DEFAULT_LEGACY_MODEL,
    prompt: input.prompt,
    // vendor-docs/native/kling.md "Quirks": `duration` is a string.
    duration: input.durationSeconds === undefined ? undefined : String(input.durationSeconds),
    aspect_ratio: input.aspectRatio,
    // vendor-docs/native/kling.md "Quirks": base64 without a `data:` prefix.
    image:
      image === undefined
        ? undefined
        : image.kind === 'url'
          ? withoutDataPrefix(image.url)
          : base64(image.bytes),
    callback_url: input.callbackUrl,
  })
  return {
    family: image === undefined ? 'text2video' : 'image2video',
    body: { ...body, ...input.providerInput },
  }
}

/** The API-key routes' create body (vendor-docs/native/kling.md "New design in brief"). */
function newCreateBody(input: CreateRequestInput<KlingProviderInput>): {
  path: string
  body: Record<string, unknown>
} {
  if (input.resolution !== undefined && !['720p', '1080p'].includes(input.resolution)) {
    throw new TypeError(
      `Expected \`resolution\` to be 720p or 1080p for Kling, got ${JSON.stringify(input.resolution)}`,
    )
  }
  const image = input.image
  if (image?.kind === 'bytes') {
    throw new TypeError(
      'Kling API-key routes take the first frame as a URL (`contents[].url`): give `image` as an https URL',
    )
  }
  const { settings: extraSettings, options: extraOptions, ...rest } = input.providerInput ?? {}
  const settings = {
    ...compact({
      duration: input.durationSeconds,
      aspect_ratio: input.aspectRatio,
      resolution: input.resolution,
    }),
    ...record(extraSettings),
  }
  const options = { ...compact({ callback_url: input.callbackUrl }), ...record(extraOptions) }
  const model = input.model ?? DEFAULT_MODEL
  if (/[/?#]/.test(model) || model === '.' || model === '..') {
    throw new TypeError(`Expected \`model\` to be a Kling model name, got ${JSON.stringify(model)}`)
  }
  const body: Record<string, unknown> =
    image === undefined
      ? { prompt: input.prompt }
      : {
          contents: [
            { type: 'prompt', text: input.prompt },
            { type: 'first_frame', url: image.url },
          ],
        }
  if (Object.keys(settings).length > 0) body.settings = settings
  if (Object.keys(options).length > 0) body.options = options
  return {
    path: `/${image === undefined ? 'text-to-video' : 'image-to-video'}/${encodeURIComponent(model)}`,
    body: { ...body, ...rest },
  }
}

/**
 * The `kling` adapter's own factory: the provider, ready at once. Users get
 * `factories.ts`'s `kling`, which checks the same options (`checkKlingOptions`) and loads
 * this module on first use; the registry, the CLI and the tests use this one.
 */
export function kling(options: KlingOptions): Provider<KlingVideoDetails, KlingProviderInput> {
  const { baseURL, headers: extra, credential } = checkKlingOptions(options)
  const signed = credential.kind === 'signed'
  const getHeaders: Record<string, string> = { accept: 'application/json', ...extra }
  let authorize: ((request: ProviderRequest) => Promise<ProviderRequest>) | undefined
  if (credential.kind === 'signed') {
    const { accessKey, secretKey } = credential
    // The signer loads on the first signed request (the hook is async anyway): a bundle with
    // kling() does not carry it on import (issue 12, "Cost of importing it"). A failed load is
    // not kept, so a later request tries again.
    let source: Promise<Hs256TokenSource> | undefined
    const tokenSource = () =>
      (source ??= import('./kit/hs256-token.js').then(
        ({ createHs256TokenSource }) => createHs256TokenSource({ accessKey, secretKey }),
        (error: unknown) => {
          source = undefined
          throw error
        },
      ))
    // One frozen headers object per (built headers, token): the client derives the secrets to
    // redact once per object, and a token lives 25 minutes.
    let signedFor: { token: string; byHeaders: WeakMap<object, Record<string, string>> } | null =
      null
    authorize = async (request) => {
      const token = await (await tokenSource()).token()
      if (signedFor?.token !== token) signedFor = { token, byHeaders: new WeakMap() }
      let headers = signedFor.byHeaders.get(request.headers)
      if (!headers) {
        headers = Object.freeze({ ...request.headers, authorization: `Bearer ${token}` })
        signedFor.byHeaders.set(request.headers, headers)
      }
      return { ...request, headers }
    }
  } else {
    getHeaders.authorization = `Bearer ${credential.apiKey}`
  }
  Object.freeze(getHeaders)
  const postHeaders = Object.freeze({ ...getHeaders, 'content-type': 'application/json' })
  const defaultRoute: KlingRoute = signed ? 'text2video' : 'tasks'
  const url = (path: string) => `${baseURL}${path}`

  const routeOf = (route: string | undefined): KlingRoute => {
    if (route === undefined) return defaultRoute
    if (!ROUTES.includes(route as KlingRoute)) {
      throw new TypeError(
        `Expected \`route\` to be text2video, image2video or tasks for kling, got ${JSON.stringify(route).slice(0, 60)}`,
      )
    }
    if ((route === 'tasks') === signed) {
      throw new TypeError(
        route === 'tasks'
          ? 'This Kling task was created on the API-key routes (`tasks`): read it with kling({ apiKey })'
          : `This Kling task was created on the legacy routes (\`${route}\`): read it with kling({ accessKey, secretKey })`,
      )
    }
    return route as KlingRoute
  }
  const readRequest = (taskId: string, route: KlingRoute): ProviderRequest => ({
    method: 'GET',
    url:
      route === 'tasks'
        ? url(`/tasks?task_ids=${encodeTaskId(taskId)}`)
        : url(`/v1/videos/${route}/${encodeTaskId(taskId)}`),
    headers: getHeaders,
  })

  const base = createProvider<KlingVideoDetails>(
    {
      id: 'kling',
      baseURL,
      pollDefaults: KLING.pollDefaults,
      buildRequest: (taskId) => readRequest(taskId, defaultRoute),
      parseResponse: parseKlingResponse,
    },
    null,
  )
  const provider: Provider<KlingVideoDetails, KlingProviderInput> = {
    ...base,
    buildRequest(taskId, route) {
      assertTaskId(taskId)
      return readRequest(taskId, routeOf(route))
    },
    buildCreateRequest(input) {
      checkCreateInput(input)
      if (signed) {
        const { family, body } = legacyCreateBody(input)
        return {
          method: 'POST',
          url: url(`/v1/videos/${family}`),
          headers: postHeaders,
          body: JSON.stringify(body),
        }
      }
      const { path, body } = newCreateBody(input)
      return { method: 'POST', url: url(path), headers: postHeaders, body: JSON.stringify(body) }
    },
    parseCreateResponse: parseKlingCreateResponse,
    outputs: (task) =>
      task.videoUrls.map((videoUrl): OutputLocation[] => [
        { kind: 'url', url: videoUrl, expiresAt: task.expiresAt },
      ]),
  }
  if (authorize) provider.authorize = authorize
  return Object.freeze(provider)
}
