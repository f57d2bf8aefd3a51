/**
 * Typed callbacks. `VideoTask` is a union on `status`, so each `onStatus` handler sees its own
 * status's type (a failed task's `error.message` is a `string`, a succeeded task's `progress` is
 * `100`), and `task.details` is typed per provider.
 *
 * Offline, against the bundled simulator (no key, no network): one task that succeeds and one
 * that fails.
 *
 *   npx tsx examples/typed-callbacks.ts
 *
 * Against OpenAI (or a gateway):
 *
 *   OPENAI_API_KEY=sk-... npx tsx examples/typed-callbacks.ts https://api.openai.com video_123
 */
import {
  createClient,
  type OpenAIVideoDetails,
  openai,
  type StatusHandlers,
  TaskFailedError,
  type VideoTask,
  type WaitCallbacks,
} from 'video-tasks'
import { startSimulator } from 'video-tasks/simulator'

const [baseURL, taskId] = process.argv.slice(2)
const sim = baseURL && taskId ? undefined : await startSimulator({ timeScale: 50 })
const client = createClient({
  provider: openai(
    sim
      ? { baseURL: sim.baseURL, apiKey: sim.apiKey }
      : { baseURL: baseURL ?? '', apiKey: process.env.OPENAI_API_KEY ?? '' },
  ),
  ...(sim ? { intervalMs: 80, minIntervalMs: 20, maxIntervalMs: 300 } : {}),
})

// Handlers per status, reusable across waits. Each parameter is narrowed: no casts, no `?.`.
const onStatus: StatusHandlers<OpenAIVideoDetails> = {
  queued: (task) => console.log(`[queued] ${task.id} (vendor says ${task.vendorStatus})`),
  running: (task) => console.log(`[running] ${task.progress ?? '?'}%`),
  // progress is the literal type 100 here, and error is null.
  succeeded: (task) => console.log(`[succeeded] ${task.progress}%, model ${task.details.model}`),
  failed: (task) => console.log(`[failed] ${task.error.message} (code ${task.error.code})`),
  cancelled: (task) => console.log(`[cancelled] ${task.error?.message ?? 'no reason given'}`),
  unknown: (task) => console.log(`[unknown] vendor word ${JSON.stringify(task.vendorStatus)}`),
}

// The other callbacks, in one typed object.
const callbacks: WaitCallbacks<OpenAIVideoDetails> = {
  onStatus,
  onStatusChange: (task, previous) => {
    if (previous) console.log(`  ${previous.status} -> ${task.status}`)
  },
  onProgress: (progress) => console.log(`  progress ${progress}%`),
}

/** A function over any task: checking `status` narrows the rest. */
function describe(task: VideoTask<OpenAIVideoDetails>): string {
  switch (task.status) {
    case 'succeeded':
      return `done: ${task.videoUrl ?? task.details.contentUrl}`
    case 'failed':
      return `failed: ${task.error.message}`
    default:
      return `${task.status} ${task.progress ?? '?'}%`
  }
}

try {
  // Offline: one task that succeeds, then one that fails, each created when its wait starts.
  const tasks = sim
    ? [
        () => sim.createTask({ provider: 'openai', queuedMs: 15_000, runningMs: 20_000 }).id,
        () => sim.createTask({ provider: 'openai', queuedMs: 15_000, outcome: 'failed' }).id,
      ]
    : [() => taskId ?? '']
  for (const next of tasks) {
    const id = next()
    try {
      // waitFor resolves with the succeeded task's type: `task.status` is 'succeeded'.
      const task = await client.waitFor(id, callbacks)
      console.log(describe(task))
    } catch (error) {
      // TaskFailedError carries the failed task (typed as any VideoTask: narrow it again).
      if (!(error instanceof TaskFailedError)) throw error
      console.log(describe(error.task as VideoTask<OpenAIVideoDetails>))
    }
  }
} finally {
  await client.close()
  await sim?.close()
}
