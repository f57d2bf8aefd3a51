import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
import {
  AuthenticationError,
  PermissionDeniedError,
  ResponseValidationError,
  ServerError,
  TaskNotFoundError,
  type VideoTaskError,
  WaitTimeoutError,
} from '../../src/errors.js'
import { isFinalStatus, type VideoTask } from '../../src/model.js'
import { mapStatus } from '../../src/providers/kit/normalize.js'
import { builtInProviderEntry } from '../../src/providers/registry.js'
import { type SimulatedProvider, startSimulator } from '../../src/simulator/index.js'
import type { PollState } from '../../src/wait/schedule.js'
import {
  type Cell,
  CLIENT,
  cells,
  DOC_END,
  DOC_START,
  type ErrorName,
  PROVIDERS,
  type Row,
  renderMatrix,
  SCALE,
  STEP_MS,
  TIMEOUT_MS,
  TOLERANCE_REAL_MS,
} from '../reliability/fault-matrix-table.js'
import { makeProvider } from '../reliability/providers.js'
import { ScaledClock } from '../reliability/scaled-clock.js'

/*
 * The fault matrix (docs/fault-matrix.md): every provider × every fault the simulator injects,
 * through createClient with its default undici transport, over real sockets to the simulator.
 *
 * The client and the simulator share a clock that runs 100× faster than real time, so the
 * schedule's seconds and a `Retry-After: 20` take milliseconds; transport time limits are real.
 * The simulator's task moves one step per read the client accepts (onUpdate advances the
 * simulator's clock), so how many reads a wait takes does not depend on timing.
 *
 * Each cell asserts: the outcome (the right video, or the exact error class), the number of
 * requests the simulator counted, and that the wait settled before its deadline plus
 * TOLERANCE_REAL_MS. Cells run a few at a time; each has its own simulator and client.
 */

const KEY = 'sk-fault-matrix-0123456789abcdef'

const ERRORS: Record<ErrorName, new (...args: never[]) => VideoTaskError> = {
  AuthenticationError,
  PermissionDeniedError,
  TaskNotFoundError,
  ResponseValidationError,
  ServerError,
  WaitTimeoutError,
}

async function runCell(row: Row, provider: SimulatedProvider, cell: Cell) {
  const clock = new ScaledClock(SCALE)
  const sim = await startSimulator({ now: clock.now, apiKey: KEY })
  const client = createClient({
    provider: makeProvider(provider, sim.baseURL, KEY),
    clock,
    ...CLIENT,
    ...row.client,
  })
  try {
    const task = sim.createTask({
      provider,
      dialect: cell.dialect,
      queuedMs: 0,
      runningMs: 3 * STEP_MS,
      faults: cell.faults,
    })
    const updates: VideoTask[] = []
    const progressReported: number[] = []
    let lastState: PollState | undefined
    const timeoutMs = row.wait?.timeoutMs ?? TIMEOUT_MS
    const startedReal = performance.now()
    const startedAt = clock.now()
    const result = await client
      .waitFor(task.id, {
        ...row.wait,
        timeoutMs,
        onUpdate: (update) => {
          updates.push(update)
          // The task moves on one step per read the client accepted as a known status.
          if (update.status !== 'unknown') sim.advance(STEP_MS)
        },
        onProgress: (progress) => progressReported.push(progress),
        onPollState: (state) => {
          lastState = state
        },
      })
      .then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      )
    const elapsedReal = performance.now() - startedReal
    const elapsed = clock.now() - startedAt
    const reads = sim.requests(task.id)
    const phase = sim.task(task.id)?.phase
    const headersTimeoutMs = row.client?.headersTimeoutMs ?? CLIENT.headersTimeoutMs
    return {
      phase,
      task,
      result,
      updates,
      progressReported,
      lastState,
      elapsedReal,
      elapsed,
      reads,
      headersTimeoutMs,
    }
  } finally {
    await client.close()
    await sim.close()
  }
}

/** Markdown with each table row's cells trimmed and each rule as `---`. */
function normalizeTable(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line.trimStart().startsWith('|')
        ? line
            .trim()
            .split('|')
            .map((cell) => cell.trim())
            .map((cell) => (/^:?-+:?$/.test(cell) ? '---' : cell))
            .join('|')
        : line.trimEnd(),
    )
    .join('\n')
}

