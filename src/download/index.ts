/*
 * Downloads: one engine (engine.ts: attempts, Range resumes, expiry, verification) writing into
 * a sink (a temporary file renamed into place, or a WritableStream). HTTP stays in transport.ts.
 */
export type {
  DownloadChecksum,
  DownloadOptions,
  DownloadResult,
} from './options.js'
export { DOWNLOAD_DEFAULTS } from './options.js'
export type { DownloadProgress } from './progress.js'
export { type DownloadToFileOptions, type DownloadToFileResult, downloadToFile } from './to-file.js'
export { type DownloadToStreamOptions, downloadToStream } from './to-stream.js'
