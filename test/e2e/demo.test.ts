import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { demoTasks } from '../../src/cli/demo.js'
import { BUILT_IN_PROVIDER_IDS, BUILT_IN_PROVIDERS } from '../../src/providers/registry.js'

/*
 * `npm run demo`, exactly as a newcomer runs it after `npm ci`, in a child process whose stdout
 * is a pipe (not a TTY): plain lines, no escape codes, a summary, exit 0. It takes as long as
 * the demo (~6 s).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The demo's showcase tasks, as its summary must list them. */
const SHOWCASE = [
  ['openai', 'official', 'fine', 'succeeded'],
  ['openai', 'gateway', 'fine', 'cancelled'],
  ['doubao', 'gateway-upper', 'coarse', 'succeeded'],
  ['doubao', 'legacy', 'coarse', 'succeeded'],
  ['doubao', 'second-shape', 'none', 'failed'],
  ['generic-task', 'envelope', 'none', 'succeeded'],
  ['generic-task', 'minimax', 'none', 'succeeded'],
  ['generic-task', 'envelope-doc', 'none', 'cancelled'],
  ['check-result', 'documented', 'fine', 'failed'],
] as const

/** The showcase, then a plain task for each registered provider the showcase lacks. */
const EXPECTED: ReadonlyArray<readonly [string, string, string, string]> = [
  ...SHOWCASE,
  ...BUILT_IN_PROVIDERS.filter((entry) => !SHOWCASE.some(([id]) => id === entry.id)).map(
    (entry) => [entry.id, entry.dialects[0].name, entry.dialects[0].progress, 'succeeded'] as const,
  ),
]
const APIS = new Set(EXPECTED.map(([id]) => id)).size

it('every registered provider is in the demo', () => {
  expect(new Set(EXPECTED.map(([id]) => id))).toEqual(new Set(BUILT_IN_PROVIDER_IDS))
  expect(demoTasks().map((task) => task.script.provider)).toEqual(EXPECTED.map(([id]) => id))
})

it('npm run demo exits 0 with a summary of every task', { timeout: 30_000 }, async () => {
  const env: NodeJS.ProcessEnv = { ...process.env }
  // The default for a pipe, not whatever colour setting the test runner passes down.
  delete env.FORCE_COLOR
  delete env.NO_COLOR
  const child = spawn(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    ['run', '--silent', 'demo'],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })

  expect({ code, stderr: stderr.replace(/^npm warn .*\n/gm, '') }).toEqual({ code: 0, stderr: '' })
  expect(stdout).not.toContain('\u001b')
  expect(stdout).toMatch(
    new RegExp(
      `^video-tasks demo: simulator at http://127\\.0\\.0\\.1:\\d+, ${EXPECTED.length} tasks on ${APIS} APIs`,
    ),
  )

  const lines = stdout.split('\n')
  const header = lines.findIndex((line) =>
    /^provider +dialect +progress +outcome +reads +time +file +video URL or error$/.test(line),
  )
  expect(header).toBeGreaterThan(0)
  const rows = lines
    .slice(header + 1, header + 1 + EXPECTED.length)
    .map((line) => line.split(/ {2,}/))
  expect(rows.map((row) => row.slice(0, 4))).toEqual(EXPECTED.map((row) => [...row]))
  for (const [index, row] of rows.entries()) {
    const [, dialect, , outcome, reads, time, file, note] = row
    // Every task was read more than once (queued, running, final) and has a time.
    expect(Number(reads), `reads of ${dialect}`).toBeGreaterThanOrEqual(3)
    expect(time).toMatch(/^\d+(\.\d)?m?s$/)
    if (outcome === 'succeeded') {
      // Downloaded through the SDK: a size, not a failure.
      expect(file, `file of ${dialect}`).toMatch(/^\d+(\.\d+)? ?(B|KiB|MiB|kB|MB)$/)
      // ... after a byte progress bar whose last line is the complete size.
      const bar = lines.filter((line) =>
        new RegExp(`^${row[0]} ${dialect} +[█░]{20} \\d+% `).test(line),
      )
      expect(bar.at(-1), `progress of ${dialect}`).toMatch(
        new RegExp(`100% ${file} / ${file} {2}\\S+ \\S+/s {2}done$`),
      )
      // A dialect whose tasks carry only a file id (registry facts `video: 'file-id'`) shows it.
      const fileId = BUILT_IN_PROVIDERS.some((entry) =>
        entry.dialects.some((facts) => facts.name === dialect && facts.video === 'file-id'),
      )
      expect(note, `${dialect}`).toMatch(fileId ? /^file_id \d+/ : /^http:\/\/127\.0\.0\.1:\d+\//)
    } else {
      expect(note, `${dialect}`).not.toBe('')
    }
    // Each task's own plain lines end with its outcome.
    const [provider, , , expected] = EXPECTED[index] ?? []
    const own = lines.filter(
      (line) =>
        line.includes(`  ${provider}  `) &&
        line.includes(` ${dialect} `) &&
        /^ *[\d.]+m?s {2}/.test(line),
    )
    expect(own.at(-1), `${dialect}`).toMatch(new RegExp(`  ${expected}(: |$)`))
  }
  expect(stdout).toMatch(
    new RegExp(`All ${EXPECTED.length} tasks ended as scripted, in \\d+ reads over [\\d.]+s\\.`),
  )
})
