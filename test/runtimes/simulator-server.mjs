/*
 * Starts `video-tasks/simulator` (built) in this Node.js process and prints one JSON line,
 * `{"baseURL": ..., "apiKey": ...}`, for a runtime whose node:http cannot host it. Runs until
 * killed or its standard input closes. Used by scripts/test-runtimes.mjs.
 */
import { startSimulator } from 'video-tasks/simulator'

const sim = await startSimulator({ timeScale: 50 })
console.log(JSON.stringify({ baseURL: sim.baseURL, apiKey: sim.apiKey }))
const stop = () => sim.close().then(() => process.exit(0))
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
process.stdin.on('end', stop).resume()
