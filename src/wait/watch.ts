import { TaskCancelledError, TaskFailedError } from '../errors.js'
import type { VideoTask, VideoTaskDetails } from '../model.js'
import type { Subscription } from './subscription.js'

/**
 * A wait as an async iterator: yields every task read, ends after a final one (a failed or
 * cancelled task ends it too, without throwing), throws any other error the wait rejects with.
 * `start` subscribes with a sink for the tasks; it runs at the first `next()`, so an iterator
 * never iterated never polls.
 *
 * It is a real async generator underneath, so every sequence of calls behaves as one would:
 * concurrent `next()` calls queue and settle in order, a `next()` after the end is `done`, an
 * error is thrown once. Only `return()` differs, on purpose: a generator would let a pending
 * `next()` run to the next read before returning; here `return()` leaves the loop at once (the
 * pending `next()` calls settle `done`, then `return()` does), so nothing polls after it.
 */
export function watchIterator<TDetails extends VideoTaskDetails>(
  start: (sink: (task: VideoTask<TDetails>) => void) => Subscription<TDetails>,
): AsyncIterableIterator<VideoTask<TDetails>> {
  const buffer: VideoTask<TDetails>[] = []
  let wake: (() => void) | undefined
  let outcome: { error?: unknown } | undefined
  let subscription: Subscription<TDetails> | undefined
  let stopped = false
  const notify = () => {
    const resume = wake
    wake = undefined
    resume?.()
  }
  async function* generate(): AsyncGenerator<VideoTask<TDetails>, undefined, undefined> {
    if (stopped) return undefined
    subscription = start((task) => {
      buffer.push(task)
      notify()
    })
    subscription.promise.then(
      () => {
        outcome = {}
        notify()
      },
      (error: unknown) => {
        const final = error instanceof TaskFailedError || error instanceof TaskCancelledError
        outcome = final ? {} : { error }
        notify()
      },
    )
    for (;;) {
      const task = buffer.shift()
      if (task) {
        yield task
        continue
      }
      if (stopped) return undefined
      if (outcome) {
        if ('error' in outcome) throw outcome.error
        return undefined
      }
      await new Promise<void>((resolve) => {
        wake = resolve
      })
    }
  }
  const generator = generate()
  const stop = () => {
    stopped = true
    buffer.length = 0
    subscription?.cancel()
    notify()
  }
  const iterator: AsyncIterableIterator<VideoTask<TDetails>> = {
    next: () => generator.next(),
    return: () => {
      stop()
      return generator.return(undefined)
    },
    throw: (error?: unknown) => {
      stop()
      return generator.throw(error)
    },
    [Symbol.asyncIterator]() {
      return iterator
    },
  }
  return iterator
}
