import type { Transport, TransportRequest, TransportResponse } from '../../src/transport.js'

/** What the fake server answers to one request: a response, an error to throw, or a hang. */
export type Reply =
  | TransportResponse
  | { error: unknown }
  | { hang: true }
  | ((request: TransportRequest) => TransportResponse | { error: unknown } | { hang: true })

/**
 * An in-memory transport that answers from a script, one reply per request (the last reply
 * repeats). A hung request settles only when its signal aborts, like a real one.
 */
export class FakeTransport implements Transport {
  readonly requests: TransportRequest[] = []
  /** Requests whose signal aborted while they were in flight. */
  aborted = 0
  #replies: Reply[]
  closed = false

  constructor(replies: Reply[]) {
    this.#replies = replies
  }

  /** Replaces the replies still to come. */
  script(replies: Reply[]): void {
    this.#replies = replies
  }

  send(request: TransportRequest): Promise<TransportResponse> {
    this.requests.push(request)
    const next = this.#replies.length > 1 ? this.#replies.shift() : this.#replies[0]
    if (!next) return Promise.reject(new Error('FakeTransport has no reply scripted'))
    const reply = typeof next === 'function' ? next(request) : next
    return new Promise((resolve, reject) => {
      const signal = request.signal
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      signal?.addEventListener(
        'abort',
        () => {
          this.aborted++
          reject(signal.reason)
        },
        { once: true },
      )
      if ('hang' in reply) return
      queueMicrotask(() => ('error' in reply ? reject(reply.error) : resolve(reply)))
    })
  }

  async close(): Promise<void> {
    this.closed = true
  }
}

/** A JSON response. */
export function json(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): TransportResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }
}
