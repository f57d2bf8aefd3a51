/*
 * What the first call of a client loads, in a fresh process: `import` of the package, then
 * `preload(doubao(...))`, which loads the client's core and the Doubao adapter as a first call
 * does (issue 12: the entry checks options; the rest loads with `import()` on first use). Each
 * sample is a new `node` process timed with performance.now() around the two statements; one
 * unmeasured spawn first (warm file cache), then the median of `--spawns` (default 9).
 *
 *   npm run build && node bench/first-call.mjs [--spawns 9]
 */
import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import { distUrl, root } from './lib/dist.mjs'
import { median } from './lib/stats.mjs'

const { values } = parseArgs({ options: { spawns: { type: 'string', default: '9' } } })
const spawns = Number(values.spawns)
const code = `
const start = performance.now()
const { preload, doubao } = await import(${JSON.stringify(distUrl('index.js'))})
const imported = performance.now()
await preload(doubao({ baseURL: 'https://gateway.example.com', apiKey: 'key' }))
process.stdout.write(JSON.stringify([imported - start, performance.now() - imported]))
`
const sample = () => {
  const result = spawnSync(process.execPath, ['--input-type', 'module', '--eval', code], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  })
  if (result.status !== 0) throw new Error(`first-call sample failed: ${result.stderr}`)
  return JSON.parse(result.stdout)
}
sample()
const samples = Array.from({ length: spawns }, sample)
const importMs = median(samples.map(([ms]) => ms))
const loadMs = median(samples.map(([, ms]) => ms))
console.log(
  `import ${importMs.toFixed(1)} ms, then the first call's load (core + Doubao adapter) ${loadMs.toFixed(1)} ms: median of ${spawns} fresh processes`,
)
