import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
import { gemini, kling, runway } from '../../src/providers/factories.js'
import type { Provider } from '../../src/providers/kit/types.js'
import type { SimulatedDialect, SimulatedProvider } from '../../src/simulator/index.js'
import { fakeClock, useSimulators } from '../simulator/helpers.js'

/*
 * The public factories of kling (both credentials), gemini and runway through a client against
 * the simulator, over real sockets: the providers are created before their adapters load (this
 * file loads none before), and the client loads each before its first read; Kling's legacy
 * routes then sign with the HS256 signer the adapter itself loads on the first signed request,
 * and Runway's reads carry the `X-Runway-Version` the simulator requires.
 */

/** The simulator's key: Kling's secret key for the signed routes, the API key for the others. */
const KEY = 'sk-sim-first-use-SECRET-5c4d3e'
const ACCESS_KEY = 'ak-sim-first-use-01'

describe('public factories load their adapter on first use', () => {
  const start = useSimulators()

  it('a client reads a task to its end with each, loading the adapter itself', async () => {
    // Real time: Kling's token is signed with Date.now and checked on the simulator's clock.
    const clock = fakeClock(Date.now())
    const sim = await start({ apiKey: KEY, now: clock.now })
    const cases: Array<[string, SimulatedProvider, SimulatedDialect, Provider]> = [
      [
        'kling, access and secret keys',
        'kling',
        'text2video',
        kling({ accessKey: ACCESS_KEY, secretKey: KEY, baseURL: sim.baseURL }),
      ],
      ['kling, API key', 'kling', 'tasks', kling({ apiKey: KEY, baseURL: `${sim.baseURL}/v1` })],
      ['gemini', 'gemini', 'gemini-api', gemini({ apiKey: KEY, baseURL: `${sim.baseURL}/v1beta` })],
      ['runway', 'runway', '2024-11-06', runway({ apiKey: KEY, baseURL: sim.baseURL })],
    ]
    // Every one was created before any adapter loaded.
    for (const [what, , , provider] of cases) {
      expect(provider.load, what).toBeTypeOf('function')
      expect(() => provider.buildRequest('x'), what).toThrow(/load\(\)/)
    }
    for (const [what, vendor, dialect, provider] of cases) {
      const task = sim.createTask({
        provider: vendor,
        dialect,
        outcome: 'succeeded',
        queuedMs: 1_000,
        runningMs: 2_000,
      })
      const client = createClient({ provider, intervalMs: 10, maxIntervalMs: 20 })
      try {
        const statuses: string[] = []
        const result = await client.waitFor(task.id, {
          onUpdate: (update) => {
            statuses.push(update.status)
            clock.tick(1_000)
          },
        })
        expect(result.status, what).toBe('succeeded')
        expect(result.provider, what).toBe(vendor)
        expect(statuses.at(-1), what).toBe('succeeded')
        expect(sim.requests(task.id), what).toBe(statuses.length)
      } finally {
        await client.close()
      }
    }
    expect(sim.stats().unauthorized).toBe(0)
  })
})
