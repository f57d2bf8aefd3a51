/*
 * Generic `/task/{id}` APIs: the `{code, message, data}` envelope and MiniMax-style objects.
 * Sources: vendor-docs/generic-task-query.md, vendor-docs/native/minimax.md (create, file API,
 * callbacks); vendor-notes.md "Creating tasks and fetching outputs".
 */
import { digits } from '../ids.js'
import { ERROR_STATUS, type ErrorKind, pick, type Rendered, type StatusView } from '../render.js'
import type { TaskPhase } from '../types.js'
import {
  MINIMAX_ERRORS,
  miniMaxCallback,
  parseMiniMaxCreate,
  renderMiniMaxCreated,
  renderMiniMaxFile,
  renderMiniMaxTask,
} from './minimax.js'
import type { SimulatorVendor } from './vendor.js'

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

/** Generic `/task/{id}` APIs and MiniMax-style relays. */
export const genericTask: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'MiniMax-Hailuo-02',
  defaultProgress: 'fine',
  progressFormats: ['integer'],
  routes: [
    // The prefix relays mount MiniMax's create under (vendor-notes.md); MiniMax's own
    // `/v1/video_generation` and its file API `/v1/files/retrieve` belong to the `minimax`
    // vendor, whose file API also serves this vendor's `minimax` dialect (renderFile below).
    { method: 'POST', pattern: /^\/task\/minimax\/v1\/video_generation$/, kind: 'create' },
    { method: 'GET', pattern: /^\/task\/([^/]+)$/, kind: 'status' },
  ],
  statusPath: (id) => `/task/${id}`,
  randomId: () => digits(15),
  renderStatus: (view, dialect) =>
    dialect === 'minimax' ? renderMiniMaxTask(view, 0) : envelope(view, dialect === 'envelope-doc'),
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
  renderFile: (view, file) => renderMiniMaxFile(view, file, 404),
  create: {
    dialect: 'minimax',
    parse: parseMiniMaxCreate,
    // MiniMax answers `{task_id, base_resp}`; tasks created here read as the `minimax` dialect.
    render: (view) => renderMiniMaxCreated(view),
    callback: miniMaxCallback,
  },
}
