/*
 * The durable queue's soak (issue 14): many tasks tracked by 4 worker processes on a real Redis
 * (a redis-server child), one worker SIGKILLed half-way and replaced, against the simulator over
 * real sockets. Prints the counts (tracked, delivered, duplicates, wrong, failed jobs), Redis
 * memory per tracked task (INFO used_memory growth, and MEMORY USAGE of sampled job hashes), and
 * vendor reads per task beside the in-process `waitFor` on the same task shapes and schedule.
 *
 *   npm run soak:queue                       # 100,000 tasks
 *   npm run soak:queue -- --tasks 10000 --cap 1000
 *   npm run soak:queue -- --stretch 30       # tasks and schedule 30 times slower
 *
 * `--stretch` multiplies the tasks' durations and the schedule's intervals alike (same reads per
 * task): on a machine whose workers read slower than 100,000 tasks finish, each task would be
 * read once, after it finished, and the run would prove nothing about waits that span reads.
 *
 * Needs `redis-server` on the PATH. Not part of `npm test` (minutes at 100,000 tasks). Sets
 * `process.exitCode = 1` when a task is lost, an outcome is wrong or a job failed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { createClient } from '../../src/client.js'
import { openai } from '../../src/index.js'
import { createTaskQueue, jobIdOf } from '../../src/queue/index.js'
import { startSimulator } from '../../src/simulator/index.js'
import { bundleWorker } from './support/bundle.js'
import { startRedisServer } from './support/redis-server.js'

const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '100000' },
    workers: { type: 'string', default: '4' },
    cap: { type: 'string', default: '2000' },
    'compare-tasks': { type: 'string' },
    stretch: { type: 'string', default: '1' },
  },
})
const TASKS = Number(args.tasks)
const WORKERS = Number(args.workers)
const CAP = Number(args.cap)
// The in-process comparison: the same task shapes and schedule, at most 10,000 of them.
const COMPARE = Number(args['compare-tasks'] ?? Math.min(TASKS, 10_000))
const STRETCH = Number(args.stretch)
const SCHEDULE = { intervalMs: 1_000 * STRETCH, maxIntervalMs: 2_000 * STRETCH }

/** A task's script: queued 1-3 s, running 3-9 s from its creation (times `--stretch`); 1 in 10 fails. */
function script(index: number) {
  return {
    provider: 'openai' as const,
    dialect: 'gateway' as const,
    queuedMs: (1_000 + (index % 5) * 500) * STRETCH,
    runningMs: (3_000 + (index % 13) * 500) * STRETCH,
    outcome: index % 10 === 0 ? ('failed' as const) : ('succeeded' as const),
  }
}

