import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUILT_IN_PROVIDERS } from '../../src/providers/registry.js'
import { simulatedVendors } from '../../src/simulator/index.js'

/*
 * The benchmarks must keep running: `bench/run.mjs --quick` in a child process, checked for
 * every figure (not for the figures' values, which mean nothing at quick sizes).
 *
 * It measures dist/ when a build is there (npm test builds before it runs the package checks);
 * otherwise it builds a private copy of the entries with esbuild under node_modules/.cache (so
 * `zod` and `undici` resolve) and points the bench at it with BENCH_DIST
 * (BENCH_TEST_PRIVATE_BUILD=1 forces that path).
 */

const root = fileURLToPath(new URL('../..', import.meta.url))
// engine.js: `video-tasks/engine`, where the benches take the transport and the schemas from.
const DIST_FILES = ['index.js', 'index.cjs', 'engine.js', 'simulator.js']

let work: string
let distDir: string | undefined

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'video-tasks-bench-test-'))
  const haveDist = DIST_FILES.every((file) => existsSync(join(root, 'dist', file)))
  // BENCH_TEST_PRIVATE_BUILD=1 takes the no-dist path even when dist/ is there.
  if (haveDist && !process.env.BENCH_TEST_PRIVATE_BUILD) return
  distDir = join(root, 'node_modules/.cache', `video-tasks-bench-test-${process.pid}`)
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    packages: 'external' as const,
    logLevel: 'silent' as const,
  }
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'src/index.ts')],
      format: 'esm',
      outfile: join(distDir, 'index.js'),
    }),
    build({
      ...common,
      entryPoints: [join(root, 'src/index.ts')],
      format: 'cjs',
      outfile: join(distDir, 'index.cjs'),
    }),
    build({
      ...common,
      entryPoints: [join(root, 'src/engine/index.ts')],
      format: 'esm',
      outfile: join(distDir, 'engine.js'),
    }),
    build({
      ...common,
      entryPoints: [join(root, 'src/simulator/index.ts')],
      format: 'esm',
      outfile: join(distDir, 'simulator.js'),
    }),
  ])
}, 60_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
  if (distDir) rmSync(distDir, { recursive: true, force: true })
})

