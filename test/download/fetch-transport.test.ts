import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { downloadToFile } from '../../src/download/index.js'
import { DownloadError } from '../../src/errors.js'
import { createDownloadTransport, type DownloadTransport } from '../../src/transport.js'
import { BODY, listDirectory, sendBody, sha256, startServer, tempDirectory } from './servers.js'

/*
 * The same engine over the platform `fetch` path of the download transport (what Bun, Deno and
 * edge runtimes use), against real sockets: resume, redirects without the key, the idle limit.
 */

const transports: DownloadTransport[] = []
afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()))
})

function fetchTransport() {
  const transport = createDownloadTransport({
    fetch: (input, init) => globalThis.fetch(input, init),
  })
  transports.push(transport)
  return transport
}

describe('downloads over fetch', () => {
  it('resumes a 60 % cut with Range and the file is byte-identical', async () => {
    const server = await startServer((request, response, index) =>
      sendBody(
        request,
        response,
        BODY,
        index === 0 ? { cutAt: Math.floor(BODY.length * 0.6) } : {},
      ),
    )
    const dir = await tempDirectory()
    const result = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      transport: fetchTransport(),
      minRetryDelayMs: 0,
    })
    expect(result.resumes).toBe(1)
    expect(server.requests[1]?.headers.range).toMatch(/^bytes=\d+-$/)
    // Bytes as stored, never a decoded body.
    expect(server.requests[0]?.headers['accept-encoding']).toBe('identity')
    expect(sha256(await readFile(join(dir, 'v')))).toBe(sha256(BODY))
  })

  it('follows a redirect to another origin without the key', async () => {
    const cdn = await startServer((request, response) => sendBody(request, response, BODY))
    const provider = await startServer((_request, response) => {
      response.writeHead(302, { location: `${cdn.origin}/v` })
      response.end()
    })
    const dir = await tempDirectory()
    await downloadToFile({
      url: `${provider.origin}/c`,
      headers: { authorization: 'Bearer sk-fetch-key-0123456789' },
      to: join(dir, 'v'),
      transport: fetchTransport(),
    })
    expect(provider.requests[0]?.headers.authorization).toBe('Bearer sk-fetch-key-0123456789')
    expect(cdn.requests[0]?.headers.authorization).toBeUndefined()
  })

  it('a stall hits the idle limit', async () => {
    const server = await startServer((request, response) =>
      sendBody(request, response, BODY, { stallAt: 100_000 }),
    )
    const dir = await tempDirectory()
    const error = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      transport: fetchTransport(),
      idleTimeoutMs: 150,
      retries: 0,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadError)
    expect(error).toMatchObject({ timedOut: true })
    expect(await listDirectory(dir)).toEqual([])
  })
})
