/*
 * What each vendor's route answers, per dialect. Written from /vendor-docs and vendor-notes.md, not
 * from the SDK's adapters: the simulator is there to check them.
 */
import type { Snapshot, TaskRecord } from './timeline.js'
import type { FaultSpec, SimulatedDialect, SimulatedProvider, TaskPhase } from './types.js'

/** A JSON value. */
export type Json =
  | null
  | boolean
  | number
  | string
  | readonly Json[]
  | { [key: string]: Json | undefined }

/** A status answer before it goes on the wire. */
export interface Rendered {
  status: number
  body: Json
  headers?: Record<string, string>
}

/** What a status answer is rendered from. */
export interface StatusView {
  task: TaskRecord
  snap: Snapshot
  /** Replaces the status word (the `unknown-status` fault). */
  statusWord: string | undefined
  requestId: string
}

/** The errors every vendor has its own body for. */
export type ErrorKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limit'
  | 'server-error'

const HTTP_STATUS: Record<ErrorKind, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'rate-limit': 429,
  'server-error': 500,
}

const seconds = (ms: number) => Math.floor(ms / 1000)

function pick(phase: TaskPhase, words: Record<TaskPhase, string>, override: string | undefined) {
  return override ?? words[phase]
}

/* ------------------------------------------------------------------------------------------------
 * openai
 */

function openaiOfficial({ task, snap, statusWord }: StatusView): Rendered {
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
      expires_at:
        snap.phase === 'succeeded' && snap.finishedAt !== undefined
          ? seconds(snap.finishedAt) + 3600
          : null,
      model: s.model,
      progress: snap.progress,
      remixed_from_video_id: null,
      seconds: '4',
      size: '720x1280',
    },
  }
}

