import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CallbackHandler } from './callback-handler.js'

/**
 * Answers one `node:http` request with a web handler: `toNodeListener`'s work, loaded on its
 * first request (src/client/callback-handler.ts). The body is streamed to the handler; a failure
 * anywhere is a 500 with no body.
 */
export function serveNode(
  handler: CallbackHandler,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  return (async () => {
    const headers = new Headers()
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
    }
    const method = request.method ?? 'GET'
    const hasBody = method !== 'GET' && method !== 'HEAD'
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`)
    const web = new Request(url, {
      method,
      headers,
      body: hasBody
        ? new ReadableStream<Uint8Array>({
            async start(controller) {
              try {
                for await (const chunk of request) controller.enqueue(chunk as Uint8Array)
                controller.close()
              } catch (error) {
                controller.error(error)
              }
            },
          })
        : undefined,
      // Node.js requires `duplex` for a streamed body.
      duplex: 'half',
    })
    const answer = await handler(web)
    response.writeHead(answer.status, Object.fromEntries(answer.headers))
    response.end(new Uint8Array(await answer.arrayBuffer()))
  })().catch(() => {
    if (!response.headersSent) response.writeHead(500)
    response.end()
  })
}
