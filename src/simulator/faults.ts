/*
 * The fault table: each fault kind and what it does to an answer. `FaultKind` is derived from it,
 * so a new kind is one entry here (and its TSDoc on `FaultKind`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Delivery, Wire } from './delivery.js'
import { type ErrorKind, proxyErrorPage } from './render.js'
import type { FaultSpec, RetryAfterStyle } from './types.js'

/** Every fault kind, in the order the docs list them. */
export const FAULT_KINDS = [
  'latency',
  'hang',
  'reset',
  'rate-limit',
  'server-error',
  'empty-body',
  'truncated-json',
  'wrong-shape',
  'progress-backwards',
  'unknown-status',
  'vendor-error-200',
  'slow-body',
  'unauthorized',
  'forbidden',
  'not-found',
] as const satisfies readonly string[]

type Kind = (typeof FAULT_KINDS)[number]

/** What a fault handler can do with the request it spoils. */
export interface FaultContext {
  fault: FaultSpec
  req: IncomingMessage
  res: ServerResponse
  delivery: Delivery
  /** The simulator's clock now. */
  now: number
  /** The answer the request would get without a fault (status faults already applied). */
  normal(): Wire
  /** The vendor's error answer. */
  error(kind: ErrorKind, headers?: Record<string, string>): Wire
  /** A 200 carrying the vendor's error. */
  vendorError200(): Wire
  /** Valid JSON of an unrelated shape. */
  wrongShape(): Wire
  /** Headers every answer of this vendor carries (a request id). */
  extraHeaders: Record<string, string>
}

/** What a fault does. */
export type FaultHandler = (context: FaultContext) => void

/** The retry hint headers of a 429 or 5xx. */
export function retryHeaders(
  style: RetryAfterStyle,
  ms: number,
  now: number,
): Record<string, string> {
  const seconds = String(Math.ceil(ms / 1000))
  switch (style) {
    case 'seconds':
      return { 'retry-after': seconds }
    case 'http-date':
      // HTTP dates have whole seconds: round up, so the date is never before now + ms.
      return { 'retry-after': new Date(Math.ceil((now + ms) / 1000) * 1000).toUTCString() }
    case 'ms':
      return { 'retry-after-ms': String(Math.round(ms)) }
    case 'ms-and-seconds':
      return { 'retry-after-ms': String(Math.round(ms)), 'retry-after': seconds }
    case 'none':
      return {}
  }
}

const sendNormal: FaultHandler = ({ res, delivery, normal }) => delivery.send(res, normal())

/** Fault kind -> what it does. */
export const FAULT_HANDLERS: Record<Kind, FaultHandler> = {
  latency: ({ res, delivery, normal, fault }) => {
    const wire = normal()
    delivery.schedule(res, fault.delayMs ?? 250, () => delivery.send(res, wire))
  },
  // Never answer: the client gives up, or close() destroys the connection.
  hang: () => {},
  reset: ({ req }) => {
    req.socket.resetAndDestroy()
  },
  'rate-limit': ({ res, delivery, error, fault, now }) =>
    delivery.send(
      res,
      error(
        'rate-limit',
        retryHeaders(fault.retryAfter ?? 'seconds', fault.retryAfterMs ?? 1000, now),
      ),
    ),
  'server-error': ({ res, delivery, error, fault, now }) => {
    const status = fault.status ?? 502
    const headers = retryHeaders(fault.retryAfter ?? 'none', fault.retryAfterMs ?? 1000, now)
    if (fault.body === 'vendor') {
      delivery.send(res, { ...error('server-error', headers), status })
      return
    }
    delivery.send(res, {
      status,
      headers: { 'content-type': 'text/html', ...headers },
      body: Buffer.from(proxyErrorPage(status)),
    })
  },
  'empty-body': ({ res, delivery, extraHeaders }) =>
    delivery.send(res, {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', ...extraHeaders },
      body: Buffer.alloc(0),
    }),
  'truncated-json': ({ res, delivery, normal }) => {
    const wire = normal()
    delivery.send(res, { ...wire, body: wire.body.subarray(0, Math.floor(wire.body.length / 2)) })
  },
  'wrong-shape': ({ res, delivery, wrongShape }) => delivery.send(res, wrongShape()),
  // Applied while rendering the status answer.
  'progress-backwards': sendNormal,
  'unknown-status': sendNormal,
  'vendor-error-200': ({ res, delivery, vendorError200 }) => delivery.send(res, vendorError200()),
  'slow-body': ({ res, delivery, normal, fault }) =>
    delivery.sendSlowly(res, normal(), fault.chunks ?? 4, fault.delayMs ?? 50),
  unauthorized: ({ res, delivery, error }) => delivery.send(res, error('unauthorized')),
  forbidden: ({ res, delivery, error }) => delivery.send(res, error('forbidden')),
  'not-found': ({ res, delivery, error }) => delivery.send(res, error('not-found')),
}
