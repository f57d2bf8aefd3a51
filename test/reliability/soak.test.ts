import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SoakReport } from './soak.js'

/*
 * The short soak (500 waits; `npm run soak` runs 5,000) in a child process, which must exit by
 * itself once the waits are over: a socket, timer or listener left behind would keep it alive
 * and the time limit below would kill it. The child checks the rest itself (every wait settled
 * exactly once with its scripted outcome, all at once, no handle or signal listener left) and
 * reports; this test asserts the report.
 */

const WAITS = 500
const root = fileURLToPath(new URL('../..', import.meta.url))
const runner = fileURLToPath(new URL('./soak.ts', import.meta.url))

function runChild(): Promise<{
  code: number | null
  killed: boolean
  stdout: string
  stderr: string
}> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', runner, '--waits', String(WAITS), '--json'],
      { cwd: root, timeout: 45_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number; killed?: boolean }) | null
        resolve({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          killed: failure?.killed ?? false,
          stdout,
          stderr,
        })
      },
    )
  })
}

describe('soak (short form)', () => {
  it(`${WAITS} concurrent waits, 5 % of requests faulted: each settles once, as scripted, and the process exits by itself`, async () => {
    const child = await runChild()
    expect(child.killed, `the soak did not exit by itself:\n${child.stderr}`).toBe(false)
    expect(child.code, child.stderr).toBe(0)
    const report = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as SoakReport
    expect(report.problems).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.waits).toBe(WAITS)
    // They ran at once: (nearly) every wait had read its task before the first one settled.
    expect(report.pollingAtFirstSettlement).toBeGreaterThanOrEqual(WAITS * 0.9)
    expect(report.settledOnce).toBe(WAITS)
    expect(Object.values(report.outcomes).reduce((sum, count) => sum + count, 0)).toBe(WAITS)
    expect(report.outcomes.succeeded).toBe(WAITS * 0.7)
    expect(report.outcomes.other).toBeUndefined()
    // The faults happened: about 5 % of the requests.
    expect(report.faultsInjected / report.requests).toBeGreaterThan(0.03)
    expect(report.faultsInjected / report.requests).toBeLessThan(0.07)
    expect(report.readsPerWait.mean).toBeGreaterThan(1)
    // Nothing left: no more active resources of any kind than before (once the clients are
    // closed, and at the end), no connection on the server's side, no listener on the signal.
    for (const [name, count] of Object.entries(report.resources.afterClose)) {
      expect(count, `${name} after closing the clients`).toBeLessThanOrEqual(
        report.resources.before[name] ?? 0,
      )
    }
    for (const [name, count] of Object.entries(report.resources.atEnd)) {
      expect(count, `${name} at the end`).toBeLessThanOrEqual(report.resources.atStart[name] ?? 0)
    }
    expect(report.serverConnectionsAfterClose).toBe(0)
    expect(report.signalListenersAfter).toBe(0)
    expect(report.peakLiveHeapMiB).not.toBeNull()
    process.stdout.write(`${child.stderr.trim()}\n`)
  }, 60_000)
})
