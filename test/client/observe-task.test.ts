import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTransport, observeTask, resolvePollSettings } from '../../src/engine/index.js'
import { openai, RateLimitError, TaskNotFoundError } from '../../src/index.js'
import { type Simulator, startSimulator } from '../../src/simulator/index.js'

/*
 * The driver API's one read (`observeTask`) over real sockets against the simulator, and the
 * checked settings resolution (`resolvePollSettings`): what a durable driver builds on.
 */

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator()
})
afterAll(async () => {
  await sim.close()
})

describe('observeTask: exactly one request, no retries, no loop', () => {
  const transport = createTransport()
  const provider = () => openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })

  it('gives the task and the server poll hint', async () => {
    const task = sim.createTask({ provider: 'openai', queuedMs: 60_000, pollAfterMs: 2_500 })
    const observation = await observeTask(provider(), transport, task.id)
    expect(observation).toMatchObject({
      kind: 'task',
      task: { id: task.id, status: 'queued' },
      pollHintMs: 2_500,
    })
    expect(sim.requests(task.id)).toBe(1)
  })

  it('classifies a 429 as transient with its Retry-After, after one request', async () => {
    const task = sim.createTask({
      provider: 'openai',
      queuedMs: 60_000,
      faults: [{ kind: 'rate-limit', times: 3, retryAfter: 'ms', retryAfterMs: 700 }],
    })
    const observation = await observeTask(provider(), transport, task.id)
    expect(observation).toMatchObject({ kind: 'error', transient: true, retryAfterMs: 700 })
    expect(observation.kind === 'error' && observation.error).toBeInstanceOf(RateLimitError)
    expect(sim.requests(task.id)).toBe(1)
  })

  it('classifies an unknown task as permanent with its typed error', async () => {
    const observation = await observeTask(provider(), transport, 'video_missing')
    expect(observation).toMatchObject({ kind: 'error', transient: false })
    expect(observation.kind === 'error' && observation.error).toBeInstanceOf(TaskNotFoundError)
  })

  it('rejects with the signal’s reason when aborted, and never observes it', async () => {
    const task = sim.createTask({
      provider: 'openai',
      queuedMs: 60_000,
      faults: [{ kind: 'hang', times: 1 }],
    })
    const reason = new Error('stop')
    const controller = new AbortController()
    const read = observeTask(provider(), transport, task.id, { signal: controller.signal })
    setTimeout(() => controller.abort(reason), 50)
    await expect(read).rejects.toBe(reason)
  })
})

describe('resolvePollSettings', () => {
  const { pollDefaults } = openai({
    baseURL: 'https://api.openai.test',
    apiKey: 'sk-test-0123456789',
  })

  it('layers the options over the provider’s defaults', () => {
    const settings = resolvePollSettings(pollDefaults, { intervalMs: 2_000 }, { jitter: 0 })
    expect(settings).toMatchObject({ intervalMs: 2_000, jitter: 0, timeoutMs: 600_000 })
    expect(settings.maxIntervalMs).toBeGreaterThanOrEqual(2_000)
  })

  it.each([
    [{ intervalMs: '5' }, /`intervalMs`/],
    [{ jitter: 2 }, /`jitter`/],
    [{ intervalMs: 500, maxIntervalMs: 100 }, /`maxIntervalMs`/],
    [null, /object/],
  ])('rejects %j with a TypeError naming it', (options, message) => {
    expect(() => resolvePollSettings(pollDefaults, options as never)).toThrow(TypeError)
    expect(() => resolvePollSettings(pollDefaults, options as never)).toThrow(message)
  })
})
