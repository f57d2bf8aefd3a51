import type { CallbackSettings, Nudgeable } from './callback-handler.js'

/*
 * The answer to one callback request (createCallbackHandler in callback-handler.ts checks the
 * options and loads this file on the first callback).
 */

/** Status words that say the task is still going (lower case; vendor-notes.md status table). */
const IN_PROGRESS = new Set([
  'processing',
  'running',
  'in_progress',
  'queued',
  'queueing',
  'preparing',
  'pending',
  'submitted',
  'not_start',
  'generating',
  'in_queue',
])

function reply(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null
}

/** An id as text; a number beyond 2^53 is read back from the body's digits (MiniMax ids). */
function idText(value: unknown, key: string, body: string): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value
  if (typeof value !== 'number' || !Number.isInteger(value)) return null
  if (Number.isSafeInteger(value)) return String(value)
  const matches = [...body.matchAll(new RegExp(`"${key}"\\s*:\\s*(\\d+)`, 'g'))]
  return matches.length === 1 ? (matches[0]?.[1] ?? null) : null
}

function defaultTaskId(payload: unknown, body: string): string | null {
  for (const object of [record(payload), record(record(payload)?.data)]) {
    for (const key of ['task_id', 'taskId', 'id']) {
      const id = idText(object?.[key], key, body)
      if (id !== null) return id
    }
  }
  return null
}

function statusWord(payload: unknown): string | null {
  const object = record(payload)
  const data = record(object?.data)
  // Kling's legacy callback names it `task_status` (vendor-docs/native/kling.md "Callbacks").
  const status = object?.status ?? object?.task_status ?? data?.status ?? data?.task_status
  return typeof status === 'string' ? status.trim().toLowerCase() : null
}

async function readText(request: Request, maxBytes: number): Promise<string | null> {
  const announced = Number(request.headers.get('content-length'))
  if (Number.isFinite(announced) && announced > maxBytes) return null
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

/** Answers one callback: see `createCallbackHandler`. */
export async function answerCallback(
  request: Request,
  client: Nudgeable,
  { verify, taskIdOf, nudgeOn, maxBodyBytes }: CallbackSettings,
): Promise<Response> {
  if (request.method !== 'POST') return reply(405, { ok: false, error: 'POST only' })
  const body = await readText(request, maxBodyBytes)
  if (body === null) return reply(413, { ok: false, error: 'body too large' })
  if (verify && !(await verify(request, body))) {
    return reply(401, { ok: false, error: 'not verified' })
  }
  let payload: unknown
  try {
    payload = JSON.parse(body)
  } catch {
    return reply(400, { ok: false, error: 'body is not JSON' })
  }
  // vendor-docs/native/minimax.md "Callbacks": the verification POST carries `challenge`, to
  // be answered with the same value.
  const challenge = record(payload)?.challenge
  if (typeof challenge === 'string' && defaultTaskId(payload, body) === null) {
    return reply(200, { challenge })
  }
  const taskId = taskIdOf ? taskIdOf(payload, request) : defaultTaskId(payload, body)
  if (typeof taskId !== 'string' || taskId === '') {
    return reply(400, { ok: false, error: 'no task id in the callback' })
  }
  const status = statusWord(payload)
  if (nudgeOn === 'final' && status !== null && IN_PROGRESS.has(status)) {
    return reply(200, { ok: true, nudged: false })
  }
  let nudged: boolean
  try {
    nudged = client.nudge(taskId)
  } catch {
    return reply(400, { ok: false, error: 'not a task id' })
  }
  return reply(200, { ok: true, nudged })
}
