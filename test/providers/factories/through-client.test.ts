import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../../src/client.js'
import { checkResult, genericTask, minimax, openai } from '../../../src/providers/factories.js'
import type { Provider } from '../../../src/providers/kit/types.js'
import {
  type SimulatedProvider,
  type Simulator,
  startSimulator,
} from '../../../src/simulator/index.js'

/*
 * The public factories of openai, generic-task, check-result and minimax as a program uses them:
 * given to a client before anything loaded their adapters (this file's module graph imports no
 * adapter), which the client loads itself before its first request.
 */

let sim: Simulator
beforeAll(async () => {
  // Real time, short: the tasks finish within a few reads.
  sim = await startSimulator({ createScript: { queuedMs: 30, runningMs: 60 } })
})
afterAll(async () => {
  await sim.close()
})

function clientOf(provider: Provider) {
  return createClient({
    provider,
    intervalMs: 20,
    maxIntervalMs: 40,
    jitter: 0,
    adaptive: false,
    timeoutMs: 10_000,
  })
}

describe('a client loads the adapter of a lazy provider before its first request', () => {
  const creating: [SimulatedProvider, () => Provider][] = [
    // The base URL as openai-node users write it.
    ['openai', () => openai({ baseURL: `${sim.baseURL}/v1`, apiKey: sim.apiKey })],
    [
      'generic-task',
      () =>
        genericTask({
          baseURL: sim.baseURL,
          apiKey: sim.apiKey,
          createPath: '/task/minimax/v1/video_generation',
        }),
    ],
    ['minimax', () => minimax({ baseURL: sim.baseURL, apiKey: sim.apiKey })],
  ]

  it.each(creating)('%s: generate creates and waits through it', async (id, make) => {
    const provider = make()
    expect(provider.load, 'not loaded yet').toBeTypeOf('function')
    const client = clientOf(provider)
    try {
      const { task } = await client.generate({ prompt: 'a fox in snow' })
      expect(task.provider).toBe(id)
      expect(task.status).toBe('succeeded')
      expect(sim.task(task.id)?.phase).toBe('succeeded')
    } finally {
      await client.close()
    }
  })

  it('check-result: waitFor reads a task through it', async () => {
    // The key is optional for the vendor; the simulator checks one on every route.
    const provider = checkResult({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    expect(provider.load, 'not loaded yet').toBeTypeOf('function')
    const created = sim.createTask({ provider: 'check-result', queuedMs: 30, runningMs: 60 })
    const client = clientOf(provider)
    try {
      const task = await client.waitFor(created.id)
      expect(task.provider).toBe('check-result')
      expect(task.status).toBe('succeeded')
      expect(sim.requests(created.id)).toBeGreaterThanOrEqual(1)
    } finally {
      await client.close()
    }
  })
})
