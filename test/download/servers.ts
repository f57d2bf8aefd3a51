import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

/*
 * Real servers for the download tests: node:http on 127.0.0.1, port 0. Two servers are two
 * origins (the port differs), which is what the credential rules look at.
 */

/** A request as the server saw it. */
export interface SeenRequest {
  url: string
  headers: IncomingHttpHeaders
}

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  origin: string
  requests: SeenRequest[]
}

type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void

const servers: Server[] = []
const directories: string[] = []

afterEach(async () => {
  for (const server of servers) server.closeAllConnections()
  await Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  )
  await Promise.all(directories.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** Starts a server; `index` counts the requests it received, from 0. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const server = createServer()
  const state: TestServer = { origin: '', requests: [] }
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    state.requests.push({ url: request.url ?? '', headers: request.headers })
    handler(request, response, state.requests.length - 1)
  })
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return state
}

/** A fresh empty directory, removed after the test. */
export async function tempDirectory(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'video-tasks-download-'))
  directories.push(dir)
  return dir
}

/** The names in a directory (to prove no temporary file is left). */
export const listDirectory = (dir: string) => readdir(dir)

/** 1 MiB of random bytes: a body whose every byte matters. */
export const BODY = randomBytes(1024 * 1024)

/** The SHA-256 of `bytes` as hex. */
export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** How {@link sendBody} answers. */
export interface SendOptions {
  /** Honour `Range: bytes=N-` (with `If-Range` against `etag`). @default true */
  ranges?: boolean
  /** The ETag sent. @default '"v1"' */
  etag?: string | null
  /** `Last-Modified` sent. */
  lastModified?: string
  /** Cut the connection after this absolute byte offset. */
  cutAt?: number
  /** Send up to this absolute offset, then stall (never end). */
  stallAt?: number
  /** Leave out `Content-Length` (chunked). */
  chunked?: boolean
}

/** Answers a GET for `body` like a CDN: 200, or 206 for a range, with faults on request. */
export function sendBody(
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
  options: SendOptions = {},
): void {
  const etag = options.etag === undefined ? '"v1"' : options.etag
  const validators = [etag, options.lastModified].filter(Boolean)
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '')
  const ifRange = request.headers['if-range']
  const honoured =
    (options.ranges ?? true) &&
    match &&
    (ifRange === undefined || validators.includes(String(ifRange)))
  const start = honoured ? Number(match?.[1]) : 0
  const headers: Record<string, string | number> = { 'content-type': 'video/mp4' }
  if (etag) headers.etag = etag
  if (options.lastModified) headers['last-modified'] = options.lastModified
  if (options.ranges ?? true) headers['accept-ranges'] = 'bytes'
  if (!options.chunked) headers['content-length'] = body.length - start
  if (honoured) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`
  response.writeHead(honoured ? 206 : 200, headers)
  if (options.cutAt !== undefined && options.cutAt > start) {
    response.write(body.subarray(start, options.cutAt), () => response.socket?.destroySoon())
  } else if (options.stallAt !== undefined && options.stallAt > start) {
    response.write(body.subarray(start, options.stallAt))
  } else {
    response.end(body.subarray(start))
  }
}
