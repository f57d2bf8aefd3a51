import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { openai } from 'video-tasks'
import {
  createTaskQueue,
  createTaskWorker,
  jobIdOf,
  type OutcomeContext,
  type QueueOutcome,
} from 'video-tasks/queue'
import { type Simulator, startSimulator } from 'video-tasks/simulator'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES, startEngine, type TestEngine, uniqueQueueName } from './support/engines.js'
import { outcomeCollector } from './support/outcomes.js'

/*
 * The crash window: a worker process is SIGKILLed right after its onOutcome started (the outcome
 * is in the job, the job is not completed). Another worker must deliver the same outcome with
 * the same key, and make no vendor read.
 */

// Bundled once with esbuild (packages stay external): a plain `node` child starts in a fraction
// of the time a TypeScript loader takes on a busy machine.
const crashWorker = fileURLToPath(new URL('./support/.crash-worker.mjs', import.meta.url))
beforeAll(async () => {
  const output = await build({
    entryPoints: [fileURLToPath(new URL('./support/crash-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    packages: 'external',
    outfile: 'crash-worker.mjs',
  })
  await writeFile(crashWorker, output.outputFiles[0]?.text ?? '')
})

// Killed after each test: a test that times out must not leave a worker behind.
const children = new Set<import('node:child_process').ChildProcess>()
afterEach(() => {
  for (const child of children) child.kill('SIGKILL')
})

function runCrashWorker(config: object): Promise<{
  delivered: { outcome: QueueOutcome; context: OutcomeContext }
  signal: NodeJS.Signals | null
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [crashWorker, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    children.add(child)
    child.once('exit', () => children.delete(child))
    child.on('error', reject)
    child.on('exit', (_code, signal) => {
      const line = stdout.split('\n').find((entry) => entry.startsWith('{'))
      if (!line) return reject(new Error(`crash worker printed no outcome: ${stdout} ${stderr}`))
      resolve({ delivered: JSON.parse(line), signal })
    })
  })
}

describe.each(ENGINES)('the crash window on $name', ({ name, available }) => {
  let engine: TestEngine
  let sim: Simulator

  beforeAll(async () => {
    if (!available) return
    engine = await startEngine(name)
    sim = await startSimulator()
  }, 60_000)
  afterAll(async () => {
    await sim?.close()
    await engine?.stop()
  })

  it.skipIf(!available)(
    'delivers the recorded outcome again after crashes, with no vendor read and the same key',
    async () => {
      const queueName = uniqueQueueName('crash')
      const task = sim.createTask({
        provider: 'openai',
        dialect: 'gateway',
        queuedMs: 100,
        runningMs: 200,
      })
      const tasks = createTaskQueue({
        provider: openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
        connection: engine.connection(),
        name: queueName,
      })
      await tasks.enqueue(task.id)
      const config = {
        connection: engine.connection(),
        queueName,
        baseURL: sim.baseURL,
        apiKey: sim.apiKey,
      }
      const crashed = await runCrashWorker(config)
      expect(crashed.signal).toBe('SIGKILL')
      expect(crashed.delivered.outcome.status).toBe('succeeded')
      const readsBeforeRecovery = sim.requests(task.id)
      // A second worker dies the same way once the stall is recovered: two stalls of one job,
      // past BullMQ's default limit of one, must not fail the wait.
      const crashedAgain = await runCrashWorker(config)
      expect(crashedAgain.signal).toBe('SIGKILL')
      expect(crashedAgain.delivered).toEqual(crashed.delivered)
      expect(sim.requests(task.id)).toBe(readsBeforeRecovery)
      const job = await tasks.queue.getJob(jobIdOf('openai', task.id))
      expect(await job?.getState()).toBe('active')

      const outcomes = outcomeCollector()
      const recovered = createTaskWorker({
        provider: openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
        connection: engine.connection(),
        name: queueName,
        lockDurationMs: 600,
        stalledIntervalMs: 300,
        onOutcome: outcomes.onOutcome,
      })
      try {
        const killedAt = Date.now()
        // Recovery within the lock, two stall checks and slack.
        await outcomes.waitFor(1, 600 + 2 * 300 + 3_000)
        expect(Date.now() - killedAt).toBeLessThan(600 + 2 * 300 + 3_000)
        expect(outcomes.calls).toHaveLength(1)
        expect(outcomes.calls[0]?.outcome).toEqual(crashed.delivered.outcome)
        expect(outcomes.calls[0]?.context).toEqual(crashed.delivered.context)
        expect(sim.requests(task.id)).toBe(readsBeforeRecovery)
        const after = await tasks.queue.getJob(jobIdOf('openai', task.id))
        let state = await after?.getState()
        for (let tries = 0; state !== 'completed' && tries < 50; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 20))
          state = await after?.getState()
        }
        expect(state).toBe('completed')
        expect(await tasks.queue.getJobCounts('failed')).toEqual({ failed: 0 })
      } finally {
        await recovered.close()
        await tasks.close()
      }
    },
    90_000,
  )
})
