import { VideoTaskError } from '../errors.js'

/**
 * Runs one wait per id under one signal that stops all of them once `combine` settles
 * (`Promise.all` for `waitForAll`, `Promise.any` for `waitForAny`). The caller has checked the
 * ids and options once for the group, so one bad option is one error, not one per id.
 */
export function groupWaits<TWait, TResult>(
  taskIds: readonly string[],
  outer: AbortSignal | undefined,
  wait: (taskId: string, signal: AbortSignal) => Promise<TWait>,
  combine: (waits: Promise<TWait>[]) => Promise<TResult>,
): Promise<TResult> {
  const controller = new AbortController()
  const forward = () => controller.abort(outer?.reason)
  outer?.addEventListener('abort', forward, { once: true })
  const waits = taskIds.map((id) => wait(id, controller.signal))
  return combine(waits).finally(() => {
    outer?.removeEventListener('abort', forward)
    // Stops the waits still running; their rejections are already handled by `combine`.
    controller.abort(new VideoTaskError('Stopped: the group of waits has settled'))
  })
}
