import { describe, expect, it } from 'vitest'
import { downloadToStream } from '../../src/download/index.js'
import { DownloadError, DownloadIntegrityError } from '../../src/errors.js'
import { BODY, sendBody, sha256, startServer } from './servers.js'

/* A WritableStream target: bytes in order, closed on success, aborted with the error on failure. */

function collector() {
  const chunks: Uint8Array[] = []
  let closed = false
  let abortReason: unknown
  const stream = new WritableStream<Uint8Array>({
    write(chunk) {
      chunks.push(chunk)
    },
    close() {
      closed = true
    },
    abort(reason) {
      abortReason = reason
    },
  })
  return {
    stream,
    bytes: () => Buffer.concat(chunks),
    closed: () => closed,
    abortReason: () => abortReason,
  }
}

describe('downloadToStream', () => {
  it('writes the body into the stream and closes it', async () => {
    const server = await startServer((request, response) => sendBody(request, response, BODY))
    const sink = collector()
    const result = await downloadToStream({ url: `${server.origin}/v`, to: sink.stream })
    expect(sha256(sink.bytes())).toBe(sha256(BODY))
    expect(sink.closed()).toBe(true)
    expect(result).toMatchObject({ bytes: BODY.length, contentType: 'video/mp4' })
  })

  it('resumes a cut with Range into the same stream, byte-identical', async () => {
    const server = await startServer((request, response, index) =>
      sendBody(request, response, BODY, index === 0 ? { cutAt: 600_000 } : {}),
    )
    const sink = collector()
    const result = await downloadToStream({
      url: `${server.origin}/v`,
      to: sink.stream,
      minRetryDelayMs: 0,
    })
    expect(result.resumes).toBe(1)
    expect(sha256(sink.bytes())).toBe(sha256(BODY))
  })

  it('fails, and aborts the stream, when the server can only start over after bytes went out', async () => {
    const server = await startServer((request, response, index) =>
      sendBody(request, response, BODY, {
        ranges: false,
        ...(index === 0 ? { cutAt: 600_000 } : {}),
      }),
    )
    const sink = collector()
    const error = await downloadToStream({
      url: `${server.origin}/v`,
      to: sink.stream,
      minRetryDelayMs: 0,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadError)
    expect((error as Error).message).toMatch(/start over/)
    expect(sink.abortReason()).toBe(error)
    expect(sink.closed()).toBe(false)
    // No duplicated bytes were appended.
    expect(sink.bytes().length).toBeLessThanOrEqual(600_000)
  })

  it('a checksum mismatch aborts the stream instead of closing it', async () => {
    const server = await startServer((request, response) => sendBody(request, response, BODY))
    const sink = collector()
    const error = await downloadToStream({
      url: `${server.origin}/v`,
      to: sink.stream,
      checksum: { algorithm: 'sha256', hex: '0'.repeat(64) },
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadIntegrityError)
    expect(sink.closed()).toBe(false)
    expect(sink.abortReason()).toBe(error)
  })

  it('refuses a locked stream or something that is not a WritableStream', async () => {
    const stream = new WritableStream<Uint8Array>()
    stream.getWriter()
    await expect(downloadToStream({ url: 'http://127.0.0.1:1/v', to: stream })).rejects.toThrow(
      /unlocked/,
    )
    await expect(
      downloadToStream({ url: 'http://127.0.0.1:1/v', to: {} as WritableStream<Uint8Array> }),
    ).rejects.toThrow(TypeError)
  })
})
