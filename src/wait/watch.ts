import { TaskCancelledError, TaskFailedError } from '../errors.js'
import type { VideoTask, VideoTaskDetails } from '../model.js'
import type { Subscription } from './subscription.js'

/**
 * A wait as an async iterator: yields every task read, ends after a final one (a failed or
 * cancelled task ends it too, without throwing), throws any other error the wait rejects with.
 * `start` subscribes with a sink for the tasks; it runs at the first `next()`, so an iterator
 * never iterated never polls. `return()` (a `break`) leaves the loop.
 */
export function watchIterator<TDetails extends VideoTaskDetails>(
  start: (sink: (task: VideoTask<TDetails>) => void) => Subscription<TDetails>,
): AsyncIterableIterator<VideoTask<TDetails>> {
  const buffer: VideoTask<TDetails>[] = []
  let wake: (() => void) | undefined
  let outcome: { done: true; error?: unknown } | undefined
  let subscription: Subscription<TDetails> | undefined
  const begin = () => {
    subscription = start((task) => {
      buffer.push(task)
      wake?.()
    })
    subscription.promise.then(
      () => {
        outcome = { done: true }
        wake?.()
      },
      (error: unknown) => {
        const final = error instanceof TaskFailedError || error instanceof TaskCancelledError
        outcome = final ? { done: true } : { done: true, error }
        wake?.()
      },
    )
  }
  const iterator: AsyncIterableIterator<VideoTask<TDetails>> = {
    async next() {
      if (!subscription) begin()
      for (;;) {
        const task = buffer.shift()
        if (task) return { done: false, value: task }
        if (outcome) {
          if ('error' in outcome) {
            const { error } = outcome
            outcome = { done: true }
            throw error
          }
          return { done: true, value: undefined }
        }
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        wake = undefined
      }
    },
    async return() {
      subscription?.cancel()
      outcome = { done: true }
      buffer.length = 0
      return { done: true, value: undefined }
    },
    [Symbol.asyncIterator]() {
      return iterator
    },
  }
  return iterator
}
