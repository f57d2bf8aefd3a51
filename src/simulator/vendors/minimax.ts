/*
 * MiniMax (Hailuo) through its own v1 API. Source: vendor-docs/native/minimax.md (create, query,
 * file API, errors as HTTP 200 `base_resp` codes, the callback handshake). The MiniMax-style
 * objects of `generic-task` relays render with the same functions (exported here).
 */
import { digits } from '../ids.js'
import { type ErrorKind, type Json, pick, type Rendered, type StatusView } from '../render.js'
import type { CreateInput, CreateRequest, SimulatorVendor } from './vendor.js'

/** `v1`: the documented v1 query route. */
const DIALECTS = ['v1'] as const
type Dialect = (typeof DIALECTS)[number]

/** MiniMax's `base_resp` for each error the simulator sends (doc §Errors). */
export const MINIMAX_ERRORS: Record<ErrorKind, { status_code: number; status_msg: string }> = {
  'bad-request': { status_code: 2013, status_msg: 'invalid params' },
  unauthorized: {
    status_code: 1004,
    status_msg:
      'login fail: Please carry the API secret key in the Authorization field of the request header',
  },
  forbidden: { status_code: 2049, status_msg: 'invalid api key' },
  'not-found': { status_code: 2013, status_msg: 'invalid task_id' },
  'rate-limit': { status_code: 1002, status_msg: 'rate limit exceeded(RPM)' },
  'server-error': { status_code: 1000, status_msg: 'unknown error' },
}

/*
 * The native API answers its errors with HTTP 200 (doc §Errors, §Quirks); only the edge sends a
 * 403, a 429 or a 5xx (doc: "HTTP 401/403/429/5xx can also come back from the edge"), which is
 * where the simulator's forbidden, rate-limit and server-error answers come from.
 */
const NATIVE_ERROR_STATUS: Record<ErrorKind, number> = {
  'bad-request': 200,
  unauthorized: 200,
  forbidden: 403,
  'not-found': 200,
  'rate-limit': 429,
  'server-error': 500,
}

/** `status_msg` of a task answer: the reason of a failed one, else `success`. */
function statusMessage(view: StatusView): string {
  const { phase } = view.snap
  if (phase === 'failed') return view.task.script.failureReason
  if (phase === 'cancelled') return 'task cancelled'
  return 'success'
}

/**
 * A query answer (doc §Query): `Preparing`/`Queueing` (the queued time split in halves),
 * `Processing`, `Success` with `file_id` and the size, `Fail` (MiniMax has no cancel word).
 * `failedCode` is the `base_resp` code of a failed task: 1027 (output moderation) on the native
 * route, 0 on relays (the doc's two readings).
 */
export function renderMiniMaxTask(view: StatusView, failedCode: number): Rendered {
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
      base_resp: {
        status_code: snap.phase === 'failed' ? failedCode : 0,
        status_msg: statusMessage(view),
      },
    },
  }
}

/** A callback body: the query's structure with lower-case words (doc §Callbacks). */
export function miniMaxCallback(view: StatusView): Json {
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
    base_resp: { status_code: 0, status_msg: statusMessage(view) },
  }
}

/** `POST /v1/video_generation`: JSON `{model, prompt, ..., callback_url}` (doc §Create). */
export function parseMiniMaxCreate(request: CreateRequest): CreateInput {
  const { prompt, model, callback_url: callbackUrl } = request.fields
  if (request.format !== 'json') return { ok: false, message: 'invalid params, body must be JSON' }
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    return { ok: false, message: 'invalid params, prompt is required' }
  }
  if ([...prompt].length > 2000) {
    return { ok: false, message: 'invalid params, prompt is longer than 2000 characters' }
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

/** The create answer: `{task_id, base_resp}` (doc §Create). */
export function renderMiniMaxCreated(view: StatusView): Rendered {
  return {
    status: 200,
    body: { task_id: view.task.script.id, base_resp: { status_code: 0, status_msg: 'success' } },
  }
}

/**
 * `GET /v1/files/retrieve?file_id=` (doc §Download): `file.download_url`, `created_at` in Unix
 * seconds, the integer `file_id` of the real answer. Before the task succeeded there is no file.
 */
export function renderMiniMaxFile(
  view: StatusView,
  file: { bytes: number; downloadUrl: string },
  notFoundStatus: number,
): Rendered {
  if (view.snap.phase !== 'succeeded') {
    return {
      status: notFoundStatus,
      body: { file: null, base_resp: { status_code: 2013, status_msg: 'invalid file_id' } },
    }
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
}

/** MiniMax's own v1 API. */
export const minimax: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'MiniMax-Hailuo-02',
  // doc §Progress and timestamps: none.
  defaultProgress: 'none',
  progressFormats: ['integer'],
  routes: [
    { method: 'POST', pattern: /^\/v1\/video_generation$/, kind: 'create' },
    {
      method: 'GET',
      pattern: /^\/v1\/query\/video_generation$/,
      kind: 'status',
      idParam: 'task_id',
    },
    // The file API serves the files of every vendor whose tasks name a MiniMax `file_id`.
    { method: 'GET', pattern: /^\/v1\/files\/retrieve$/, kind: 'file', idParam: 'file_id' },
  ],
  // Responses carry `Trace-Id` (doc §Hosts and auth).
  requestIdHeader: 'trace-id',
  statusPath: (id) => `/v1/query/video_generation?task_id=${id}`,
  // A string of digits (doc §Create: `106916112212032`).
  randomId: () => digits(15),
  renderStatus: (view) => renderMiniMaxTask(view, 1027),
  renderError: (_dialect, kind) => ({
    status: NATIVE_ERROR_STATUS[kind],
    body: { task_id: '', base_resp: MINIMAX_ERRORS[kind] },
  }),
  renderVendorError200: (_dialect, { code, message }) => ({
    status: 200,
    body: {
      task_id: '',
      base_resp: {
        status_code: code ?? 1002,
        status_msg: message ?? 'rate limit exceeded(RPM)',
      },
    },
  }),
  unknownStatusWord: () => 'Unknown',
  fileDialect: 'v1',
  renderFile: (view, file) => renderMiniMaxFile(view, file, 200),
  create: {
    dialect: 'v1',
    parse: parseMiniMaxCreate,
    render: (view) => renderMiniMaxCreated(view),
    callback: miniMaxCallback,
  },
}
