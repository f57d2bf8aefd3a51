/**
 * OpenAI Sora, or an OpenAI-compatible gateway: wait for one video and print where it is.
 *
 * Offline, against the bundled simulator of the OpenAI API (no key, no network):
 *
 *   npx tsx examples/openai.ts
 *
 * Against the real API or a gateway:
 *
 *   OPENAI_API_KEY=sk-... npx tsx examples/openai.ts https://api.openai.com video_68d7...
 */
import { createClient, openai } from 'video-tasks'
import { startSimulator } from 'video-tasks/simulator'

const [baseURL, taskId] = process.argv.slice(2)
// No arguments: a local simulator answering like the official API, 50 times faster than real
// time, with one task that queues for 15 s and renders for 45 s (of simulated time).
const sim = baseURL && taskId ? undefined : await startSimulator({ timeScale: 50 })
const target = sim
  ? {
      baseURL: sim.baseURL,
      apiKey: sim.apiKey,
      taskId: sim.createTask({ provider: 'openai', queuedMs: 15_000, runningMs: 45_000 }).id,
    }
  : { baseURL: baseURL ?? '', apiKey: process.env.OPENAI_API_KEY ?? '', taskId: taskId ?? '' }

const client = createClient({
  provider: openai({ baseURL: target.baseURL, apiKey: target.apiKey }),
  // The simulator runs 50x fast, so poll 50x as often; a real API keeps the provider's defaults
  // (4 s at first, then aimed at the finish the progress rate predicts, at most 15 s apart).
  ...(sim ? { intervalMs: 80, minIntervalMs: 20, maxIntervalMs: 300 } : {}),
})

try {
  const task = await client.waitFor(target.taskId, {
    timeoutMs: 10 * 60_000,
    onStatusChange: (task, previous) =>
      console.log(
        `status: ${previous?.status ?? 'start'} -> ${task.status} (${task.vendorStatus})`,
      ),
    onProgress: (progress) => console.log(`progress: ${progress}%`),
  })
  // The official API sends no URL: the video is at `details.contentUrl`, downloaded with the
  // same bearer key. Gateways put a public URL in `url`, `video_url` or `metadata.url`.
  if (task.videoUrl) {
    console.log(`video: ${task.videoUrl}`)
  } else {
    console.log(`video (GET with Authorization: Bearer <key>): ${task.details.contentUrl}`)
  }
  console.log(
    `model: ${task.details.model ?? '?'}, ${task.details.width}x${task.details.height}, ${task.details.durationSeconds ?? '?'} s`,
  )
} finally {
  await client.close()
  await sim?.close()
}
