/*
 * Seedance on Volcengine Ark / BytePlus ModelArk, natively.
 * Sources: vendor-docs/native/ark-seedance.md (cited as "ark-seedance.md §Section"),
 * test/fixtures/ark/.
 */
import { digits, hex } from '../ids.js'
import {
  ERROR_STATUS,
  type ErrorKind,
  type Json,
  pick,
  type Rendered,
  type StatusView,
  seconds,
} from '../render.js'
import type { TaskPhase } from '../types.js'
import type { CreateInput, CreateRequest, SimulatorVendor } from './vendor.js'

/**
 * `ark-api`: the task pages' words (`queued`, `running`, `succeeded`, `failed`, `cancelled`);
 * `ark-relay`: the words gateways in front of Ark send (`pending`, `processing`, §Status words).
 */
const DIALECTS = ['ark-api', 'ark-relay'] as const
type Dialect = (typeof DIALECTS)[number]

const WORDS: Record<Dialect, Record<TaskPhase, string>> = {
  'ark-api': {
    queued: 'queued',
    running: 'running',
    succeeded: 'succeeded',
    failed: 'failed',
    cancelled: 'cancelled',
  },
  'ark-relay': {
    queued: 'pending',
    running: 'processing',
    succeeded: 'succeeded',
    failed: 'failed',
    cancelled: 'cancelled',
  },
}

/** ark-seedance.md §Errors: `{error: {code, message, param?, type}}`, the class in the status. */
const ERRORS: Record<ErrorKind, { code: string; message: string; type: string }> = {
  'bad-request': {
    code: 'InvalidParameter',
    message: 'The parameter `content` specified in the request is not valid.',
    type: 'BadRequest',
  },
  unauthorized: {
    code: 'AuthenticationError',
    message: 'The API key in the request is missing or invalid.',
    type: 'Unauthorized',
  },
  forbidden: {
    code: 'AccessDenied',
    message: 'You do not have access to the requested model.',
    type: 'Forbidden',
  },
  // The code for an unknown task is unconfirmed (ark-seedance.md §Errors): a NotFound-family one.
  'not-found': {
    code: 'ResourceNotFound',
    message: 'The specified task is not found.',
    type: 'NotFound',
  },
  'rate-limit': {
    code: 'RateLimitExceeded.EndpointRPMExceeded',
    message: 'The request rate exceeds the endpoint RPM limit.',
    type: 'TooManyRequests',
  },
  'server-error': {
    code: 'InternalServiceError',
    message: 'The service encountered an unexpected internal error.',
    type: 'InternalServerError',
  },
}

function errorBody(kind: ErrorKind, requestId: string): Json {
  const { code, message, type } = ERRORS[kind]
  // ark-seedance.md §Errors: messages embed the request id.
  return { error: { code, message: `${message} Request id: ${requestId}`, type } }
}

function renderTask({ task, snap, statusWord }: StatusView, dialect: Dialect): Rendered {
  const s = task.script
  const updated = snap.finishedAt ?? snap.startedAt ?? snap.createdAt
  const body: Record<string, Json | undefined> = {
    id: s.id,
    model: s.model,
    status: pick(snap.phase, WORDS[dialect], statusWord),
    created_at: seconds(snap.createdAt),
    updated_at: seconds(updated),
    service_tier: 'default',
    execution_expires_after: 172800,
  }
  // No progress field (ark-seedance.md §Progress).
  if (snap.phase === 'succeeded') {
    body.content = { video_url: s.videoUrl }
    body.usage = { completion_tokens: 19845, total_tokens: 19845 }
    body.seed = 17918
    body.resolution = '720p'
    body.ratio = '16:9'
    body.duration = 5
    body.framespersecond = 24
  }
  if (snap.phase === 'failed') {
    body.error = { code: 'OutputVideoSensitiveContentDetected', message: s.failureReason }
  }
  return { status: 200, body }
}

/**
 * `POST /api/v3/contents/generations/tasks` (ark-seedance.md §Create): `model` and `content`
 * required, exactly one text item, every image with a `role` (Seedance 2.x, §Quirks), an
 * integer `duration`.
 */
function parseCreate(request: CreateRequest): CreateInput {
  if (request.format !== 'json') return { ok: false, message: 'request body must be JSON' }
  const { model, content, duration } = request.fields
  if (typeof model !== 'string' || model.trim() === '') {
    return { ok: false, message: 'MissingParameter.model' }
  }
  if (!Array.isArray(content)) return { ok: false, message: 'MissingParameter.content' }
  const texts = content.filter(
    (item) =>
      typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'text',
  ) as { text?: unknown }[]
  const prompt = texts[0]?.text
  if (texts.length !== 1 || typeof prompt !== 'string' || prompt.trim() === '') {
    return { ok: false, message: 'content must hold exactly one text item' }
  }
  for (const item of content) {
    const object = item as { type?: unknown; role?: unknown }
    if (object?.type === 'image_url' && typeof object.role !== 'string') {
      return { ok: false, message: 'role must be specified for image contents' }
    }
  }
  if (duration !== undefined && !Number.isInteger(duration)) {
    return { ok: false, message: 'InvalidParameter.duration' }
  }
  return { ok: true, prompt, model, callbackUrl: undefined }
}

/** Volcengine Ark / BytePlus ModelArk, Seedance video tasks. */
export const ark: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'seedance-1-0-pro-250528',
  defaultProgress: 'none',
  progressFormats: ['integer'],
  routes: [
    { method: 'POST', pattern: /^\/api\/v3\/contents\/generations\/tasks$/, kind: 'create' },
    {
      method: 'GET',
      pattern: /^\/api\/v3\/contents\/generations\/tasks\/([^/]+)$/,
      kind: 'status',
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v3\/contents\/generations\/tasks\/([^/]+)$/,
      kind: 'cancel',
    },
  ],
  requestIdHeader: 'x-request-id',
  statusPath: (id) => `/api/v3/contents/generations/tasks/${id}`,
  // `cgt-<timestamp>-<suffix>` (ark-seedance.md §Quirks).
  randomId: () => `cgt-${digits(14)}-${hex(3).slice(0, 5)}`,
  renderStatus: renderTask,
  renderError: (_dialect, kind, requestId) => ({
    status: ERROR_STATUS[kind],
    body: errorBody(kind, requestId),
  }),
  // Ark sends its errors with their HTTP status; this is a proxy passing a 429's body on in a 200.
  renderVendorError200: (_dialect, { code, message }, requestId) => ({
    status: 200,
    body: {
      error: {
        code: code === undefined ? ERRORS['rate-limit'].code : String(code),
        message: message ?? `${ERRORS['rate-limit'].message} Request id: ${requestId}`,
        type: 'TooManyRequests',
      },
    },
  }),
  unknownStatusWord: () => 'unknown',
  create: {
    parse: parseCreate,
    render: (view) => ({ status: 200, body: { id: view.task.script.id } }),
  },
  /*
   * ark-seedance.md §Cancel / delete: a queued task is cancelled; a running one refused (the
   * error is unconfirmed: a 400 here, fixtures cover 409 too); a finished one is deleted and no
   * longer found. Success is 200 `{}`.
   */
  cancel: {
    finished: 'delete',
    accepted: () => ({ status: 200, body: {} }),
    refused: (_view, requestId) => ({
      status: 400,
      body: {
        error: {
          code: 'InvalidParameter.TaskStatus',
          message: `The task cannot be cancelled in its current status. Request id: ${requestId}`,
          type: 'BadRequest',
        },
      },
    }),
  },
}
