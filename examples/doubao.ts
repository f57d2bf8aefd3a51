/**
 * Doubao (Volcengine Seedance) through a relay gateway: wait for one video with a progress line.
 *
 * Offline, against the bundled simulator of the gateway (no key, no network):
 *
 *   npx tsx examples/doubao.ts
 *
 * Against a real gateway:
 *
 *   DOUBAO_API_KEY=... npx tsx examples/doubao.ts https://gateway.example.com cgt-20250101-abc
 */
import { createClient, doubao, TaskFailedError } from 'video-tasks'
import { startSimulator } from 'video-tasks/simulator'

const [baseURL, taskId] = process.argv.slice(2)
// No arguments: a local simulator of the widely deployed gateway (upper-case statuses such as
// `NOT_START` and `IN_PROGRESS`, progress as "30%", the URL in `result_url`), 50x real time.
const sim = baseURL && taskId ? undefined : await startSimulator({ timeScale: 50 })
const target = sim
  ? {
      baseURL: sim.baseURL,
      apiKey: sim.apiKey,
      taskId: sim.createTask({ provider: 'doubao', queuedMs: 15_000, runningMs: 30_000 }).id,
    }
  : { baseURL: baseURL ?? '', apiKey: process.env.DOUBAO_API_KEY ?? '', taskId: taskId ?? '' }

const client = createClient({
  provider: doubao({ baseURL: target.baseURL, apiKey: target.apiKey }),
  // Real gateways: the provider's 5 s, growing to 10 s (the doc recommends 5-10 s).
  ...(sim ? { intervalMs: 100, minIntervalMs: 20, maxIntervalMs: 200 } : {}),
})

try {
  const task = await client.waitFor(target.taskId, {
    timeoutMs: 30 * 60_000, // gateways fail stuck tasks themselves after about 30 minutes
    // vendorStatus is the gateway's own word; status is one of the six common ones.
    onUpdate: (task) =>
      console.log(
        `${task.vendorStatus.padEnd(11)} ${task.status.padEnd(9)} ${task.progress ?? '-'}%`,
      ),
  })
  console.log(`video: ${task.videoUrl}`) // download it soon: gateway links expire
  if (task.details.startedAt) console.log(`started at: ${task.details.startedAt.toISOString()}`)
} catch (error) {
  // A failed task carries the gateway's reason (`fail_reason`), e.g. a content-policy refusal.
  if (error instanceof TaskFailedError) console.error(`failed: ${error.task.error?.message}`)
  throw error
} finally {
  await client.close()
  await sim?.close()
}
