/*
 * The durable queue's figures (issue 14), on a redis-server child on 127.0.0.1:
 *
 *   node bench/queue.mjs [--quick] [--tasks N] [--concurrency C] [--duration-ms D]
 *
 * 1. Jobs per second of ONE worker process of `video-tasks/queue` (each job: one read at the
 *    simulator, one schedule step, a re-delay), beside a BullMQ worker whose processor does
 *    nothing, on the same Redis, at the same concurrency. Goal: at least 0.7x the no-op.
 * 2. Redis bytes per tracked task: `used_memory` growth per enqueued task, and `MEMORY USAGE`
 *    of one job's hash before its first read and after reads (with the last task stored).
 *    Goal: at most 1.5 KiB.
 *
 * The simulator runs in a child process so it does not share the worker's event loop. Measures
 * the build in dist/ (npm run build) or $BENCH_DIST. --quick: tiny sizes, checks that every figure
 * is produced; its values mean little.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { distUrl } from './lib/dist.mjs'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tasks: { type: 'string' },
    concurrency: { type: 'string' },
    'duration-ms': { type: 'string' },
  },
})
const quick = args.quick || ['1', 'true'].includes(process.env.BENCH_QUICK ?? '')
const tasks = Number(args.tasks ?? (quick ? 200 : 5_000))
const concurrency = Number(args.concurrency ?? 20)
const durationMs = Number(args['duration-ms'] ?? (quick ? 1_500 : 10_000))
const warmupMs = quick ? 300 : 2_000

if (spawnSync('redis-server', ['--version']).status !== 0) {
  console.log(
    'bench/queue.mjs: skipped, no redis-server on the PATH (apt-get install redis-server)',
  )
  process.exit(0)
}

const { openai } = await import(distUrl('index.js'))
const { createTaskQueue, createTaskWorker } = await import(distUrl('queue.js'))

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function startRedis() {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'video-tasks-bench-redis-'))
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
      if (output.includes('Ready to accept connections')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)))
  })
  return {
    port,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function startSimulatorChild() {
  const source = `
    const { startSimulator } = await import(${JSON.stringify(distUrl('simulator.js'))})
    const sim = await startSimulator()
    process.send({ baseURL: sim.baseURL, apiKey: sim.apiKey })
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const info = await new Promise((resolve, reject) => {
    child.once('message', resolve)
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)))
  })
  return { ...info, stop: () => child.kill('SIGTERM') }
}

async function control(sim, path, body) {
  const response = await fetch(`${sim.baseURL}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return response.json()
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const redis = await startRedis()
const sim = await startSimulatorChild()
const connection = { host: '127.0.0.1', port: redis.port }
const client = new Redis(connection)
const results = {}
try {
  // --- No-op BullMQ worker: the time to complete a batch, its first tenth left out as warm-up.
  {
    const queue = new Queue('bench-noop', { connection })
    const total = tasks * 10
    await queue.addBulk(
      Array.from({ length: total }, (_, index) => ({
        name: 'noop',
        data: { index },
        opts: { removeOnComplete: true },
      })),
    )
    let done = 0
    let warmedAt = 0
    const finished = new Promise((resolve) => {
      const worker = new Worker('bench-noop', async () => {}, { connection, concurrency })
      worker.on('completed', () => {
        done++
        if (done === Math.floor(total / 10)) warmedAt = performance.now()
        if (done === total) resolve(worker)
      })
    })
    const worker = await finished
    const measured = total - Math.floor(total / 10)
    results.noopJobsPerSecond = Math.round(measured / ((performance.now() - warmedAt) / 1000))
    await worker.close()
    await queue.obliterate({ force: true })
    await queue.close()
  }

  // --- The driver: job starts (one read each) per second, tasks that stay queued.
  {
    const provider = openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    const producer = createTaskQueue({
      provider,
      connection: { redis: connection },
      name: 'bench-driver',
    })
    const before = Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1])
    const ids = []
    for (let index = 0; index < tasks; index++) {
      const task = await control(sim, '/__simulator/tasks', { provider: 'openai', queuedMs: 1e9 })
      ids.push(task.id)
    }
    await Promise.all(ids.map((id) => producer.enqueue(id)))
    const after = Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1])
    results.redisBytesPerEnqueuedTask = Math.round((after - before) / tasks)
    const jobKey = `bull:bench-driver:${encodeURIComponent('openai')}/${encodeURIComponent(ids[0])}`
    results.jobHashBytesBeforeFirstRead = await client.memory('USAGE', jobKey)

    const worker = createTaskWorker({
      provider,
      connection: { redis: connection },
      name: 'bench-driver',
      intervalMs: 1,
      minIntervalMs: 1,
      maxIntervalMs: 1,
      jitter: 0,
      maxRequestsPerSecond: 1_000_000,
      concurrency,
      onOutcome: () => {},
    })
    await worker.ready()
    const reads = async () => (await control(sim, '/__simulator/stats')).totalRequests
    await sleep(warmupMs)
    const from = await reads()
    const started = performance.now()
    await sleep(durationMs)
    const count = (await reads()) - from
    results.driverJobsPerSecond = Math.round(count / ((performance.now() - started) / 1000))
    await worker.close()
    results.jobHashBytesAfterReads = await client.memory('USAGE', jobKey)
    const total = Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1])
    // BullMQ's event stream (capped at 10,000 entries) is the queue's, not the tasks'.
    const events = (await client.memory('USAGE', 'bull:bench-driver:events')) ?? 0
    results.eventStreamBytes = events
    results.redisBytesPerTrackedTask = Math.round((total - before - events) / tasks)
    await producer.close()
  }
  results.driverVsNoop =
    Math.round((results.driverJobsPerSecond / results.noopJobsPerSecond) * 100) / 100
  results.config = { tasks, concurrency, durationMs, quick }
  console.log(JSON.stringify(results, null, 2))
} finally {
  client.disconnect()
  sim.stop()
  await redis.stop()
}
