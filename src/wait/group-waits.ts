import { VideoTaskError } from '../errors.js'
import { addAbortCallback, removeAbortCallback } from './abort-hub.js'

/**
 * Runs one wait per id under one signal that stops all of them once `combine` settles
 * (`Promise.all` for `waitForAll`, `Promise.any` for `waitForAny`). The caller has checked the
 * ids and options once for the group, so one bad option is one error, not one per id.
 *
 * The outer signal is followed through the abort hub (one listener however many groups share
 * it), and its abort rejects the group with its reason as it is: not the `AggregateError`
 * `Promise.any` would make of every wait rejecting with it.
 */
export function groupWaits<TWait, TResult>(
  taskIds: readonly string[],
  outer: AbortSignal | undefined,
  wait: (taskId: string, signal: AbortSignal) => Promise<TWait>,
  combine: (waits: Promise<TWait>[]) => Promise<TResult>,
): Promise<TResult> {
  const controller = new AbortController()
  return new Promise<TResult>((resolve, reject) => {
    const forward = () => {
      reject(outer?.reason)
      controller.abort(outer?.reason)
    }
    if (outer) addAbortCallback(outer, forward)
    const waits = taskIds.map((id) => wait(id, controller.signal))
    combine(waits)
      .then(resolve, reject)
      .finally(() => {
        if (outer) removeAbortCallback(outer, forward)
        // Stops the waits still running; their rejections are already handled by `combine`.
        controller.abort(new VideoTaskError('Stopped: the group of waits has settled'))
      })
  })
}
