import * as z from 'zod/mini'
import type { VideoTaskDetails, VideoTaskFailure, VideoTaskStatus } from '../model.js'
import { DOUBAO_FACTS } from './factories.js'
import {
  buildTask,
  builtInProvider,
  type CreatedTask,
  type CreateRequestInput,
  collectUrls,
  compact,
  type EnvelopeRules,
  type ErrorBodyRules,
  errorFromBody,
  imageUrl,
  isSuccessCode,
  jsonCreateRequest,
  lazy,
  mapStatus,
  type Provider,
  type ProviderDescription,
  type ProviderOptions,
  type ProviderResponse,
  parseProgress,
  parseShape,
  parseTimestamp,
  readJson,
  record,
  refuseField,
  refuseUnmapped,
  requestIdOfResponse,
  text,
  validationError,
  withProviderInput,
} from './kit/index.js'

/**
 * What the `doubao` provider puts in `task.details`.
 *
 * - `startedAt`: when the gateway started the task (`start_time`; absent while it is `0`).
 * - `model`: the model the gateway routed to (`properties.origin_model_name` or
 *   `upstream_model_name`), when the gateway reports it.
 * - `requestId`: the gateway's request id (`x-request-id` or `x-oneapi-request-id`).
 *
 * The upstream payload a gateway may attach in `data.data` is not read: it stays in `task.raw`.
 */
export type DoubaoVideoDetails = Pick<VideoTaskDetails, 'startedAt' | 'model' | 'requestId'>

// vendor-notes.md "Doubao through relay gateways": the same route answers in two shapes, the
// doc's task (`fail_reason`, `submit_time`, ...) and a simpler one (`url`, `format`, `error`).
// Both carry `status`, which is all that is required; everything else is read leniently below.
const taskSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    task_id: z.nullish(z.union([z.string(), z.number()])),
    status: z.string(),
  }),
)

/** The gateway's query answer as zod reads it; exported for the test of its guard. */
export const taskResponseSchema = /* @__PURE__ */ lazy(() => z.looseObject({ data: taskSchema() }))

/**
 * What `taskResponseSchema` accepts as it is, checked without zod's copy (parseShape's
 * `accepts`). Exported for the property test that holds it to the schema.
 */
export function isDoubaoTaskResponse(
  value: unknown,
): value is z.infer<ReturnType<typeof taskResponseSchema>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const data = (value as { data?: unknown }).data
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false
  const { status, task_id: taskId } = data as { status?: unknown; task_id?: unknown }
  return (
    typeof status === 'string' &&
    (taskId === undefined ||
      taskId === null ||
      typeof taskId === 'string' ||
      (typeof taskId === 'number' && Number.isFinite(taskId)))
  )
}

// The envelope's `code` on a good read. The doc says "success" (a word is always read as
// success); a usable `data` wins anyway.
const ENVELOPE: EnvelopeRules = { successCodes: [0, 200] }

/*
 * vendor-notes.md "Doubao": the HTTP status comes from the error, with `{code, message, data}`;
 * the gateways' auth middleware sends OpenAI's `{error: {message, type, code}}`. An unknown task
 * is a 400 (or 200) with code `task_not_exist`, so a 400's body says the kind.
 */
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [400] }

/**
 * The `doubao` adapter's own factory: the provider, ready at once. Users get
 * `factories.ts`'s `doubao`, which checks the same options and loads this module on first
 * use; the registry, the CLI and the tests use this one.
 */
export function doubao(options: ProviderOptions): Provider<DoubaoVideoDetails> {
  return builtInProvider(DOUBAO, options)
}

/** The `doubao` adapter as data: see {@link doubao}. */
export const DOUBAO: ProviderDescription<DoubaoVideoDetails> = {
  ...DOUBAO_FACTS,
  envelope: ENVELOPE,
  errorBodies: ERROR_BODIES,
  parseTask: (response) => parseDoubaoResponse(response),
  create: {
    build: (input, { url, headers }) =>
      jsonCreateRequest(url('/v1/video/generations'), headers, doubaoCreateBody(input)),
    parse: (response) => parseDoubaoCreateResponse(response),
  },
  // One video per task: `result_url`, `url`, `video_url` and `fail_reason` name the same one.
  // A gateway may proxy it on its own origin (`/v1/videos/{id}/content`), which wants the key.
  outputs: (task, { link }) =>
    task.videoUrls.length === 0 ? [] : [task.videoUrls.map((url) => link(url, task.expiresAt))],
}

/**
 * What `providerInput` may hold for `doubao`: any field of the gateway's
 * `POST /v1/video/generations` (`images`, `metadata`, `seconds`, ...). It wins over the mapped
 * fields.
 */
export type DoubaoProviderInput = Record<string, unknown>

/*
 * vendor-notes.md "Creating tasks and fetching outputs": the gateway takes JSON `{model, prompt,
 * image | images, size, resolution, ratio, duration | seconds, input_reference, metadata}`. An
 * image given as bytes goes as a `data:` URL in `image` (base64), as the gateways pass images on
 * to Seedance.
 */
function doubaoCreateBody(input: CreateRequestInput): Record<string, unknown> {
  refuseUnmapped('doubao', input, ['model', 'durationSeconds', 'size', 'aspectRatio', 'resolution'])
  if (input.callbackUrl !== undefined) {
    throw refuseField(
      'doubao',
      'callbackUrl',
      'the gateway route has no callbacks; the client polls',
    )
  }
  return withProviderInput(
    {
      model: input.model,
      prompt: input.prompt,
      duration: input.durationSeconds,
      size: input.size,
      ratio: input.aspectRatio,
      resolution: input.resolution,
      image: input.image === undefined ? undefined : imageUrl(input.image),
    },
    input.providerInput,
  )
}

