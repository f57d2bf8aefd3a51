/*
 * Figure 5: cold import of the built package in a fresh process, beside its dependencies alone,
 * and the size of the ESM entry without its dependencies.
 *
 * Each sample is a new `node` process that measures, with performance.now() around the import
 * itself, how long `import()` (ESM) or `require()` (CommonJS) takes: Node's own start-up is not
 * counted, module resolution, loading, compiling and evaluating are. The contenders run in a
 * rotated order, `spawns` times each; the figure is the median.
 *
 * Bundle size, all minified with esbuild then gzip (zlib, level 9):
 * - entry: dist/index.js (or $BENCH_DIST/index.js) with every package left external (what the
 *   package adds on top of its dependencies);
 * - withDependencies: the same for Node.js with its dependencies bundled in;
 * - browser: the entry with its dependencies as a bundler for browsers builds it with default
 *   settings (`platform: 'browser'`, no externals): what a web app ships;
 * - zodBrowser: `zod` alone (`export * from 'zod'`) the same way, for comparison.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { distPath, distUrl, root } from './lib/dist.mjs'
import { median } from './lib/stats.mjs'

const ESM = (specifier) => `
const start = performance.now()
await import(${JSON.stringify(specifier)})
process.stdout.write(String(performance.now() - start))
`
const CJS = (specifier) => `
const start = performance.now()
require(${JSON.stringify(specifier)})
process.stdout.write(String(performance.now() - start))
`

export const IMPORT_CONTENDERS = {
  'video-tasks (ESM)': { type: 'module', code: ESM(distUrl('index.js')) },
  'video-tasks (CJS)': { type: 'commonjs', code: CJS(distPath('index.cjs')) },
  'undici (ESM)': { type: 'module', code: ESM('undici') },
  'zod (ESM)': { type: 'module', code: ESM('zod') },
  'zod (CJS)': { type: 'commonjs', code: CJS('zod') },
}

function sample(contender) {
  const result = spawnSync(
    process.execPath,
    ['--input-type', contender.type, '--eval', contender.code],
    // From the package root, so `undici` and `zod` resolve as the package's own would.
    { cwd: root, encoding: 'utf8', timeout: 30_000 },
  )
  const ms = Number(result.stdout)
  if (result.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`Import sample failed (${result.status}): ${result.stderr || result.stdout}`)
  }
  return ms
}

/** @param {{ spawns: number, log: (line: string) => void }} config */
export async function runImports(config) {
  const names = Object.keys(IMPORT_CONTENDERS)
  const samples = Object.fromEntries(names.map((name) => [name, []]))
  // One unmeasured spawn each first: fills the OS file cache, as on any machine that ran npm install.
  for (const name of names) sample(IMPORT_CONTENDERS[name])
  for (let round = 0; round < config.spawns; round++) {
    for (let index = 0; index < names.length; index++) {
      const name = names[(index + round) % names.length]
      samples[name].push(sample(IMPORT_CONTENDERS[name]))
    }
  }
  const imports = {}
  for (const name of names) {
    imports[name] = { medianMs: median(samples[name]), samplesMs: samples[name] }
    config.log(`  import ${name.padEnd(18)} median ${imports[name].medianMs.toFixed(1)} ms`)
  }
  return { spawns: config.spawns, imports, bundle: await bundleSize() }
}

async function bundleSize() {
  const esbuild = await import('esbuild')
  const build = (external, platform = 'node', entry = { entryPoints: [distPath('index.js')] }) =>
    esbuild.build({
      ...entry,
      bundle: true,
      minify: true,
      format: 'esm',
      platform,
      ...(platform === 'node' ? { target: 'node20' } : {}),
      write: false,
      logLevel: 'silent',
      // As a user's bundler sees the package: the repository's tsconfig `paths` left out.
      tsconfigRaw: '{}',
      ...(external ? { packages: 'external' } : {}),
    })
  const size = (output) => ({
    minifiedBytes: output.length,
    gzipBytes: gzipSync(output, { level: 9 }).length,
  })
  const entry = (await build(true)).outputFiles[0].contents
  const whole = (await build(false)).outputFiles[0].contents
  // A failed browser build is a figure too (it failed on undici before the browser build existed).
  let browser
  try {
    browser = size((await build(false, 'browser')).outputFiles[0].contents)
  } catch (error) {
    const first = error.errors?.[0]
    browser = {
      error: `${error.errors?.length ?? 1} errors, first: ${first ? `${first.location?.file ?? ''} ${first.text}` : error.message}`,
    }
  }
  const zodBrowser = (
    await build(false, 'browser', {
      stdin: { contents: "export * from 'zod'", resolveDir: root, loader: 'js' },
    })
  ).outputFiles[0].contents
  return {
    distBytes: readFileSync(distPath('index.js')).length,
    entry: size(entry),
    withDependencies: size(whole),
    browser,
    zodBrowser: size(zodBrowser),
  }
}
