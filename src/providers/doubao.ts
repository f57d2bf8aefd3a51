import * as z from 'zod/mini'
import type { VideoTaskDetails, VideoTaskFailure, VideoTaskStatus } from '../model.js'
import {
  buildTask,
  builtInProvider,
  collectUrls,
  compact,
  type EnvelopeRules,
  type ErrorBodyRules,
  errorFromBody,
  isSuccessCode,
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
  requestIdOfResponse,
  text,
  validationError,
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
const taskSchema = z.looseObject({
  task_id: z.nullish(z.union([z.string(), z.number()])),
  status: z.string(),
})

const taskResponseSchema = z.looseObject({ data: taskSchema })

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
 * Doubao (Volcengine Seedance) video tasks through relay gateways
 * (`GET {baseURL}/v1/video/generations/{id}`).
 *
 * Polls every 5 s at first, growing to 10 s (the doc recommends 5-10 s). Status words are compared
 * case-insensitively (gateways send `SUCCESS`, the doc `success`), and the video URL is read from
 * `result_url`, `url`, or, on success only, `fail_reason`.
 *
 * @example
 * ```ts
 * const client = createClient({
 *   provider: doubao({ baseURL: 'https://gateway.example.com', apiKey: process.env.GATEWAY_KEY }),
 * })
 * const task = await client.waitFor('task_abc123xyz456')
 * if (task.status === 'succeeded') console.log(task.videoUrl) // download soon: links expire
 * ```
 */
export function doubao(options: ProviderOptions): Provider<DoubaoVideoDetails> {
  return builtInProvider(DOUBAO, options)
}

/** The `doubao` adapter as data: see {@link doubao}. */
export const DOUBAO: ProviderDescription<DoubaoVideoDetails> = {
  id: 'doubao',
  route: { method: 'GET', path: '/v1/video/generations/{id}' },
  keyRequired: true,
  envelope: ENVELOPE,
  errorBodies: ERROR_BODIES,
  // vendor-notes.md "Doubao": progress moves in coarse steps (10, 20, 30, 50, 100) that say
  // little about time left, so the finish is not predicted from its rate.
  pollDefaults: { intervalMs: 5_000, maxIntervalMs: 10_000, adaptive: false },
  parseTask: (response) => parseDoubaoResponse(response),
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
  const task = parseShape(taskResponseSchema, body, response, 'Doubao task response').data
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
    expiresAt: null,
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
