import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliIO } from '../../src/cli/common.js'
import { byteProgressLine, formatBytes, pathFor } from '../../src/cli/download.js'
import { run } from '../../src/cli/main.js'
import { type Simulator, simulatedBody, startSimulator } from '../../src/simulator/index.js'
import { listDirectory, tempDirectory } from '../download/servers.js'

/*
 * `video-tasks download`, in process against a simulator: the file, the path on stdout, the
 * byte progress on stderr (in place on a terminal), TaskRefs, and the exit codes.
 */

const KEY = 'sk-cli-download-5e1f-DO-NOT-PRINT'
let sim: Simulator
let time = Date.now()

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, now: () => time })
})
afterAll(async () => {
  await sim?.close()
})

function io(options: { tty?: boolean } = {}) {
  const out: string[] = []
  const err: string[] = []
  const cli: CliIO = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: {
      isTTY: options.tty === true,
      columns: 120,
      write: (text: string) => err.push(text),
    },
    env: { VIDEO_TASKS_API_KEY: KEY, TERM: 'xterm-256color', NO_COLOR: '1' },
    onSignal: () => () => {},
  }
  return { cli, stdout: () => out.join(''), stderr: () => err.join('') }
}

function finished(provider: 'openai' | 'doubao', bytes: number, seed: number) {
  const task = sim.createTask({
    provider,
    queuedMs: 0,
    runningMs: 1_000,
    download: { bytes, seed },
  })
  time += 1_000
  return task
}

function expectedSha(seed: number, bytes: number): string {
  const hash = createHash('sha256')
  for (const chunk of simulatedBody(seed, bytes)) hash.update(chunk)
  return hash.digest('hex')
}

const sha = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')

describe('video-tasks download', () => {
  it('writes the file, prints its path on stdout and byte progress on stderr', async () => {
    const task = finished('openai', 2_000_000, 21)
    const dir = await tempDirectory()
    const { cli, stdout, stderr } = io()
    const to = join(dir, 'out.mp4')
    const code = await run(['download', task.id, '-o', to, '-p', 'openai', '-u', sim.baseURL], cli)
    expect(code).toBe(0)
    expect(stdout()).toBe(`${to}\n`)
    expect(await sha(to)).toBe(expectedSha(21, 2_000_000))
    expect(stderr()).toMatch(/100% 2\.0 MB \/ 2\.0 MB/)
    expect(stderr()).not.toContain('\u001b')
    expect(stdout() + stderr()).not.toContain(KEY)
  })

  it('draws the bar in place on a terminal', async () => {
    const task = finished('doubao', 500_000, 22)
    const dir = await tempDirectory()
    const { cli, stderr } = io({ tty: true })
    const code = await run(
      ['download', task.id, '-o', join(dir, 'v.mp4'), '-p', 'doubao', '-u', sim.baseURL],
      cli,
    )
    expect(code).toBe(0)
    expect(stderr()).toContain('\r\u001b[2K')
    expect(stderr()).toMatch(/█{20} 100% 500\.0 kB \/ 500\.0 kB/)
    expect(stderr().endsWith('\n')).toBe(true)
  })

  it('takes a TaskRef as JSON, which names the provider and the origin', async () => {
    const task = finished('doubao', 10_000, 23)
    const dir = await tempDirectory()
    const ref = {
      version: 1,
      provider: 'doubao',
      origin: sim.baseURL,
      taskId: task.id,
      submittedAt: new Date(time).toISOString(),
    }
    const { cli, stdout } = io()
    const code = await run(['download', JSON.stringify(ref), '-o', join(dir, 'r.mp4')], cli)
    expect(code).toBe(0)
    expect(stdout()).toBe(`${join(dir, 'r.mp4')}\n`)
    const bad = io()
    expect(await run(['download', '{"version":2}', '-o', join(dir, 'x.mp4')], bad.cli)).toBe(64)
    expect(bad.stderr()).toMatch(/version/)
  })

  it('exits 1 for a task still running, writing nothing; 64 without -o', async () => {
    const task = sim.createTask({ provider: 'doubao', queuedMs: 0, runningMs: 600_000 })
    const dir = await tempDirectory()
    const { cli, stdout, stderr } = io()
    const args = ['download', task.id, '-p', 'doubao', '-u', sim.baseURL]
    expect(await run([...args, '-o', join(dir, 'v.mp4')], cli)).toBe(1)
    expect(stderr()).toMatch(/TaskNotReadyError: .*running/)
    expect(stdout()).toBe('')
    expect(await listDirectory(dir)).toEqual([])
    const usage = io()
    expect(await run(args, usage.cli)).toBe(64)
    expect(usage.stderr()).toMatch(/Missing -o/)
    // A folder that is not there: a usage error before the task is read.
    const before = sim.stats().totalRequests
    const missing = io()
    expect(await run([...args, '-o', join(dir, 'no', 'v.mp4')], missing.cli)).toBe(64)
    expect(missing.stderr()).toMatch(/-o: cannot write in .*no \(missing, or not writable\)/)
    expect(sim.stats().totalRequests).toBe(before)
  })
})

describe('byte progress', () => {
  it('formats sizes, speed and time left', () => {
    expect(formatBytes(950)).toBe('950 B')
    expect(formatBytes(1_500_000)).toBe('1.5 MB')
    const line = byteProgressLine(
      'out.mp4',
      { receivedBytes: 500_000, totalBytes: 1_000_000, bytesPerSecond: 100_000 },
      200,
    )
    expect(line).toBe('out.mp4 ██████████░░░░░░░░░░ 50% 500.0 kB / 1.0 MB  100.0 kB/s  5.0s left')
    expect(
      byteProgressLine('x', { receivedBytes: 2_000, totalBytes: null, bytesPerSecond: 0 }),
    ).toBe('x 2.0 kB  -')
    // No speed yet: no time left either; complete: "done", not "0ms left".
    expect(
      byteProgressLine('x', { receivedBytes: 0, totalBytes: 10, bytesPerSecond: 0 }, 200),
    ).toBe('x ░░░░░░░░░░░░░░░░░░░░ 0% 0 B / 10 B  -  - left')
    expect(
      byteProgressLine('x', { receivedBytes: 10, totalBytes: 10, bytesPerSecond: 5 }, 200),
    ).toBe('x ████████████████████ 100% 10 B / 10 B  5 B/s  done')
  })

  it('names several outputs by index', () => {
    expect(pathFor('out.mp4', 1, 2)).toBe('out-1.mp4')
    expect(pathFor('dir.v/out', 0, 2)).toBe('dir.v/out-0')
    expect(pathFor('clip-{index}.mp4', 3, 4)).toBe('clip-3.mp4')
    expect(pathFor('out.mp4', 0, 1)).toBe('out.mp4')
  })
})
