/*
 * In its own module, apart from the option resolver: src/index.ts exports it, and a bundler that
 * splits code (esbuild, Rollup) would otherwise load the resolver's chunk, which the download
 * chunks share, on import (issue 12, "Cost of importing it").
 */

// For the {@link} below (TSDoc and TypeDoc resolve it through this import).
import type { DownloadOptions } from './options.js'

/** The defaults of {@link DownloadOptions}. */
export const DOWNLOAD_DEFAULTS = {
  retries: 3,
  minRetryDelayMs: 500,
  maxRetryDelayMs: 10_000,
} as const
