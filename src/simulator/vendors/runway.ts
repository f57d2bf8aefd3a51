/*
 * Runway's developer API. Source: vendor-docs/native/runway.md (create, `GET /v1/tasks/{id}`,
 * the six status words, progress as a 0-1 fraction, `{error}` bodies at the HTTP status, the
 * required `X-Runway-Version` header).
 */
import { hex } from '../ids.js'
import { ERROR_STATUS, type ErrorKind, pick, type Rendered, type StatusView } from '../render.js'
import type { CreateInput, CreateRequest, SimulatorVendor } from './vendor.js'

/** `2024-11-06`: the API version the SDK names, its task union. */
const DIALECTS = ['2024-11-06'] as const
type Dialect = (typeof DIALECTS)[number]

/** The only documented API version (doc §Host and auth). */
const VERSION = '2024-11-06'

/** `{error}` texts per error (doc §Errors (HTTP); the texts are illustrative). */
const MESSAGES: Record<ErrorKind, string> = {
  'bad-request': 'Validation of body failed',
  unauthorized: 'Incorrect or disabled API key.',
  forbidden: 'You do not have access to this resource.',
  'not-found': 'Task not found.',
  'rate-limit': 'You have exceeded the rate limit.',
  'server-error': 'Internal server error.',
}

/** An ISO 8601 timestamp with milliseconds, like the API's `createdAt`. */
const iso = (ms: number): string => new Date(ms).toISOString()

/** A UUID v4 from the simulator's id source. */
function uuid(): string {
  const h = hex(16)
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/**
 * A task (doc §Query): `PENDING` early in the queue, `THROTTLED` late in it (over the concurrency
 * limit), `RUNNING` with `progress` 0-1, `SUCCEEDED` with `output[]`, `FAILED` with `failure` and
 * `failureCode`, `CANCELLED`.
 */
function renderTask({ task, snap, statusWord }: StatusView): Rendered {
  const s = task.script
  const status = pick(
    snap.phase,
    {
      queued: snap.queuedFraction < 0.5 ? 'PENDING' : 'THROTTLED',
      running: 'RUNNING',
      succeeded: 'SUCCEEDED',
      failed: 'FAILED',
      cancelled: 'CANCELLED',
    },
    statusWord,
  )
  const body: Record<string, string | number | string[]> = {
    id: s.id,
    status,
    createdAt: iso(snap.createdAt),
  }
  if (snap.phase === 'running' && snap.progress !== undefined) body.progress = snap.progress / 100
  if (snap.phase === 'succeeded') body.output = [s.videoUrl]
  if (snap.phase === 'failed') {
    body.failure = s.failureReason
    body.failureCode = 'SAFETY.OUTPUT.VIDEO'
  }
  return { status: 200, body }
}

/** `POST /v1/image_to_video` and `/v1/text_to_video`: JSON `{model, promptText, ...}`. */
function parseCreate(request: CreateRequest): CreateInput {
  const { promptText, model } = request.fields
  if (request.format !== 'json') return { ok: false, message: 'Validation of body failed' }
  if (typeof promptText !== 'string' || promptText.trim() === '' || promptText.length > 1000) {
    return { ok: false, message: 'promptText: Invalid input' }
  }
  if (model !== undefined && typeof model !== 'string') {
    return { ok: false, message: 'model: Invalid input' }
  }
  return { ok: true, prompt: promptText, model, callbackUrl: undefined }
}

/** Runway's developer API. */
export const runway: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'gen4.5',
  defaultProgress: 'fine',
  progressFormats: ['fraction'],
  routes: [
    { method: 'POST', pattern: /^\/v1\/image_to_video$/, kind: 'create' },
    { method: 'POST', pattern: /^\/v1\/text_to_video$/, kind: 'create' },
    { method: 'GET', pattern: /^\/v1\/tasks\/([^/]+)$/, kind: 'status' },
    // doc §Cancel / delete: no body in the answer (204 presumed, the simulator's default).
    { method: 'DELETE', pattern: /^\/v1\/tasks\/([^/]+)$/, kind: 'cancel' },
  ],
  statusPath: (id) => `/v1/tasks/${id}`,
  randomId: () => uuid(),
  renderStatus: (view) => renderTask(view),
  renderError: (_dialect, kind) => ({
    status: ERROR_STATUS[kind],
    body: { error: MESSAGES[kind] },
  }),
  // Runway reports errors at their HTTP status; a 200 never carries one. The fault sends what a
  // proxy in front of it might: a 200 with only `{error}`.
  renderVendorError200: (_dialect, { message }) => ({
    status: 200,
    body: { error: message ?? MESSAGES['rate-limit'] },
  }),
  unknownStatusWord: () => 'UNKNOWN',
  // doc §Host and auth: the version header is required (the answer to a missing one is
  // unconfirmed: a 400 `{error}` here).
  requiredHeaders: { 'x-runway-version': VERSION },
  // doc §Cancel / delete: PENDING, THROTTLED and RUNNING become CANCELLED; any other status
  // deletes the task (later reads 404). The answer's status and body are unconfirmed (204
  // presumed): `{}` with a 200 here, the fixtures README's other reading.
  cancel: {
    running: 'cancel',
    finished: 'delete',
    accepted: () => ({ status: 200, body: {} }),
    refused: (_view, requestId) => ({
      status: 404,
      body: { error: MESSAGES['not-found'], requestId },
    }),
  },
  create: {
    dialect: '2024-11-06',
    parse: parseCreate,
    render: (view) => ({ status: 200, body: { id: view.task.script.id } }),
  },
}
