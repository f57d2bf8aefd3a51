/*
 * One 'abort' listener per signal, however many waits share it: 10,000 waits on one
 * AbortSignal add one listener, not 10,000 (and no MaxListenersExceededWarning). The listener is
 * removed when the last wait leaves, so nothing stays attached to a user's signal.
 */

interface Hub {
  callbacks: Set<() => void>
  listener: () => void
}

const hubs = new WeakMap<AbortSignal, Hub>()

/** Calls `callback` once when `signal` aborts. Returns a function that unsubscribes. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let hub = hubs.get(signal)
  if (!hub) {
    const callbacks = new Set<() => void>()
    const listener = () => {
      hubs.delete(signal)
      for (const each of [...callbacks]) each()
    }
    hub = { callbacks, listener }
    hubs.set(signal, hub)
    signal.addEventListener('abort', listener, { once: true })
  }
  const current = hub
  current.callbacks.add(callback)
  return () => {
    if (!current.callbacks.delete(callback) || current.callbacks.size > 0) return
    if (hubs.get(signal) === current) hubs.delete(signal)
    signal.removeEventListener('abort', current.listener)
  }
}
