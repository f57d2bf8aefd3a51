/*
 * The soak's simulator, in a process of its own (so the soak's memory figures and handles are the
 * SDK's alone). Started by test/reliability/soak.ts with the simulator's options as JSON in
 * argv[2]; prints `{"baseURL", "apiKey"}` as its first line, then answers each `connections`
 * line on stdin with `{"connections": n}`, the TCP connections open on its side (the server
 * keeps idle ones for 5 s, so a client that did not close its connections shows up here). When
 * its stdin ends it closes the simulator and exits by itself.
 */
import { createInterface } from 'node:readline'
import { type SimulatorOptions, startSimulator } from '../../src/simulator/index.js'

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions
const sim = await startSimulator(options)
process.stdout.write(`${JSON.stringify({ baseURL: sim.baseURL, apiKey: sim.apiKey })}\n`)
const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  if (line.trim() !== 'connections') return
  const connections = process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap')
  process.stdout.write(`${JSON.stringify({ connections: connections.length })}\n`)
})
lines.on('close', () => {
  void sim.close()
})
