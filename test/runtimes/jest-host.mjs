/*
 * Runs test/runtimes/jest/*.test.cjs with Jest 30 in a throwaway consumer project whose
 * node_modules/video-tasks links to this repository (so `require('video-tasks')` goes through
 * package.json "exports" to the built dist/index.cjs). Started by scripts/test-runtimes.mjs with
 * the folder of the cached Jest install:
 *
 *   node test/runtimes/jest-host.mjs <folder holding node_modules/jest>
 *
 * Prints one line per test and `SMOKE_RESULT {json}`, like smoke.mjs; exits 1 on a failure.
 */
import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const jestDir = process.argv[2]
if (!jestDir) {
  console.error('usage: node test/runtimes/jest-host.mjs <folder holding node_modules/jest>')
  process.exit(2)
}
const root = fileURLToPath(new URL('../..', import.meta.url))
const testsDir = fileURLToPath(new URL('./jest/', import.meta.url))
const jestBin = join(jestDir, 'node_modules/jest/bin/jest.js')
const jestVersion = JSON.parse(
  readFileSync(join(jestDir, 'node_modules/jest/package.json'), 'utf8'),
).version

const consumer = mkdtempSync(join(tmpdir(), 'video-tasks-jest-'))
let summary
try {
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'jest-consumer', private: true, jest: { testEnvironment: 'node' } }),
  )
  mkdirSync(join(consumer, 'node_modules'))
  symlinkSync(root, join(consumer, 'node_modules/video-tasks'), 'dir')
  for (const file of readdirSync(testsDir)) copyFileSync(join(testsDir, file), join(consumer, file))
  const report = join(consumer, 'report.json')
  const run = spawnSync(
    process.execPath,
    [jestBin, '--ci', '--rootDir', consumer, '--json', '--outputFile', report],
    { cwd: consumer, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
  )
  if (!existsSync(report)) {
    throw new Error(`jest wrote no report (exit ${run.status}): ${run.stderr || run.stdout}`)
  }
  const json = JSON.parse(readFileSync(report, 'utf8'))
  const results = json.testResults.flatMap((file) =>
    file.assertionResults.length > 0
      ? file.assertionResults.map((test) => ({
          name: test.title,
          ok: test.status === 'passed',
          ms: test.duration ?? 0,
          ...(test.status === 'passed'
            ? {}
            : { error: (test.failureMessages.join(' ') || test.status).slice(0, 500) }),
        }))
      : // A file that failed to load (the package could not be required) has no tests.
        [{ name: `load ${file.name}`, ok: false, ms: 0, error: file.message.slice(0, 500) }],
  )
  const failed = results.filter((result) => !result.ok).length
  summary = {
    runtime: `jest ${jestVersion} on node ${process.versions.node}`,
    passed: results.length - failed,
    failed,
    info: { cjs: failed === 0 },
    results,
  }
} catch (error) {
  summary = {
    runtime: `jest ${jestVersion}`,
    passed: 0,
    failed: 1,
    info: {},
    results: [
      { name: 'run jest', ok: false, ms: 0, error: error instanceof Error ? error.message : error },
    ],
  }
} finally {
  rmSync(consumer, { recursive: true, force: true })
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
