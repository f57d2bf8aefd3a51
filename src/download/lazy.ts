import type { DownloadResult } from './options.js'
import type { DownloadToFileOptions, DownloadToFileResult } from './to-file.js'
import type { DownloadToStreamOptions } from './to-stream.js'

/*
 * The entry's download functions: the engine, the sinks and their option checks are loaded with
 * import() on the first download, so a process that only waits never parses them (bench figure
 * 5; tsup splits the ESM build into chunks, the CommonJS build require()s them in place).
 */

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
  const { downloadToFile: run } = await import('./to-file.js')
  return run(options)
}

/**
 * Downloads `url` into a `WritableStream`. Resumes a dropped connection with `Range`; a server
 * that can only start over fails the download once bytes were written (they cannot be taken
 * back).
 *
 * @example
 * ```ts
 * const { bytes } = await downloadToStream({ url, to: Writable.toWeb(response) })
 * ```
 */
export async function downloadToStream(options: DownloadToStreamOptions): Promise<DownloadResult> {
  const { downloadToStream: run } = await import('./to-stream.js')
  return run(options)
}
