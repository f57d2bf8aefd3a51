/**
 * Many tasks at once: `waitForAll`, `waitForAny`, per-task outcomes with `Promise.allSettled`,
 * and `maxRequestsPerSecond`, which spaces all of a client's requests evenly over its waits.
 *
 * Offline, against the bundled simulator (no key, no network):
 *
 *   npx tsx examples/many-tasks.ts
 *
 * Against a Doubao gateway, for your own task ids:
 *
 *   DOUBAO_API_KEY=... npx tsx examples/many-tasks.ts https://gateway.example.com cgt-1 cgt-2 cgt-3
 */
import { createClient, doubao, TaskFailedError } from 'video-tasks'
import { startSimulator } from 'video-tasks/simulator'

const [baseURL, ...taskIds] = process.argv.slice(2)
const sim = baseURL && taskIds.length > 0 ? undefined : await startSimulator({ timeScale: 50 })
const client = createClient({
  provider: doubao(
    sim
      ? { baseURL: sim.baseURL, apiKey: sim.apiKey }
      : { baseURL: baseURL ?? '', apiKey: process.env.DOUBAO_API_KEY ?? '' },
  ),
  // At most 20 requests a second over every wait of this client, however many there are.
  maxRequestsPerSecond: 20,
  ...(sim ? { intervalMs: 100, minIntervalMs: 20, maxIntervalMs: 200 } : {}),
})
const create = (runningMs: number, outcome: 'succeeded' | 'failed' = 'succeeded') =>
  sim?.createTask({ provider: 'doubao', queuedMs: 2_000, runningMs, outcome }).id ?? ''

try {
  // All of them: resolves with every succeeded task, in order. The first failure rejects the
  // whole and stops the other waits.
  const batch = sim ? Array.from({ length: 8 }, (_, i) => create(20_000 + i * 2_000)) : taskIds
  const started = Date.now()
  const before = sim?.totalRequests() ?? 0
  const all = await client.waitForAll(batch)
  const seconds = (Date.now() - started) / 1000
  const requests = (sim?.totalRequests() ?? 0) - before
  console.log(`waitForAll: ${all.length} videos in ${seconds.toFixed(1)} s`)
  if (sim)
    console.log(`requests: ${requests} over ${batch.length} waits (maxRequestsPerSecond: 20)`)

  // The first to succeed: the others are stopped.
  if (sim) {
    const race = [create(40_000), create(10_000), create(30_000)]
    const first = await client.waitForAny(race)
    console.log(`waitForAny: ${first.id} first (${race.indexOf(first.id) + 1} of ${race.length})`)

    // Each task's own outcome, failures included, with plain waitFor and allSettled.
    const mixed = [create(10_000), create(10_000, 'failed'), create(15_000)]
    const outcomes = await Promise.allSettled(mixed.map((id) => client.waitFor(id)))
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled') console.log(`task ${index + 1}: ${outcome.value.status}`)
      else if (outcome.reason instanceof TaskFailedError) {
        console.log(`task ${index + 1}: failed (${outcome.reason.task.error?.message})`)
      } else throw outcome.reason
    }
  }
} finally {
  await client.close()
  await sim?.close()
}