describe('docs/fault-matrix.md', () => {
  it('shows the table the tests run', () => {
    const path = fileURLToPath(new URL('../../docs/fault-matrix.md', import.meta.url))
    const doc = readFileSync(path, 'utf8')
    const start = doc.indexOf(DOC_START)
    const end = doc.indexOf(DOC_END)
    expect(start, `${path} has no ${DOC_START}`).toBeGreaterThanOrEqual(0)
    expect(end).toBeGreaterThan(start)
    const current = doc.slice(start, end + DOC_END.length)
    if (process.env.UPDATE_FAULT_MATRIX === '1' && current !== renderMatrix()) {
      writeFileSync(path, doc.replace(current, renderMatrix()))
      return
    }
    // Out of date: `UPDATE_FAULT_MATRIX=1 npx vitest run test/e2e/fault-matrix.test.ts`.
    // Compared cell by cell, so a Markdown formatter may align the columns.
    expect(normalizeTable(current)).toBe(normalizeTable(renderMatrix()))
  })

  it('has a cell for every fault kind the simulator can inject, for every provider', () => {
    const kinds = new Set(cells().flatMap(({ cell }) => cell.faults.map((fault) => fault.kind)))
    expect([...kinds].sort()).toEqual(
      [
        'empty-body',
        'forbidden',
        'hang',
        'latency',
        'not-found',
        'progress-backwards',
        'rate-limit',
        'reset',
        'server-error',
        'slow-body',
        'truncated-json',
        'unauthorized',
        'unknown-status',
        'vendor-error-200',
        'wrong-shape',
      ].sort(),
    )
    for (const provider of PROVIDERS) {
      const covered = new Set(
        cells()
          .filter((each) => each.provider === provider)
          .flatMap(({ cell }) => cell.faults.map((fault) => fault.kind)),
      )
      expect(covered.size, provider).toBe(kinds.size)
    }
  })
})

describe.each(PROVIDERS)('fault matrix: %s', (provider) => {
  const rows = cells().filter((each) => each.provider === provider)

  it.concurrent.each(rows.map(({ row, cell }) => [row.id, row, cell] as const))(
    '%s',
    async (_id, row, cell) => {
      const run = await runCell(row, provider, cell)
      const { result, updates } = run
      const timeoutMs = row.wait?.timeoutMs ?? TIMEOUT_MS

      // Settled before the deadline plus the tolerance (real time).
      expect(run.elapsedReal).toBeLessThanOrEqual(timeoutMs / SCALE + TOLERANCE_REAL_MS)

      // A read before the last never carried a final status; the wait ended on the first one.
      for (const update of updates.slice(0, -1)) expect(isFinalStatus(update.status)).toBe(false)

      if (cell.expect.outcome === 'succeed') {
        if (!result.ok) throw result.error
        const task = result.value
        // Resolved with a status the server sent as final, and the right video.
        expect(task.status).toBe('succeeded')
        expect(mapStatus(task.vendorStatus)).toBe('succeeded')
        expect(updates.at(-1)).toBe(task)
        expect(run.phase).toBe('succeeded')
        const facts = builtInProviderEntry(provider)?.dialects.find(
          (each) => each.name === cell.dialect,
        )
        if (facts?.video === 'content-url') {
          expect(task.videoUrl).toBeNull()
          expect(task.details.contentUrl).toBe(run.task.contentUrl)
        } else if (facts?.video === 'file-id') {
          // Only a file id to resolve through the vendor's file API (MiniMax).
          expect(task.videoUrl).toBeNull()
          expect(task.details.fileId).toMatch(/^\d+$/)
        } else {
          expect(task.videoUrl).toBe(run.task.videoUrl)
        }
        expect(run.reads).toBe(cell.expect.reads)
        // The client counted the same requests as the server.
        expect(run.lastState?.reads).toBe(run.reads)
        if (cell.expect.minElapsedMs !== undefined) {
          expect(run.elapsed).toBeGreaterThanOrEqual(cell.expect.minElapsedMs)
        }
        if (cell.expect.progressWentBack) {
          const progress = updates.map((update) => update.progress ?? 0)
          expect(
            progress.some((value, index) => index > 0 && value < (progress[index - 1] ?? 0)),
          ).toBe(true)
          expect(run.progressReported).toEqual([...run.progressReported].sort((a, b) => a - b))
          expect(new Set(run.progressReported).size).toBe(run.progressReported.length)
        }
        return
      }

      if (result.ok)
        throw new Error(`expected ${cell.expect.error}, resolved ${result.value.status}`)
      const error = result.error
      const Expected = ERRORS[cell.expect.error]
      expect(error).toBeInstanceOf(Expected)
      expect((error as Error).constructor).toBe(Expected)
      expect(run.reads).toBe(cell.expect.reads)
      if (error instanceof WaitTimeoutError) {
        expect(error.elapsedMs).toBeGreaterThanOrEqual(timeoutMs)
        expect(run.elapsedReal).toBeGreaterThanOrEqual(timeoutMs / SCALE - 5)
        expect(error.reads).toBe(run.reads)
        expect(error.lastTask?.status).toBe('running')
        // The deadline came while the request hung, long before its own time limit.
        expect(run.elapsedReal).toBeLessThan(run.headersTimeoutMs)
      } else if (error instanceof ResponseValidationError) {
        expect(error.retryable).toBe(false)
      }
    },
  )
})
