import { runDownload } from './engine.js'
import { type DownloadOptions, type DownloadResult, resolveDownloadOptions } from './options.js'
import { createStreamSink } from './stream-sink.js'

/** Options of {@link downloadToStream}. */
export interface DownloadToStreamOptions extends DownloadOptions {
  /**
   * Where the bytes go, in order, with the stream's backpressure. Closed after a verified
   * download; aborted with the error after a failed one (the bytes it already took stay taken:
   * verify on the reading side too, or download to a file).
   */
  to: WritableStream<Uint8Array>
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
  const resolved = resolveDownloadOptions(options)
  if (!(options.to instanceof WritableStream)) {
    throw new TypeError('Expected `to` to be a WritableStream')
  }
  if (options.to.locked) throw new TypeError('Expected `to` to be an unlocked WritableStream')
  resolved.signal?.throwIfAborted()
  return runDownload(resolved, createStreamSink(options.to))
}
