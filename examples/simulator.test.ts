/**
 * Testing your own code against `video-tasks/simulator`, in vitest: a real HTTP server on
 * 127.0.0.1 that speaks the vendors' APIs, with scripted tasks and injected faults. No network,
 * no key, no mocks of this package.
 *
 * Copy it into your own test folder. In this repository the vitest include (`test/**`) does not
 * reach examples/, so test/examples/simulator-example.test.ts imports this file to run it:
 *
 *   npx vitest run test/examples/simulator-example.test.ts
 */

import {
  createClient,
  doubao,
  RateLimitError,
  TaskFailedError,
  type VideoTaskClient,
  type VideoTaskDetails,
} from 'video-tasks'
import { type Simulator, startSimulator } from 'video-tasks/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/** The code under test: yours. It waits for a video and returns what your app stores. */
async function renderResult(client: VideoTaskClient<VideoTaskDetails>, taskId: string) {
  try {
    const task = await client.waitFor(taskId, { timeoutMs: 5_000 })
    return { ok: true as const, url: task.videoUrl }
  } catch (error) {
    if (error instanceof TaskFailedError) {
      return { ok: false as const, reason: error.task.error?.message ?? 'failed' }
    }
    throw error
  }
}

describe('renderResult against the simulator', () => {
  let sim: Simulator
  let client: VideoTaskClient<VideoTaskDetails>

  beforeAll(async () => {
    sim = await startSimulator({
      // A clock that stands still, moved 5 simulated seconds by each read: a task of 30 s is
      // done at its 7th read, however fast or busy the machine is. (Or `timeScale: 100` to run
      // it on the wall clock, 100 times faster than real time.)
      now: () => Date.UTC(2025, 0, 1),
      advancePerReadMs: 5_000,
    })
    client = createClient({
      provider: doubao({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
      // Poll as often as the fast clock needs (the provider's defaults are 5-10 s).
      intervalMs: 20,
      minIntervalMs: 5,
      maxIntervalMs: 50,
    })
  })

  afterAll(async () => {
    await client.close()
    await sim.close()
  })

  it('returns the URL of a finished video', async () => {
    const task = sim.createTask({ provider: 'doubao', queuedMs: 5_000, runningMs: 25_000 })
    await expect(renderResult(client, task.id)).resolves.toEqual({ ok: true, url: task.videoUrl })
    // Read at 0, 5, ..., 30 simulated seconds: queued, running five times, then done.
    expect(sim.requests(task.id)).toBe(7)
  })

  it("returns the vendor's reason when the video fails", async () => {
    const task = sim.createTask({
      provider: 'doubao',
      outcome: 'failed',
      failureReason: 'Output video may contain sensitive content',
    })
    await expect(renderResult(client, task.id)).resolves.toEqual({
      ok: false,
      reason: 'Output video may contain sensitive content',
    })
  })

  it('rides out a rate limit and a proxy error', async () => {
    const task = sim.createTask({
      provider: 'doubao',
      runningMs: 5_000,
      faults: [
        { kind: 'rate-limit', times: 1, retryAfter: 'ms', retryAfterMs: 20 },
        { kind: 'server-error', status: 502, times: 1, afterReads: 1 },
      ],
    })
    const result = await renderResult(client, task.id)
    expect(result.ok).toBe(true)
    expect(sim.task(task.id)?.faultsLeft).toEqual([0, 0])
  })

  it('surfaces a rate limit that does not go away, as a typed error', async () => {
    const task = sim.createTask({ provider: 'doubao', faults: [{ kind: 'rate-limit' }] })
    const error = await client.getTask(task.id, { retries: 0 }).catch((caught) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ status: 429, provider: 'doubao' })
  })
})
