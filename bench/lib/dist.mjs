import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/*
 * Where the build under test is: dist/ by default, or BENCH_DIST (a directory holding index.js,
 * index.cjs, engine.js and simulator.js, placed where `zod` and `undici` resolve, e.g. inside this
 * repository). Child processes inherit the variable, so every figure measures the same build.
 */

/** The repository root. */
export const root = fileURLToPath(new URL('../..', import.meta.url))

/** The directory of the build under test. */
export const distDir = process.env.BENCH_DIST ? resolve(process.env.BENCH_DIST) : join(root, 'dist')

/** The absolute path of a file of the build. */
export const distPath = (file) => join(distDir, file)

/** The file URL of a file of the build, for `import()`. */
export const distUrl = (file) => pathToFileURL(distPath(file)).href

/** The package's ESM entry (`createClient`, the providers, ...). */
export const loadPackage = () => import(distUrl('index.js'))

/** The simulator's ESM entry (`startSimulator`). */
export const loadSimulator = () => import(distUrl('simulator.js'))

/**
 * The engine's ESM entry, `video-tasks/engine` (`createTransport`, `VideoTaskSchema`,
 * `observeTask`, `pollStep`, ...: moved out of the main entry, issue 12 "Cost of importing it").
 * A build from before that move has no engine.js and exported them from index.js: the A/B benches
 * (throughput-ab.mjs, download.mjs --baseline) still run against such a baseline.
 */
export const loadEngine = () =>
  import(distUrl(existsSync(distPath('engine.js')) ? 'engine.js' : 'index.js'))
