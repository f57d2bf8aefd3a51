/*
 * Wan video synthesis on Alibaba Cloud Model Studio (DashScope), natively.
 * Sources: vendor-docs/native/dashscope-wan.md (cited as "dashscope-wan.md §Section"),
 * test/fixtures/dashscope/.
 */
import { randomUUID } from 'node:crypto'
import {
  ERROR_STATUS,
  type ErrorKind,
  type Json,
  pick,
  type Rendered,
  type StatusView,
} from '../render.js'
import type { CreateInput, CreateRequest, SimulatorVendor } from './vendor.js'

/** `dashscope`: the documented task API (`GET /api/v1/tasks/{id}`). */
const DIALECTS = ['dashscope'] as const
type Dialect = (typeof DIALECTS)[number]

/** dashscope-wan.md §Errors: `{request_id, code, message}`; the exact 401/403/429 codes are unconfirmed. */
const ERRORS: Record<Exclude<ErrorKind, 'not-found'>, { code: string; message: string }> = {
  'bad-request': {
    code: 'InvalidParameter',
    message: 'Required parameter(s) missing or invalid, please check the request parameters.',
  },
  unauthorized: { code: 'InvalidApiKey', message: 'Invalid API-key provided.' },
  forbidden: { code: 'AccessDenied', message: 'Access denied.' },
  'rate-limit': {
    code: 'Throttling.RateQuota',
    message: 'Requests rate limit exceeded, please try again later.',
  },
  'server-error': {
    code: 'InternalError',
    message: 'An internal error has occured, please try again later.',
  },
}

/**
 * dashscope-wan.md §Progress, timestamps: `"YYYY-MM-DD HH:MM:SS.mmm"` without a zone, here in
 * UTC+8 (the reading under which the recorded `Expires` is `end_time` + 24 h).
 */
function vendorTime(ms: number): string {
  return new Date(ms + 8 * 60 * 60 * 1000).toISOString().replace('T', ' ').replace('Z', '')
}

function renderTask({ task, snap, statusWord, requestId }: StatusView): Rendered {
  const s = task.script
  const output: Record<string, Json | undefined> = {
    task_id: s.id,
    task_status: pick(
      snap.phase,
      {
        queued: 'PENDING',
        running: 'RUNNING',
        succeeded: 'SUCCEEDED',
        failed: 'FAILED',
        // One L (dashscope-wan.md §Quirks).
        cancelled: 'CANCELED',
      },
      statusWord,
    ),
    submit_time: vendorTime(snap.createdAt),
  }
  if (snap.startedAt !== undefined) output.scheduled_time = vendorTime(snap.startedAt)
  if (snap.finishedAt !== undefined) output.end_time = vendorTime(snap.finishedAt)
  const body: Record<string, Json | undefined> = { request_id: requestId, output }
  if (snap.phase === 'succeeded') {
    output.video_url = s.videoUrl
    output.orig_prompt = s.prompt
    body.usage = { video_duration: 5, video_count: 1, SR: 720 }
  }
  if (snap.phase === 'failed') {
    output.code = 'DataInspectionFailed'
    output.message = s.failureReason
  }
  return { status: 200, body }
}

/**
 * `POST .../video-synthesis` (dashscope-wan.md §Create): `X-DashScope-Async: enable` required
 * (403 without it: reported, unconfirmed), `model` and `input.prompt` required, an integer
 * `duration`, a `size` with `*`, an upper-case `resolution` (§Quirks).
 */
function parseCreate(request: CreateRequest): CreateInput {
  if (request.headers?.['x-dashscope-async']?.toLowerCase() !== 'enable') {
    return {
      ok: false,
      kind: 'forbidden',
      message: 'current user api does not support synchronous calls',
    }
  }
  if (request.format !== 'json') return { ok: false, message: 'request body must be JSON' }
  const { model, input, parameters } = request.fields
  const fields =
    typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {}
  const prompt = fields.prompt
  if (typeof model !== 'string' || model.trim() === '')
    return { ok: false, message: 'BadRequest.EmptyModel' }
  if (typeof prompt !== 'string' || prompt.trim() === '')
    return { ok: false, message: 'BadRequest.EmptyInput' }
  const p =
    typeof parameters === 'object' && parameters !== null
      ? (parameters as Record<string, unknown>)
      : {}
  if (p.duration !== undefined && !Number.isInteger(p.duration)) {
    return { ok: false, message: 'duration must be an integer' }
  }
  if (p.size !== undefined && (typeof p.size !== 'string' || !/^\d+\*\d+$/.test(p.size))) {
    return { ok: false, message: 'size must be WIDTH*HEIGHT' }
  }
  if (
    p.resolution !== undefined &&
    (typeof p.resolution !== 'string' || !/^\d+P$/.test(p.resolution))
  ) {
    return { ok: false, message: 'resolution must be upper case, such as 720P' }
  }
  return { ok: true, prompt, model, callbackUrl: undefined }
}

/** Alibaba Cloud Model Studio (DashScope), Wan video synthesis. */
export const dashscope: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'wan2.2-t2v-plus',
  defaultProgress: 'none',
  progressFormats: ['integer'],
  routes: [
    {
      method: 'POST',
      pattern: /^\/api\/v1\/services\/aigc\/video-generation\/video-synthesis$/,
      kind: 'create',
    },
    { method: 'GET', pattern: /^\/api\/v1\/tasks\/([^/]+)$/, kind: 'status' },
    { method: 'POST', pattern: /^\/api\/v1\/tasks\/([^/]+)\/cancel$/, kind: 'cancel' },
  ],
  statusPath: (id) => `/api/v1/tasks/${id}`,
  randomId: () => randomUUID(),
  renderStatus: renderTask,
  renderError: (_dialect, kind, requestId) =>
    kind === 'not-found'
      ? // dashscope-wan.md §Query: an unknown or expired id is HTTP 200 `UNKNOWN`.
        { status: 200, body: { request_id: requestId, output: { task_status: 'UNKNOWN' } } }
      : { status: ERROR_STATUS[kind], body: { request_id: requestId, ...ERRORS[kind] } },
  // A throttling error told in a 200 (a proxy; DashScope itself sends it as a 429).
  renderVendorError200: (_dialect, { code, message }, requestId) => ({
    status: 200,
    body: {
      request_id: requestId,
      code: code === undefined ? ERRORS['rate-limit'].code : String(code),
      message: message ?? ERRORS['rate-limit'].message,
    },
  }),
  // `UNKNOWN` means "no such task" here, so the unknown-word fault sends another word.
  unknownStatusWord: () => 'SUSPENDED',
  create: {
    parse: parseCreate,
    render: ({ task, requestId }) => ({
      status: 200,
      body: { request_id: requestId, output: { task_status: 'PENDING', task_id: task.script.id } },
    }),
  },
  // dashscope-wan.md §Cancel: only `PENDING`; the answer's shape is unconfirmed (`{request_id}`).
  cancel: {
    finished: 'refuse',
    accepted: ({ requestId }) => ({ status: 200, body: { request_id: requestId } }),
    refused: (_view, requestId) => ({
      status: 400,
      body: {
        request_id: requestId,
        code: 'UnsupportedOperation',
        message: 'The operation is not supported on the object in its current status.',
      },
    }),
  },
}
