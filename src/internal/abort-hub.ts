/*
 * One 'abort' listener per signal, however many waits share it: 10,000 waits on one
 * AbortSignal add one listener, not 10,000 (and no MaxListenersExceededWarning). The listener is
 * removed when the last wait leaves, so nothing stays attached to a user's signal.
 */

const shared = new WeakSet<AbortSignal>()

/**
 * Marks `signal` as listened to by many calls at once (a client's closing signal): the transport
 * then joins it through the hub (one listener however many requests), where a signal of one call
 * is cheaper given to undici as is.
 */
export function markShared(signal: AbortSignal): void {
  shared.add(signal)
}

/** Whether {@link markShared} marked `signal`. */
export function isShared(signal: AbortSignal): boolean {
  return shared.has(signal)
}

/** Something to call on abort: a function, or an object whose `onAbort` is called. */
export type AbortCallback = (() => void) | { onAbort(): void }

interface Hub {
  callbacks: Set<AbortCallback>
  listener: () => void
}

const hubs = new WeakMap<AbortSignal, Hub>()

/** Calls `callback` once when `signal` aborts, until {@link removeAbortCallback}. */
export function addAbortCallback(signal: AbortSignal, callback: AbortCallback): void {
  let hub = hubs.get(signal)
  if (!hub) {
    const callbacks = new Set<AbortCallback>()
    const listener = () => {
      hubs.delete(signal)
      for (const each of [...callbacks]) {
        if (typeof each === 'function') each()
        else each.onAbort()
      }
    }
    hub = { callbacks, listener }
    hubs.set(signal, hub)
    signal.addEventListener('abort', listener, { once: true })
  }
  hub.callbacks.add(callback)
}

/** Stops calling `callback`; the last one out removes the listener from the signal. */
export function removeAbortCallback(signal: AbortSignal, callback: AbortCallback): void {
  const hub = hubs.get(signal)
  if (!hub?.callbacks.delete(callback) || hub.callbacks.size > 0) return
  hubs.delete(signal)
  signal.removeEventListener('abort', hub.listener)
}

/** A signal of one's own that follows others: see {@link followSignals}. */
export interface FollowingSignal {
  /** Aborts, with the same reason, when the first of the followed signals aborts. */
  readonly signal: AbortSignal
  /** Stops following (call it when the call ends): nothing stays attached to the others. */
  release(): void
  /** Stops following and aborts the signal with `reason` (a no-op once aborted). */
  abort(reason: unknown): void
}

/**
 * A fresh signal for one call that aborts when any of `signals` does, with that signal's reason
 * as it is. Everything below the call (the rate limiter, retry sleeps, p-retry, the transport,
 * undici) listens on the fresh signal, so a user's signal shared by any number of calls carries
 * one listener (the hub's), never one per call and layer: no MaxListenersExceededWarning.
 */
export function followSignals(...signals: Array<AbortSignal | undefined>): FollowingSignal {
  const controller = new AbortController()
  const followed: AbortSignal[] = []
  for (const signal of signals) {
    if (!signal) continue
    if (signal.aborted) {
      controller.abort(signal.reason)
      break
    }
    followed.push(signal)
  }
  if (controller.signal.aborted || followed.length === 0) {
    return {
      signal: controller.signal,
      release: () => {},
      abort: (reason) => controller.abort(reason),
    }
  }
  const callbacks = followed.map((signal) => () => {
    release()
    controller.abort(signal.reason)
  })
  const release = () => {
    followed.forEach((signal, index) => {
      removeAbortCallback(signal, callbacks[index] as AbortCallback)
    })
  }
  followed.forEach((signal, index) => {
    addAbortCallback(signal, callbacks[index] as AbortCallback)
  })
  return {
    signal: controller.signal,
    release,
    abort: (reason) => {
      release()
      controller.abort(reason)
    },
  }
}
