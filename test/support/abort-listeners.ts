/**
 * Counts every live 'abort' listener on every EventTarget, where it is added and removed, until
 * `restore()`: a listener a layer leaves on a shared signal (the client's closing signal) shows.
 * A `once` listener that fired leaves its (aborted) signal without a removeEventListener call, so
 * `most()` skips aborted signals.
 */
export function countAbortListeners(): { most(): number; restore(): void } {
  const live = new Map<EventTarget, Set<unknown>>()
  const prototype = EventTarget.prototype
  const add = prototype.addEventListener
  const remove = prototype.removeEventListener
  prototype.addEventListener = function (this: EventTarget, type, listener, options) {
    if (type === 'abort') live.set(this, (live.get(this) ?? new Set()).add(listener))
    return add.call(this, type, listener, options)
  }
  prototype.removeEventListener = function (this: EventTarget, type, listener, options) {
    if (type === 'abort') live.get(this)?.delete(listener)
    return remove.call(this, type, listener, options)
  }
  return {
    most: () => {
      const pending = [...live].filter(
        ([target]) => !(target instanceof AbortSignal && target.aborted),
      )
      return Math.max(0, ...pending.map(([, listeners]) => listeners.size))
    },
    restore: () => {
      prototype.addEventListener = add
      prototype.removeEventListener = remove
    },
  }
}
