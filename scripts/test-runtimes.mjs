#!/usr/bin/env node
/*
 * The runtime matrix: runs test/runtimes/smoke.mjs against the built package on Node.js 20
 * (and 20.18.1, the engines floor), 22 and 24, Bun and Deno, test/runtimes/worker-smoke.mjs as a
 * Cloudflare Worker in workerd (through Miniflare), and test/runtimes/jest/ in Jest 30, which
 * loads the package with `require`; and prints a table.
 *
 *   node scripts/test-runtimes.mjs [--only node20,node20.18,node22,node24,bun,deno,workerd,jest30]
 *                                  [--strict] [--external-simulator] [--refresh] [--json]
 *
 * - Builds first when dist/ is missing or older than src/.
 * - Installs each runtime from the npm registry (`node@20.18.1`, `node@22`, `node@24`, `bun`,
 *   `deno`, `miniflare` for workerd, `jest@30`; `node@20` unless this is Node 20 already) into a
 *   cache outside the repository, saying what it fetches first (about 950 MB on a first run):
 *   $VIDEO_TASKS_RUNTIMES_DIR, default <tmpdir>/video-tasks-runtimes. A runtime already there is
 *   reused (--refresh reinstalls). Nothing is added to the project's dependencies.
 * - A runtime that cannot be installed is reported as skipped, with the reason; with --strict
 *   (the default when $CI is set; --no-strict turns it off) a skipped runtime fails the run.
 * - Runs the simulator inside the runtime (node:http); if that fails, or with
 *   --external-simulator, in a Node.js child process whose URL the smoke suite is given.
 *
 * Exits 1 if any runtime failed (or, strict, was skipped).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const smoke = join(root, 'test/runtimes/smoke.mjs')
const simulatorServer = join(root, 'test/runtimes/simulator-server.mjs')
const workerdHost = join(root, 'test/runtimes/workerd-host.mjs')
const jestHost = join(root, 'test/runtimes/jest-host.mjs')
const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const option = (name) => {
  const index = args.indexOf(name)
  return index === -1 ? undefined : args[index + 1]
}
const strict = flag('--no-strict') ? false : flag('--strict') || Boolean(process.env.CI)
const cacheDir = process.env.VIDEO_TASKS_RUNTIMES_DIR ?? join(tmpdir(), 'video-tasks-runtimes')
const INSTALL_TIMEOUT_MS = 240_000
const RUN_TIMEOUT_MS = 60_000

/**
 * Each runtime: the npm package that ships it, where its binary lands, how to run the smoke
 * suite (`run`: arguments for the binary; `host`: a Node.js script that drives the runtime), and
 * about how many MB its install takes (printed before fetching it).
 */
const RUNTIMES = [
  {
    id: 'node20',
    spec: 'node@20',
    sizeMb: 180,
    bin: 'node_modules/node/bin/node',
    run: (file) => [file],
  },
  {
    // The `engines` floor: the oldest Node.js the package supports, where `require()` of an ES
    // module is not available (the CommonJS build must not need it).
    id: 'node20.18',
    spec: 'node@20.18.1',
    sizeMb: 180,
    bin: 'node_modules/node/bin/node',
    run: (file) => [file],
  },
  {
    id: 'node22',
    spec: 'node@22',
    sizeMb: 185,
    bin: 'node_modules/node/bin/node',
    run: (file) => [file],
  },
  {
    id: 'node24',
    spec: 'node@24',
    sizeMb: 190,
    bin: 'node_modules/node/bin/node',
    run: (file) => [file],
  },
  { id: 'bun', spec: 'bun', sizeMb: 105, bin: 'node_modules/.bin/bun', run: (file) => [file] },
  {
    id: 'deno',
    spec: 'deno',
    sizeMb: 95,
    bin: 'node_modules/.bin/deno',
    // -A: the smoke suite listens, connects, reads dist/ and the environment. --no-lock: no
    // deno.lock in the repository. Packages come from the repository's node_modules.
    run: (file) => ['run', '-A', '--no-lock', '--node-modules-dir=manual', file],
  },
  {
    // Cloudflare's Workers runtime, driven by Miniflare from Node.js; the simulator runs there.
    id: 'workerd',
    spec: 'miniflare',
    sizeMb: 165,
    bin: 'node_modules/.bin/workerd',
    host: (dir) => [workerdHost, join(dir, 'node_modules/miniflare')],
  },
  {
    // Jest 30 on this Node.js: a CommonJS test file that `require`s the package (Jest runs
    // modules in a vm, where `import()` of an ES module fails without a flag).
    id: 'jest30',
    spec: 'jest@30',
    sizeMb: 45,
    bin: 'node_modules/.bin/jest',
    host: (dir) => [jestHost, dir],
  },
]