function openaiGateway({ task, snap, statusWord }: StatusView): Rendered {
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
    seconds: '8',
    size: '1280x720',
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

/* ------------------------------------------------------------------------------------------------
 * doubao
 */

function doubaoProgress(view: StatusView): Json | undefined {
  const { progress } = view.snap
  if (progress === undefined) return undefined
  return view.task.script.progressFormat === 'integer' ? progress : `${progress}%`
}

function doubaoTimes(snap: Snapshot) {
  return {
    submit_time: seconds(snap.createdAt),
    start_time: snap.startedAt === undefined ? 0 : seconds(snap.startedAt),
    finish_time: snap.finishedAt === undefined ? 0 : seconds(snap.finishedAt),
  }
}

function doubaoFailReason(view: StatusView): string {
  const { phase } = view.snap
  if (phase === 'failed') return view.task.script.failureReason
  if (phase === 'cancelled') return 'task cancelled'
  return ''
}

function doubaoGatewayUpper(view: StatusView): Rendered {
  const { task, snap } = view
  const s = task.script
  const queuedWord =
    snap.queuedFraction < 1 / 3 ? 'NOT_START' : snap.queuedFraction < 2 / 3 ? 'SUBMITTED' : 'QUEUED'
  const status = pick(
    snap.phase,
    {
      queued: queuedWord,
      running: 'IN_PROGRESS',
      succeeded: 'SUCCESS',
      failed: 'FAILURE',
      cancelled: 'FAILURE',
    },
    view.statusWord,
  )
  // The raw upstream (Volcengine Ark) payload, as relay gateways pass it on.
  const upstream: Record<string, Json | undefined> = {
    id: s.id,
    model: s.model,
    status: snap.phase,
    created_at: seconds(snap.createdAt),
  }
  if (snap.phase === 'succeeded') upstream.content = { video_url: s.videoUrl }
  if (snap.phase === 'failed') {
    upstream.error = { code: 'InternalServiceError', message: s.failureReason }
  }
  return {
    status: 200,
    body: {
      code: 'success',
      message: '',
      data: {
        task_id: s.id,
        action: 'generate',
        status,
        fail_reason: doubaoFailReason(view),
        result_url: snap.phase === 'succeeded' ? s.videoUrl : '',
        ...doubaoTimes(snap),
        progress: doubaoProgress(view),
        data: upstream,
      },
    },
  }
}

function doubaoLegacy(view: StatusView): Rendered {
  const { task, snap } = view
  const s = task.script
  return {
    status: 200,
    body: {
      code: 'success',
      data: {
        task_id: s.id,
        action: 'generate',
        status: pick(
          snap.phase,
          {
            queued: 'queued',
            running: 'in_progress',
            succeeded: 'success',
            failed: 'failure',
            cancelled: 'failure',
          },
          view.statusWord,
        ),
        progress: doubaoProgress(view),
        // The doc's quirk: on success `fail_reason` holds the video URL.
        fail_reason: snap.phase === 'succeeded' ? s.videoUrl : doubaoFailReason(view),
        ...doubaoTimes(snap),
      },
    },
  }
}

function doubaoSecondShape(view: StatusView): Rendered {
  const { task, snap } = view
  const s = task.script
  const failed = snap.phase === 'failed' || snap.phase === 'cancelled'
  return {
    status: 200,
    body: {
      code: 'success',
      data: {
        task_id: s.id,
        status: pick(
          snap.phase,
          {
            queued: 'queued',
            running: 'processing',
            succeeded: 'succeeded',
            failed: 'failed',
            cancelled: 'failed',
          },
          view.statusWord,
        ),
        url: snap.phase === 'succeeded' ? s.videoUrl : '',
        format: 'mp4',
        error: failed ? { code: 'video_generation_failed', message: doubaoFailReason(view) } : null,
      },
    },
  }
}

/* ------------------------------------------------------------------------------------------------
 * generic-task
 */

function genericEnvelope(view: StatusView, doc: boolean): Rendered {
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

function genericMinimax(view: StatusView): Rendered {
  const { task, snap } = view
  const s = task.script
  const done = snap.phase === 'succeeded'
  const statusMsg =
    snap.phase === 'failed'
      ? s.failureReason
      : snap.phase === 'cancelled'
        ? 'task cancelled'
        : 'success'
  return {
    status: 200,
    body: {
      task_id: s.id,
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
      base_resp: { status_code: 0, status_msg: statusMsg },
    },
  }
}

/* ------------------------------------------------------------------------------------------------
 * check-result
 */

function checkResult(view: StatusView): Rendered {
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

/** The status answer of a task in its dialect. */
export function renderStatus(view: StatusView): Rendered {
  switch (view.task.script.dialect) {
    case 'official':
      return openaiOfficial(view)
    case 'gateway':
      return openaiGateway(view)
    case 'gateway-upper':
      return doubaoGatewayUpper(view)
    case 'legacy':
      return doubaoLegacy(view)
    case 'second-shape':
      return doubaoSecondShape(view)
    case 'envelope':
      return genericEnvelope(view, false)
    case 'envelope-doc':
      return genericEnvelope(view, true)
    case 'minimax':
      return genericMinimax(view)
    case 'documented':
      return checkResult(view)
  }
}

/** The status word the `unknown-status` fault sends by default. */
export function unknownStatusWord(dialect: SimulatedDialect): string {
  if (dialect === 'gateway-upper') return 'UNKNOWN'
  if (dialect === 'minimax' || dialect === 'envelope-doc') return 'Unknown'
  return 'unknown'
}

/* ------------------------------------------------------------------------------------------------
 * Errors
 */

function openaiError(message: string, type: string, code: string | null, param: string | null) {
  return { error: { message, type, param, code } }
}

const OPENAI_ERRORS: Record<ErrorKind, Json> = {
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

const DOUBAO_ERRORS: Record<ErrorKind, { code: string; message: string }> = {
  'bad-request': { code: 'invalid_request', message: 'invalid request' },
  unauthorized: { code: 'unauthorized', message: '无效的令牌 (invalid token)' },
  forbidden: { code: 'forbidden', message: '无权访问该任务 (forbidden)' },
  'not-found': { code: 'not_found', message: 'task not found' },
  'rate-limit': { code: 'rate_limit', message: '请求过于频繁，请稍后再试' },
  'server-error': { code: 'internal_error', message: '上游服务错误 (upstream error)' },
}

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

const CHECK_RESULT_MESSAGES: Record<ErrorKind, string> = {
  'bad-request': 'taskId is required',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'Task not found',
  'rate-limit': 'Too Many Requests',
  'server-error': 'Failed to sync task result',
}

/** A vendor's error answer (status and body) in a dialect. */
export function renderError(
  provider: SimulatedProvider,
  dialect: SimulatedDialect,
  kind: ErrorKind,
  requestId: string,
): Rendered {
  const status = HTTP_STATUS[kind]
  switch (provider) {
    case 'openai':
      return { status, body: OPENAI_ERRORS[kind] }
    case 'doubao': {
      if (kind === 'not-found' && dialect === 'gateway-upper') {
        return {
          status: 400,
          body: { code: 'task_not_exist', message: 'task_not_exist', data: null },
        }
      }
      return { status, body: { ...DOUBAO_ERRORS[kind], data: null } }
    }
    case 'generic-task': {
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
    }
    case 'check-result':
      return { status, body: { code: status, message: CHECK_RESULT_MESSAGES[kind] } }
  }
}

/** A 200 carrying the vendor's error (the `vendor-error-200` fault). */
export function renderVendorError200(
  provider: SimulatedProvider,
  dialect: SimulatedDialect,
  fault: FaultSpec,
  requestId: string,
): Rendered {
  const { code, message } = fault
  switch (provider) {
    case 'openai':
      return {
        status: 200,
        body: openaiError(
          message ?? 'Rate limit reached for requests',
          'requests',
          code === undefined ? 'rate_limit_exceeded' : String(code),
          null,
        ),
      }
    case 'doubao':
      return {
        status: 200,
        body: {
          code: code ?? 'rate_limit',
          message: message ?? '请求过于频繁，请稍后再试 (rate limited)',
          data: null,
        },
      }
    case 'generic-task': {
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
    }
    case 'check-result':
      return {
        status: 200,
        body: {
          code: code ?? 429,
          message: message ?? 'Too Many Requests: rate limited',
          data: null,
        },
      }
  }
}

/** Valid JSON of an unrelated shape (the `wrong-shape` fault). */
export function renderWrongShape(id: string | undefined): Rendered {
  return {
    status: 200,
    body: { object: 'list', data: [{ id: id ?? null, object: 'task.summary' }], has_more: false },
  }
}

const REASON_PHRASES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
}

/** A reverse proxy's HTML error page. */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${REASON_PHRASES[status] ?? 'Error'}`
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}
