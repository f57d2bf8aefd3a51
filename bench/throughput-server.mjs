/*
 * Child process of figure 1: the simulator (dist/simulator.js) with N tasks that stay running.
 * Sends `{ type: 'ready', baseURL, apiKey, ids }`, then answers `{ type: 'cpu' }` with its CPU
 * time so the parent can tell whether the server's core was saturated. Exits on SIGTERM or
 * when the parent goes away.
 *
 * Usage: node bench/throughput-server.mjs <tasks> <provider> [dialect]
 */
import { loadSimulator } from './lib/dist.mjs'

const { startSimulator } = await loadSimulator()

const count = Number(process.argv[2] ?? 1000)
const provider = process.argv[3] ?? 'openai'
const dialect = process.argv[4]

const sim = await startSimulator({ apiKey: 'bench-key' })
const ids = []
for (let index = 0; index < count; index++) {
  const task = sim.createTask({
    provider,
    ...(dialect ? { dialect } : {}),
    id: `bench_${index}`,
    queuedMs: 0,
    // Running for ten years: every read is a running task with fine progress.
    runningMs: 10 * 365 * 24 * 3600_000,
    progress: 'fine',
  })
  ids.push(task.id)
}

const stop = async () => {
  await sim.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('disconnect', stop)
process.on('message', (message) => {
  if (message?.type === 'cpu') {
    const cpu = process.cpuUsage()
    process.send({
      type: 'cpu',
      cpuMicros: cpu.user + cpu.system,
      at: Number(process.hrtime.bigint()) / 1e6,
      requests: sim.totalRequests(),
    })
  }
})
process.send({ type: 'ready', baseURL: sim.baseURL, apiKey: sim.apiKey, ids })
