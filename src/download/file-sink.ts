import type { FileHandle } from 'node:fs/promises'
import { loadNodeModules, type NodeModules } from '#node-loader'
import type { DownloadSink } from './sink.js'

/*
 * `node:fs` and `node:path` are loaded when a file download starts, never by importing the
 * package, and through `#node-loader` so that browser and edge bundles name no `node:` module
 * (test/runtimes/worker-smoke.mjs, scripts/smoke-package.mjs).
 */

/** The `node:` modules a file download needs, or a TypeError where the runtime has none. */
export async function nodeModulesForFiles(): Promise<NodeModules> {
  if (loadNodeModules === undefined) {
    throw new TypeError(
      'Downloading to a file path needs Node.js (or Bun or Deno); pass a WritableStream as `to` here',
    )
  }
  return loadNodeModules()
}

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
export async function temporaryPathFor(path: string): Promise<string> {
  const { basename, dirname, join } = (await nodeModulesForFiles()).path
  const random = Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('')
  return join(dirname(path), `.${basename(path)}.${random}.part`)
}

/**
 * Opens a temporary file beside `path`. Nothing appears under `path` until `commit`, which
 * flushes the file to disk before the rename, so a crash cannot leave a renamed file with holes.
 */
export async function createFileSink(path: string): Promise<FileSink> {
  const modules = await nodeModulesForFiles()
  const { open, rename, unlink } = modules.fs
  const { dirname, resolve } = modules.path
  const finalPath = resolve(path)
  const temporaryPath = await temporaryPathFor(finalPath)
  // `wx`: never reuse (or follow a link planted at) an existing name.
  const handle: FileHandle = await open(temporaryPath, 'wx')
  // Writes overlap the network: chunks queue while one `writev` runs, and the next takes them
  // all at once; `write` waits only above WRITE_HIGH_WATER_MARK bytes queued (memory stays flat).
  // Every SYNC_INTERVAL_BYTES written, a `datasync` starts in the background (one at a time), so
  // the disk takes the bytes while the network brings more, and the sync before the rename has
  // only the last few MiB left: the durability costs little time (bench/download.mjs, figure 6).
  let position = 0
  let queue: Uint8Array[] = []
  let queued = 0
  let running: Promise<void> | undefined
  let unsynced = 0
  let syncing: Promise<void> | undefined
  let failure: { error: unknown } | undefined
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await handle.close()
  }
  const fail = (error: unknown) => {
    failure ??= { error }
    queue = []
    queued = 0
  }
  const syncInBackground = () => {
    unsynced = 0
    syncing = handle.datasync().then(
      () => {
        syncing = undefined
      },
      (error: unknown) => {
        syncing = undefined
        fail(error)
      },
    )
  }
  const pump = async () => {
    try {
      while (queue.length > 0 && !failure) {
        const batch = queue
        const bytes = queued
        queue = []
        queued = 0
        await writeAll(handle, batch, bytes, position)
        position += bytes
        unsynced += bytes
        if (unsynced >= SYNC_INTERVAL_BYTES && !syncing) syncInBackground()
      }
    } catch (error) {
      fail(error)
    } finally {
      running = undefined
    }
  }
  /** Waits for the writes queued (and, with `synced`, for a background sync) to end. */
  const settle = async (synced: boolean) => {
    while (running || (synced && syncing)) await (running ?? syncing)
    if (failure) throw failure.error
  }
  const flush = () => settle(false)
  return {
    path: finalPath,
    temporaryPath,
    restartable: true,
    write(chunk) {
      if (failure) return Promise.reject(failure.error)
      queue.push(chunk)
      queued += chunk.byteLength
      running ??= pump()
      // No promise to wait for below the mark: one fewer turn of the event loop per chunk.
      return queued >= WRITE_HIGH_WATER_MARK ? flush() : undefined
    },
    flush,
    async reset() {
      await settle(true)
      await handle.truncate(0)
      position = 0
      unsynced = 0
    },
    async commit() {
      await settle(true)
      // datasync: the data and what is needed to read it back (the size), not the timestamps.
      await handle.datasync()
      await close()
      await rename(temporaryPath, finalPath)
      await syncDirectory(open, dirname(finalPath))
    },
    async discard() {
      await settle(true).catch(() => {})
      await close().catch(() => {})
      await unlink(temporaryPath).catch(() => {})
    },
  }
}

/** How many bytes may wait for the disk before `write` waits. */
const WRITE_HIGH_WATER_MARK = 1024 * 1024

/** How many bytes are written between two background syncs. */
const SYNC_INTERVAL_BYTES = 16 * 1024 * 1024

/** Writes `chunks` (`bytes` in all) at `position`, continuing after a partial write. */
async function writeAll(
  handle: FileHandle,
  chunks: Uint8Array[],
  bytes: number,
  position: number,
): Promise<void> {
  let { bytesWritten } = await handle.writev(chunks, position)
  while (bytesWritten < bytes) {
    const rest = Buffer.concat(chunks).subarray(bytesWritten)
    bytesWritten += (await handle.write(rest, 0, rest.byteLength, position + bytesWritten))
      .bytesWritten
  }
}

/** Makes the rename itself durable; best effort (Windows cannot open a directory). */
async function syncDirectory(
  open: typeof import('node:fs/promises').open,
  directory: string,
): Promise<void> {
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {}
}
