/*
 * One 'abort' listener per signal, however many waits share it: 10,000 waits on one
 * AbortSignal add one listener, not 10,000 (and no MaxListenersExceededWarning). The listener is
 * removed when the last wait leaves, so nothing stays attached to a user's signal.
 */

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
