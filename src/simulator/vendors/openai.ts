/*
 * OpenAI videos: the official (retired) API and OpenAI-compatible gateways.
 * Sources: vendor-docs/sora-openai-compatible-get-video.md; vendor-notes.md "Creating tasks and
 * fetching outputs" (create, content route).
 */
import { hex } from '../ids.js'
import {
  ERROR_STATUS,
  type ErrorKind,
  type Json,
  pick,
  type Rendered,
  type StatusView,
  seconds,
} from '../render.js'
import type { CreateInput, CreateRequest, SimulatorVendor } from './vendor.js'

/** `official`: the OpenAI API; `gateway`: OpenAI-compatible gateways. */
const DIALECTS = ['official', 'gateway'] as const
type Dialect = (typeof DIALECTS)[number]

function openaiError(message: string, type: string, code: string | null, param: string | null) {
  return { error: { message, type, param, code } }
}

const ERRORS: Record<ErrorKind, Json> = {
  'bad-request': openaiError('Invalid request.', 'invalid_request_error', null, null),
  unauthorized: openaiError(
    'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
    'invalid_request_error',
    'invalid_api_key',
    null,
  ),
  forbidden: openaiError(
    'You do not have access to this video.',
    'invalid_request_error',
    'permission_denied',
    null,
  ),
  'not-found': openaiError('Video task not found', 'invalid_request_error', 'task_not_found', 'id'),
  'rate-limit': openaiError(
    'Rate limit reached for requests',
    'requests',
    'rate_limit_exceeded',
    null,
  ),
  'server-error': openaiError(
    'The server had an error while processing your request. Sorry about that!',
    'server_error',
    null,
    null,
  ),
}

function official({ task, snap, statusWord }: StatusView): Rendered {
  const s = task.script
  const error =
    snap.phase === 'failed'
      ? { code: 'video_generation_failed', message: s.failureReason }
      : snap.phase === 'cancelled'
        ? { code: 'cancelled', message: 'The video generation was cancelled.' }
        : null
  const headers: Record<string, string> = {}
  if (s.pollAfterMs !== undefined) headers['openai-poll-after-ms'] = String(s.pollAfterMs)
  return {
    status: 200,
    headers,
    body: {
      id: s.id,
      object: 'video',
      created_at: seconds(snap.createdAt),
      status: pick(
        snap.phase,
        {
          queued: 'queued',
          running: 'in_progress',
          succeeded: 'completed',
          failed: 'failed',
          cancelled: 'failed',
        },
        statusWord,
      ),
      completed_at: snap.finishedAt === undefined ? null : seconds(snap.finishedAt),
      error,
      // About an hour on the official API (vendor-notes.md "Outputs"), unless scripted.
      expires_at:
        snap.phase === 'succeeded' && snap.finishedAt !== undefined
          ? snap.expiresAt === undefined
            ? seconds(snap.finishedAt) + 3600
            : seconds(snap.expiresAt)
          : null,
      model: s.model,
      // The `openai` npm client's `Video` type requires it (issue 12).
      prompt: s.prompt,
      progress: snap.progress,
      remixed_from_video_id: null,
      seconds: s.seconds ?? '4',
      size: s.size ?? '720x1280',
    },
  }
}

function gateway({ task, snap, statusWord }: StatusView): Rendered {
  const s = task.script
  const stamp = (ms: number) => (s.timestampUnit === 'ms' ? Math.floor(ms) : seconds(ms))
  const body: Record<string, Json | undefined> = {
    id: s.id,
    object: 'video',
    model: s.model,
    status: pick(
      snap.phase,
      {
        queued: 'pending',
        running: 'processing',
        succeeded: 'completed',
        failed: 'failed',
        cancelled: 'cancelled',
      },
      statusWord,
    ),
    created_at: stamp(snap.createdAt),
    completed_at: snap.finishedAt === undefined ? undefined : stamp(snap.finishedAt),
    seconds: s.seconds ?? '8',
    size: s.size ?? '1280x720',
    error: snap.phase === 'failed' ? { code: 'generation_failed', message: s.failureReason } : null,
  }
  if (snap.progress !== undefined) {
    if (s.progressFormat === 'fraction') body.progress_pct = snap.progress / 100
    else body.progress = snap.progress
  }
  if (snap.phase === 'succeeded') {
    if (s.urlField === 'metadata.url') body.metadata = { url: s.videoUrl }
    else body[s.urlField] = s.videoUrl
  }
  return { status: 200, body }
}

/** `POST /v1/videos`: `prompt` required; `input_reference` may be a file part (multipart). */
function parseCreate(request: CreateRequest): CreateInput {
  const { prompt, model } = request.fields
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    return { ok: false, message: "Missing required parameter: 'prompt'." }
  }
  if (model !== undefined && typeof model !== 'string') {
    return { ok: false, message: "Invalid type for 'model': expected a string." }
  }
  const echo: { seconds?: string; size?: string } = {}
  for (const key of ['seconds', 'size'] as const) {
    const value = request.fields[key]
    if (value === undefined) continue
    // Multipart fields are strings; JSON clients sometimes send `seconds` as a number.
    if (typeof value !== 'string' && typeof value !== 'number') {
      return { ok: false, message: `Invalid type for '${key}': expected a string.` }
    }
    echo[key] = String(value)
  }
  return { ok: true, prompt, model, callbackUrl: undefined, echo }
}

/** The OpenAI videos API and OpenAI-compatible gateways. */
export const openai: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'sora-2',
  defaultProgress: 'fine',
  progressFormats: ['integer', 'fraction'],
  routes: [
    { method: 'POST', pattern: /^\/v1\/videos$/, kind: 'create' },
    { method: 'GET', pattern: /^\/v1\/videos\/([^/]+)$/, kind: 'status' },
    { method: 'GET', pattern: /^\/v1\/videos\/([^/]+)\/content$/, kind: 'content' },
  ],
  requestIdHeader: 'x-request-id',
  statusPath: (id) => `/v1/videos/${id}`,
  contentPath: (id) => `/v1/videos/${id}/content`,
  randomId: (dialect) => (dialect === 'official' ? `video_${hex(24)}` : `task_${hex(12)}`),
  renderStatus: (view, dialect) => (dialect === 'official' ? official(view) : gateway(view)),
  renderError: (_dialect, kind) => ({ status: ERROR_STATUS[kind], body: ERRORS[kind] }),
  renderVendorError200: (_dialect, { code, message }) => ({
    status: 200,
    body: openaiError(
      message ?? 'Rate limit reached for requests',
      'requests',
      code === undefined ? 'rate_limit_exceeded' : String(code),
      null,
    ),
  }),
  unknownStatusWord: () => 'unknown',
  // The answer to a create is the video object itself, `queued` (vendor-notes.md).
  create: {
    parse: parseCreate,
    render: (view, dialect) => (dialect === 'official' ? official(view) : gateway(view)),
  },
}
