/*
 * Figure 1 before and after: the `getTask` and `waitFor` contenders of two builds side by side,
 * in turn against the same simulator child, with raw undici beside them. Not part of
 * `npm run bench`: the tool behind a "no worse than before" claim (docs/performance.md).
 *
 *   npm run build && node bench/throughput-ab.mjs --baseline <dir of an older build> [--rounds 5]
 *     [--contenders sdk-get,sdk-wait]
 *
 * An older build: `git worktree add /tmp/old <commit> && cd /tmp/old && npm ci && npx tsup`.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { benchFile, startChild } from './lib/child.mjs'
import { distDir } from './lib/dist.mjs'
import { median } from './lib/stats.mjs'

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    // Which contenders of bench/throughput-load.mjs run in both builds (`sdk-transport` isolates
    // the transport from the client).
    contenders: { type: 'string', default: 'sdk-get,sdk-wait' },
  },
})
if (!values.baseline) {
  console.error('Usage: node bench/throughput-ab.mjs --baseline <dist dir> [--rounds 5]')
  process.exit(64)
}
const baseline = resolve(values.baseline)
const contenders = values.contenders.split(',')
const variants = [
  ...contenders.flatMap((contender) => [
    [`baseline ${contender}`, contender, baseline],
    [`this ${contender}`, contender, distDir],
  ]),
  ['raw undici', 'undici', distDir],
]
const server = startChild(benchFile('throughput-server.mjs'), ['1000', 'openai'], { cpu: 0 })
try {
  const ready = await server.next('ready')
  const runs = Object.fromEntries(variants.map(([name]) => [name, []]))
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [name, contender, dist] of variants) {
      const load = startChild(
        benchFile('throughput-load.mjs'),
        [
          JSON.stringify({
            contender,
            baseURL: ready.baseURL,
            apiKey: ready.apiKey,
            tasks: ready.ids.length,
            warmupMs: 1000,
            durationMs: 3000,
          }),
        ],
        { cpu: 1, env: { BENCH_DIST: dist } },
      )
      try {
        await load.next('window-start', 60_000)
        await load.next('window-end', 70_000)
        const result = await load.next('result', 60_000)
        await load.done()
        runs[name].push(result)
      } finally {
        await load.stop()
      }
    }
  }
  const readsOf = (name) => median(runs[name].map((run) => run.readsPerSecond))
  const cpuOf = (name) => median(runs[name].map((run) => run.cpuMicrosPerRead))
  for (const [name] of variants) {
    console.log(
      `${name.padEnd(24)} ${Math.round(readsOf(name))} reads/s, ${cpuOf(name).toFixed(1)} µs CPU/read (median of ${values.rounds})`,
    )
  }
  for (const contender of contenders) {
    console.log(
      `${contender}: this build ${(readsOf(`this ${contender}`) / readsOf(`baseline ${contender}`)).toFixed(2)}x the baseline`,
    )
  }
} finally {
  await server.stop()
}
