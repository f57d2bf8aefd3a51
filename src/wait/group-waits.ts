import { VideoTaskError } from '../errors.js'
import { followSignals } from '../internal/abort-hub.js'

/**
 * Runs one wait per id under one signal that stops all of them once `combine` settles
 * (`Promise.all` for `waitForAll`, `Promise.any` for `waitForAny`). The caller has checked the
 * ids and options once for the group, so one bad option is one error, not one per id.
 *
 * The outer signals (the user's, the client's close) are followed through the abort hub (one
 * listener however many groups share them), and an abort rejects the group with its reason as it is: not the `AggregateError`
 * `Promise.any` would make of every wait rejecting with it.
 */
export function groupWaits<TWait, TResult>(
  taskIds: readonly string[],
  outers: ReadonlyArray<AbortSignal | undefined>,
  wait: (taskId: string, signal: AbortSignal) => Promise<TWait>,
  combine: (waits: Promise<TWait>[]) => Promise<TResult>,
): Promise<TResult> {
  return new Promise<TResult>((resolve, reject) => {
    const follow = followSignals(...outers)
    const stop = () => reject(follow.signal.reason)
    follow.signal.addEventListener('abort', stop, { once: true })
    const waits = taskIds.map((id) => wait(id, follow.signal))
    combine(waits)
      .then(resolve, reject)
      .finally(() => {
        follow.signal.removeEventListener('abort', stop)
        // Stops the waits still running; their rejections are already handled by `combine`.
        follow.abort(new VideoTaskError('Stopped: the group of waits has settled'))
      })
  })
}
