import { createTransport, type Transport } from '../../src/transport.js'
import type { Clock } from '../../src/wait/timer-queue.js'

/**
 * A virtual clock that moves only while the client is idle: when no request is in flight, the
 * earliest timer fires with the time set to its due time. So a 4 s `Retry-After` or a 10 min
 * deadline costs no real time, and a deadline never fires while a read is on the wire.
 */
export function idleClock(): { clock: Clock; transport: Transport } {
  let now = Date.UTC(2026, 0, 1)
  let nextId = 1
  let inFlight = 0
  let pumping = false
  const timers = new Map<number, { at: number; callback: () => void }>()
  const pump = () => {
    pumping = false
    if (timers.size === 0) return
    if (inFlight > 0) return wake()
    let earliest: [number, { at: number; callback: () => void }] | undefined
    for (const entry of timers) if (!earliest || entry[1].at < earliest[1].at) earliest = entry
    if (!earliest) return
    timers.delete(earliest[0])
    now = Math.max(now, earliest[1].at)
    earliest[1].callback()
    wake()
  }
  const wake = () => {
    if (pumping) return
    pumping = true
    setImmediate(pump)
  }
  const inner = createTransport()
  const transport: Transport = {
    async send(request) {
      inFlight++
      try {
        return await inner.send(request)
      } finally {
        inFlight--
        wake()
      }
    },
    close: () => inner.close(),
  }
  const clock: Clock = {
    now: () => now,
    setTimeout(callback, delayMs) {
      const id = nextId++
      timers.set(id, { at: now + Math.max(0, delayMs), callback })
      wake()
      return id
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number)
    },
  }
  return { clock, transport }
}
