/**
 * Stopping a wait: a deadline (`timeoutMs`), your own signal (Ctrl-C, a closed HTTP request, a
 * user's cancel button), and `AbortSignal.timeout`. Each rejects at once, even while a request
 * hangs, and leaves nothing behind: no timer, no open socket, no listener on your signal.
 *
 * Offline, against the bundled simulator (no key, no network):
 *
 *   npx tsx examples/abort-and-timeout.ts
 *
 * Against OpenAI (or a gateway), with a 30 s deadline; Ctrl-C aborts:
 *
 *   OPENAI_API_KEY=sk-... npx tsx examples/abort-and-timeout.ts https://api.openai.com video_123
 */
import { createClient, openai, VideoTaskError, WaitTimeoutError } from 'video-tasks'
import { startSimulator } from 'video-tasks/simulator'

const [baseURL, taskId] = process.argv.slice(2)
const sim = baseURL && taskId ? undefined : await startSimulator({ timeScale: 50 })
const client = createClient({
  provider: openai(
    sim
      ? { baseURL: sim.baseURL, apiKey: sim.apiKey }
      : { baseURL: baseURL ?? '', apiKey: process.env.OPENAI_API_KEY ?? '' },
  ),
  ...(sim ? { intervalMs: 50, minIntervalMs: 20, maxIntervalMs: 100 } : {}),
})
/** A task that takes an hour (simulated), or yours. */
const slowTask = () =>
  taskId ?? sim?.createTask({ provider: 'openai', queuedMs: 3_600_000 }).id ?? ''

// Ctrl-C aborts whatever wait is running: the wait rejects with this reason.
const interrupt = new AbortController()
process.once('SIGINT', () => interrupt.abort(new Error('Interrupted (Ctrl-C)')))

try {
  // 1. A deadline. `timeoutMs` bounds everything (sleeps, requests, retries) and rejects with a
  //    WaitTimeoutError that tells how far the task got.
  try {
    await client.waitFor(slowTask(), {
      timeoutMs: sim ? 1_000 : 30_000,
      signal: interrupt.signal,
    })
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error
    console.log(
      `timeout: after ${error.elapsedMs} ms and ${error.reads} reads, still ${error.lastTask?.status ?? 'no answer'}`,
    )
  }

  // 2. Your own signal, aborted while a request is in flight. The simulator's `hang` fault holds
  //    the request open forever; the abort cancels it and the wait rejects with your reason.
  if (sim) {
    const hanging = sim.createTask({ provider: 'openai', faults: [{ kind: 'hang' }] }).id
    const controller = new AbortController()
    const reason = new Error('The user pressed cancel')
    setTimeout(() => controller.abort(reason), 200)
    const started = Date.now()
    try {
      await client.waitFor(hanging, { signal: controller.signal })
    } catch (error) {
      const same = error === reason
      console.log(`abort: rejected with our reason (${same}) after ${Date.now() - started} ms`)
    }
  }

  // 3. AbortSignal.timeout() works too, and any(...) combines it with Ctrl-C. It rejects with the
  //    signal's own reason (a DOMException named TimeoutError), not with a WaitTimeoutError.
  try {
    await client.waitFor(slowTask(), {
      signal: AbortSignal.any([interrupt.signal, AbortSignal.timeout(sim ? 300 : 30_000)]),
    })
  } catch (error) {
    if (error instanceof VideoTaskError) throw error
    console.log(`signal timeout: ${(error as Error).name}`)
  }
} finally {
  await client.close()
  await sim?.close()
}
