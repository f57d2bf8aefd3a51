/*
 * Putting answers on the wire: whole, slowly, or later, with every timer tied to its response
 * and cleared when the simulator closes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Rendered } from './render.js'

/** The largest JSON body the simulator reads. */
export const MAX_BODY_BYTES = 1 << 20

/** An answer ready for the wire. */
export interface Wire {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** A rendered JSON answer as a {@link Wire}. */
export function jsonWire(rendered: Rendered, extraHeaders: Record<string, string> = {}): Wire {
  return {
    status: rendered.status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...rendered.headers,
      ...extraHeaders,
    },
    body: Buffer.from(JSON.stringify(rendered.body)),
  }
}

/** The simulator's own error (not a vendor's): unknown routes, the control endpoint. */
export function controlError(status: number, message: string): Wire {
  return jsonWire({ status, body: { error: { message, type: 'simulator' } } })
}

/** Reads a request body up to `limit` bytes. */
export async function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > limit) return 'too-large'
    chunks.push(buffer)
  }
  return Buffer.concat(chunks)
}

/** Parses JSON text; an empty body is `undefined`. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: text.trim() === '' ? undefined : JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

/** Sends answers and owns the timers of delayed ones. */
export class Delivery {
  private readonly timers = new Set<NodeJS.Timeout>()
  private closed = false

  /** Sends a whole answer (nothing if the response is gone or already started). */
  send(res: ServerResponse, wire: Wire): void {
    if (res.destroyed || res.headersSent) return
    res.writeHead(wire.status, { ...wire.headers, 'content-length': String(wire.body.length) })
    res.end(wire.body)
  }

  /** Sends the headers at once, then the body in `chunks` pieces `delayMs` apart. */
  sendSlowly(res: ServerResponse, wire: Wire, chunks: number, delayMs: number): void {
    if (res.destroyed) return
    res.writeHead(wire.status, { ...wire.headers, 'content-length': String(wire.body.length) })
    res.flushHeaders()
    const size = Math.max(1, Math.ceil(wire.body.length / chunks))
    let offset = 0
    const step = () => {
      if (res.destroyed) return
      const piece = wire.body.subarray(offset, offset + size)
      offset += size
      if (offset >= wire.body.length) res.end(piece)
      else {
        res.write(piece)
        this.schedule(res, delayMs, step)
      }
    }
    this.schedule(res, delayMs, step)
  }

  /** A timer tied to a response: cleared when the response closes or the simulator does. */
  schedule(res: ServerResponse, ms: number, run: () => void): void {
    if (this.closed) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      res.off('close', cancel)
      run()
    }, ms)
    const cancel = () => {
      clearTimeout(timer)
      this.timers.delete(timer)
    }
    this.timers.add(timer)
    res.once('close', cancel)
  }

  /** A timer not tied to a response (callbacks); cleared on {@link shutdown}. */
  later(ms: number, run: () => void): void {
    if (this.closed) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      run()
    }, ms)
    timer.unref()
    this.timers.add(timer)
  }

  /** Whether {@link shutdown} ran. */
  get isClosed(): boolean {
    return this.closed
  }

  /** Clears every timer; nothing is scheduled afterwards. */
  shutdown(): void {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }
}
