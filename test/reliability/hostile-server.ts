import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Snapshot, TaskRecord } from '../../src/simulator/timeline.js'
import { vendorOf } from '../../src/simulator/vendors/index.js'
import type { ProviderName } from './providers.js'

/** A request as the server saw it, byte for byte where it matters. */
export interface SeenRequest {
  method: string
  /** The request target exactly as sent (path and query, still percent-encoded). */
  url: string
  authorization: string | undefined
  /** The `x-goog-api-key` header (Gemini sends its key there, not in `Authorization`). */
  googApiKey: string | undefined
  body: string
}

/**
 * The credential a request carried, as sent: the `Authorization` header, else the vendor key
 * header. What a hostile server echoes back.
 */
export function sentCredential(seen: SeenRequest): string {
  return seen.authorization ?? seen.googApiKey ?? ''
}

/** The key a request carried: a bearer token, or the vendor key header's value. */
export function sentKey(seen: SeenRequest): string | undefined {
  return /^Bearer (.+)$/.exec(seen.authorization ?? '')?.[1] ?? seen.googApiKey
}

/** What the server does with a request; `seen.body` is already read. */
export type Handler = (
  seen: SeenRequest,
  response: ServerResponse,
  request: IncomingMessage,
) => void

/**
 * A node:http server on 127.0.0.1 (port 0) for tests over real sockets: it records every request
 * and lets the test answer as any server might, hostile ones included. `close()` ends every
 * connection, hung ones too.
 */
export class HostileServer {
  readonly requests: SeenRequest[] = []
  readonly sockets = new Set<Socket>()
  connections = 0
  url = ''
  readonly #server: Server

  constructor(handler: Handler, options: { maxHeaderSize?: number } = {}) {
    this.#server = createServer({ maxHeaderSize: options.maxHeaderSize ?? 64 * 1024 })
    this.#server.on('connection', (socket: Socket) => {
      this.connections++
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    this.#server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const seen: SeenRequest = {
          method: request.method ?? '',
          url: request.url ?? '',
          authorization: request.headers.authorization,
          googApiKey: request.headers['x-goog-api-key'] as string | undefined,
          body: Buffer.concat(chunks).toString('utf8'),
        }
        this.requests.push(seen)
        handler(seen, response, request)
      })
    })
  }

  async start(): Promise<this> {
    this.#server.listen(0, '127.0.0.1')
    await once(this.#server, 'listening')
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}

/** Answers JSON. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  })
  response.end(text)
}

/**
 * The task id a request asks for: the last path segment, `taskId` in a check-result body, or the
 * query parameter's value for routes that take the id in the query (`/tasks?task_ids=<id>`).
 */
export function requestedId(seen: SeenRequest): string {
  if (seen.method === 'POST') {
    try {
      return String((JSON.parse(seen.body) as { taskId?: unknown }).taskId)
    } catch {
      return ''
    }
  }
  const url = new URL(seen.url, 'http://x')
  const query = [...url.searchParams.values()]
  if (query.length > 0) return query.at(-1) ?? ''
  const path = url.pathname
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1))
}

/**
 * Whether a vendor's answers can carry a status the SDK does not know. Gemini's cannot: an
 * operation has no status word, only `done`.
 */
export function hasUnknownState(provider: ProviderName): boolean {
  return provider !== 'gemini'
}

