import { randomBytes } from 'node:crypto'
import { open, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { downloadToFile } from '../../src/download/index.js'
import { DownloadError } from '../../src/errors.js'
import { listDirectory, sendBody, sha256, startServer, tempDirectory } from './servers.js'

/*
 * The file sink's background syncs (a `datasync` every 16 MiB written, so the one before the
 * rename has little left) over real sockets and a real file: the bytes stay identical through a
 * restart (truncate while a sync may run), and a sync that fails ends the download with no file.
 * `FileHandle.prototype.datasync` is watched (and made to fail once) with a spy: there is no
 * other way to get an I/O error from a healthy disk.
 */

/** 40 MiB: past two sync intervals. */
const LARGE = randomBytes(40 * 1024 * 1024)
const FAST = { minRetryDelayMs: 0 }

async function fileHandlePrototype(dir: string) {
  const handle = await open(join(dir, 'probe'), 'w')
  const prototype = Object.getPrototypeOf(handle) as { datasync(): Promise<void> }
  await handle.close()
  return prototype
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the file sink', () => {
  it('syncs in the background while the bytes arrive, and once more before the rename', async () => {
    const server = await startServer((request, response) => sendBody(request, response, LARGE))
    const dir = await tempDirectory()
    const datasync = vi.spyOn(await fileHandlePrototype(dir), 'datasync')
    const result = await downloadToFile({ url: `${server.origin}/v.mp4`, to: join(dir, 'v.mp4') })

    expect(result.bytes).toBe(LARGE.length)
    expect(sha256(await readFile(join(dir, 'v.mp4')))).toBe(sha256(LARGE))
    // 40 MiB: a sync after 16 and 32 MiB (at most; fewer when one was still running), and the
    // final one.
    expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(2)
    expect(datasync.mock.calls.length).toBeLessThanOrEqual(3)
    expect((await listDirectory(dir)).sort()).toEqual(['probe', 'v.mp4'])
  })

  it('starts over past a background sync (the server ignores Range): byte-identical', async () => {
    const cut = Math.floor(LARGE.length * 0.6)
    const server = await startServer((request, response, index) =>
      sendBody(request, response, LARGE, { ranges: false, ...(index === 0 ? { cutAt: cut } : {}) }),
    )
    const dir = await tempDirectory()
    const result = await downloadToFile({
      url: `${server.origin}/v.mp4`,
      to: join(dir, 'v.mp4'),
      ...FAST,
    })

    expect(result).toMatchObject({ bytes: LARGE.length, restarts: 1 })
    const written = await readFile(join(dir, 'v.mp4'))
    expect(written.length).toBe(LARGE.length)
    expect(sha256(written)).toBe(sha256(LARGE))
  })

  it('a background sync that fails ends the download as a storage error, with no file', async () => {
    const server = await startServer((request, response) => sendBody(request, response, LARGE))
    const dir = await tempDirectory()
    const failure = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })
    vi.spyOn(await fileHandlePrototype(dir), 'datasync').mockRejectedValueOnce(failure)

    const error = await downloadToFile({
      url: `${server.origin}/v.mp4`,
      to: join(dir, 'v.mp4'),
      ...FAST,
    }).catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(DownloadError)
    expect((error as DownloadError).message).toMatch(/could not be stored: .*EIO/)
    expect((error as DownloadError).cause).toBe(failure)
    // Not retried: a disk that lost a write is not a network blip.
    expect((error as DownloadError).retryable).toBe(false)
    expect(server.requests).toHaveLength(1)
    expect(await listDirectory(dir)).toEqual(['probe'])
  })
})
