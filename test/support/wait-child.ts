/*
 * Run in a child process by test/client-sockets.test.ts: one wait with the default undici
 * transport, then nothing. The client is deliberately not closed: the process must exit by
 * itself once the wait is over.
 */
import { createClient } from '../../src/client.js'
import { openai } from '../../src/providers/openai.js'

const [baseURL, mode] = process.argv.slice(2) as [string, string]
const client = createClient({
  provider: openai({ baseURL, apiKey: 'sk-child-123456789' }),
  intervalMs: 20,
  minIntervalMs: 10,
  maxIntervalMs: 40,
})
const controller = new AbortController()
const wait = client.waitFor(mode, {
  signal: controller.signal,
  timeoutMs: mode === 'timeout' ? 300 : 10_000,
})
if (mode === 'abort') setTimeout(() => controller.abort(new Error('aborted by test')), 150)
wait.then(
  (task) => console.log(JSON.stringify({ ok: true, status: task.status })),
  (error: Error) =>
    console.log(JSON.stringify({ ok: false, name: error.name, message: error.message })),
)
