/*
 * Garbage per `getTask`, this build beside another: the tool behind the allocation figures of
 * docs/performance.md ("Before and after the house refactor"). Not part of `npm run bench`.
 *
 *   npm run build && node bench/allocations.mjs --baseline <dist dir> [--concurrency 1000] [--reads 50000]
 *
 * Each build runs in a child of its own with a fixed 1 MB semi-space (`--min-semi-space-size=1
 * --max-semi-space-size=1`) and `--trace-gc`: `getTask` in `--concurrency` loops against a
 * node:http server in the same child (real sockets, undici), and the figure is the number of
 * scavenges during `--reads` reads after a warm-up. With the young generation's size fixed, the
 * count follows the young garbage per read plus what reads in flight keep alive: it tells
 * builds apart where CPU time on a shared machine moves by ±10 %. The server's garbage is the
 * same for both builds.
 */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { distDir } from './lib/dist.mjs'

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    concurrency: { type: 'string', default: '1000' },
    reads: { type: 'string', default: '50000' },
    role: { type: 'string', default: 'parent' },
    dist: { type: 'string' },
  },
})
const concurrency = Number(values.concurrency)
const reads = Number(values.reads)

if (values.role === 'child') {
  const { createServer } = await import('node:http')
  const body = JSON.stringify({
    id: 'video_1',
    object: 'video',
    status: 'in_progress',
    progress: 42,
    model: 'sora-2',
    created_at: 1700000000,
  })
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    })
    response.end(body)
  })
  await new Promise((done) => server.listen(0, '127.0.0.1', done))
  const baseURL = `http://127.0.0.1:${server.address().port}`
  const { createClient, openai } = await import(pathToFileURL(`${values.dist}/index.js`).href)
  const client = createClient({
    provider: openai({ baseURL, apiKey: 'sk-bench' }),
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
  })
  const run = async (count) => {
    let started = 0
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (started++ < count) await client.getTask('video_1')
      }),
    )
  }
  await run(10_000)
  console.log('WINDOW-START')
  await run(reads)
  console.log('WINDOW-END')
  await client.close()
  server.close()
} else {
  if (!values.baseline) {
    console.error('Usage: node bench/allocations.mjs --baseline <dist dir> [--concurrency 1000]')
    process.exit(64)
  }
  const scavenges = (dist) => {
    const child = spawnSync(
      process.execPath,
      [
        '--min-semi-space-size=1',
        '--max-semi-space-size=1',
        '--trace-gc',
        fileURLToPath(import.meta.url),
        '--role',
        'child',
        '--dist',
        dist,
        '--concurrency',
        String(concurrency),
        '--reads',
        String(reads),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    )
    if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`)
    const window = child.stdout.split('WINDOW-START')[1]?.split('WINDOW-END')[0] ?? ''
    return window.split('\n').filter((line) => line.includes('Scavenge')).length
  }
  for (const [name, dist] of [
    ['baseline', resolve(values.baseline)],
    ['this build', distDir],
  ]) {
    const count = scavenges(dist)
    console.log(
      `${name.padEnd(10)} ${count} scavenges of a 1 MB young generation in ${reads} reads, ${concurrency} in flight (about ${Math.round((count * 1024 * 1024) / reads)} B a read)`,
    )
  }
}