/**
 * Parses a `POST /v1/video/generations` answer, in both shapes (vendor-notes.md): current
 * gateways answer a task object (`{id, task_id, status: "queued", ...}`), releases before about
 * February 2026 `{"task_id": "..."}` only. Pure; exported for tests.
 */
export function parseDoubaoCreateResponse(
  response: ProviderResponse,
): CreatedTask<DoubaoVideoDetails> {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const object = record(body)
  const taskId = text(object?.task_id) ?? text(object?.id)
  if (taskId === null) {
    if (object && signalsError(object)) throw errorFromBody(response, body, ERROR_BODIES)
    throw validationError(response, 'Doubao create answer has no `task_id`', [
      { path: ['task_id'], message: 'Expected the created task id' },
    ])
  }
  // The task object's shape is not the query's enveloped one; the first read gives the task.
  return { taskId, task: null }
}

/** Parses a `GET /v1/video/generations/{id}` response. Pure; exported for tests. */
export function parseDoubaoResponse(response: ProviderResponse) {
  const body = readJson(response)
  const envelope = record(body)
  const ok = response.status >= 200 && response.status < 300
  // vendor-notes.md "Doubao": the HTTP status comes from the error, with `{code, message, data}`.
  if (!ok) throw errorFromBody(response, body, ERROR_BODIES)
  const data = record(envelope?.data)
  if (envelope && typeof data?.status !== 'string') {
    // No task to read: an error told in a 200 (`{code: "task_not_exist", data: null}`) must not
    // become a silent task, and a bare `data: null` is not a task either.
    if (signalsError(envelope)) throw errorFromBody(response, body, ERROR_BODIES)
    if (envelope.data === null || envelope.data === undefined) {
      throw validationError(
        response,
        `Doubao response has no task: \`data\` is ${envelope.data === null ? 'null' : 'missing'} and \`code\` is ${JSON.stringify(envelope.code ?? null)}`,
        [{ path: ['data'], message: 'Expected a task object' }],
      )
    }
  }
  const task = parseShape(
    taskResponseSchema(),
    body,
    response,
    'Doubao task response',
    isDoubaoTaskResponse,
  ).data
  const vendorStatus = task.status
  const status = mapStatus(vendorStatus)
  const failReason = text(task.fail_reason)
  // vendor-notes.md "Doubao": newer gateways put the URL in `result_url`, the simpler shape in
  // `url` (some forks copy it to `video_url` too); older ones (and the doc) put it in `fail_reason`, but only on success: on failure that
  // field is the error text, and on success a `fail_reason` that is not a URL is no error.
  const videoUrls = collectUrls(
    task.result_url,
    task.url,
    task.video_url,
    status === 'succeeded' ? failReason : null,
  )
  const properties = record(task.properties)
  return buildTask<DoubaoVideoDetails>({
    id: text(task.task_id) ?? response.taskId,
    provider: 'doubao',
    status,
    vendorStatus,
    progress: parseProgress(task.progress),
    videoUrls,
    error: failureOf(status, task.error, failReason),
    // vendor-notes.md "Doubao": Unix seconds, `0` meaning "not yet" (parseTimestamp gives null).
    createdAt: parseTimestamp(task.submit_time) ?? parseTimestamp(task.created_at),
    completedAt: parseTimestamp(task.finish_time),
    expiresAt: status === 'succeeded' ? arkLinkExpiry(task.data, videoUrls) : null,
    details: compact({
      startedAt: parseTimestamp(task.start_time) ?? undefined,
      model:
        text(properties?.origin_model_name) ??
        text(properties?.upstream_model_name) ??
        text(task.model) ??
        undefined,
      requestId: requestIdOfResponse(response) ?? undefined,
    }),
    raw: body,
  })
}

/** Ark's documented link lifetime (vendor-docs/native/ark-seedance.md "Progress, timestamps, output"). */
// 24 h, written out: a bundler keeps a top-level product even when unused (kit/lazy.ts).
const ARK_LINK_LIFETIME_MS = 86_400_000

/**
 * When the video link expires, when the gateway passed the upstream Ark task on (`data.data`)
 * and its `content.video_url` is the link reported: Ark's signed TOS links are valid 24 hours
 * from the task's terminal `updated_at` (vendor-docs/native/ark-seedance.md; derived, not sent).
 * A link the gateway re-hosted, or no upstream payload, tells no lifetime: `null`.
 */
function arkLinkExpiry(upstream: unknown, videoUrls: readonly string[]): Date | null {
  const object = record(upstream)
  const url = text(record(object?.content)?.video_url)
  const updatedAt = parseTimestamp(object?.updated_at)
  if (url === null || updatedAt === null || !videoUrls.includes(url)) return null
  return new Date(updatedAt.getTime() + ARK_LINK_LIFETIME_MS)
}

/** Why a failed (or cancelled) task failed: the simpler shape's `error`, else `fail_reason`. */
function failureOf(
  status: VideoTaskStatus,
  error: unknown,
  failReason: string | null,
): VideoTaskFailure | null {
  if (status !== 'failed' && status !== 'cancelled') return null
  const object = record(error)
  const message = object ? text(object.message) : text(error)
  if (message) return { code: object ? text(object.code) : null, message }
  // vendor-notes.md "Doubao": gateways that time a stuck task out say so here ("任务超时（30分钟）").
  if (failReason) return { code: object ? text(object.code) : null, message: failReason }
  return null
}

/** Whether an envelope without a task says it is an error (a code other than success, a message). */
function signalsError(envelope: Record<string, unknown>): boolean {
  const code = text(envelope.code)
  if (code !== null) return !isSuccessCode(code, ENVELOPE)
  return text(envelope.message) !== null || record(envelope.error) !== null
}
