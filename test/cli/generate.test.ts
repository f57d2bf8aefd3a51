/**
 * `video-tasks generate` in this process against the simulator: the ref on stderr before the
 * result on stdout, input refused before anything is sent (exit 64), a lost create answer
 * reported as "may have been created" without a second POST, and the key printed nowhere.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CliIO } from '../../src/cli/common.js'
import { run } from '../../src/cli/main.js'
import { type Simulator, startSimulator } from '../../src/simulator/index.js'
import { parseTaskRef } from '../../src/task-ref.js'

const KEY = 'sk-cli-generate-5b0e-DO-NOT-PRINT'
const env = { VIDEO_TASKS_API_KEY: KEY }
let sim: Simulator
let directory: string
const base = Date.UTC(2026, 0, 1)

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'video-tasks-generate-'))
})
afterAll(async () => {
  await rm(directory, { recursive: true, force: true })
})
afterEach(async () => {
  await sim?.close()
})

async function simulator() {
  // Each request moves the simulator's clock a second: tasks finish after a fixed read count.
  sim = await startSimulator({
    apiKey: KEY,
    now: () => base + (sim?.totalRequests() ?? 0) * 1_000,
    createScript: { queuedMs: 1_500, runningMs: 1_000 },
  })
  return sim
}

/** Runs the CLI with streams that record, in one log so the order of writes shows. */
async function generate(args: readonly string[]) {
  const log: { stream: 'stdout' | 'stderr'; text: string }[] = []
  const io: CliIO = {
    stdout: { write: (text: string) => log.push({ stream: 'stdout', text }) },
    stderr: { write: (text: string) => log.push({ stream: 'stderr', text }) },
    env,
    onSignal: () => () => {},
  }
  const code = await run(['generate', ...args], io)
  const text = (stream: string) =>
    log
      .filter((entry) => entry.stream === stream)
      .map((entry) => entry.text)
      .join('')
  const all = log.map((entry) => entry.text).join('')
  expect(all).not.toContain(KEY)
  return { code, log, stdout: text('stdout'), stderr: text('stderr') }
}

const api = (provider: string) => ['--provider', provider, '--base-url', sim.baseURL]

describe('video-tasks generate', () => {
  it('creates, prints the ref on stderr first, then the result on stdout', async () => {
    await simulator()
    const result = await generate([
      ...api('openai'),
      '--prompt',
      'A red fox in snow',
      '--duration',
      '8',
      '--size',
      '1280x720',
      '--interval',
      '5',
      '--json',
    ])
    expect(result.code).toBe(0)
    expect(result.log[0]?.stream).toBe('stderr')
    const submitted = JSON.parse(result.stderr.trim()) as { type: string; ref: unknown }
    expect(submitted.type).toBe('submitted')
    const ref = parseTaskRef(submitted.ref)
    const outcome = JSON.parse(result.stdout.trim())
    expect(outcome).toMatchObject({
      type: 'outcome',
      outcome: 'succeeded',
      exitCode: 0,
      taskId: ref.taskId,
      status: 'succeeded',
      reads: sim.requests(ref.taskId),
    })
    expect(sim.task(ref.taskId)?.script).toMatchObject({ seconds: '8', size: '1280x720' })
    expect(sim.billed()).toBe(1)
  })

  it('sends a file given to --image as bytes (openai: a multipart file part)', async () => {
    await simulator()
    const path = join(directory, 'frame.png')
    await writeFile(path, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]))
    const result = await generate([
      ...api('openai'),
      '--prompt',
      'Animate',
      '--image',
      path,
      '--interval',
      '5',
      '--json',
    ])
    expect(result.code).toBe(0)
    expect(sim.billed()).toBe(1)
  })

  it('refuses bad input with exit 64 before anything is sent', async () => {
    await simulator()
    const cases = [
      ['--prompt', 'a', '--duration', '-3'],
      ['--prompt', 'a', '--size', 'big'],
      ['--prompt', 'a', '--aspect-ratio', '16:9'], // openai cannot express it
      ['--prompt', 'a', '--image', join(directory, 'missing.png')],
      ['--duration', '4'],
    ]
    for (const flags of cases) {
      const result = await generate([...api('openai'), ...flags])
      expect(result.code, flags.join(' ')).toBe(64)
    }
    expect(sim.stats().totalRequests).toBe(0)
  })

  it('a lost create answer: exit 1, "may have been created", and one POST only', async () => {
    await simulator()
    sim.setFaults({ rate: 1, kinds: ['reset'] })
    const result = await generate([...api('doubao'), '--prompt', 'A red fox'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/may have been created/)
    expect(sim.stats().totalRequests).toBe(1)
    expect(sim.billed()).toBe(1)
    const json = await generate([...api('doubao'), '--prompt', 'again', '--json'])
    expect(JSON.parse(json.stdout.trim())).toMatchObject({
      outcome: 'error',
      mayHaveBeenCreated: true,
      ref: null,
    })
  })

  it('is listed in the main help', async () => {
    const log: string[] = []
    await run(['--help'], {
      stdout: { write: (text: string) => log.push(text) },
      stderr: { write: (text: string) => log.push(text) },
      env: {},
      onSignal: () => () => {},
    })
    expect(log.join('')).toMatch(/generate\s+create a task/)
  })
})