function runQuick(out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/run.mjs', '--quick', '--out', out], {
      cwd: root,
      env: { ...process.env, ...(distDir ? { BENCH_DIST: distDir } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const finitePositive = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0

describe('npm run bench -- --quick', () => {
  it('runs every figure and writes them all', async () => {
    const out = join(work, 'results.json')
    const { code, stdout, stderr } = await runQuick(out)
    expect(code, stderr).toBe(0)

    // One table on stdout, with a row for each of the seven figures.
    for (const figure of ['| 1 ', '| 2 ', '| 3 ', '| 4 ', '| 5 ', '| 6 ', '| 7 ']) {
      expect(stdout).toContain(figure)
    }
    expect(stdout).toMatch(/goals met/)

    const results = JSON.parse(readFileSync(out, 'utf8'))
    expect(results.mode).toBe('quick')
    expect(results.machine).toMatchObject({ cpuCount: expect.any(Number), node: process.version })
    expect(typeof results.date).toBe('string')
    expect(results.git).toHaveProperty('commit')
    const { throughput, memory, economy, parse, imports, download, submit } = results.figures

    // 1. Every contender read something, without errors.
    for (const name of ['sdk-get', 'sdk-wait', 'sdk-transport', 'undici', 'fetch']) {
      expect(finitePositive(throughput.contenders[name].readsPerSecond), name).toBe(true)
      expect(throughput.contenders[name].errors, name).toBe(0)
    }
    for (const ratio of Object.values(throughput.ratios)) expect(finitePositive(ratio)).toBe(true)

    // 2. Memory per wait for the SDK and the naive loop, and the timers each leaves.
    for (const mode of ['sdk', 'naive']) {
      expect(Number.isFinite(memory.modes[mode].heapPerWait), mode).toBe(true)
      expect(Number.isFinite(memory.modes[mode].rssPerWait), mode).toBe(true)
    }
    expect(memory.modes.sdk.timers).toBe(1)
    expect(memory.modes.naive.timers).toBe(memory.waits)

    // 3. Every registry entry has its row, in its default dialect's progress style, beside fixed
    // polling at its vendor's pace (5 s, or the provider's slower interval) and the oracle: a
    // provider added to the registry gets one without the bench naming it.
    for (const style of ['fine', 'coarse', 'none'] as const) {
      const entries = BUILT_IN_PROVIDERS.filter((entry) => entry.dialects[0].progress === style)
      const ids = entries.map((entry) => `default ${entry.id}`)
      if (ids.length === 0) {
        expect(economy.styles[style], style).toBeUndefined()
        continue
      }
      const baselines = entries.map((entry) => {
        const { intervalMs } = entry.forSimulator('https://vendor.example.test', 'sk').pollDefaults
        const baseline = `fixed ${Math.max(5_000, intervalMs) / 1000} s`
        expect(economy.providers[entry.id].baseline, entry.id).toBe(baseline)
        return baseline
      })
      const names = [...ids, ...new Set(baselines), 'oracle']
      expect(Object.keys(economy.styles[style]).sort()).toEqual([...names].sort())
      for (const name of names) {
        const row = economy.styles[style][name]
        expect(row.readsPerTask, `${style} ${name}`).toBeGreaterThanOrEqual(1)
        expect(row.delayP95Ms, `${style} ${name}`).toBeGreaterThanOrEqual(0)
      }
    }
    const rowsOf = (results.goals as { id: string }[]).map((goal) => goal.id)
    for (const entry of BUILT_IN_PROVIDERS) {
      expect(rowsOf, entry.id).toContain(`economy-${entry.dialects[0].progress}-${entry.id}`)
    }

    // 3. Waits whose vendor calls back: a row for every provider whose simulator calls back and
    // that can create, every task nudged by its final callback.
    const callingBack = BUILT_IN_PROVIDERS.filter(
      (entry) =>
        simulatedVendors().find((vendor) => vendor.provider === entry.id)?.callsBack === true &&
        entry.forSimulator('http://127.0.0.1:1', 'k').buildCreateRequest !== undefined,
    ).map((entry) => entry.id)
    expect(callingBack).toEqual(expect.arrayContaining(['minimax', 'kling', 'ark']))
    expect(Object.keys(economy.callbacks).sort()).toEqual([...callingBack].sort())
    for (const id of callingBack) {
      const row = economy.callbacks[id]
      expect(row.nudgedTasks, id).toBe(row.tasks)
      expect(row.readsPerTask, id).toBeGreaterThanOrEqual(1)
      expect(row.readsMax, id).toBeLessThanOrEqual(2)
      expect(Number.isFinite(row.delayP95Ms), id).toBe(true)
      expect(rowsOf).toContain(`economy-callback-${id}`)
    }

    // 4. Every adapter, on fixtures, beside JSON.parse.
    for (const name of ['openai', 'doubao', 'generic-task', 'check-result']) {
      const row = parse.providers[name]
      expect(row.payloads, name).toBeGreaterThan(0)
      expect(finitePositive(row.parseResponseNs), name).toBe(true)
      expect(finitePositive(row.jsonParseNs), name).toBe(true)
    }

    // 5. Cold imports and the bundle size.
    for (const name of [
      'video-tasks (ESM)',
      'video-tasks (CJS)',
      'undici (ESM)',
      'zod (ESM)',
      'zod (CJS)',
    ]) {
      expect(finitePositive(imports.imports[name].medianMs), name).toBe(true)
    }
    expect(finitePositive(imports.bundle.entry.gzipBytes)).toBe(true)
    expect(finitePositive(imports.bundle.zodBrowser.gzipBytes)).toBe(true)
    // The browser bundle needs the real build's package.json `imports` (#undici-loader), which a
    // private build under node_modules/.cache cannot use.
    if (!distDir)
      expect(imports.bundle.browser).toEqual({
        minifiedBytes: expect.any(Number),
        gzipBytes: expect.any(Number),
        lazyGzipBytes: expect.any(Number),
        allGzipBytes: expect.any(Number),
      })
    // A web app with one provider: a bundle per built-in provider, the largest and the smallest.
    if (!distDir) {
      expect(Object.keys(imports.bundle.oneProvider.providers).sort()).toEqual(
        BUILT_IN_PROVIDERS.map((entry) => entry.id).sort(),
      )
      const { largest, smallest } = imports.bundle.oneProvider
      expect(largest.gzipBytes).toBeGreaterThanOrEqual(smallest.gzipBytes)
      expect(largest.gzipBytes).toBeLessThan(imports.bundle.browser.gzipBytes)
    }
    // Counted apart, what loads on first use is still counted.
    expect(imports.bundle.entry.allGzipBytes).toBeGreaterThanOrEqual(imports.bundle.entry.gzipBytes)
    for (const id of [
      'import-esm',
      'import-cjs',
      'bundle-entry',
      'bundle-browser',
      'bundle-browser-one-provider',
    ]) {
      expect(results.goals.map((goal: { id: string }) => goal.id)).toContain(id)
    }

    // 6. Download to a file beside raw undici, and the RSS it took.
    for (const name of ['raw', 'rawFsync', 'sdk']) {
      expect(finitePositive(download.megabytesPerSecond[name]), name).toBe(true)
    }
    expect(Number.isFinite(download.rssGrowthMiB.sdk)).toBe(true)

    // 7. Submit and a first read, beside a bare fetch POST and GET.
    for (const name of ['sdk', 'fetch']) {
      expect(finitePositive(submit.contenders[name].medianMicros), name).toBe(true)
      expect(finitePositive(submit.contenders[name].p95Micros), name).toBe(true)
    }
    expect(finitePositive(submit.ratioVsFetch)).toBe(true)
    expect(results.goals.map((goal: { id: string }) => goal.id)).toContain('submit-vs-fetch')

    // Every goal is evaluated.
    expect(results.goals.length).toBeGreaterThanOrEqual(17)
    for (const goal of results.goals) expect(typeof goal.met).toBe('boolean')
    // The economy figure reads every registry entry and runs a real-time callback row for each
    // vendor that calls back: about a minute on a loaded machine.
  }, 180_000)

  it('the economy children name no provider: they iterate the registry and the simulator', () => {
    for (const file of ['bench/economy-child.mjs', 'bench/callback-child.mjs']) {
      const text = readFileSync(join(root, file), 'utf8')
      for (const entry of BUILT_IN_PROVIDERS) {
        expect(text, `${file} names ${entry.id}`).not.toMatch(
          new RegExp(`['"\`]${entry.id}['"\`]|\\b${entry.exportName}\\(`),
        )
      }
    }
  })
})
