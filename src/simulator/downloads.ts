/*
 * Serving a task's video bytes: `Content-Length`, `Range` (206 / 416), expired links, and faults
 * in the middle of the body. The bytes are generated as they stream (`body.ts`), so memory stays
 * flat whatever the size, and writes wait for the socket to drain.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseRange, simulatedBody } from './body.js'
import type { Wire } from './delivery.js'
import type { BodyFault, ResolvedDownloadScript } from './types.js'

/** Real ms between the last byte before a `reset` body fault and the reset. */
const RESET_GRACE_MS = 20

/** What {@link serveBody} sends. */
export interface BodyRequest {
  req: IncomingMessage
  res: ServerResponse
  download: ResolvedDownloadScript
  /** The fault for this download, if one is left. */
  fault: BodyFault | undefined
  /** Tells the simulator a stalled response is waiting, so close() can end it. */
  onStall?: () => void
}

/** An object store's answer to an expired signed link (S3-style `AccessDenied`, or `410`). */
export function expiredWire(status: 403 | 410): Wire {
  if (status === 410) {
    return {
      status: 410,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: Buffer.from('Gone: this link has expired\n'),
    }
  }
  return {
    status: 403,
    headers: { 'content-type': 'application/xml' },
    body: Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
    ),
  }
}

/** An object store's 404. */
export function noSuchKeyWire(): Wire {
  return {
    status: 404,
    headers: { 'content-type': 'application/xml' },
    body: Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
    ),
  }
}

/** Streams the body (or the asked range of it), applying a mid-stream fault. */
export async function serveBody({
  req,
  res,
  download,
  fault,
  onStall,
}: BodyRequest): Promise<void> {
  const { bytes, seed } = download
  const etag = `"sim-${seed.toString(16)}-${bytes}"`
  const headers: Record<string, string> = {
    'content-type': 'video/mp4',
    etag,
    ...(download.ranges ? { 'accept-ranges': 'bytes' } : {}),
  }
  const range = download.ranges
    ? parseRange(header(req, 'range'), bytes)
    : { kind: 'full' as const }
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${bytes}`, 'content-length': '0' })
    res.end()
    return
  }
  const start = range.kind === 'partial' ? range.start : 0
  const end = range.kind === 'partial' ? range.end : bytes
  if (range.kind === 'partial') {
    headers['content-range'] = `bytes ${start}-${end - 1}/${bytes}`
  }
  res.writeHead(range.kind === 'partial' ? 206 : 200, {
    ...headers,
    'content-length': String(end - start),
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  const stopAt = fault === undefined ? end : Math.min(end, start + fault.afterBytes)
  for (const chunk of simulatedBody(seed, bytes, start, stopAt)) {
    if (res.destroyed) return
    if (!res.write(chunk)) await drainOrClose(res)
  }
  if (res.destroyed) return
  if (fault === undefined) {
    res.end()
    return
  }
  switch (fault.kind) {
    case 'reset': {
      // Once the bytes written so far left for the client, and a moment for it to read them
      // (an RST discards what the peer has not read yet), reset.
      const socket = res.socket
      res.write(Buffer.alloc(0), () => {
        const timer = setTimeout(() => socket?.resetAndDestroy(), RESET_GRACE_MS)
        socket?.once('close', () => clearTimeout(timer))
      })
      return
    }
    case 'short':
      // The announced length was not sent: ending the connection leaves the body short.
      res.socket?.end()
      return
    case 'stall':
      onStall?.()
      return
  }
}

/** Waits for the response to drain or close, leaving no listener behind. */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}
