/*
 * Generic `/task/{id}` APIs: the `{code, message, data}` envelope and MiniMax-style objects.
 * Sources: vendor-docs/generic-task-query.md, vendor-docs/native/minimax.md (create, file API,
 * callbacks); vendor-notes.md "Creating tasks and fetching outputs".
 */
import { digits } from '../ids.js'
import {
  ERROR_STATUS,
  type ErrorKind,
  type Json,
  pick,
  type Rendered,
  type StatusView,
} from '../render.js'
import type { TaskPhase } from '../types.js'
import type { CreateInput, CreateRequest, SimulatorVendor } from './vendor.js'

/**
 * `envelope`: shape 1 as the upstream sends it; `envelope-doc`: as the doc shows it; `minimax`:
 * a bare MiniMax-style object.
 */
const DIALECTS = ['envelope', 'envelope-doc', 'minimax'] as const
type Dialect = (typeof DIALECTS)[number]

const ENVELOPE_MESSAGES: Record<ErrorKind, string> = {
  'bad-request': 'Invalid Request',
  unauthorized: 'Unauthorized: Invalid Token',
  forbidden: 'Access Denied',
  'not-found': 'Task Not Found',
  'rate-limit': 'Request Has Reached API Limit, Please Try Later',
  'server-error': 'Internal Error',
}

const MINIMAX_ERRORS: Record<ErrorKind, { status_code: number; status_msg: string }> = {
  'bad-request': { status_code: 2013, status_msg: 'invalid params' },
  unauthorized: {
    status_code: 1004,
    status_msg:
      'login fail: Please carry the API secret key in the Authorization field of the request header',
  },
  forbidden: { status_code: 2049, status_msg: 'invalid api key' },
  'not-found': { status_code: 2013, status_msg: 'invalid params, task not found' },
  'rate-limit': { status_code: 1002, status_msg: 'rate limit exceeded(RPM)' },
  'server-error': { status_code: 1000, status_msg: 'unknown error' },
}

function envelope(view: StatusView, doc: boolean): Rendered {
  const { task, snap } = view
  const s = task.script
  const words: Record<TaskPhase, string> = doc
    ? {
        queued: 'Pending',
        running: 'Processing',
        succeeded: 'Success',
        failed: 'Failed',
        cancelled: 'Cancelled',
      }
    : {
        queued: 'in_queue',
        running: 'generating',
        succeeded: 'done',
        failed: 'failed',
        cancelled: 'cancelled',
      }
  const ok = doc ? 'success' : 'Success'
  return {
    status: 200,
    body: {
      code: doc ? 0 : 10000,
      message: snap.phase === 'failed' ? s.failureReason : ok,
      request_id: view.requestId,
      time_elapsed: '42.7ms',
      status: doc ? 200 : 10000,
      data: {
        status: pick(snap.phase, words, view.statusWord),
        video_url: snap.phase === 'succeeded' ? s.videoUrl : '',
        image_urls: null,
        binary_data_base64: [],
        resp_data: '',
      },
    },
  }
}

function minimaxStatusMessage(view: StatusView): string {
  const { phase } = view.snap
  if (phase === 'failed') return view.task.script.failureReason
  if (phase === 'cancelled') return 'task cancelled'
  return 'success'
}

function minimax(view: StatusView): Rendered {
  const { task, snap } = view
  const done = snap.phase === 'succeeded'
  return {
    status: 200,
    body: {
      task_id: task.script.id,
      status: pick(
        snap.phase,
        {
          queued: snap.queuedFraction < 0.5 ? 'Preparing' : 'Queueing',
          running: 'Processing',
          succeeded: 'Success',
          failed: 'Fail',
          cancelled: 'Fail',
        },
        view.statusWord,
      ),
      file_id: done ? task.fileId : '',
      video_width: done ? 768 : 0,
      video_height: done ? 1152 : 0,
      base_resp: { status_code: 0, status_msg: minimaxStatusMessage(view) },
    },
  }
}

/** MiniMax's callback body: the query's structure with lower-case words (native/minimax.md). */
function minimaxCallback(view: StatusView): Json {
  const { phase } = view.snap
  const status =
    phase === 'succeeded'
      ? 'success'
      : phase === 'failed' || phase === 'cancelled'
        ? 'failed'
        : 'processing'
  return {
    task_id: view.task.script.id,
    status,
    file_id: phase === 'succeeded' ? view.task.fileId : '',
    base_resp: { status_code: 0, status_msg: minimaxStatusMessage(view) },
  }
}

