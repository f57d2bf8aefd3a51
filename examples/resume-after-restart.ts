/**
 * Resuming a wait after a restart. `onPollState` hands you the wait's state as plain JSON after
 * every read; store it (a database row, a file, a job queue's payload) and give it to
 * `client.resume` in the new process: same task, same deadline, same place in the schedule.
 *
 * Offline, against the bundled simulator (no key, no network), the "restart" is a second client
 * built from the saved state:
 *
 *   npx tsx examples/resume-after-restart.ts
 *
 * Against a generic /task API: the first run saves the state to a file and stops after 3 reads;
 * run it again to resume from the file.
 *
 *   TASK_API_KEY=... npx tsx examples/resume-after-restart.ts https://api.example.com 3140528755
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, genericTask, type PollState } from 'video-tasks'
import { startSimulator } from 'video-tasks/simulator'

const [baseURL, taskId] = process.argv.slice(2)
const sim = baseURL && taskId ? undefined : await startSimulator({ timeScale: 50 })
const options = sim
  ? { baseURL: sim.baseURL, apiKey: sim.apiKey }
  : { baseURL: baseURL ?? '', apiKey: process.env.TASK_API_KEY ?? '' }
const fast = sim ? { intervalMs: 100, minIntervalMs: 20, maxIntervalMs: 200 } : {}
const stateFile = join(tmpdir(), `video-tasks-example-${taskId ?? `offline-${process.pid}`}.json`)

/** One "process": a client that waits until it is stopped after `stopAfterReads`, or done. */
async function run(start: { taskId: string } | { state: PollState }, stopAfterReads = Infinity) {
  const client = createClient({ provider: genericTask(options), ...fast })
  const stop = new AbortController()
  try {
    const wait = {
      signal: stop.signal,
      onPollState: (state: PollState) => {
        writeFileSync(stateFile, JSON.stringify(state)) // plain JSON: store it anywhere
        if (state.reads >= stopAfterReads) stop.abort(new Error('restart'))
      },
      onUpdate: (task: { status: string }) => console.log(`  read: ${task.status}`),
    }
    const task =
      'state' in start
        ? await client.resume(start.state, wait)
        : await client.waitFor(start.taskId, { ...wait, timeoutMs: 30 * 60_000 })
    console.log(`done: ${task.videoUrl}`)
    rmSync(stateFile, { force: true })
  } catch (error) {
    if (!stop.signal.aborted) throw error
    console.log(`stopped after ${stopAfterReads} reads; state saved to ${stateFile}`)
  } finally {
    await client.close()
  }
}

try {
  const saved = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, 'utf8')) as PollState)
    : undefined
  if (sim) {
    const id = sim.createTask({ provider: 'generic-task', queuedMs: 60_000, runningMs: 30_000 }).id
    console.log('first process:')
    await run({ taskId: id }, 3)
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as PollState
    console.log(`second process: resuming ${state.taskId} after ${state.reads} reads`)
    await run({ state })
  } else if (saved && saved.taskId === taskId) {
    console.log(`resuming ${saved.taskId} after ${saved.reads} reads`)
    await run({ state: saved })
  } else {
    await run({ taskId: taskId ?? '' }, 3)
  }
} finally {
  await sim?.close()
}
