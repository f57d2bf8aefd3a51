import { readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { downloadToFile } from '../../src/download/index.js'
import { DownloadExpiredError } from '../../src/errors.js'
import { BODY, listDirectory, sendBody, sha256, startServer, tempDirectory } from './servers.js'

/* Expired links: a 403/410 from storage or a past `expiresAt`; one refresh, then a typed error. */

function expire(response: ServerResponse, status: number) {
  response.writeHead(status, { 'content-type': 'application/xml' })
  response.end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>')
}

describe('expired links', () => {
  it.each([403, 410])('a %i from storage, refreshUrl once, then success', async (status) => {
    const storage = await startServer((request, response) =>
      request.url?.startsWith('/old')
        ? expire(response, status)
        : sendBody(request, response, BODY),
    )
    const dir = await tempDirectory()
    const refreshUrl = vi.fn(async () => `${storage.origin}/new/v.mp4?sig=fresh`)
    const result = await downloadToFile({
      url: `${storage.origin}/old/v.mp4?sig=stale`,
      to: join(dir, 'v'),
      refreshUrl,
    })
    expect(refreshUrl).toHaveBeenCalledTimes(1)
    expect(result.refreshed).toBe(true)
    expect(storage.requests.map((request) => request.url)).toEqual([
      '/old/v.mp4?sig=stale',
      '/new/v.mp4?sig=fresh',
    ])
    expect(sha256(await readFile(join(dir, 'v')))).toBe(sha256(BODY))
  })

  it('a fresh link that expires too is a DownloadExpiredError; refreshUrl is not called twice', async () => {
    const storage = await startServer((_request, response) => expire(response, 403))
    const dir = await tempDirectory()
    const refreshUrl = vi.fn(async () => `${storage.origin}/new?sig=fresh-secret`)
    const error = await downloadToFile({
      url: `${storage.origin}/old?sig=stale-secret`,
      to: join(dir, 'v'),
      refreshUrl,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadExpiredError)
    expect(error).toMatchObject({ status: 403, refreshed: true, url: `${storage.origin}/new` })
    expect((error as Error).message).toMatch(/expired too/)
    expect((error as Error).message).not.toMatch(/secret/)
    expect(refreshUrl).toHaveBeenCalledTimes(1)
    expect(storage.requests).toHaveLength(2)
    expect(await listDirectory(dir)).toEqual([])
  })

  it('without refreshUrl the error says the link expired and how to get a fresh one', async () => {
    const storage = await startServer((_request, response) => expire(response, 410))
    const dir = await tempDirectory()
    const error = await downloadToFile({
      url: `${storage.origin}/v?sig=x`,
      to: join(dir, 'v'),
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadExpiredError)
    expect((error as Error).message).toMatch(/has expired.*read the task again/)
    // Not retried: an expired link does not come back.
    expect(storage.requests).toHaveLength(1)
  })

  it('an expiresAt in the past is not requested at all; the fresh link is', async () => {
    const storage = await startServer((request, response) => sendBody(request, response, BODY))
    const dir = await tempDirectory()
    const now = Date.parse('2026-12-01T12:00:00Z')
    const result = await downloadToFile({
      url: `${storage.origin}/old`,
      to: join(dir, 'v'),
      expiresAt: '2026-12-01T11:59:59Z',
      clock: { now: () => now },
      refreshUrl: async () => `${storage.origin}/new`,
    })
    expect(result.refreshed).toBe(true)
    expect(storage.requests.map((request) => request.url)).toEqual(['/new'])
  })

  it('an expiresAt in the past without refreshUrl fails with the time it expired', async () => {
    const storage = await startServer((request, response) => sendBody(request, response, BODY))
    const dir = await tempDirectory()
    const error = await downloadToFile({
      url: `${storage.origin}/old`,
      to: join(dir, 'v'),
      expiresAt: new Date('2026-12-01T11:00:00Z'),
      clock: { now: () => Date.parse('2026-12-01T12:00:00Z') },
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadExpiredError)
    expect(error).toMatchObject({ status: null, expiresAt: '2026-12-01T11:00:00.000Z' })
    expect(storage.requests).toHaveLength(0)
  })

  it('an expiresAt still ahead is requested normally', async () => {
    const storage = await startServer((request, response) => sendBody(request, response, BODY))
    const dir = await tempDirectory()
    const refreshUrl = vi.fn(async () => 'http://unused.invalid/')
    await downloadToFile({
      url: `${storage.origin}/v`,
      to: join(dir, 'v'),
      expiresAt: Date.parse('2026-12-01T12:00:01Z'),
      clock: { now: () => Date.parse('2026-12-01T12:00:00Z') },
      refreshUrl,
    })
    expect(refreshUrl).not.toHaveBeenCalled()
  })

  it('resumes on the fresh link when the old one expires mid-download', async () => {
    const cut = 600_000
    const storage = await startServer((request, response, index) => {
      if (index === 0) sendBody(request, response, BODY, { cutAt: cut })
      else if (request.url === '/old') expire(response, 403)
      else sendBody(request, response, BODY)
    })
    const dir = await tempDirectory()
    const result = await downloadToFile({
      url: `${storage.origin}/old`,
      to: join(dir, 'v'),
      refreshUrl: async () => `${storage.origin}/new`,
      minRetryDelayMs: 0,
    })
    const last = storage.requests.at(-1)
    expect(last?.url).toBe('/new')
    expect(last?.headers['if-range']).toBe('"v1"')
    expect(last?.headers.range).toMatch(/^bytes=\d+-$/)
    expect(result).toMatchObject({ refreshed: true, resumes: 1, restarts: 0 })
    expect(sha256(await readFile(join(dir, 'v')))).toBe(sha256(BODY))
  })

  it('a refreshUrl that throws gives a DownloadExpiredError carrying the cause', async () => {
    const storage = await startServer((_request, response) => expire(response, 403))
    const dir = await tempDirectory()
    const cause = new Error('task read failed')
    const error = await downloadToFile({
      url: `${storage.origin}/v`,
      to: join(dir, 'v'),
      refreshUrl: async () => {
        throw cause
      },
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadExpiredError)
    expect((error as Error).cause).toBe(cause)
    expect(await listDirectory(dir)).toEqual([])
  })
})
