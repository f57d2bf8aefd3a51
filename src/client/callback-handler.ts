import type { IncomingMessage, ServerResponse } from 'node:http'

/*
 * Vendor callbacks as nudges. A callback says "this task may have changed"; the wait then reads
 * the task, and the read decides the result: a forged or stale callback can cost a read (within
 * the client's rate cap), never a wrong answer. Types only from node:http: the handler itself is
 * web `Request` → `Response` and runs anywhere.
 */

/** What the handler needs from a client. */
export interface Nudgeable {
  /** See `VideoTaskClient.nudge`. */
  nudge(taskId: string): boolean
}

/** Options of {@link createCallbackHandler}. */
export interface CallbackHandlerOptions {
  /**
   * Checks a request before anything else (a secret token in the URL or a header, a signature
   * over the body). `false` answers 401 and nudges nothing. MiniMax documents no signature
   * (vendor-docs/native/minimax.md "Callbacks"): a secret in the `callback_url` is the usual way.
   * @default undefined: every request is accepted (a callback can only cause a read)
   */
  verify?: ((request: Request, body: string) => boolean | Promise<boolean>) | undefined
  /**
   * Reads the task id from the parsed JSON body.
   * @default `task_id`, `taskId` or `id`, at the top or inside `data`
   */
  taskIdOf?: ((payload: unknown, request: Request) => string | null | undefined) | undefined
  /**
   * Which callbacks nudge: `'final'` skips those whose status says the task is still going
   * (`processing`, `queued`, ...: the wait's own schedule covers them), so a task that calls back
   * costs about two reads; `'any'` nudges on every callback (live progress).
   * @default 'final'
   */
  nudgeOn?: 'final' | 'any' | undefined
  /**
   * The largest body read, in bytes; a larger one answers 413.
   * @default 65_536
   */
  maxBodyBytes?: number | undefined
}

/** A web handler: `Request` in, `Response` out (Next.js, Hono, Deno, Bun, workers). */
export type CallbackHandler = (request: Request) => Promise<Response>

/** The options of {@link createCallbackHandler}, checked, with their defaults. */
export interface CallbackSettings {
  verify: CallbackHandlerOptions['verify']
  taskIdOf: CallbackHandlerOptions['taskIdOf']
  nudgeOn: 'final' | 'any'
  maxBodyBytes: number
}

/**
 * Turns vendor callbacks into nudges. Answers MiniMax's verification request (a POST whose body
 * holds `challenge`) by echoing it (`{"challenge": "..."}`, within MiniMax's 3 s), and any other
 * POST naming a task (MiniMax's status callback, a gateway's notification) by nudging the
 * client's wait on it and answering 200. The body is never taken as the task: the wait reads it.
 *
 * Answers: 200 (`{ok, nudged}`: `nudged` is `false` when no wait runs for the task, or for an
 * in-progress callback under `nudgeOn: 'final'`), 400 (not JSON, or no task id), 401 (`verify`
 * said no), 405 (not a POST), 413 (body too large).
 *
 * @example
 * ```ts
 * // Next.js (app/api/video-callback/route.ts), or any framework with web Requests:
 * const handler = createCallbackHandler(client)
 * export const POST = (request: Request) => handler(request)
 *
 * // node:http
 * createServer(toNodeListener(createCallbackHandler(client))).listen(8080)
 * ```
 */
export function createCallbackHandler(
  client: Nudgeable,
  options: CallbackHandlerOptions = {},
): CallbackHandler {
  if (typeof client?.nudge !== 'function') {
    throw new TypeError('Expected `client` to be a video-tasks client (with `nudge`)')
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected callback handler options to be an object')
  }
  const { verify, taskIdOf, nudgeOn = 'final', maxBodyBytes = 65_536 } = options
  for (const [name, value] of [
    ['verify', verify],
    ['taskIdOf', taskIdOf],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`Expected \`${name}\` to be a function`)
    }
  }
  if (nudgeOn !== 'final' && nudgeOn !== 'any') {
    throw new TypeError("Expected `nudgeOn` to be 'final' or 'any'")
  }
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new TypeError('Expected `maxBodyBytes` to be a positive integer')
  }
  const settings: CallbackSettings = { verify, taskIdOf, nudgeOn, maxBodyBytes }
  // The answering code loads on the first callback: an app that never mounts a handler, or
  // only creates one, does not parse it (bench figure 5).
  let answering: Promise<typeof import('./callback-answer.js')> | undefined
  return async (request) => {
    answering ??= import('./callback-answer.js')
    const { answerCallback } = await answering
    return answerCallback(request, client, settings)
  }
}

/**
 * Mounts a web handler on `node:http` (and Express, Fastify's raw mode, Koa's `ctx.req`...): the
 * request body must not have been read yet (put it before a body parser).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * createServer(toNodeListener(createCallbackHandler(client))).listen(8080)
 * ```
 */
export function toNodeListener(
  handler: CallbackHandler,
): (request: IncomingMessage, response: ServerResponse) => void {
  // The adapting code loads on the first request, as the answering code does: an app that only
  // mounts the listener does not parse it on import (issue 12, "Cost of importing it").
  return (request, response) => {
    import('./node-listener.js').then(
      ({ serveNode }) => serveNode(handler, request, response),
      () => {
        if (!response.headersSent) response.writeHead(500)
        response.end()
      },
    )
  }
}
