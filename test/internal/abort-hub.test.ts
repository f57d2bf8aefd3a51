import { describe, expect, it, vi } from 'vitest'
import { addAbortCallback, removeAbortCallback } from '../../src/internal/abort-hub.js'

/** A signal that counts the 'abort' listeners added and removed. */
function countingSignal() {
  const controller = new AbortController()
  const signal = controller.signal
  let listeners = 0
  const add = signal.addEventListener.bind(signal)
  const remove = signal.removeEventListener.bind(signal)
  signal.addEventListener = ((...args: Parameters<typeof add>) => {
    listeners++
    add(...args)
  }) as typeof add
  signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
    listeners--
    remove(...args)
  }) as typeof remove
  return { controller, signal, listeners: () => listeners }
}

describe('abort hub', () => {
  it('many callbacks on one signal add one listener, removed when the last leaves', () => {
    const { signal, listeners } = countingSignal()
    const callbacks = Array.from({ length: 1_000 }, () => vi.fn())
    for (const callback of callbacks) addAbortCallback(signal, callback)
    expect(listeners()).toBe(1)
    for (const callback of callbacks.slice(1)) removeAbortCallback(signal, callback)
    expect(listeners()).toBe(1)
    removeAbortCallback(signal, callbacks[0] as () => void)
    expect(listeners()).toBe(0)
  })

  it('calls functions and onAbort objects once on abort, and only those still registered', () => {
    const { controller, signal } = countingSignal()
    const fn = vi.fn()
    const gone = vi.fn()
    const object = { onAbort: vi.fn() }
    addAbortCallback(signal, fn)
    addAbortCallback(signal, gone)
    addAbortCallback(signal, object)
    removeAbortCallback(signal, gone)
    controller.abort()
    controller.abort()
    expect(fn).toHaveBeenCalledTimes(1)
    expect(object.onAbort).toHaveBeenCalledTimes(1)
    expect(gone).not.toHaveBeenCalled()
  })

  it('a callback that removes another during the abort does not skip or break the rest', () => {
    const { controller, signal } = countingSignal()
    const calls: string[] = []
    const second = () => calls.push('second')
    addAbortCallback(signal, () => {
      calls.push('first')
      removeAbortCallback(signal, second)
    })
    addAbortCallback(signal, second)
    controller.abort()
    // The hub iterates a copy: the abort reaches every callback registered when it fired.
    expect(calls).toEqual(['first', 'second'])
  })

  it('removing an unknown callback is a no-op', () => {
    const { signal, listeners } = countingSignal()
    expect(() => removeAbortCallback(signal, () => {})).not.toThrow()
    expect(listeners()).toBe(0)
  })
})