/** A task body in each vendor's shape. `extra` goes into the task object (the raw payload). */
export function taskBody(
  provider: ProviderName,
  id: string,
  state: 'running' | 'succeeded' | 'failed' | 'unknown',
  options: { url?: string; reason?: string; extra?: Record<string, unknown> } = {},
): unknown {
  const url = options.url ?? `https://cdn.example.test/${encodeURIComponent(id)}.mp4`
  const reason = options.reason ?? 'generation failed'
  const extra = options.extra ?? {}
  const words: Partial<Record<ProviderName, Record<typeof state, string>>> = {
    openai: {
      running: 'in_progress',
      succeeded: 'completed',
      failed: 'failed',
      unknown: 'mystery',
    },
    doubao: { running: 'IN_PROGRESS', succeeded: 'SUCCESS', failed: 'FAILURE', unknown: 'MYSTERY' },
    'generic-task': {
      running: 'Processing',
      succeeded: 'Success',
      failed: 'Failed',
      unknown: 'Mystery',
    },
    'check-result': {
      running: 'running',
      succeeded: 'succeeded',
      failed: 'failed',
      unknown: 'mystery',
    },
    minimax: { running: 'Processing', succeeded: 'Success', failed: 'Fail', unknown: 'Mystery' },
    kling: { running: 'processing', succeeded: 'succeeded', failed: 'failed', unknown: 'mystery' },
    // No status word: `done` and what came with it say it.
    gemini: { running: 'running', succeeded: 'done', failed: 'done', unknown: '' },
    runway: { running: 'RUNNING', succeeded: 'SUCCEEDED', failed: 'FAILED', unknown: 'MYSTERY' },
  }
  const vendorWords = words[provider]
  // A vendor without a hand-written shape here: the simulator's own renderer of its default
  // dialect, with `extra` at the top level of the body and no request id of its own (the
  // header's wins).
  if (vendorWords === undefined) return simulatorBody(provider, id, state, url, reason, extra)
  const status = vendorWords[state]
  const done = state === 'succeeded'
  switch (provider) {
    case 'openai':
      return {
        id,
        object: 'video',
        status,
        progress: done ? 100 : 40,
        ...(done ? { url } : {}),
        ...(state === 'failed' ? { error: { code: 'failed', message: reason } } : {}),
        ...extra,
      }
    case 'doubao':
      return {
        code: 'success',
        message: '',
        data: {
          task_id: id,
          status,
          progress: done ? '100%' : '40%',
          result_url: done ? url : '',
          fail_reason: state === 'failed' ? reason : '',
          ...extra,
        },
      }
    case 'generic-task':
      return {
        code: 0,
        message: state === 'failed' ? reason : 'success',
        data: { status, video_url: done ? url : '', ...extra },
      }
    case 'minimax':
      // No URL on a MiniMax task: the file id stands for it.
      return {
        task_id: id,
        status,
        file_id: done ? '314053136425242' : '',
        base_resp: { status_code: 0, status_msg: state === 'failed' ? reason : 'success' },
        ...extra,
      }
    case 'runway':
      return {
        id,
        status,
        createdAt: '2026-07-23T21:17:45.123Z',
        ...(state === 'running' ? { progress: 0.4 } : {}),
        ...(done ? { output: [url] } : {}),
        ...(state === 'failed' ? { failure: reason, failureCode: 'SAFETY.INPUT.TEXT' } : {}),
        ...extra,
      }
    case 'check-result':
      return {
        code: 0,
        message: 'Success',
        data: {
          status,
          progress: done ? 100 : 40,
          result_url: done ? url : null,
          failure_reason: state === 'failed' ? reason : '',
          ...extra,
        },
      }
    case 'gemini': {
      const rai = { raiMediaFilteredCount: 1, raiMediaFilteredReasons: [reason] }
      const samples = { generatedSamples: [{ video: { uri: url } }] }
      return {
        name: id,
        ...(state === 'running' || state === 'unknown'
          ? {}
          : {
              done: true,
              response: { generateVideoResponse: done ? samples : rai },
            }),
        ...extra,
      }
    }
    case 'kling':
      return {
        code: 0,
        message: 'SUCCEED',
        data: [
          {
            id,
            status,
            message: state === 'failed' ? reason : '',
            ...(done ? { outputs: [{ type: 'video', url }] } : {}),
            ...extra,
          },
        ],
      }
  }
}

/** A task body as the simulator renders it for `provider`'s default dialect. */
function simulatorBody(
  provider: ProviderName,
  id: string,
  state: 'running' | 'succeeded' | 'failed' | 'unknown',
  url: string,
  reason: string,
  extra: Record<string, unknown>,
): unknown {
  const vendor = vendorOf(provider)
  const at = Date.UTC(2025, 0, 15, 12)
  const phase = state === 'unknown' ? 'running' : state
  const finished = phase === 'succeeded' || phase === 'failed'
  const task = {
    script: {
      id,
      provider,
      dialect: vendor.dialects[0],
      model: vendor.defaultModel,
      videoUrl: url,
      failureReason: reason,
      prompt: 'A hostile test',
      progressFormat: vendor.progressFormats[0],
      progress: vendor.defaultProgress,
    },
    createdAt: at,
    fileId: '123456789012345',
  } as unknown as TaskRecord
  const snap: Snapshot = {
    phase,
    elapsedMs: 60_000,
    queuedFraction: 1,
    progress: vendor.defaultProgress === 'none' ? undefined : finished ? 100 : 40,
    createdAt: at,
    startedAt: at + 1_000,
    finishedAt: finished ? at + 60_000 : undefined,
    expiresAt: undefined,
  }
  const rendered = vendor.renderStatus(
    { task, snap, statusWord: state === 'unknown' ? 'mystery' : undefined, requestId: '' },
    vendor.dialects[0],
  )
  return { ...(rendered.body as Record<string, unknown>), ...extra }
}
