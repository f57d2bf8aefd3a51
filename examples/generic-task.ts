/**
 * A generic `GET /task/{id}` API, in both shapes it answers with: the `{code, data}` envelope
 * (the URL in `data.video_url`) and the bare MiniMax-style object (only a `file_id`).
 *
 * Offline, against the bundled simulator (no key, no network): one task of each shape.
 *
 *   npx tsx examples/generic-task.ts
 *
 * Against a real API:
 *
 *   TASK_API_KEY=... npx tsx examples/generic-task.ts https://api.example.com 314052875571396
 */
import {
  createClient,
  type GenericTaskVideoDetails,
  genericTask,
  type VideoTaskOf,
} from 'video-tasks'
import { startSimulator } from 'video-tasks/simulator'

const [baseURL, taskId] = process.argv.slice(2)
const sim = baseURL && taskId ? undefined : await startSimulator({ timeScale: 50 })
const target = sim
  ? {
      baseURL: sim.baseURL,
      apiKey: sim.apiKey,
      taskIds: [
        sim.createTask({ provider: 'generic-task', dialect: 'envelope', queuedMs: 10_000 }).id,
        sim.createTask({ provider: 'generic-task', dialect: 'minimax', queuedMs: 10_000 }).id,
      ],
    }
  : { baseURL: baseURL ?? '', apiKey: process.env.TASK_API_KEY ?? '', taskIds: [taskId ?? ''] }

const client = createClient({
  provider: genericTask({ baseURL: target.baseURL, apiKey: target.apiKey }),
  ...(sim ? { intervalMs: 100, minIntervalMs: 20, maxIntervalMs: 200 } : {}),
})

/**
 * Where the video is. A MiniMax-style task often has no URL, only a file id to resolve through
 * the vendor's file API with the same key (`GET /v1/files/retrieve?file_id=...`).
 */
async function videoUrlOf(task: VideoTaskOf<'succeeded', GenericTaskVideoDetails>) {
  if (task.videoUrl) return task.videoUrl
  if (!task.details.fileId) return null
  const response = await fetch(
    `${target.baseURL}/v1/files/retrieve?file_id=${encodeURIComponent(task.details.fileId)}`,
    { headers: { authorization: `Bearer ${target.apiKey}` } },
  )
  const body = (await response.json()) as { file?: { download_url?: string } }
  return body.file?.download_url ?? null
}

try {
  // Both at once: one client, one connection pool, one rate limit.
  await Promise.all(
    target.taskIds.map(async (id) => {
      const task = await client.waitFor(id, {
        onStatusChange: (task) => console.log(`${id}: ${task.vendorStatus} (${task.status})`),
      })
      console.log(`${id}: fileId ${task.details.fileId ?? '-'}, video: ${await videoUrlOf(task)}`)
    }),
  )
} finally {
  await client.close()
  await sim?.close()
}
