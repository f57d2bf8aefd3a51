/*
 * Runs test/runtimes/worker-smoke.mjs in workerd (Cloudflare's Workers runtime) through
 * Miniflare, against `video-tasks/simulator` running here in Node.js. Started by
 * scripts/test-runtimes.mjs with the path of the cached Miniflare:
 *
 *   node test/runtimes/workerd-host.mjs <path to miniflare's package folder>
 *
 * The Worker is bundled as a Worker's bundler would with its default settings: esbuild,
 * `workerd`/`worker` conditions, nothing external (package.json `imports` gives those conditions
 * a build without undici or `node:` modules), and run without `nodejs_compat`.
 * Prints one line per check and `SMOKE_RESULT {json}`, like smoke.mjs; exits 1 on a failure.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { startSimulator } from 'video-tasks/simulator'

const miniflarePath = process.argv[2]
if (!miniflarePath) {
  console.error('usage: node test/runtimes/workerd-host.mjs <miniflare package folder>')
  process.exit(2)
}
const packageJson = JSON.parse(readFileSync(join(miniflarePath, 'package.json'), 'utf8'))
const entry = packageJson.exports?.['.']?.import ?? packageJson.main
const { Miniflare } = await import(pathToFileURL(join(miniflarePath, entry)).href)

function workerdVersion() {
  try {
    const path = join(miniflarePath, '..', 'workerd', 'package.json')
    return JSON.parse(readFileSync(path, 'utf8')).version
  } catch {
    return '?'
  }
}

// Miniflare reports some start-up failures as unhandled rejections: fail the run, visibly.
process.on('unhandledRejection', (error) => {
  console.log(`not ok - run the Worker: ${error instanceof Error ? error.message : error}`)
  console.log('workerd: 0 passed, 1 failed')
  process.exit(1)
})

const dir = mkdtempSync(join(tmpdir(), 'video-tasks-workerd-'))
const sim = await startSimulator({ timeScale: 50 })
let mf
let summary
try {
  await build({
    entryPoints: [new URL('./worker-smoke.mjs', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker'],
    // The repository's tsconfig `paths` (video-tasks -> src/) are not a user's.
    tsconfigRaw: '{}',
    outfile: join(dir, 'worker.mjs'),
    logLevel: 'error',
  })
  const worker = join(dir, 'worker.mjs')
  mf = new Miniflare({
    // Module paths are relative to modulesRoot: keep the bundle inside it.
    modulesRoot: dir,
    modules: [{ type: 'ESModule', path: worker, contents: readFileSync(worker, 'utf8') }],
    compatibilityDate: '2025-09-01',
  })
  const response = await mf.dispatchFetch('http://worker.test/', {
    method: 'POST',
    body: JSON.stringify({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
  })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`the Worker answered ${response.status}: ${text}`)
  summary = JSON.parse(text)
  summary.runtime = `workerd ${workerdVersion()} (miniflare ${packageJson.version})`
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  summary = {
    runtime: 'workerd',
    passed: 0,
    failed: 1,
    info: {},
    results: [{ name: 'run the Worker', ok: false, error: message }],
  }
} finally {
  await mf?.dispose()
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
}
for (const result of summary.results) {
  console.log(
    result.ok
      ? `ok - ${result.name} (${result.ms} ms)`
      : `not ok - ${result.name}: ${result.error}`,
  )
}
console.log(`${summary.runtime}: ${summary.passed} passed, ${summary.failed} failed`)
console.log(`SMOKE_RESULT ${JSON.stringify(summary)}`)
process.exit(summary.failed === 0 ? 0 : 1)
