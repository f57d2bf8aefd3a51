import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { downloadToFile } from '../../src/download/index.js'
import { DownloadError } from '../../src/errors.js'
import { BODY, listDirectory, sendBody, sha256, startServer, tempDirectory } from './servers.js'

/*
 * Dropped connections over real sockets: resumed with Range where the server supports it. A cut
 * connection can lose what the client had buffered but not yet stored (undici discards a failed
 * stream's buffer), so a resume starts at or a little before the cut: at the bytes stored.
 */

/** The offset a `Range: bytes=N-` asks for. */
const rangeStart = (header: string | string[] | undefined) =>
  Number(/^bytes=(\d+)-$/.exec(String(header))?.[1] ?? Number.NaN)

const CUT = Math.floor(BODY.length * 0.6)
const FAST = { minRetryDelayMs: 0 }

describe('resuming a dropped download', () => {
  it('resumes a 60 % cut with Range and If-Range, and the file is byte-identical', async () => {
    const server = await startServer((request, response, index) =>
      sendBody(request, response, BODY, index === 0 ? { cutAt: CUT } : {}),
    )
    const dir = await tempDirectory()
    const result = await downloadToFile({
      url: `${server.origin}/v.mp4`,
      to: join(dir, 'v.mp4'),
      ...FAST,
    })

    expect(sha256(await readFile(join(dir, 'v.mp4')))).toBe(sha256(BODY))
    expect(server.requests).toHaveLength(2)
    expect(server.requests[0]?.headers.range).toBeUndefined()
    const resumedAt = rangeStart(server.requests[1]?.headers.range)
    expect(resumedAt).toBeGreaterThan(CUT / 2)
    expect(resumedAt).toBeLessThanOrEqual(CUT)
    expect(server.requests[1]?.headers['if-range']).toBe('"v1"')
    expect(result).toMatchObject({
      bytes: BODY.length,
      totalBytes: BODY.length,
      resumes: 1,
      restarts: 0,
      attempts: 2,
    })
    expect(await listDirectory(dir)).toEqual(['v.mp4'])
  })

  it('resumes twice in a row, each from where the bytes stopped', async () => {
    const cuts = [300_000, 700_000]
    const server = await startServer((request, response, index) =>
      sendBody(request, response, BODY, { cutAt: cuts[index] }),
    )
    const dir = await tempDirectory()
    await downloadToFile({ url: `${server.origin}/v.mp4`, to: join(dir, 'v.mp4'), ...FAST })
    const starts = server.requests.map((request) => rangeStart(request.headers.range))
    expect(starts).toHaveLength(3)
    expect(starts[0]).toBeNaN()
    expect(starts[1]).toBeGreaterThan(0)
    expect(starts[1]).toBeLessThanOrEqual(300_000)
    expect(starts[2]).toBeGreaterThan(300_000)
    expect(starts[2]).toBeLessThanOrEqual(700_000)
    expect(sha256(await readFile(join(dir, 'v.mp4')))).toBe(sha256(BODY))
  })

  it('uses Last-Modified as the If-Range validator when the ETag is weak', async () => {
    const lastModified = 'Tue, 01 Dec 2026 10:00:00 GMT'
    const server = await startServer((request, response, index) =>
      sendBody(request, response, BODY, {
        etag: 'W/"weak"',
        lastModified,
        ...(index === 0 ? { cutAt: CUT } : {}),
      }),
    )
    const dir = await tempDirectory()
    await downloadToFile({ url: `${server.origin}/v.mp4`, to: join(dir, 'v.mp4'), ...FAST })
    expect(server.requests[1]?.headers['if-range']).toBe(lastModified)
    expect(sha256(await readFile(join(dir, 'v.mp4')))).toBe(sha256(BODY))
  })

  it('starts over cleanly when the server ignores Range (200 again)', async () => {
    const server = await startServer((request, response, index) =>
      sendBody(request, response, BODY, { ranges: false, ...(index === 0 ? { cutAt: CUT } : {}) }),
    )
    const dir = await tempDirectory()
    const result = await downloadToFile({
      url: `${server.origin}/v.mp4`,
      to: join(dir, 'v.mp4'),
      ...FAST,
    })
    // It asked for the rest, got the whole body, and did not append it to the first 60 %.
    expect(rangeStart(server.requests[1]?.headers.range)).toBeGreaterThan(0)
    expect(result).toMatchObject({ bytes: BODY.length, resumes: 0, restarts: 1 })
    const written = await readFile(join(dir, 'v.mp4'))
    expect(written.length).toBe(BODY.length)
    expect(sha256(written)).toBe(sha256(BODY))
  })

  it('starts over when the file changed (If-Range fails: 200 with a new ETag)', async () => {
    const changed = Buffer.from(BODY).reverse()
    const server = await startServer((request, response, index) =>
      index === 0
        ? sendBody(request, response, BODY, { cutAt: CUT })
        : sendBody(request, response, changed, { etag: '"v2"' }),
    )
    const dir = await tempDirectory()
    const result = await downloadToFile({
      url: `${server.origin}/v.mp4`,
      to: join(dir, 'v.mp4'),
      ...FAST,
    })
    expect(result.restarts).toBe(1)
    expect(sha256(await readFile(join(dir, 'v.mp4')))).toBe(sha256(changed))
  })

  it('starts over when a 206 does not continue at the stored offset', async () => {
    const server = await startServer((request, response, index) => {
      if (index === 1) {
        // Claims a range starting at 0 while the client asked for CUT.
        response.writeHead(206, {
          'content-range': `bytes 0-${BODY.length - 1}/${BODY.length}`,
          'content-length': BODY.length,
        })
        response.end(BODY)
        return
      }
      sendBody(request, response, BODY, index === 0 ? { cutAt: CUT } : {})
    })
    const dir = await tempDirectory()
    const result = await downloadToFile({
      url: `${server.origin}/v.mp4`,
      to: join(dir, 'v.mp4'),
      ...FAST,
    })
    expect(server.requests[2]?.headers.range).toBeUndefined()
    expect(result.restarts).toBe(1)
    expect(sha256(await readFile(join(dir, 'v.mp4')))).toBe(sha256(BODY))
  })

  it('gives up after its retry budget, with a retryable DownloadError and no file left', async () => {
    const server = await startServer((request, response) =>
      // Every answer is cut 100 kB after where it starts.
      sendBody(request, response, BODY, {
        cutAt: (rangeStart(request.headers.range) || 0) + 100_000,
      }),
    )
    const dir = await tempDirectory()
    const error = await downloadToFile({
      url: `${server.origin}/v.mp4`,
      to: join(dir, 'v.mp4'),
      retries: 2,
      ...FAST,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadError)
    expect(error).toMatchObject({ retryable: true, status: null })
    expect(server.requests).toHaveLength(3)
    expect(await listDirectory(dir)).toEqual([])
  })
})
