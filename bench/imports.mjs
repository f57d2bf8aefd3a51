/*
 * Figure 5: cold import of the built package in a fresh process, beside its dependencies alone,
 * and the size of the ESM entry without its dependencies.
 *
 * Each sample is a new `node` process that measures, with performance.now() around the import
 * itself, how long `import()` (ESM) or `require()` (CommonJS) takes: Node's own start-up is not
 * counted, module resolution, loading, compiling and evaluating are. The contenders run in a
 * rotated order, `spawns` times each; the figure is the median.
 *
 * Bundle size, all minified with esbuild then gzip (zlib, level 9). esbuild splits the code
 * (`splitting: true`) as a user's bundler does: the figure is what `import` loads (the entry's
 * output and the chunks it imports statically, gzipped together); code the package loads with
 * `import()` on first use (downloads, submit, the callback handler) is in `lazyGzipBytes`, and
 * `allGzipBytes` is every output together:
 * - entry: dist/index.js (or $BENCH_DIST/index.js) with every package left external (what the
 *   package adds on top of its dependencies; the zod/mini parts it uses are bundled in dist/);
 * - withDependencies: the same for Node.js with its dependencies bundled in;
 * - browser: the entry with its dependencies as a bundler for browsers builds it with default
 *   settings (`platform: 'browser'`, no externals): what a web app ships;
 * - oneProvider: a web app with one provider, for each built-in provider:
 *   `import { createClient, <factory> } from 'video-tasks'` bundled as `browser` is (its
 *   dependencies in, default settings): what it ships on import, reported as the largest and the
 *   smallest with their provider. The other adapters, the registry, model.ts's task schemas,
 *   the download option resolver and Kling's token signer (loaded on its first signed request)
 *   must not be in it (scripts/smoke-package.mjs checks that; issue 12, "Cost of importing it");
 * - zodBrowser: `zod` alone (`export * from 'zod'`) the same way, for comparison.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { relative, resolve, sep } from 'node:path'
import { gzipSync } from 'node:zlib'
import { distPath, distUrl, loadPackage, root } from './lib/dist.mjs'
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

/**
 * Which outputs of an esbuild split build (`metafile.outputs`) `import` of the entry `entryName`
 * evaluates: `entryPath`, the entry's output; `loaded`, it and the chunks it imports statically,
 * transitively; `lazy`, the other outputs (what `import()` loads on first use; maps left out).
 *
 * `entryName` is the metafile's name of the entry given (its path relative to absWorkingDir, or
 * `<stdin>`). Not the first output with an `entryPoint`: with splitting, esbuild makes each
 * `import()` target an entry point too (the client's core, the adapters loaded on first use), and
 * its chunk may come first (it did: Kling's token signer, 3 kB, stood for the whole entry).
 */
export function entryOutputs(outputs, entryName) {
  const entries = Object.keys(outputs).filter((path) => outputs[path].entryPoint === entryName)
  if (entries.length !== 1) {
    const names = Object.values(outputs)
      .map((output) => output.entryPoint)
      .filter(Boolean)
    throw new Error(
      `Expected one output for the entry ${entryName}, found ${entries.length} (entry points: ${names.join(', ')})`,
    )
  }
  const [entryPath] = entries
  const loaded = new Set([entryPath])
  for (const path of loaded) {
    for (const { path: next, kind } of outputs[path].imports) {
      if (kind === 'import-statement' && next in outputs) loaded.add(next)
    }
  }
  const lazy = Object.keys(outputs).filter((path) => !loaded.has(path) && !path.endsWith('.map'))
  return { entryPath, loaded, lazy }
}

async function bundleSize() {
  const esbuild = await import('esbuild')
  const build = async (
    external,
    platform = 'node',
    entry = { entryPoints: [distPath('index.js')] },
  ) => {
    const result = await esbuild.build({
      ...entry,
      bundle: true,
      minify: true,
      format: 'esm',
      platform,
      ...(platform === 'node' ? { target: 'node20' } : {}),
      splitting: true,
      outdir: resolve(root, 'bench-out'),
      absWorkingDir: root,
      metafile: true,
      write: false,
      logLevel: 'silent',
      // As a user's bundler sees the package: the repository's tsconfig `paths` left out.
      tsconfigRaw: '{}',
      ...(external ? { packages: 'external' } : {}),
    })
    // The metafile's name of the entry given: its path relative to absWorkingDir, with `/`, or
    // `<stdin>` (what esbuild calls a stdin entry).
    result.entryName = entry.stdin
      ? '<stdin>'
      : relative(root, entry.entryPoints[0]).split(sep).join('/')
    return result
  }
  const gzip = (contents) => gzipSync(Buffer.concat(contents), { level: 9 }).length
  const size = (result) => {
    const files = new Map(result.outputFiles.map((file) => [file.path, file.contents]))
    const outputs = result.metafile.outputs
    const { loaded, lazy } = entryOutputs(outputs, result.entryName)
    // The metafile's paths are relative to absWorkingDir, the output files' absolute.
    const contents = (paths) => [...paths].map((path) => files.get(resolve(root, path)))
    const initial = contents(loaded)
    return {
      minifiedBytes: initial.reduce((total, each) => total + each.length, 0),
      gzipBytes: gzip(initial),
      lazyGzipBytes: lazy.length === 0 ? 0 : gzip(contents(lazy)),
      allGzipBytes: gzip(contents([...loaded, ...lazy])),
    }
  }
  const entry = await build(true)
  const whole = await build(false)
  // A failed browser build is a figure too (it failed on undici before the browser build existed).
  let browser
  try {
    browser = size(await build(false, 'browser'))
  } catch (error) {
    const first = error.errors?.[0]
    browser = {
      error: `${error.errors?.length ?? 1} errors, first: ${first ? `${first.location?.file ?? ''} ${first.text}` : error.message}`,
    }
  }
  const oneProvider = await oneProviderSizes(build, size)
  const zodBrowser = await build(false, 'browser', {
    stdin: { contents: "export * from 'zod'", resolveDir: root, loader: 'js' },
  })
  return {
    distBytes: readFileSync(distPath('index.js')).length,
    entry: size(entry),
    withDependencies: size(whole),
    browser,
    oneProvider,
    zodBrowser: size(zodBrowser),
  }
}

/*
 * `createClient` and one provider's factory, as a web app imports them, for each built-in
 * provider (the registry's list, from the build under test): the browser bundle's size per
 * provider, and its largest and smallest. A failed build is a figure too, as for `browser`.
 */
async function oneProviderSizes(build, size) {
  const { BUILT_IN_PROVIDERS } = await loadPackage()
  const providers = {}
  try {
    for (const { id, exportName } of BUILT_IN_PROVIDERS) {
      const contents = [
        `import { createClient, ${exportName} } from ${JSON.stringify(distPath('index.js'))}`,
        `globalThis.used = [createClient, ${exportName}]`,
      ].join('\n')
      providers[id] = size(
        await build(false, 'browser', { stdin: { contents, resolveDir: root, loader: 'js' } }),
      )
    }
  } catch (error) {
    const first = error.errors?.[0]
    return {
      error: `${error.errors?.length ?? 1} errors, first: ${first ? `${first.location?.file ?? ''} ${first.text}` : error.message}`,
    }
  }
  const bySize = Object.entries(providers).sort(([, a], [, b]) => a.gzipBytes - b.gzipBytes)
  const pick = ([provider, figures]) => ({ provider, ...figures })
  return { largest: pick(bySize.at(-1)), smallest: pick(bySize[0]), providers }
}
