import type { DownloadSink } from './sink.js'

/**
 * Writes into a `WritableStream`, waiting for each write (the stream's backpressure). Closes it
 * after a verified download and aborts it with the error after a failed one. Bytes handed to the
 * stream cannot be taken back, so a server that restarts the body fails the download instead.
 */
export function createStreamSink(stream: WritableStream<Uint8Array>): DownloadSink {
  const writer = stream.getWriter()
  let written = 0
  return {
    get restartable() {
      return written === 0
    },
    async write(chunk) {
      await writer.write(chunk)
      written += chunk.byteLength
    },
    async flush() {},
    async reset() {},
    async commit() {
      await writer.close()
    },
    async discard(reason) {
      await writer.abort(reason).catch(() => {})
    },
  }
}
