import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { downloadToFile } from '../../src/download/index.js'
import {
  DownloadError,
  DownloadIntegrityError,
  DownloadTooLargeError,
  VideoTaskError,
} from '../../src/errors.js'
import { BODY, listDirectory, sendBody, sha256, startServer, tempDirectory } from './servers.js'

/*
 * Failures of every kind leave nothing under the final name and no temporary file. The time
 * limits are small real ones (the server stalls forever, so only the limit can end the wait).
 */

const FAST = { minRetryDelayMs: 0 }

describe('limits, verification and cleanup', () => {
  it('refuses a body announced over maxBytes before storing a byte', async () => {
    const server = await startServer((request, response) => sendBody(request, response, BODY))
    const dir = await tempDirectory()
    const error = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      maxBytes: BODY.length - 1,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadTooLargeError)
    expect(error).toMatchObject({
      announcedBytes: BODY.length,
      maxBytes: BODY.length - 1,
      receivedBytes: 0,
    })
    expect(await listDirectory(dir)).toEqual([])
  })

  it('cuts off a body without Content-Length once it passes maxBytes', async () => {
    const server = await startServer((request, response) =>
      sendBody(request, response, BODY, { chunked: true }),
    )
    const dir = await tempDirectory()
    const error = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      maxBytes: 100_000,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadTooLargeError)
    expect(error).toMatchObject({ announcedBytes: null, retryable: false })
    expect((error as DownloadTooLargeError).receivedBytes).toBeLessThanOrEqual(100_000)
    expect(server.requests).toHaveLength(1)
    expect(await listDirectory(dir)).toEqual([])
  })

  it('accepts a body of exactly maxBytes', async () => {
    const server = await startServer((request, response) => sendBody(request, response, BODY))
    const dir = await tempDirectory()
    const result = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      maxBytes: BODY.length,
    })
    expect(result.bytes).toBe(BODY.length)
  })

  it('verifies a checksum, and a mismatch leaves no file', async () => {
    const server = await startServer((request, response) => sendBody(request, response, BODY))
    const dir = await tempDirectory()
    const good = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'good'),
      checksum: { algorithm: 'sha256', hex: sha256(BODY).toUpperCase() },
    })
    expect(good.sha256).toBe(sha256(BODY))

    const wrong = sha256(Buffer.from('something else'))
    const error = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'bad'),
      checksum: { algorithm: 'sha256', hex: wrong },
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadIntegrityError)
    expect(error).toMatchObject({ check: 'sha256', expected: wrong, actual: sha256(BODY) })
    expect(await listDirectory(dir)).toEqual(['good'])
  })

  it('keeps the checksum right across a resume', async () => {
    const server = await startServer((request, response, index) =>
      sendBody(request, response, BODY, index === 0 ? { cutAt: 400_000 } : {}),
    )
    const dir = await tempDirectory()
    const result = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      checksum: { algorithm: 'sha256', hex: sha256(BODY) },
      ...FAST,
    })
    expect(result.resumes).toBe(1)
  })

  it('a short body (connection closed early, no retries) fails and leaves nothing', async () => {
    const server = await startServer((request, response) =>
      sendBody(request, response, BODY, { cutAt: 500_000 }),
    )
    const dir = await tempDirectory()
    const error = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      retries: 0,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadError)
    expect(error).toMatchObject({ retryable: true })
    expect(await listDirectory(dir)).toEqual([])
  })

  it('leaves an existing file under the final name untouched when the download fails', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(404)
      response.end()
    })
    const dir = await tempDirectory()
    await writeFile(join(dir, 'v'), 'previous')
    const error = await downloadToFile({
      url: `${server.origin}/v?token=s3cr3t`,
      to: join(dir, 'v'),
    }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ status: 404, retryable: false })
    expect((error as Error).message).not.toContain('s3cr3t')
    expect((error as DownloadError).url).toBe(`${server.origin}/v`)
    expect(await readFile(join(dir, 'v'), 'utf8')).toBe('previous')
    expect(await listDirectory(dir)).toEqual(['v'])
  })

  it('no message, property or cause holds the key or the signed query string', async () => {
    const key = 'sk-never-leak-0123456789abcdef'
    const cdn = await startServer((request, response) =>
      sendBody(request, response, BODY, { cutAt: 100_000 }),
    )
    const provider = await startServer((_request, response) => {
      response.writeHead(302, { location: `${cdn.origin}/v.mp4?X-Amz-Signature=sig-never-leak` })
      response.end()
    })
    const dir = await tempDirectory()
    const error = await downloadToFile({
      url: `${provider.origin}/content?token=query-never-leak`,
      headers: { authorization: `Bearer ${key}` },
      to: join(dir, 'v'),
      retries: 0,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadError)
    const shown = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${String(error)}`
    expect(shown).not.toContain(key)
    expect(shown).not.toContain('never-leak')
  })

  it('retries a 503 and then succeeds', async () => {
    const server = await startServer((request, response, index) => {
      if (index === 0) {
        response.writeHead(503)
        response.end()
      } else sendBody(request, response, BODY)
    })
    const dir = await tempDirectory()
    const result = await downloadToFile({ url: `${server.origin}/v`, to: join(dir, 'v'), ...FAST })
    expect(result.attempts).toBe(2)
  })

  it('abort mid-stream rejects with the reason and removes the temporary file', async () => {
    const server = await startServer((request, response) =>
      sendBody(request, response, BODY, { stallAt: 300_000 }),
    )
    const dir = await tempDirectory()
    const controller = new AbortController()
    const reason = new Error('user cancelled')
    const error = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      signal: controller.signal,
      // Aborts once bytes are flowing: the temporary file exists by then.
      onProgress: ({ receivedBytes }) => {
        if (receivedBytes > 0) controller.abort(reason)
      },
    }).catch((caught: unknown) => caught)
    expect(error).toBe(reason)
    expect(await listDirectory(dir)).toEqual([])
  })

  it('a stall hits the idle limit (timedOut), and nothing is left', async () => {
    const server = await startServer((request, response) =>
      sendBody(request, response, BODY, { stallAt: 200_000 }),
    )
    const dir = await tempDirectory()
    const started = performance.now()
    const error = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      idleTimeoutMs: 150,
      retries: 0,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadError)
    expect(error).toMatchObject({ timedOut: true, retryable: true })
    expect((error as Error).message).toContain('stalled')
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(await listDirectory(dir)).toEqual([])
  })

  it('a stall once is resumed after the idle limit', async () => {
    const server = await startServer((request, response, index) =>
      sendBody(request, response, BODY, index === 0 ? { stallAt: 200_000 } : {}),
    )
    const dir = await tempDirectory()
    const result = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      idleTimeoutMs: 150,
      ...FAST,
    })
    expect(result.resumes).toBe(1)
    expect(sha256(await readFile(join(dir, 'v')))).toBe(sha256(BODY))
  })

  it('timeoutMs ends the whole download with a timed-out DownloadError', async () => {
    const server = await startServer((request, response) =>
      sendBody(request, response, BODY, { stallAt: 200_000 }),
    )
    const dir = await tempDirectory()
    const error = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'v'),
      timeoutMs: 150,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadError)
    expect(error).toMatchObject({ timedOut: true })
    expect((error as Error).message).toContain('timeoutMs (150 ms)')
    expect(await listDirectory(dir)).toEqual([])
  })

  it('refuses bad options with a TypeError naming them, before any request', async () => {
    const server = await startServer((request, response) => sendBody(request, response, BODY))
    const dir = await tempDirectory()
    const to = join(dir, 'v')
    const url = `${server.origin}/v`
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ url: 'ftp://x/v', to }, /`url`/],
      [{ url, to: '' }, /`to`/],
      [{ url, to, maxBytes: 0 }, /`maxBytes`/],
      [{ url, to, retries: 1.5 }, /`retries`/],
      [{ url, to, checksum: { algorithm: 'md5', hex: 'ab' } }, /checksum.algorithm/],
      [{ url, to, checksum: { algorithm: 'sha256', hex: 'xyz' } }, /checksum.hex/],
      [{ url, to, expiresAt: 'not a date' }, /`expiresAt`/],
      [{ url, to, headers: { authorization: 1 } }, /`headers`/],
      [{ url, to, credentialOrigin: 'api.openai.com' }, /`credentialOrigin`/],
      [{ url, to, idleTimeoutMs: -1 }, /`idleTimeoutMs`/],
      [{ url, to, headersTimeoutMs: 2 ** 31 }, /`headersTimeoutMs`/],
    ]
    for (const [options, message] of cases) {
      const error = await downloadToFile(options as never).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(TypeError)
      expect((error as Error).message).toMatch(message)
    }
    expect(server.requests).toHaveLength(0)
    expect(await listDirectory(dir)).toEqual([])
  })

  it('a missing directory is a DownloadError, not a raw fs error', async () => {
    const server = await startServer((request, response) => sendBody(request, response, BODY))
    const dir = await tempDirectory()
    const error = await downloadToFile({
      url: `${server.origin}/v`,
      to: join(dir, 'no', 'v'),
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(VideoTaskError)
    expect(error).toBeInstanceOf(DownloadError)
    expect(server.requests).toHaveLength(0)
  })
})
