import { randomBytes } from 'node:crypto'
import { type FileHandle, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import type { DownloadSink } from './sink.js'

/** A file sink, and where its bytes wait until they are verified. */
export interface FileSink extends DownloadSink {
  /** The absolute final path. */
  readonly path: string
  /** The temporary file beside it. */
  readonly temporaryPath: string
}

/**
 * A hidden name beside the final one: the same directory (so the rename is atomic, never a copy
 * across file systems), random (so two downloads to one path never share a temporary file).
 */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.part`)
}

/**
 * Opens a temporary file beside `path`. Nothing appears under `path` until `commit`, which
 * flushes the file to disk before the rename, so a crash cannot leave a renamed file with holes.
 */
export async function createFileSink(path: string): Promise<FileSink> {
  const finalPath = resolve(path)
  const temporaryPath = temporaryPathFor(finalPath)
  // `wx`: never reuse (or follow a link planted at) an existing name.
  const handle: FileHandle = await open(temporaryPath, 'wx')
  let position = 0
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await handle.close()
  }
  return {
    path: finalPath,
    temporaryPath,
    restartable: true,
    async write(chunk) {
      let offset = 0
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await handle.write(
          chunk,
          offset,
          chunk.byteLength - offset,
          position + offset,
        )
        offset += bytesWritten
      }
      position += chunk.byteLength
    },
    async reset() {
      await handle.truncate(0)
      position = 0
    },
    async commit() {
      await handle.sync()
      await close()
      await rename(temporaryPath, finalPath)
      await syncDirectory(dirname(finalPath))
    },
    async discard() {
      await close().catch(() => {})
      await unlink(temporaryPath).catch(() => {})
    },
  }
}

/** Makes the rename itself durable; best effort (Windows cannot open a directory). */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {}
}
