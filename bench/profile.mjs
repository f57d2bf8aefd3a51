/*
 * Profiles one contender of figure 1 (or the parse loop of figure 4) with V8's CPU profiler and
 * prints where the time goes: self time per function, and the share of samples under each
 * function (inclusive). Not part of `npm run bench`; a tool to find the cause of a missed goal.
 *
 * Usage:
 *   node bench/profile.mjs [sdk-get|sdk-wait|undici|fetch] [seconds]
 *   node bench/profile.mjs parse [provider]
 * Writes the .cpuprofile under $TMPDIR/video-tasks-profile/ (open it in Chrome DevTools).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchFile, runChild, startChild } from './lib/child.mjs'

const target = process.argv[2] ?? 'sdk-get'
const dir = join(tmpdir(), 'video-tasks-profile', target)
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
const execArgv = ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100']

if (target === 'parse') {
  await runChild(
    benchFile('parse-child.mjs'),
    [JSON.stringify({ providers: [process.argv[3] ?? 'openai'], targetMs: 3000, rounds: 1 })],
    { execArgv },
  )
} else {
  const seconds = Number(process.argv[3] ?? 4)
  const server = startChild(benchFile('throughput-server.mjs'), ['1000', 'openai'], { cpu: 0 })
  try {
    const ready = await server.next('ready')
    await runChild(
      benchFile('throughput-load.mjs'),
      [
        JSON.stringify({
          contender: target,
          baseURL: ready.baseURL,
          apiKey: ready.apiKey,
          tasks: ready.ids.length,
          warmupMs: 500,
          durationMs: seconds * 1000,
        }),
      ],
      { cpu: 1, execArgv },
    )
  } finally {
    await server.stop()
  }
}

const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))
if (!file) throw new Error(`No profile written in ${dir}`)
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'))
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parent = new Map()
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id)
const counts = new Map()
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1)
const total = profile.samples.length

const label = (node) => {
  const { functionName, url, lineNumber } = node.callFrame
  const where = url
    ? `${url.replace(/^.*\/(node_modules\/|dist\/|node:)/, '$1')}:${lineNumber + 1}`
    : ''
  return `${functionName || '(anonymous)'} ${where}`.trim()
}
const self = new Map()
const inclusive = new Map()
for (const [id, count] of counts) {
  const node = byId.get(id)
  self.set(label(node), (self.get(label(node)) ?? 0) + count)
  const seen = new Set()
  for (let current = id; current !== undefined; current = parent.get(current)) {
    const name = label(byId.get(current))
    if (seen.has(name)) continue
    seen.add(name)
    inclusive.set(name, (inclusive.get(name) ?? 0) + count)
  }
}
const top = (map, limit) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, count]) => `${((100 * count) / total).toFixed(1).padStart(5)} %  ${name}`)
    .join('\n')
console.log(`${total} samples, ${join(dir, file)}\n\nSelf time:\n${top(self, 30)}`)
console.log(
  `\nInclusive (dist/ functions):\n${top(new Map([...inclusive].filter(([name]) => name.includes('dist/'))), 40)}`,
)
