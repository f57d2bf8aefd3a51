/*
 * check-result APIs: `POST /api/video-generations/check-result` with `{"taskId"}`.
 * Sources: vendor-docs/check-result-endpoint.openapi.md, check-result-response.schema.md. Its
 * create API is something the user configures (vendor-notes.md), so the simulator has none.
 */
import { hex } from '../ids.js'
import { ERROR_STATUS, type ErrorKind, pick, type Rendered, type StatusView } from '../render.js'
import type { SimulatorVendor } from './vendor.js'

/** `documented`: as its OpenAPI document describes it. */
const DIALECTS = ['documented'] as const
type Dialect = (typeof DIALECTS)[number]

const MESSAGES: Record<ErrorKind, string> = {
  'bad-request': 'taskId is required',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'Task not found',
  'rate-limit': 'Too Many Requests',
  'server-error': 'Failed to sync task result',
}

function documented(view: StatusView): Rendered {
  const { task, snap } = view
  const s = task.script
  const showUrl = snap.phase === 'succeeded' || (s.earlyUrl && snap.phase === 'running')
  const refunded = snap.phase === 'failed' || snap.phase === 'cancelled'
  return {
    status: 200,
    body: {
      code: 0,
      message: 'Success',
      data: {
        status: pick(
          snap.phase,
          {
            queued: 'pending',
            running: 'running',
            succeeded: 'succeeded',
            failed: 'failed',
            cancelled: 'cancelled',
          },
          view.statusWord,
        ),
        progress: snap.progress,
        result_url: showUrl ? s.videoUrl : null,
        result_urls: showUrl ? [s.videoUrl] : [],
        failure_reason: snap.phase === 'failed' ? s.failureReason : '',
        error_message: snap.phase === 'failed' ? s.failureReason : null,
        credits_refunded: refunded,
        refund_trans_no: refunded ? `rf_${s.id}` : null,
        result_pid: snap.phase === 'succeeded' ? `s_${s.id}` : null,
        result_pids: snap.phase === 'succeeded' ? [`s_${s.id}`] : [],
        metadata: {},
      },
    },
  }
}

/** check-result APIs. */
export const checkResult: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'sora-2',
  defaultProgress: 'fine',
  progressFormats: ['integer'],
  routes: [{ method: 'POST', pattern: /^\/api\/video-generations\/check-result$/, kind: 'status' }],
  statusPath: () => '/api/video-generations/check-result',
  statusIdFromBody: (body) => {
    const taskId =
      typeof body === 'object' && body !== null
        ? (body as Record<string, unknown>).taskId
        : undefined
    return typeof taskId === 'string' && taskId !== '' ? taskId : undefined
  },
  randomId: () => `task_${hex(10)}`,
  renderStatus: (view) => documented(view),
  renderError: (_dialect, kind) => {
    const status = ERROR_STATUS[kind]
    return { status, body: { code: status, message: MESSAGES[kind] } }
  },
  renderVendorError200: (_dialect, { code, message }) => ({
    status: 200,
    body: { code: code ?? 429, message: message ?? 'Too Many Requests: rate limited', data: null },
  }),
  unknownStatusWord: () => 'unknown',
}
