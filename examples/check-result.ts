/**
 * A `POST /api/video-generations/check-result` API (Sora 2 resellers), with `watch()`: the same
 * engine as `waitFor`, as an async iterator.
 *
 * Offline, against the bundled simulator (no key, no network):
 *
 *   npx tsx examples/check-result.ts
 *
 * Against a real server (the key is optional: the endpoint's OpenAPI declares no security):
 *
 *   CHECK_RESULT_API_KEY=... npx tsx examples/check-result.ts https://example.com task_1234567890
 */
import { checkResult, createClient } from 'video-tasks'
import { startSimulator } from 'video-tasks/simulator'

const [baseURL, taskId] = process.argv.slice(2)
const sim = baseURL && taskId ? undefined : await startSimulator({ timeScale: 50 })
const target = sim
  ? {
      baseURL: sim.baseURL,
      apiKey: sim.apiKey,
      // This vendor may fill `result_url` while the task still runs: the status decides.
      taskId: sim.createTask({ provider: 'check-result', runningMs: 30_000, earlyUrl: true }).id,
    }
  : { baseURL: baseURL ?? '', apiKey: process.env.CHECK_RESULT_API_KEY, taskId: taskId ?? '' }

const client = createClient({
  provider: checkResult({ baseURL: target.baseURL, apiKey: target.apiKey }),
  ...(sim ? { intervalMs: 100, minIntervalMs: 20, maxIntervalMs: 300 } : {}),
})

try {
  // Yields every read and ends after a final one; a failed or cancelled task is yielded, not
  // thrown, so check `task.status`. Breaking out of the loop stops polling.
  for await (const task of client.watch(target.taskId, { timeoutMs: 10 * 60_000 })) {
    const url = task.videoUrl ? ' (has a URL already)' : ''
    console.log(`${task.status} ${task.progress ?? '-'}%${url}`)
    if (task.status === 'succeeded') console.log(`videos: ${task.videoUrls.join(', ')}`)
    if (task.status === 'failed') {
      console.log(`failed: ${task.error.message}; refunded: ${task.details.creditsRefunded}`)
      process.exitCode = 1
    }
  }
} finally {
  await client.close()
  await sim?.close()
}
