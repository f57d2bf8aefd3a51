import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A pass-through HTTP proxy in front of the simulator that notes when each request arrives, so
 * a test can count requests per one-second window where the vendor would.
 */
export interface CountingProxy {
  readonly baseURL: string
  /** Arrival times (`performance.now()` ms) of every request, in order. */
  readonly arrivals: number[]
  close(): Promise<void>
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target)
  const arrivals: number[] = []
  const server: Server = createServer((incoming, outgoing) => {
    arrivals.push(performance.now())
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers)
        response.pipe(outgoing)
      },
    )
    forwarded.on('error', () => outgoing.destroy())
    incoming.pipe(forwarded)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The most requests in any one-second window (sliding: every window that starts at a request). */
export function maxPerSecond(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b)
  let max = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= 1000) start++
    max = Math.max(max, end - start + 1)
  }
  return max
}
