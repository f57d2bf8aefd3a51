/*
 * Kling (Kuaishou), its own API. Source: vendor-docs/native/kling.md (routes, the HS256 token of
 * the legacy routes, envelope, status words, error codes). Three route families, one dialect
 * each: a task is read only on the family it was created on.
 *
 * - `tasks`: the API-key routes, `POST /text-to-video/{model}` / `/image-to-video/{model}` and
 *   `GET /tasks?task_ids={id}` (`data` an array), `Authorization: Bearer <key>`.
 * - `text2video`, `image2video`: the legacy routes `POST /v1/videos/{family}` and
 *   `GET /v1/videos/{family}/{id}` (`data` an object), `Authorization: Bearer <HS256 JWT>`
 *   signed with the simulator's key as Kling's secret key. Any access key (`iss`) is accepted:
 *   the simulator has one account.
 */
import { verifyHs256Token } from '../hs256.js'
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
import type { AuthorizeContext, CreateInput, CreateRequest, SimulatorVendor } from './vendor.js'

const DIALECTS = ['tasks', 'text2video', 'image2video'] as const
type Dialect = (typeof DIALECTS)[number]

/** vendor-docs/native/kling.md "Errors": the code and message of each error kind. */
const ERRORS: Record<ErrorKind, { code: number; message: string }> = {
  'bad-request': { code: 1201, message: 'invalid parameter' },
  unauthorized: { code: 1000, message: 'authentication failed' },
  forbidden: { code: 1103, message: 'no permission for the requested resource' },
  // Unknown task id: unconfirmed in the doc; 404 + 1203 is one of its two readings.
  'not-found': { code: 1203, message: 'requested resource does not exist: task' },
  'rate-limit': { code: 1302, message: 'requests too fast, please slow down' },
  'server-error': { code: 5000, message: 'server internal error' },
}

const LEGACY_WORDS: Record<TaskPhase, string> = {
  queued: 'submitted',
  running: 'processing',
  succeeded: 'succeed',
  // No cancelled state is documented: a cancelled task reads as failed.
  failed: 'failed',
  cancelled: 'failed',
}

const NEW_WORDS: Record<TaskPhase, string> = { ...LEGACY_WORDS, succeeded: 'succeeded' }

function failureMessage(view: StatusView): string {
  const { phase } = view.snap
  if (phase === 'failed') return view.task.script.failureReason
  if (phase === 'cancelled') return 'task cancelled'
  return ''
}

function updatedAt(view: StatusView): number {
  const { snap } = view
  return snap.finishedAt ?? snap.startedAt ?? snap.createdAt
}

function legacyTask(view: StatusView): Json {
  const { task, snap } = view
  const done = snap.phase === 'succeeded'
  return {
    task_id: task.script.id,
    task_status: pick(snap.phase, LEGACY_WORDS, view.statusWord),
    task_status_msg: failureMessage(view),
    task_info: {},
    ...(done
      ? {
          task_result: {
            videos: [{ id: `${task.script.id}-0`, url: task.script.videoUrl, duration: '5.1' }],
          },
          final_unit_deduction: '1',
        }
      : {}),
    created_at: snap.createdAt,
    updated_at: updatedAt(view),
  }
}

function newTask(view: StatusView): Json {
  const { task, snap } = view
  const done = snap.phase === 'succeeded'
  return {
    id: task.script.id,
    status: pick(snap.phase, NEW_WORDS, view.statusWord),
    message: failureMessage(view),
    create_time: snap.createdAt,
    update_time: updatedAt(view),
    ...(done
      ? {
          outputs: [
            { type: 'video', id: `${task.script.id}-0`, url: task.script.videoUrl, duration: '5' },
          ],
          billing: [{ charge_type: 'unit', amount: '1', package_type: 'video' }],
        }
      : {}),
  }
}

function envelope(view: StatusView, data: Json): Rendered {
  return { status: 200, body: { code: 0, message: 'SUCCEED', request_id: view.requestId, data } }
}

function errorAnswer(kind: ErrorKind, requestId: string): Rendered {
  return { status: ERROR_STATUS[kind], body: { ...ERRORS[kind], request_id: requestId } }
}

/** Legacy routes want the HS256 token; the API-key routes the key itself. */
function authorize(authorization: string | undefined, context: AuthorizeContext): Rendered | null {
  const refuse = (code: number, message: string): Rendered => ({
    status: 401,
    body: { code, message, request_id: context.requestId },
  })
  if (authorization === undefined || authorization.trim() === '') {
    return refuse(1001, 'Authorization is empty')
  }
  const token = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1]
  if (token === undefined) return refuse(1002, 'Authorization is invalid')
  if (!context.path.startsWith('/v1/videos/')) {
    return token === context.apiKey ? null : refuse(1000, 'authentication failed')
  }
  const result = verifyHs256Token(token, context.apiKey, { nowMs: context.nowMs })
  if (result.ok) return null
  const messages = {
    1002: 'Authorization is invalid',
    1003: 'Authorization is not yet valid',
    1004: 'Authorization has expired',
  } as const
  return refuse(result.code, messages[result.code])
}

