/*
 * Doubao (Seedance) through relay gateways.
 * Sources: vendor-docs/doubao-query-video-task.md; vendor-notes.md (the gateway-upper dialect,
 * "Creating tasks and fetching outputs" for `POST /v1/video/generations`).
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
import type { Snapshot } from '../timeline.js'
import type { CreateInput, CreateRequest, SimulatorVendor } from './vendor.js'

/**
 * `gateway-upper`: the widely deployed relay gateway; `legacy`: the doc's lower-case words;
 * `second-shape`: `{code, data: {task_id, status, url, ...}}`.
 */
const DIALECTS = ['gateway-upper', 'legacy', 'second-shape'] as const
type Dialect = (typeof DIALECTS)[number]

const ERRORS: Record<ErrorKind, { code: string; message: string }> = {
  'bad-request': { code: 'invalid_request', message: 'invalid request' },
  unauthorized: { code: 'unauthorized', message: '无效的令牌 (invalid token)' },
  forbidden: { code: 'forbidden', message: '无权访问该任务 (forbidden)' },
  'not-found': { code: 'not_found', message: 'task not found' },
  'rate-limit': { code: 'rate_limit', message: '请求过于频繁，请稍后再试' },
  'server-error': { code: 'internal_error', message: '上游服务错误 (upstream error)' },
}

function progressOf(view: StatusView): Json | undefined {
  const { progress } = view.snap
  if (progress === undefined) return undefined
  return view.task.script.progressFormat === 'integer' ? progress : `${progress}%`
}

function times(snap: Snapshot) {
  return {
    submit_time: seconds(snap.createdAt),
    start_time: snap.startedAt === undefined ? 0 : seconds(snap.startedAt),
    finish_time: snap.finishedAt === undefined ? 0 : seconds(snap.finishedAt),
  }
}

function failReason(view: StatusView): string {
  const { phase } = view.snap
  if (phase === 'failed') return view.task.script.failureReason
  if (phase === 'cancelled') return 'task cancelled'
  return ''
}

function gatewayUpper(view: StatusView): Rendered {
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
        fail_reason: failReason(view),
        result_url: snap.phase === 'succeeded' ? s.videoUrl : '',
        ...times(snap),
        progress: progressOf(view),
        data: upstream,
      },
    },
  }
}

function legacy(view: StatusView): Rendered {
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
        progress: progressOf(view),
        // The doc's quirk: on success `fail_reason` holds the video URL.
        fail_reason: snap.phase === 'succeeded' ? s.videoUrl : failReason(view),
        ...times(snap),
      },
    },
  }
}

function secondShape(view: StatusView): Rendered {
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
        error: failed ? { code: 'video_generation_failed', message: failReason(view) } : null,
      },
    },
  }
}

const RENDERERS: Record<Dialect, (view: StatusView) => Rendered> = {
  'gateway-upper': gatewayUpper,
  legacy,
  'second-shape': secondShape,
}

/** `POST /v1/video/generations`: JSON `{model, prompt, image | images, ...}`. */
function parseCreate(request: CreateRequest): CreateInput {
  const { prompt, model } = request.fields
  if (request.format !== 'json') return { ok: false, message: 'request body must be JSON' }
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    return { ok: false, message: 'prompt is required' }
  }
  if (model !== undefined && typeof model !== 'string') {
    return { ok: false, message: 'model must be a string' }
  }
  return { ok: true, prompt, model, callbackUrl: undefined }
}

/**
 * Current gateway releases answer a create with a task object; releases before about February
 * 2026 answered `{"task_id"}` only (vendor-notes.md). `x-simulator-create-shape: task-id-only`
 * picks the older one.
 */
function renderCreated(view: StatusView, _dialect: Dialect, shape: string | undefined): Rendered {
  const s = view.task.script
  if (shape === 'task-id-only') return { status: 200, body: { task_id: s.id } }
  return {
    status: 200,
    body: {
      id: s.id,
      task_id: s.id,
      object: 'video',
      model: s.model,
      status: 'queued',
      progress: 0,
      created_at: seconds(view.snap.createdAt),
    },
  }
}

/** Doubao relay gateways. */
export const doubao: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'doubao-seedance-1-0-pro-250528',
  defaultProgress: 'coarse',
  progressFormats: ['percent', 'integer'],
  routes: [
    { method: 'POST', pattern: /^\/v1\/video\/generations$/, kind: 'create' },
    { method: 'GET', pattern: /^\/v1\/video\/generations\/([^/]+)$/, kind: 'status' },
  ],
  statusPath: (id) => `/v1/video/generations/${id}`,
  randomId: () => `cgt-${hex(6)}-${hex(3)}`,
  renderStatus: (view, dialect) => RENDERERS[dialect](view),
  renderError: (dialect, kind) => {
    // The deployed gateway answers an unknown task with 400 task_not_exist (vendor-notes.md).
    if (kind === 'not-found' && dialect === 'gateway-upper') {
      return {
        status: 400,
        body: { code: 'task_not_exist', message: 'task_not_exist', data: null },
      }
    }
    return { status: ERROR_STATUS[kind], body: { ...ERRORS[kind], data: null } }
  },
  renderVendorError200: (_dialect, { code, message }) => ({
    status: 200,
    body: {
      code: code ?? 'rate_limit',
      message: message ?? '请求过于频繁，请稍后再试 (rate limited)',
      data: null,
    },
  }),
  unknownStatusWord: (dialect) => (dialect === 'gateway-upper' ? 'UNKNOWN' : 'unknown'),
  create: { parse: parseCreate, render: renderCreated },
}