/** `POST /v1/video_generation`: JSON `{model, prompt, ..., callback_url}`. */
function parseCreate(request: CreateRequest): CreateInput {
  const { prompt, model, callback_url: callbackUrl } = request.fields
  if (request.format !== 'json') return { ok: false, message: 'invalid params, body must be JSON' }
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    return { ok: false, message: 'invalid params, prompt is required' }
  }
  if (model !== undefined && typeof model !== 'string') {
    return { ok: false, message: 'invalid params, model must be a string' }
  }
  if (
    callbackUrl !== undefined &&
    (typeof callbackUrl !== 'string' || !URL.canParse(callbackUrl))
  ) {
    return { ok: false, message: 'invalid params, callback_url must be a URL' }
  }
  return { ok: true, prompt, model, callbackUrl }
}

/** Generic `/task/{id}` APIs and MiniMax-style relays. */
export const genericTask: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'MiniMax-Hailuo-02',
  defaultProgress: 'fine',
  progressFormats: ['integer'],
  routes: [
    // MiniMax's own route, and the prefix relays mount it under (vendor-notes.md).
    { method: 'POST', pattern: /^\/v1\/video_generation$/, kind: 'create' },
    { method: 'POST', pattern: /^\/task\/minimax\/v1\/video_generation$/, kind: 'create' },
    { method: 'GET', pattern: /^\/task\/([^/]+)$/, kind: 'status' },
    { method: 'GET', pattern: /^\/v1\/files\/retrieve$/, kind: 'file' },
  ],
  statusPath: (id) => `/task/${id}`,
  randomId: () => digits(15),
  renderStatus: (view, dialect) =>
    dialect === 'minimax' ? minimax(view) : envelope(view, dialect === 'envelope-doc'),
  renderError: (dialect, kind, requestId) => {
    const status = ERROR_STATUS[kind]
    if (dialect === 'minimax') {
      return { status, body: { task_id: '', base_resp: MINIMAX_ERRORS[kind] } }
    }
    const code = dialect === 'envelope' ? 50000 + status : status
    return {
      status,
      body: {
        code,
        message: ENVELOPE_MESSAGES[kind],
        request_id: requestId,
        time_elapsed: '3.1ms',
        status: code,
        data: null,
      },
    }
  },
  renderVendorError200: (dialect, { code, message }, requestId) => {
    if (dialect === 'minimax') {
      return {
        status: 200,
        body: {
          task_id: '',
          base_resp: {
            status_code: code ?? 1002,
            status_msg: message ?? 'rate limit exceeded(RPM)',
          },
        },
      }
    }
    const value = code ?? (dialect === 'envelope' ? 50429 : 429)
    return {
      status: 200,
      body: {
        code: value,
        message: message ?? 'Request Has Reached API Limit, Please Try Later',
        request_id: requestId,
        time_elapsed: '2.4ms',
        status: value,
        data: null,
      },
    }
  },
  unknownStatusWord: (dialect) =>
    dialect === 'minimax' || dialect === 'envelope-doc' ? 'Unknown' : 'unknown',
  fileDialect: 'minimax',
  renderFile: (view, file) => {
    if (view.snap.phase !== 'succeeded') {
      return { status: 404, body: { task_id: '', base_resp: MINIMAX_ERRORS['not-found'] } }
    }
    return {
      status: 200,
      body: {
        file: {
          file_id: view.task.fileId,
          bytes: file.bytes,
          created_at: Math.floor((view.snap.finishedAt ?? view.snap.createdAt) / 1000),
          filename: 'output.mp4',
          purpose: 'video_generation',
          download_url: file.downloadUrl,
        },
        base_resp: { status_code: 0, status_msg: 'success' },
      },
    }
  },
  create: {
    dialect: 'minimax',
    parse: parseCreate,
    // MiniMax answers `{task_id, base_resp}`; tasks created here read as the `minimax` dialect.
    render: (view) => ({
      status: 200,
      body: { task_id: view.task.script.id, base_resp: { status_code: 0, status_msg: 'success' } },
    }),
    callback: minimaxCallback,
  },
}
