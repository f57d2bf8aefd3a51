import { openai } from 'video-tasks'
import {
  createTaskQueue,
  createTaskWorker,
  jobIdOf,
  type TaskQueue,
  type TaskWorker,
  type TaskWorkerOptions,
} from 'video-tasks/queue'
import { type Simulator, startSimulator } from 'video-tasks/simulator'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type CountingProxy, maxPerSecond, startCountingProxy } from './support/counting-proxy.js'
import { ENGINES, startEngine, type TestEngine, uniqueQueueName } from './support/engines.js'
import { outcomeCollector } from './support/outcomes.js'

/*
 * The durable driver against real engines (a redis-server child, an embedded PostgreSQL) and
 * the simulator over real sockets. Short real intervals; assertions are on outcomes and counts.
 */

describe.each(ENGINES)('video-tasks/queue on $name', ({ name, available }) => {
  let engine: TestEngine
  let sim: Simulator
  let proxy: CountingProxy
  const closers: (() => Promise<void>)[] = []

  beforeAll(async () => {
    if (!available) return
    engine = await startEngine(name)
  }, 60_000)
  afterAll(async () => {
    await engine?.stop()
  })
  beforeEach(async () => {
    sim = await startSimulator()
    proxy = await startCountingProxy(sim.baseURL)
  })
  afterEach(async () => {
    // Workers first (they may be mid-read), then producers, then the servers they talk to.
    for (const close of closers.splice(0).reverse()) await close()
    await proxy.close()
    await sim.close()
  })

  const provider = () => openai({ baseURL: proxy.baseURL, apiKey: sim.apiKey })

  function producer(queueName: string, timeoutMs?: number): TaskQueue {
    const tasks = createTaskQueue({
      provider: provider(),
      connection: engine.connection(),
      name: queueName,
      timeoutMs,
    })
    closers.push(() => tasks.close())
    return tasks
  }

  async function worker(
    queueName: string,
    options: Partial<TaskWorkerOptions> & Pick<TaskWorkerOptions, 'onOutcome'>,
  ): Promise<TaskWorker> {
    const started = createTaskWorker({
      provider: provider(),
      connection: engine.connection(),
      name: queueName,
      intervalMs: 100,
      maxIntervalMs: 200,
      jitter: 0,
      maxRequestsPerSecond: 1_000,
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      ...options,
    })
    closers.push(() => started.close())
    await started.ready()
    return started
  }

  it.skipIf(!available)(
    'tracks a task enqueued twice as one job, also after it finished',
    async () => {
      const queueName = uniqueQueueName('twice')
      const task = sim.createTask({ provider: 'openai', queuedMs: 100, runningMs: 200 })
      const tasks = producer(queueName)
      const first = await tasks.enqueue(task.id)
      const second = await tasks.enqueue(task.id)
      expect(second.jobId).toBe(first.jobId)
      expect(first.jobId).toBe(jobIdOf('openai', task.id))
      const counts = await tasks.queue.getJobCounts('waiting', 'delayed', 'active', 'completed')
      expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(1)

      const outcomes = outcomeCollector()
      await worker(queueName, { onOutcome: outcomes.onOutcome })
      await outcomes.waitFor(1)
      const readsWhenDone = sim.requests(task.id)
      // Finished and kept: a third enqueue neither adds a job nor reads again.
      await tasks.enqueue(task.id)
      await new Promise((resolve) => setTimeout(resolve, 400))
      expect(outcomes.calls).toHaveLength(1)
      expect(sim.requests(task.id)).toBe(readsWhenDone)
      expect(await tasks.queue.getJobCounts('waiting', 'delayed', 'active')).toEqual({
        waiting: 0,
        delayed: 0,
        active: 0,
      })
    },
  )

  it.skipIf(!available)(
    'delivers a succeeded outcome once, with the reads the vendor saw',
    async () => {
      const queueName = uniqueQueueName('success')
      const tasks = producer(queueName)
      const outcomes = outcomeCollector()
      // The worker first: the tasks' timelines start when created, and must span several reads.
      await worker(queueName, { onOutcome: outcomes.onOutcome })
      const ok = sim.createTask({
        provider: 'openai',
        dialect: 'gateway',
        queuedMs: 300,
        runningMs: 600,
      })
      const bad = sim.createTask({
        provider: 'openai',
        queuedMs: 50,
        runningMs: 100,
        outcome: 'failed',
      })
      await tasks.enqueue(ok.id)
      await tasks.enqueue(bad.id)
      await outcomes.waitFor(2)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(outcomes.calls).toHaveLength(2)
      const byTask = new Map(outcomes.calls.map((call) => [call.context.taskId, call]))
      const succeeded = byTask.get(ok.id)
      expect(succeeded?.outcome).toMatchObject({
        status: 'succeeded',
        task: { id: ok.id, status: 'succeeded' },
      })
      expect(succeeded?.outcome.status === 'succeeded' && succeeded.outcome.task.videoUrl).toBe(
        ok.videoUrl,
      )
      expect(byTask.get(bad.id)?.outcome).toMatchObject({
        status: 'failed',
        task: { status: 'failed' },
      })
      // Polled, not read once: queued, running, then succeeded.
      expect(sim.requests(ok.id)).toBeGreaterThanOrEqual(3)
      const job = await tasks.queue.getJob(jobIdOf('openai', ok.id))
      expect(job?.data.s.reads).toBe(sim.requests(ok.id))
      expect(job?.data.o).toEqual(succeeded?.outcome)
      expect(await job?.getState()).toBe('completed')
    },
  )

  it.skipIf(!available)(
    'ends a wait past its deadline with a timed-out outcome and the last task',
    async () => {
      const queueName = uniqueQueueName('deadline')
      const slow = sim.createTask({ provider: 'openai', queuedMs: 50, runningMs: 60_000 })
      const tasks = producer(queueName)
      const outcomes = outcomeCollector()
      await worker(queueName, { onOutcome: outcomes.onOutcome })
      const enqueuedAt = Date.now()
      await tasks.enqueue(slow.id, { timeoutMs: 1_000 })
      await outcomes.waitFor(1)
      const elapsed = Date.now() - enqueuedAt
      expect(outcomes.calls[0]?.outcome).toMatchObject({
        status: 'timed-out',
        lastTask: { id: slow.id, status: 'running' },
      })
      // The job stores the last task without its id, provider and empty fields: all back.
      const outcome = outcomes.calls[0]?.outcome
      const lastTask = outcome?.status === 'timed-out' ? outcome.lastTask : null
      expect(lastTask).toMatchObject({
        provider: 'openai',
        videoUrl: null,
        videoUrls: [],
        error: null,
        completedAt: null,
      })
      // At the deadline, as the in-process waitFor, not when the schedule saw it coming.
      expect(elapsed).toBeGreaterThanOrEqual(1_000)
      const readsAtOutcome = sim.requests(slow.id)
      await new Promise((resolve) => setTimeout(resolve, 400))
      expect(sim.requests(slow.id)).toBe(readsAtOutcome)
    },
  )

  it.skipIf(!available)(
    'holds one rate cap of 50/s across four workers in every one-second window',
    async () => {
      const queueName = uniqueQueueName('cap')
      const cap = 50
      const tasks = producer(queueName)
      const ids = Array.from(
        { length: 60 },
        () => sim.createTask({ provider: 'openai', queuedMs: 60_000 }).id,
      )
      for (const id of ids) await tasks.enqueue(id)
      // Demand: 60 tasks every 100 ms is 600 reads/s, twelve times the cap.
      const options = { onOutcome: () => {}, maxRequestsPerSecond: cap, concurrency: 10 }
      const started = performance.now()
      await Promise.all([1, 2, 3, 4].map(() => worker(queueName, options)))
      await new Promise((resolve) => setTimeout(resolve, 2_600))
      const seen = proxy.arrivals.filter((at) => at >= started)
      expect(maxPerSecond(seen)).toBeLessThanOrEqual(cap)
      // The cap is a ceiling, not a stall: the workers kept reading (how close to the cap
      // depends on the machine: a busy 2-core one gets about one cap's worth in 2.6 s).
      expect(seen.length).toBeGreaterThanOrEqual(cap / 2)
    },
  )

  it.skipIf(!available)("pauses every worker for a vendor 429's Retry-After", async () => {
    const queueName = uniqueQueueName('retry-after')
    const limited = sim.createTask({
      provider: 'openai',
      queuedMs: 60_000,
      faults: [{ kind: 'rate-limit', times: 1, retryAfter: 'ms', retryAfterMs: 1_000 }],
    })
    const tasks = producer(queueName)
    await tasks.enqueue(limited.id)
    const options = { onOutcome: () => {}, maxRequestsPerSecond: 1_000, concurrency: 5 }
    await Promise.all([worker(queueName, options), worker(queueName, options)])
    // Wait until the 429 has paused the queue, then give the other tasks to both workers.
    const deadline = Date.now() + 5_000
    let pausedForMs = 0
    // (The cap's own limiter windows last 15 ms: a pause is far longer.)
    while (pausedForMs <= 100 && Date.now() < deadline) {
      pausedForMs = await tasks.queue.getRateLimitTtl()
      if (pausedForMs <= 100) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const limitedAt = performance.now()
    expect(pausedForMs).toBeGreaterThan(700)
    const others = Array.from(
      { length: 6 },
      () => sim.createTask({ provider: 'openai', queuedMs: 60_000 }).id,
    )
    for (const id of others) await tasks.enqueue(id)
    await new Promise((resolve) => setTimeout(resolve, 1_400))
    const othersFirstRead = proxy.arrivals.filter((at) => at > limitedAt)
    // Nothing reached the vendor while the queue was paused, then reads resumed.
    expect(othersFirstRead.length).toBeGreaterThan(0)
    expect(Math.min(...othersFirstRead) - limitedAt).toBeGreaterThanOrEqual(pausedForMs - 50)
  })

  it.skipIf(!available)(
    'close() finishes the read in hand and hands the job back, losing none',
    async () => {
      const queueName = uniqueQueueName('shutdown')
      const slow = sim.createTask({
        provider: 'openai',
        queuedMs: 100,
        runningMs: 200,
        faults: [{ kind: 'latency', delayMs: 600, times: 1 }],
      })
      const others = Array.from({ length: 4 }, () =>
        sim.createTask({ provider: 'openai', queuedMs: 100, runningMs: 200 }),
      )
      const tasks = producer(queueName)
      for (const task of [slow, ...others]) await tasks.enqueue(task.id)
      const outcomes = outcomeCollector()
      const first = await worker(queueName, { onOutcome: outcomes.onOutcome })
      // The slow read is in flight: close must wait for it, not abandon it.
      const deadline = Date.now() + 5_000
      while (sim.requests(slow.id) === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      await first.close()
      const slowJob = await tasks.queue.getJob(jobIdOf('openai', slow.id))
      expect(['delayed', 'waiting', 'completed']).toContain(await slowJob?.getState())
      expect(await tasks.queue.getJobCounts('active', 'failed')).toEqual({ active: 0, failed: 0 })

      await worker(queueName, { onOutcome: outcomes.onOutcome })
      await outcomes.waitFor(5)
      await new Promise((resolve) => setTimeout(resolve, 300))
      const delivered = outcomes.calls.map((call) => call.context.taskId).sort()
      expect(delivered).toEqual([slow, ...others].map((task) => task.id).sort())
      expect(outcomes.calls.every((call) => call.outcome.status === 'succeeded')).toBe(true)
    },
  )

  it.skipIf(!available)(
    'fails a job it cannot read at once, without calling onOutcome',
    async () => {
      const queueName = uniqueQueueName('corrupt')
      const tasks = producer(queueName)
      const good = { version: 1, reads: 1, startedAt: Date.now(), nextReadAt: Date.now() }
      // Each wrong in one way: the reason names it, and no job is retried or read.
      const corrupt = [
        { jobId: 'corrupt', data: { s: good }, reason: /not a job id of provider\/task id/ },
        { jobId: 'openai/a', data: { s: { ...good, version: 9 } }, reason: /version/ },
        { jobId: 'openai/b', data: { s: good, l: 'x' }, reason: /last task is not an object/ },
        { jobId: 'openai/c', data: { s: 'x' }, reason: /stored PollState/ },
      ]
      for (const { jobId, data } of corrupt) {
        await tasks.queue.add('video-task', data as never, { jobId })
      }
      const outcomes = outcomeCollector()
      await worker(queueName, { onOutcome: outcomes.onOutcome })
      for (const { jobId, reason } of corrupt) {
        const job = await tasks.queue.getJob(jobId)
        let state = await job?.getState()
        for (let tries = 0; state !== 'failed' && tries < 100; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 20))
          state = await job?.getState()
        }
        expect(state).toBe('failed')
        const failed = await tasks.queue.getJob(jobId)
        expect(failed?.failedReason).toMatch(/stored PollState/)
        expect(failed?.failedReason).toMatch(reason)
        expect(failed?.attemptsMade).toBeLessThanOrEqual(1)
      }
      expect(outcomes.calls).toHaveLength(0)
      expect(outcomes.calls).toHaveLength(0)
    },
  )

  it.skipIf(!available)(
    'completes a job whose handler already resolved without calling it again or reading',
    async () => {
      const queueName = uniqueQueueName('handled')
      const tasks = producer(queueName)
      const handledTask = sim.createTask({ provider: 'openai', queuedMs: 60_000 })
      const unhandledTask = sim.createTask({ provider: 'openai', queuedMs: 60_000 })
      // A job stores its state without the provider and task id (the job id holds them); one
      // left by an earlier version with both in it reads the same.
      const state = {
        version: 1 as const,
        startedAt: Date.now(),
        deadlineAt: null,
        reads: 3,
        consecutiveFailures: 0,
        consecutiveUnknown: 0,
        backoffStep: 0,
        lastStatus: 'failed' as const,
        samples: [],
        nextReadAt: Date.now(),
      }
      const outcome = {
        status: 'error' as const,
        error: { name: 'X', message: 'y', httpStatus: null },
      }
      const handledId = jobIdOf('openai', handledTask.id)
      const unhandledId = jobIdOf('openai', unhandledTask.id)
      // As a worker leaves it when it lost its lock (or died) after onOutcome resolved: the
      // outcome recorded and marked handled, the job not completed. And one not yet handled.
      await tasks.queue.add('video-task', { s: state, o: outcome, d: 1 }, { jobId: handledId })
      await tasks.queue.add(
        'video-task',
        {
          s: { ...state, taskId: unhandledTask.id, provider: 'openai' } as typeof state,
          o: outcome,
        },
        { jobId: unhandledId },
      )
      const outcomes = outcomeCollector()
      await worker(queueName, { onOutcome: outcomes.onOutcome })
      await outcomes.waitFor(1)
      const handled = await tasks.queue.getJob(handledId)
      let jobState = await handled?.getState()
      for (let tries = 0; jobState !== 'completed' && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        jobState = await handled?.getState()
      }
      expect(jobState).toBe('completed')
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(outcomes.calls.map((call) => call.context)).toEqual([
        {
          provider: 'openai',
          taskId: unhandledTask.id,
          jobId: unhandledId,
          key: `${unhandledId}@${state.startedAt}`,
        },
      ])
      expect(outcomes.calls[0]?.outcome).toEqual(outcome)
      expect((await tasks.queue.getJob(unhandledId))?.data.d).toBe(1)
      expect(sim.requests(handledTask.id) + sim.requests(unhandledTask.id)).toBe(0)
    },
  )

  it.skipIf(!available)('gets every outcome right with 5 % of requests faulting', async () => {
    const queueName = uniqueQueueName('faults')
    const tasks = producer(queueName)
    const outcomes = outcomeCollector()
    sim.setFaults({
      rate: 0.05,
      seed: 14,
      kinds: ['server-error', 'reset', { kind: 'rate-limit', retryAfter: 'ms', retryAfterMs: 100 }],
    })
    await worker(queueName, { onOutcome: outcomes.onOutcome, concurrency: 20 })
    const expected = new Map<string, string>()
    for (let index = 0; index < 40; index++) {
      const outcome = index % 3 === 0 ? 'failed' : 'succeeded'
      const task = sim.createTask({
        provider: 'openai',
        queuedMs: 100 + (index % 5) * 50,
        runningMs: 300 + (index % 7) * 50,
        outcome,
      })
      expected.set(task.id, outcome)
      await tasks.enqueue(task.id)
    }
    await outcomes.waitFor(40, 30_000)
    const injected = Object.values(sim.stats().faults).reduce((sum, count) => sum + count, 0)
    expect(injected).toBeGreaterThan(0)
    const got = new Map(outcomes.calls.map((call) => [call.context.taskId, call.outcome.status]))
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected))
    expect(outcomes.calls).toHaveLength(40)
  })

  it.skipIf(!available)('nudge() moves a delayed job to now; enqueue takes a TaskRef', async () => {
    const queueName = uniqueQueueName('nudge')
    const tasks = producer(queueName)
    const task = sim.createTask({ provider: 'openai', queuedMs: 60_000 })
    const ref = {
      version: 1 as const,
      provider: 'openai',
      origin: new URL(proxy.baseURL).origin,
      taskId: task.id,
      submittedAt: new Date().toISOString(),
    }
    // A ref and the id are one task: one job.
    expect((await tasks.enqueue(ref)).jobId).toBe((await tasks.enqueue(task.id)).jobId)
    await expect(tasks.enqueue({ ...ref, provider: 'doubao' })).rejects.toThrow(TypeError)
    await expect(tasks.enqueue({ ...ref, version: 2 } as never)).rejects.toThrow(/version/)
    expect(await tasks.nudge('task_not_tracked')).toBe(false)
    // The first read, then a next one 10 s away.
    await worker(queueName, { onOutcome: () => {}, intervalMs: 10_000, maxIntervalMs: 10_000 })
    const job = async () => tasks.queue.getJob(jobIdOf('openai', task.id))
    for (let tries = 0; !(await (await job())?.isDelayed()) && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(sim.requests(task.id)).toBe(1)
    const nudgedAt = Date.now()
    expect(await tasks.nudge(ref)).toBe(true)
    while (sim.requests(task.id) < 2 && Date.now() - nudgedAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(sim.requests(task.id)).toBe(2)
    expect(Date.now() - nudgedAt).toBeLessThan(2_000)
  })

  it.skipIf(!available)(
    'submitAndEnqueue() creates with client.submit and tracks the task',
    async () => {
      const queueName = uniqueQueueName('submit')
      const tasks = producer(queueName)
      await expect(tasks.submitAndEnqueue({}, { prompt: 'x' })).rejects.toThrow(/submit\(\)/)
      const outcomes = outcomeCollector()
      await worker(queueName, { onOutcome: outcomes.onOutcome })
      // A client whose submit creates the task on the simulator and answers with its TaskRef.
      const client = {
        submit: async (_request: { prompt: string }) => {
          const created = sim.createTask({ provider: 'openai', queuedMs: 100, runningMs: 200 })
          return {
            version: 1 as const,
            provider: 'openai',
            origin: new URL(proxy.baseURL).origin,
            taskId: created.id,
            submittedAt: new Date().toISOString(),
          }
        },
      }
      const enqueued = await tasks.submitAndEnqueue(client, { prompt: 'a fox' })
      await outcomes.waitFor(1)
      expect(outcomes.calls[0]?.context.taskId).toBe(enqueued.taskId)
      expect(outcomes.calls[0]?.outcome.status).toBe('succeeded')
    },
  )
})
