import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
import { TaskCancelledError, TaskFailedError, UnsupportedOperationError } from '../../src/errors.js'
import { BUILT_IN_PROVIDERS } from '../../src/providers/registry.js'
import { type Simulator, startSimulator } from '../../src/simulator/index.js'

/*
 * `client.cancel` for every registry entry, over real sockets against the simulator: a provider
 * with a cancel route cancels a task it just submitted (the wait then ends cancelled, or failed
 * where the dialect has no word for it), and the simulator saw the cancel; one without a cancel
 * route rejects with UnsupportedOperationError before sending anything.
 */

let sims: Simulator[] = []
afterEach(async () => {
  await Promise.all(sims.map((sim) => sim.close()))
  sims = []
})

const creating = BUILT_IN_PROVIDERS.filter(
  (entry) => entry.forSimulator('http://127.0.0.1:1', 'k').buildCreateRequest !== undefined,
)

describe('client.cancel through the registry', () => {
  it.each(creating.map((entry) => [entry.id, entry] as const))(
    '%s: cancels a task it submitted, or says it cannot',
    async (_, entry) => {
      // Running from 0.5 s to 60 s of real time: cancelled while it runs or waits.
      const sim = await startSimulator({ createScript: { queuedMs: 500, runningMs: 60_000 } })
      sims.push(sim)
      const provider = entry.forSimulator(sim.baseURL, sim.apiKey)
      const client = createClient({ provider, intervalMs: 20, maxIntervalMs: 50, timeoutMs: 5_000 })
      try {
        const ref = await client.submit({ prompt: 'a fox in snow' })
        const requestsBefore = sim.totalRequests()
        if (provider.buildCancelRequest === undefined) {
          const error = await client.cancel(ref).catch((caught: unknown) => caught)
          expect(error).toBeInstanceOf(UnsupportedOperationError)
          expect(sim.totalRequests()).toBe(requestsBefore)
          expect(sim.task(ref.taskId)?.phase).toBe('queued')
          return
        }
        await client.cancel(ref)
        // The cancel, after a read for vendors whose cancel harms a task past some statuses
        // (Ark's DELETE deletes a finished one: `cancellableStatuses`).
        const reads = provider.cancellableStatuses === undefined ? 0 : 1
        expect(sim.totalRequests()).toBe(requestsBefore + 1 + reads)
        expect(sim.task(ref.taskId)?.phase).toBe('cancelled')
        const outcome = await client.waitFor(ref).catch((caught: unknown) => caught)
        expect(outcome).toBeInstanceOf(
          entry.dialects[0].reportsCancelled ? TaskCancelledError : TaskFailedError,
        )
      } finally {
        await client.close()
      }
    },
  )

  it('every adapter that cancels has a simulated cancel route (the list is not empty)', () => {
    const cancelling = creating
      .filter((entry) => entry.forSimulator('http://127.0.0.1:1', 'k').buildCancelRequest)
      .map((entry) => entry.id)
    expect(cancelling).toEqual(expect.arrayContaining(['ark', 'dashscope', 'runway', 'gemini']))
  })
})
