/*
 * A worker process that dies (SIGKILL) inside its first onOutcome: after the outcome is recorded
 * in the job and before the job completes, the crash window of issue 14. It prints the outcome
 * it was given as one JSON line first. Bundled by crash.test.ts and run as `node .crash-worker.mjs '<json>'`.
 */
import { openai } from '../../../src/index.js'
import { createTaskWorker, type QueueConnection } from '../../../src/queue/index.js'

const config = JSON.parse(process.argv[2] ?? '{}') as {
  connection: QueueConnection
  queueName: string
  baseURL: string
  apiKey: string
}

const worker = createTaskWorker({
  provider: openai({ baseURL: config.baseURL, apiKey: config.apiKey }),
  connection: config.connection,
  name: config.queueName,
  intervalMs: 100,
  maxIntervalMs: 200,
  jitter: 0,
  maxRequestsPerSecond: 1_000,
  lockDurationMs: 600,
  stalledIntervalMs: 300,
  onOutcome: (outcome, context) =>
    new Promise<void>(() => {
      process.stdout.write(`${JSON.stringify({ outcome, context })}\n`, () => {
        process.kill(process.pid, 'SIGKILL')
      })
    }),
})
await worker.ready()
process.stdout.write('ready\n')
