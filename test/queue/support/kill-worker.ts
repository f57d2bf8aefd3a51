/*
 * One worker process of the kill proof (issue 14): a plain createTaskWorker whose onOutcome
 * prints one JSON line per delivery (pid, outcome, context), so the test sees every delivery of
 * every process, the SIGKILLed one's included. Bundled by support/bundle.ts and run as
 * `node .kill-worker.mjs '<json>'`.
 */
import { openai } from '../../../src/index.js'
import { createTaskWorker, type QueueConnection } from '../../../src/queue/index.js'

const config = JSON.parse(process.argv[2] ?? '{}') as {
  connection: QueueConnection
  queueName: string
  baseURL: string
  apiKey: string
  lockDurationMs: number
  stalledIntervalMs: number
  concurrency: number
  maxRequestsPerSecond: number
  /** The schedule (the kill proof's by default). */
  intervalMs?: number
  maxIntervalMs?: number
  /** One short line per delivery (the soak's 100,000 tasks): pid, task id, status, key. */
  brief?: boolean
}

const worker = createTaskWorker({
  provider: openai({ baseURL: config.baseURL, apiKey: config.apiKey }),
  connection: config.connection,
  name: config.queueName,
  intervalMs: config.intervalMs ?? 500,
  maxIntervalMs: config.maxIntervalMs ?? 1_000,
  jitter: 0.2,
  concurrency: config.concurrency,
  maxRequestsPerSecond: config.maxRequestsPerSecond,
  lockDurationMs: config.lockDurationMs,
  stalledIntervalMs: config.stalledIntervalMs,
  onOutcome: (outcome, context) =>
    new Promise<void>((resolve) => {
      // Resolved once the line is handed to the pipe: a SIGKILL after that still delivers it.
      const line = config.brief
        ? { pid: process.pid, t: context.taskId, s: outcome.status, k: context.key }
        : { pid: process.pid, outcome, context }
      process.stdout.write(`${JSON.stringify(line)}\n`, () => resolve())
    }),
})
// Diagnostics for a failed proof: what BullMQ says happened to the jobs, on stderr.
for (const event of config.brief
  ? []
  : (['error', 'stalled', 'failed', 'lockRenewalFailed'] as const)) {
  worker.worker.on(event as 'error', (...args: unknown[]) => {
    const detail = args.map((arg) =>
      arg instanceof Error
        ? arg.message
        : typeof arg === 'object'
          ? (arg as { id?: string })?.id
          : arg,
    )
    process.stderr.write(`${JSON.stringify({ pid: process.pid, event, at: Date.now(), detail })}\n`)
  })
}
await worker.ready()
process.stdout.write('ready\n')
process.on('SIGTERM', () => {
  void worker.close().then(() => process.exit(0))
})