/** Both families' create bodies: the legacy `{prompt, model_name, ...}`, the new `{prompt | contents, settings}`. */
function parseCreate(request: CreateRequest): CreateInput {
  if (request.format !== 'json') return { ok: false, message: 'invalid parameter: body' }
  const fields = request.fields
  const legacy = request.path?.startsWith('/v1/videos/') ?? false
  let prompt: unknown = fields.prompt
  if (!legacy && Array.isArray(fields.contents)) {
    const part = fields.contents.find(
      (item: unknown) =>
        typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'prompt',
    ) as { text?: unknown } | undefined
    prompt = part?.text
  }
  if (typeof prompt !== 'string' || prompt.trim() === '' || prompt.length > 2_500) {
    return { ok: false, message: 'invalid parameter: prompt' }
  }
  if (legacy) {
    // vendor-docs/native/kling.md "Quirks": `duration` is a string; a number is refused here.
    if (fields.duration !== undefined && typeof fields.duration !== 'string') {
      return { ok: false, message: 'invalid parameter: duration' }
    }
    if (request.path === '/v1/videos/image2video') {
      const image = fields.image
      if (typeof image !== 'string' || image === '' || image.startsWith('data:')) {
        return { ok: false, message: 'invalid parameter: image' }
      }
    }
  }
  const model = legacy ? fields.model_name : request.path?.split('/')[2]
  if (model !== undefined && typeof model !== 'string') {
    return { ok: false, message: 'invalid parameter: model_name' }
  }
  // vendor-docs/native/kling.md "Callbacks": `callback_url` in the legacy body,
  // `options.callback_url` in the new design's.
  const options = fields.options
  const callbackUrl = legacy
    ? fields.callback_url
    : typeof options === 'object' && options !== null
      ? (options as { callback_url?: unknown }).callback_url
      : undefined
  if (
    callbackUrl !== undefined &&
    (typeof callbackUrl !== 'string' || !URL.canParse(callbackUrl))
  ) {
    return { ok: false, message: 'invalid parameter: callback_url' }
  }
  return {
    ok: true,
    prompt,
    model: model === undefined ? undefined : decodeURIComponent(model),
    callbackUrl,
  }
}

/** Kling: legacy routes with signed tokens, API-key routes with the key. */
export const kling: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'kling-v2-6',
  defaultProgress: 'none',
  progressFormats: ['integer'],
  routes: [
    {
      method: 'POST',
      pattern: /^\/v1\/videos\/text2video$/,
      kind: 'create',
      dialect: 'text2video',
    },
    {
      method: 'POST',
      pattern: /^\/v1\/videos\/image2video$/,
      kind: 'create',
      dialect: 'image2video',
    },
    {
      method: 'POST',
      pattern: /^\/(?:text|image)-to-video\/[^/]+$/,
      kind: 'create',
      dialect: 'tasks',
    },
    {
      method: 'GET',
      pattern: /^\/v1\/videos\/text2video\/([^/]+)$/,
      kind: 'status',
      dialect: 'text2video',
    },
    {
      method: 'GET',
      pattern: /^\/v1\/videos\/image2video\/([^/]+)$/,
      kind: 'status',
      dialect: 'image2video',
    },
    { method: 'GET', pattern: /^\/tasks$/, kind: 'status', idParam: 'task_ids', dialect: 'tasks' },
  ],
  statusPath: (id, dialect) =>
    dialect === 'tasks' ? `/tasks?task_ids=${id}` : `/v1/videos/${dialect}/${id}`,
  // vendor-docs/native/kling.md: ids are 18 digits, kept as strings.
  randomId: () => digits(18),
  renderStatus: (view, dialect) =>
    envelope(view, dialect === 'tasks' ? [newTask(view)] : legacyTask(view)),
  renderError: (_dialect, kind, requestId) => errorAnswer(kind, requestId),
  renderVendorError200: (_dialect, { code, message }, requestId) => ({
    // Relays pass Kling's error with HTTP 200 (test/fixtures/kling/envelope-error-http-200.json).
    status: 200,
    body: {
      code: code ?? 1303,
      message: message ?? 'parallel task over resource pack limit',
      request_id: requestId,
      data: null,
    },
  }),
  unknownStatusWord: () => 'unknown',
  authorize,
  create: {
    dialect: 'tasks',
    parse: parseCreate,
    render: (view, dialect) =>
      envelope(
        view,
        dialect === 'tasks'
          ? {
              id: view.task.script.id,
              status: 'submitted',
              create_time: view.snap.createdAt,
              update_time: view.snap.createdAt,
            }
          : {
              task_id: view.task.script.id,
              task_status: 'submitted',
              task_info: {},
              created_at: view.snap.createdAt,
              updated_at: view.snap.createdAt,
            },
      ),
    // vendor-docs/native/kling.md "Callbacks": a POST on every status change, no handshake; the
    // legacy body is the `data` object of a legacy query, the new one the new task object. The
    // optional Standard Webhooks signature (a console secret) is not simulated.
    callback: (view) => (view.task.script.dialect === 'tasks' ? newTask(view) : legacyTask(view)),
    callbackHandshake: false,
  },
}
