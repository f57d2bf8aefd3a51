/*
 * Status callbacks to a create's `callback_url`: MiniMax-style with a handshake
 * (vendor-docs/native/minimax.md), or straight POSTs (Ark, vendor-docs/native/ark-seedance.md).
 */
import type { Delivery } from './delivery.js'
import { parseJson } from './delivery.js'
import { hex } from './ids.js'
import type { Json } from './render.js'
import type { Snapshot, TaskRecord } from './timeline.js'
import type { TaskPhase } from './types.js'
import { vendorOf } from './vendors/index.js'

/** How often (real ms) the simulator checks a task with a callback URL for a new phase. */
const CALLBACK_CHECK_MS = 10

/** How long (real ms) a callback receiver has to answer, like MiniMax's 3 s handshake. */
const CALLBACK_TIMEOUT_MS = 3_000

/**
 * MiniMax-style callbacks (vendor-docs/native/minimax.md): a verification POST with a
 * `challenge` the receiver must echo within 3 s, then a POST on every status change. A receiver
 * that fails the handshake gets no callbacks.
 */
export function watchCallbacks(
  record: TaskRecord,
  callbackUrl: string,
  host: { snap(record: TaskRecord): Snapshot; delivery: Delivery },
): void {
  const create = vendorOf(record.script.provider).create
  const callback = create?.callback
  if (callback === undefined) return
  const post = async (body: Json): Promise<unknown> => {
    const response = await fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    })
    const text = await response.text()
    return response.ok ? parseJson(text) : { ok: false }
  }
  let lastPhase: TaskPhase | undefined
  const check = () => {
    const snap = host.snap(record)
    if (snap.phase !== lastPhase && snap.phase !== 'queued') {
      lastPhase = snap.phase
      const view = { task: record, snap, statusWord: undefined, requestId: '' }
      post(callback(view)).then(
        () => {
          record.callbacks++
        },
        () => {},
      )
    }
    const finished = snap.phase !== 'queued' && snap.phase !== 'running'
    if (!finished) host.delivery.later(CALLBACK_CHECK_MS, check)
  }
  if (create?.callbackHandshake === false) {
    check()
    return
  }
  const challenge = hex(16)
  post({ challenge }).then(
    (answer) => {
      const echoed =
        typeof answer === 'object' &&
        answer !== null &&
        'value' in answer &&
        (answer.value as { challenge?: unknown } | undefined)?.challenge === challenge
      if (echoed) check()
    },
    () => {},
  )
}
