import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One scripted answer: a JSON body with a status, or a hang (the request is never answered). */
export type Step = { status?: number; body: unknown; headers?: Record<string, string> } | 'hang'

/**
 * A tiny OpenAI-shaped task server on 127.0.0.1 (port 0) for tests over real sockets. Each task
 * id follows its own script of steps, one per request; the last step repeats.
 */
export class TaskServer {
  readonly server: Server
  readonly scripts = new Map<string, Step[]>()
  readonly requests: Array<{ method: string; url: string; authorization: string | undefined }> = []
  connections = 0
  /** Requests whose client went away before they were answered. */
  closedEarly = 0
  baseURL = ''

  constructor() {
    this.server = createServer((request, response) => this.#handle(request, response))
    this.server.on('connection', () => {
      this.connections++
    })
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    const { port } = this.server.address() as AddressInfo
    this.baseURL = `http://127.0.0.1:${port}`
    return this
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    this.requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
    })
    const id = decodeURIComponent((request.url ?? '').split('/').pop() ?? '')
    const script = this.scripts.get(id)
    const step = script && (script.length > 1 ? script.shift() : script[0])
    if (!step) {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({ error: { message: 'Video task not found', code: 'task_not_found' } }),
      )
      return
    }
    if (step === 'hang') {
      request.on('close', () => {
        if (!response.writableEnded) this.closedEarly++
      })
      return
    }
    response.writeHead(step.status ?? 200, { 'content-type': 'application/json', ...step.headers })
    response.end(JSON.stringify(step.body))
  }
}

/** An OpenAI video object. */
export function videoBody(id: string, status: string, extra: Record<string, unknown> = {}) {
  return { id, object: 'video', status, progress: 0, created_at: 1_700_000_000, ...extra }
}