const log = (line: string) => process.stdout.write(`${line}\n`)
const redisServer = await startRedisServer()
const sim = await startSimulator()
const connection = { redis: { host: redisServer.host, port: redisServer.port } }
const redis = new Redis(connection.redis)
const children = new Set<ChildProcess>()
const started = Date.now()
try {
  const workerScript = await bundleWorker('kill-worker')
  const queueName = 'soak'
  const producer = createTaskQueue({
    provider: openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
    connection,
    name: queueName,
    timeoutMs: 3_600_000,
  })
  await producer.queue.waitUntilReady()
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1])
  const memoryBefore = await usedMemory()

  const delivered = new Map<string, { status: string; key: string; count: number; pid: number }>()
  let deliveries = 0
  let killedPid = 0
  let onAll = () => {}
  const allIn = new Promise<void>((resolve) => {
    onAll = resolve
  })
  const config = {
    connection,
    queueName,
    baseURL: sim.baseURL,
    apiKey: sim.apiKey,
    lockDurationMs: 10_000,
    stalledIntervalMs: 5_000,
    concurrency: 50,
    maxRequestsPerSecond: CAP,
    brief: true,
    ...SCHEDULE,
  }
  const startWorker = () => {
    const child = spawn(process.execPath, [workerScript, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    children.add(child)
    child.once('exit', () => children.delete(child))
    let buffered = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      let newline = buffered.indexOf('\n')
      while (newline >= 0) {
        const line = buffered.slice(0, newline)
        buffered = buffered.slice(newline + 1)
        newline = buffered.indexOf('\n')
        if (!line.startsWith('{')) continue
        const entry = JSON.parse(line) as { pid: number; t: string; s: string; k: string }
        deliveries++
        const seen = delivered.get(entry.t)
        if (seen) {
          seen.count++
          if (seen.status !== entry.s || seen.key !== entry.k) seen.status = 'MISMATCH'
        } else delivered.set(entry.t, { status: entry.s, key: entry.k, count: 1, pid: entry.pid })
        if (!killedPid && delivered.size >= TASKS / 2) {
          const victim = [...children][0]
          killedPid = victim?.pid ?? -1
          victim?.kill('SIGKILL')
          log(`killed worker ${killedPid} at ${delivered.size} outcomes; starting a replacement`)
          startWorker()
        }
        if (delivered.size === TASKS) onAll()
      }
    })
    return child
  }
  for (let index = 0; index < WORKERS; index++) startWorker()

  const expected = new Map<string, string>()
  const enqueueBatch: Promise<unknown>[] = []
  for (let index = 0; index < TASKS; index++) {
    const task = sim.createTask(script(index))
    expected.set(task.id, script(index).outcome)
    enqueueBatch.push(producer.enqueue(task.id))
    if (enqueueBatch.length === 1_000) await Promise.all(enqueueBatch.splice(0))
  }
  await Promise.all(enqueueBatch)
  const memoryEnqueued = await usedMemory()
  // BullMQ's event stream (capped at 10,000 entries) is the queue's, not the tasks'.
  const eventBytes = Number(
    (await redis.memory('USAGE', `bull:${queueName}:events`, 'SAMPLES', '0')) ?? 0,
  )
  log(`enqueued ${TASKS} tasks in ${Date.now() - started} ms`)

  // Job hashes of tasks being tracked (waiting for their next read), sampled.
  const sampleHashBytes: number[] = []
  const progress = setInterval(async () => {
    log(`  ${delivered.size} / ${TASKS} outcomes, ${sim.stats().totalRequests} reads`)
    if (sampleHashBytes.length < 200) {
      const delayed = await producer.queue.getDelayed(0, 49)
      for (const job of delayed) {
        const bytes = await redis.memory('USAGE', `bull:${queueName}:${job.id}`, 'SAMPLES', '0')
        if (typeof bytes === 'number') sampleHashBytes.push(bytes)
      }
    }
  }, 5_000)
  await allIn
  clearInterval(progress)
  const trackedSeconds = (Date.now() - started) / 1000

  let wrong = 0
  let duplicates = 0
  let duplicatesNotOfKilled = 0
  for (const [taskId, entry] of delivered) {
    if (entry.status !== expected.get(taskId)) wrong++
    if (entry.count > 1) {
      duplicates += entry.count - 1
      if (entry.pid !== killedPid) duplicatesNotOfKilled++
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  const counts = await producer.queue.getJobCounts('completed', 'failed', 'active', 'delayed')
  const queueReads = sim.stats().totalRequests
  const sampleJob = await producer.queue.getJob(jobIdOf('openai', [...expected.keys()][0] ?? ''))
  for (const child of children) child.kill('SIGTERM')
  await producer.close()

  // The same shapes through the in-process waitFor, same schedule and cap.
  const readsBefore = sim.stats().totalRequests
  const client = createClient({
    provider: openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
    maxRequestsPerSecond: CAP,
    ...SCHEDULE,
  })
  const compareIds = Array.from({ length: COMPARE }, (_, index) => sim.createTask(script(index)).id)
  await Promise.allSettled(compareIds.map((id) => client.waitFor(id, { timeoutMs: 3_600_000 })))
  const waitForReads = sim.stats().totalRequests - readsBefore

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0
  const report = {
    tasks: TASKS,
    workers: WORKERS,
    capPerSecond: CAP,
    stretch: STRETCH,
    killedPid,
    delivered: delivered.size,
    lost: TASKS - delivered.size,
    wrong,
    deliveries,
    duplicateDeliveries: duplicates,
    duplicatesNotOfKilledWorker: duplicatesNotOfKilled,
    jobs: counts,
    seconds: Math.round(trackedSeconds),
    // Every job once all are enqueued (waiting, delayed, active or finished and kept).
    redisBytesPerJob: Math.round((memoryEnqueued - memoryBefore - eventBytes) / TASKS),
    eventStreamBytes: eventBytes,
    jobHashBytesWhileTracked: { median: median(sampleHashBytes), samples: sampleHashBytes.length },
    jobHashBytesFinished: sampleJob
      ? await redis.memory('USAGE', `bull:soak:${sampleJob.id}`, 'SAMPLES', '0')
      : null,
    readsPerTask: {
      queue: Math.round((queueReads / TASKS) * 100) / 100,
      waitFor: Math.round((waitForReads / COMPARE) * 100) / 100,
      waitForTasks: COMPARE,
    },
  }
  log(JSON.stringify(report, null, 2))
  if (report.lost || report.wrong || counts.failed || report.duplicatesNotOfKilledWorker) {
    process.exitCode = 1
  }
} finally {
  for (const child of children) child.kill('SIGKILL')
  redis.disconnect()
  await sim.close()
  await redisServer.stop()
}
