/*
 * The durable queue's figures (issue 14), on a redis-server child on 127.0.0.1:
 *
 *   node bench/queue.mjs [--quick] [--tasks N] [--concurrency C] [--duration-ms D] [--rounds R]
 *
 * 1. Jobs per second of ONE worker process of `video-tasks/queue` (each job: one read at the
 *    simulator, one schedule step, a re-delay), beside a BullMQ worker whose processor does
 *    nothing, on the same Redis, at the same concurrency. Goal: at least 0.7x the no-op.
 *    Beside both, a plain BullMQ worker that makes the same read with undici and re-delays the
 *    job (`readBaseline`): what any driver of this design costs before the SDK does anything,
 *    so the driver's own overhead is `driver / readBaseline`.
 *    The three run in turn, `--rounds` times (3), each round on a fresh worker after its own
 *    warm-up: on a shared machine the load changes from second to second, so the ratios are
 *    per round (the workers of one round measured within seconds of each other) and the figure
 *    is their median.
 * 2. Redis bytes per tracked task: `used_memory` growth (without the script cache and client
 *    buffers, fixed costs of a worker) per enqueued task, after reads (every task read at least
 *    once, with its last task stored, the event stream left out); the same summed over the
 *    queue's keys (`queueKeyBytesPerTrackedTask`: what the tasks hold, without the allocator's
 *    and the server's own growth); and `MEMORY USAGE ... SAMPLES 0` (every
 *    field counted: the default samples 5 and extrapolates) of one job's hash before its first
 *    read and after. Goal: at most 1.5 KiB.
 *
 * The simulator runs in a child process so it does not share the worker's event loop, and
 * answers at once (tasks queued for 1e9 ms). Measures the build in dist/ (npm run build) or
 * $BENCH_DIST. --quick: tiny sizes, checks that every figure is produced; its values mean little.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DelayedError, Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { Agent, request } from 'undici'
import { distUrl } from './lib/dist.mjs'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tasks: { type: 'string' },
    concurrency: { type: 'string' },
    'duration-ms': { type: 'string' },
    rounds: { type: 'string' },
  },
})
const quick = args.quick || ['1', 'true'].includes(process.env.BENCH_QUICK ?? '')
const tasks = Number(args.tasks ?? (quick ? 200 : 5_000))
const concurrency = Number(args.concurrency ?? 20)
const durationMs = Number(args['duration-ms'] ?? (quick ? 1_000 : 4_000))
const warmupMs = quick ? 300 : 1_000
const rounds = Number(args.rounds ?? 3)

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
/**
 * Redis memory that tasks can take: `used_memory` without BullMQ's Lua script cache and the
 * clients' buffers, which each worker and queue adds once, whatever the number of tasks (with
 * 5,000 tasks, the ~15 scripts alone would add ~30 B a task).
 */
async function usedMemory() {
  const info = await client.info('memory')
  const field = (name) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0)
  return field('used_memory') - field('used_memory_scripts') - field('mem_clients_normal')
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1]
const results = {}

/** A BullMQ worker that does nothing: the time to complete a batch, its first tenth left out. */
async function noopRound(round) {
  const name = `bench-noop-${round}`
  const queue = new Queue(name, { connection })
  const total = tasks * 10
  for (let from = 0; from < total; from += 10_000) {
    await queue.addBulk(
      Array.from({ length: Math.min(10_000, total - from) }, (_, index) => ({
        name: 'noop',
        data: { index: from + index },
        opts: { removeOnComplete: true },
      })),
    )
  }
  let done = 0
  let warmedAt = 0
  const worker = await new Promise((resolve) => {
    const worker = new Worker(name, async () => {}, { connection, concurrency })
    worker.on('completed', () => {
      done++
      if (done === Math.floor(total / 10)) warmedAt = performance.now()
      if (done === total) resolve(worker)
    })
  })
  const measured = total - Math.floor(total / 10)
  const perSecond = Math.round(measured / ((performance.now() - warmedAt) / 1000))
  await worker.close()
  await queue.obliterate({ force: true })
  await queue.close()
  return perSecond
}

const reads = async () => (await control(sim, '/__simulator/stats')).totalRequests

/** Reads at the simulator per second while `start()`'s worker runs, after a warm-up. */
async function readsPerSecond(start) {
  const stop = await start()
  await sleep(warmupMs)
  const from = await reads()
  const started = performance.now()
  await sleep(durationMs)
  const count = (await reads()) - from
  const perSecond = Math.round(count / ((performance.now() - started) / 1000))
  await stop()
  return perSecond
}

