/**
 * Wait for one task and print its progress.
 *
 *   VIDEO_API_KEY=... npx tsx examples/wait-for-task.ts https://gateway.example.com task_123
 */
import { createClient, doubao, TaskFailedError, WaitTimeoutError } from 'video-tasks'

const [baseURL = 'http://127.0.0.1:8787', taskId = 'task_abc123'] = process.argv.slice(2)
const client = createClient({
  provider: doubao({ baseURL, apiKey: process.env.VIDEO_API_KEY ?? 'sim-test-key' }),
})
const controller = new AbortController()
process.once('SIGINT', () => controller.abort(new Error('Interrupted')))

try {
  const task = await client.waitFor(taskId, {
    signal: controller.signal,
    timeoutMs: 10 * 60_000,
    onStatusChange: (task, previous) =>
      console.log(`${previous?.status ?? 'start'} -> ${task.status}`),
    onProgress: (progress) => console.log(`${progress}%`),
  })
  console.log('video:', task.videoUrl)
} catch (error) {
  if (error instanceof TaskFailedError) console.error('failed:', error.task.error?.message)
  else if (error instanceof WaitTimeoutError) console.error('timed out at', error.lastTask?.status)
  else throw error
} finally {
  await client.close()
}