const only = option('--only')
  ?.split(',')
  .map((id) => id.trim())
const unknown = only?.filter((id) => !RUNTIMES.some((runtime) => runtime.id === id)) ?? []
if (unknown.length > 0) {
  console.error(`test-runtimes: unknown runtime ${unknown.join(', ')}`)
  process.exit(2)
}
const selected = RUNTIMES.filter((runtime) => !only || only.includes(runtime.id))
const started = performance.now()

/* ------------------------------------------------------------------------------------------- */

function newestMtime(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

function buildIfNeeded() {
  const outputs = ['index.js', 'index.cjs', 'simulator.js', 'simulator.cjs'].map((name) =>
    join(root, 'dist', name),
  )
  const inputs = ['src', 'package.json', 'tsup.config.ts'].map((name) => join(root, name))
  const built = outputs.every((path) => existsSync(path))
  const stale =
    built &&
    Math.max(...inputs.map(newestMtime)) >
      Math.min(...outputs.map((path) => statSync(path).mtimeMs))
  if (built && !stale) return 'dist/ is up to date'
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error('test-runtimes: npm run build failed')
    process.exit(1)
  }
  return built ? 'rebuilt dist/ (older than src/)' : 'built dist/'
}

function run(command, commandArgs, { timeoutMs, cwd = root, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}`, timedOut: false })
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, timedOut: signal === 'SIGKILL' })
    })
  })
}

async function version(bin, runtime) {
  const result = await run(bin, ['--version'], { timeoutMs: 20_000 })
  if (result.code !== 0) return undefined
  const text = result.stdout.trim().split('\n')[0] ?? ''
  return runtime.id === 'deno' || runtime.id === 'workerd'
    ? text.split(' ')[1]
    : text.replace(/^v/, '')
}

/** Finds or installs a runtime. Resolves with `{ bin, version, installed }` or `{ skipped }`. */
async function ensure(runtime) {
  if (
    (runtime.id === 'node20' && process.versions.node.startsWith('20.')) ||
    (runtime.id === 'node20.18' && process.versions.node === '20.18.1')
  ) {
    return { bin: process.execPath, version: process.versions.node, installed: 'this Node.js' }
  }
  const dir = join(cacheDir, runtime.id)
  const bin = join(dir, runtime.bin)
  if (!flag('--refresh') && existsSync(bin)) {
    const found = await version(bin, runtime)
    if (found) return { bin, dir, version: found, installed: 'cached' }
  }
  console.log(
    `test-runtimes: fetching ${runtime.spec} (${runtime.id}, about ${runtime.sizeMb} MB) from the npm registry into ${dir}; later runs reuse it`,
  )
  // Install beside the cache entry, then move it in: two runs at once never see half an install.
  mkdirSync(cacheDir, { recursive: true })
  const staging = `${dir}.installing-${process.pid}`
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  const begun = performance.now()
  const npmArgs = ['install', '--prefix', staging, '--no-save', '--no-package-lock']
  const result = await run(
    'npm',
    [...npmArgs, '--no-audit', '--no-fund', '--loglevel=error', runtime.spec],
    { timeoutMs: INSTALL_TIMEOUT_MS, cwd: staging },
  )
  const seconds = ((performance.now() - begun) / 1000).toFixed(1)
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true })
    const why = result.timedOut
      ? `npm install ${runtime.spec} timed out after ${INSTALL_TIMEOUT_MS / 1000} s`
      : `npm install ${runtime.spec} failed: ${lastLine(result.stderr || result.stdout)}`
    return { skipped: why }
  }
  const staged = join(staging, runtime.bin)
  const found = existsSync(staged) ? await version(staged, runtime) : undefined
  if (!found) {
    rmSync(staging, { recursive: true, force: true })
    return {
      skipped: `npm install ${runtime.spec} gave no working ${runtime.bin} (install scripts blocked?)`,
    }
  }
  rmSync(dir, { recursive: true, force: true })
  try {
    renameSync(staging, dir)
  } catch {
    // Another run installed it meanwhile: use theirs.
    rmSync(staging, { recursive: true, force: true })
  }
  return { bin, dir, version: found, installed: `installed in ${seconds} s` }
}

/** npm's reason for a failure (its error code and message), not the pointer to its log file. */
function lastLine(text) {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('A complete log of this run'))
  const code = lines.find((line) => /^npm error code /.test(line))?.replace(/^npm error /, '')
  const last = (lines.at(-1) ?? 'no output').replace(/^npm error /, '')
  return (code && !last.includes(code.slice(5)) ? `${code}: ${last}` : last).slice(0, 240)
}

async function startExternalSimulator() {
  const child = spawn(process.execPath, [simulatorServer], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const line = await new Promise((resolve, reject) => {
    let text = ''
    child.stdout.on('data', (chunk) => {
      text += chunk
      const newline = text.indexOf('\n')
      if (newline !== -1) resolve(text.slice(0, newline))
    })
    child.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)))
  })
  const { baseURL, apiKey } = JSON.parse(line)
  return {
    args: ['--simulator-url', baseURL, '--api-key', apiKey],
    stop: () => {
      child.stdin.end()
      child.kill('SIGTERM')
    },
  }
}

async function smokeRun(runtime, ensured, external) {
  const simulator = external ? await startExternalSimulator() : undefined
  const [command, commandArgs] = runtime.host
    ? [process.execPath, runtime.host(ensured.dir)]
    : [ensured.bin, [...runtime.run(smoke), ...(simulator?.args ?? [])]]
  try {
    const result = await run(command, commandArgs, {
      timeoutMs: RUN_TIMEOUT_MS,
      env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
    })
    const line = result.stdout.split('\n').find((each) => each.startsWith('SMOKE_RESULT '))
    const summary = line ? JSON.parse(line.slice('SMOKE_RESULT '.length)) : undefined
    return { ...result, summary }
  } finally {
    simulator?.stop()
  }
}

async function test(runtime, ensured) {
  const begun = performance.now()
  const external = flag('--external-simulator') && !runtime.host
  let outcome = await smokeRun(runtime, ensured, external)
  let simulator = runtime.host ? 'node host' : external ? 'node child' : 'in-process'
  const inProcessFailed = outcome.summary?.results.some(
    (result) => result.name.startsWith('simulator (') && !result.ok,
  )
  if (!external && !runtime.host && inProcessFailed) {
    outcome = await smokeRun(runtime, ensured, true)
    simulator = 'node child (in-process failed)'
  }
  const ms = Math.round(performance.now() - begun)
  const { summary } = outcome
  const failures = summary?.results.filter((result) => !result.ok) ?? []
  const ok = outcome.code === 0 && summary !== undefined && summary.failed === 0
  return {
    ok,
    ms,
    simulator,
    summary,
    failures,
    output: ok
      ? ''
      : `${outcome.stdout}${outcome.stderr}${outcome.timedOut ? '\n(killed after 60 s)' : ''}`,
  }
}

/* ------------------------------------------------------------------------------------------- */

const build = buildIfNeeded()
console.log(`test-runtimes: ${build}; runtimes cached in ${cacheDir}${strict ? '; strict' : ''}`)

// Said once, before anything is fetched: what this run downloads in all (nothing when cached).
const toFetch = selected.filter(
  (runtime) =>
    !(
      (runtime.id === 'node20' && process.versions.node.startsWith('20.')) ||
      (runtime.id === 'node20.18' && process.versions.node === '20.18.1')
    ) &&
    (flag('--refresh') || !existsSync(join(cacheDir, runtime.id, runtime.bin))),
)
if (toFetch.length > 0) {
  const totalMb = toFetch.reduce((sum, runtime) => sum + runtime.sizeMb, 0)
  console.log(
    `test-runtimes: this run fetches ${toFetch.length} runtime${toFetch.length === 1 ? '' : 's'}, about ${totalMb} MB in all (${toFetch.map((runtime) => `${runtime.spec} ${runtime.sizeMb} MB`).join(', ')}), into ${cacheDir}; later runs reuse them (set VIDEO_TASKS_RUNTIMES_DIR to cache elsewhere)`,
  )
}

// Install in parallel (network-bound), test one after another (timing checks stay honest). A
// runtime that cannot be fetched (offline, no space, a registry error) is a clear line in the
// table, never a stack trace.
const ensured = await Promise.all(
  selected.map((runtime) =>
    ensure(runtime).catch((error) => ({
      skipped: `could not fetch ${runtime.spec} into ${join(cacheDir, runtime.id)}: ${error instanceof Error ? error.message : String(error)}`,
    })),
  ),
)
const rows = []
for (const [index, runtime] of selected.entries()) {
  const found = ensured[index]
  if (found.skipped) {
    rows.push({ runtime, state: 'skipped', note: found.skipped })
    continue
  }
  const result = await test(runtime, found)
  rows.push({ runtime, found, result, state: result.ok ? 'pass' : 'FAIL' })
  if (!result.ok) {
    console.log(`\n--- ${runtime.id} output ---\n${result.output.trim()}\n---`)
  }
}

const table = rows.map(({ runtime, found, result, state, note }) => {
  const summary = result?.summary
  return {
    runtime: runtime.id,
    version: found?.version ?? '-',
    result: state,
    checks: summary ? `${summary.passed}/${summary.passed + summary.failed}` : '-',
    transport: summary?.info.transport ?? '-',
    cjs: summary ? (summary.info.cjs === true ? 'yes' : (summary.info.cjs ?? 'no')) : '-',
    simulator: result?.simulator ?? '-',
    time: result ? `${(result.ms / 1000).toFixed(1)} s` : '-',
    note:
      note ??
      (result && result.failures.length > 0
        ? result.failures.map((failure) => `${failure.name}: ${failure.error}`).join('; ')
        : (found?.installed ?? '')),
  }
})

if (flag('--json')) {
  console.log(JSON.stringify(table))
} else {
  const columns = Object.keys(table[0] ?? {})
  const widths = columns.map((column) =>
    Math.max(column.length, ...table.map((row) => String(row[column]).length)),
  )
  const line = (cells) =>
    `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`
  console.log()
  console.log(line(columns))
  console.log(line(widths.map((width) => '-'.repeat(width))))
  for (const row of table) console.log(line(columns.map((column) => row[column])))
}

const failed = rows.filter((row) => row.state === 'FAIL').length
const skipped = rows.filter((row) => row.state === 'skipped').length
const passed = rows.length - failed - skipped
const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.log(`\ntest-runtimes: done in ${seconds} s`)
console.log(`runtimes: ${passed} passed, ${failed} failed, ${skipped} skipped`)
if (skipped > 0) {
  for (const row of rows.filter((each) => each.state === 'skipped')) {
    console.error(`test-runtimes: ${row.runtime.id} not run: ${row.note}`)
  }
  console.error(
    strict
      ? 'test-runtimes: strict: a runtime could not be fetched; check the network and the npm registry, or set VIDEO_TASKS_RUNTIMES_DIR to a disk with room (about 950 MB)'
      : 'test-runtimes: some runtimes were skipped (--strict, or $CI, makes that a failure)',
  )
}
process.exit(failed > 0 || (strict && skipped > 0) ? 1 : 0)