try {
  // A built-in factory's provider loads its adapter on first use (`Provider.load`, issue 12);
  // the queue's worker reads with `observeTask`, which does not load it: loaded here first (a
  // provider made after its adapter loaded is ready already and has no `load`).
  const lazy = openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })
  const provider = (await lazy.load?.()) ?? lazy
  const producer = createTaskQueue({
    provider,
    connection: { redis: connection },
    name: 'bench-driver',
  })
  const before = await usedMemory()
  const ids = []
  for (let index = 0; index < tasks; index++) {
    const task = await control(sim, '/__simulator/tasks', { provider: 'openai', queuedMs: 1e9 })
    ids.push(task.id)
  }
  await Promise.all(ids.map((id) => producer.enqueue(id)))
  results.redisBytesPerEnqueuedTask = Math.round(((await usedMemory()) - before) / tasks)
  const jobKey = `bull:bench-driver:${encodeURIComponent('openai')}/${encodeURIComponent(ids[0])}`
  results.jobHashBytesBeforeFirstRead = await client.memory('USAGE', jobKey, 'SAMPLES', '0')

  // The driver: job starts (one read each) per second, tasks that stay queued.
  const startDriver = async () => {
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
    return () => worker.close()
  }
  // The same read made by hand (undici, one keep-alive pool) and a plain re-delay, on the same
  // jobs: the floor of any driver that reads once per job and re-delays it.
  const startReadBaseline = async () => {
    const agent = new Agent({ connections: concurrency })
    const headers = { authorization: `Bearer ${sim.apiKey}` }
    const worker = new Worker(
      'bench-driver',
      async (job, token) => {
        const taskId = decodeURIComponent(job.id.slice(job.id.indexOf('/') + 1))
        const response = await request(`${sim.baseURL}/v1/videos/${taskId}`, {
          dispatcher: agent,
          headers,
        })
        await response.body.json()
        await job.moveToDelayed(Date.now() + 1, token)
        throw new DelayedError()
      },
      { connection, concurrency },
    )
    await worker.waitUntilReady()
    return async () => {
      await worker.close()
      await agent.close()
    }
  }

  const perRound = []
  for (let round = 0; round < rounds; round++) {
    const noop = await noopRound(round)
    const driver = await readsPerSecond(startDriver)
    const readBaseline = await readsPerSecond(startReadBaseline)
    perRound.push({ noop, driver, readBaseline, load: loadavg()[0].toFixed(2) })
  }
  results.rounds = perRound
  results.noopJobsPerSecond = median(perRound.map((round) => round.noop))
  results.driverJobsPerSecond = median(perRound.map((round) => round.driver))
  results.readBaselineJobsPerSecond = median(perRound.map((round) => round.readBaseline))
  const ratio = (a, b) => Math.round((a / b) * 100) / 100
  results.driverVsNoop = median(perRound.map((round) => ratio(round.driver, round.noop)))
  results.readBaselineVsNoop = median(
    perRound.map((round) => ratio(round.readBaseline, round.noop)),
  )
  results.driverVsReadBaseline = median(
    perRound.map((round) => ratio(round.driver, round.readBaseline)),
  )

  results.jobHashBytesAfterReads = await client.memory('USAGE', jobKey, 'SAMPLES', '0')
  // BullMQ's event stream (capped at 10,000 entries) is the queue's, not the tasks'.
  const events = (await client.memory('USAGE', 'bull:bench-driver:events', 'SAMPLES', '0')) ?? 0
  results.eventStreamBytes = events
  results.redisBytesPerTrackedTask = Math.round(((await usedMemory()) - before - events) / tasks)
  // The same from the keys: every key of the queue but its event stream (the job hashes, the
  // delayed and wait sets, the queue's few own keys), `MEMORY USAGE ... SAMPLES 0`, per task.
  const keys = (await client.keys('bull:bench-driver:*')).filter((key) => !key.endsWith(':events'))
  const pipeline = client.pipeline()
  for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0')
  const sizes = (await pipeline.exec()) ?? []
  const keyBytes = sizes.reduce((sum, [, bytes]) => sum + Number(bytes ?? 0), 0)
  results.queueKeyBytesPerTrackedTask = Math.round(keyBytes / tasks)
  await producer.close()
  results.config = { tasks, concurrency, durationMs, warmupMs, rounds, quick }
  console.log(JSON.stringify(results, null, 2))
} finally {
  client.disconnect()
  sim.stop()
  await redis.stop()
}
