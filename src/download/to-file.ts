import { DownloadError } from '../errors.js'
import { runDownload } from './engine.js'
import { createFileSink, type FileSink } from './file-sink.js'
import { type DownloadOptions, type DownloadResult, resolveDownloadOptions } from './options.js'

/** Options of {@link downloadToFile}. */
export interface DownloadToFileOptions extends DownloadOptions {
  /** The file to write; replaced only by a complete, verified download. */
  to: string
}

/** What {@link downloadToFile} reports. */
export interface DownloadToFileResult extends DownloadResult {
  /** The absolute path of the file written. */
  path: string
}

/**
 * Downloads `url` into the file `to`: into a temporary file beside it first, flushed to disk,
 * checked (the announced length, or `checksum`), then renamed into place. A failure of any kind
 * (including an abort) removes the temporary file, so nothing is ever left under `to`. A dropped
 * connection resumes with `Range` where the server supports it; memory stays flat whatever the
 * size.
 *
 * @example
 * ```ts
 * const result = await downloadToFile({
 *   url: task.videoUrl,
 *   to: 'out.mp4',
 *   onProgress: ({ receivedBytes, totalBytes }) => console.log(receivedBytes, totalBytes),
 * })
 * console.log(`${result.bytes} bytes in ${result.path}`)
 * ```
 */
export async function downloadToFile(
  options: DownloadToFileOptions,
): Promise<DownloadToFileResult> {
  const resolved = resolveDownloadOptions(options)
  if (typeof options.to !== 'string' || options.to === '') {
    throw new TypeError('Expected `to` to be a file path')
  }
  resolved.signal?.throwIfAborted()
  let sink: FileSink
  try {
    sink = await createFileSink(options.to)
  } catch (cause) {
    throw new DownloadError(
      `Cannot create a temporary file beside ${options.to}: ${(cause as Error).message}`,
      { url: resolved.url, cause },
    )
  }
  const result = await runDownload(resolved, sink)
  return { ...result, path: sink.path }
}
