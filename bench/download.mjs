/*
 * Download throughput and memory: `downloadToFile` against a raw undici stream piped to a file,
 * for a 200 MB body from a local node:http server in another process.
 *
 *   node --expose-gc bench/download.mjs [--rounds 3] [--megabytes 200] [--baseline <dist dir>]
 *
 * The server runs in one child (CPU 0 when `taskset` exists), each contender run in a fresh child
 * of its own (CPU 1), alternating, so neither inherits the other's heap. Each child downloads a
 * small body first (modules loaded, code warm), takes its baseline RSS after a GC, then samples
 * RSS every 10 ms through a 20 MB and then the 200 MB download. Two figures: growth = the 200 MB
 * peak - the post-GC baseline (includes the heap regrowing to its working size, which any
 * streaming in Node does: raw undici shows the same), and size growth = the 200 MB peak - the
 * 20 MB peak (what would grow with the size; flat memory keeps it near 0). Goals (issue 13):
 * throughput >= 0.9x raw, RSS growth < 16 MiB. The SDK's figure includes what raw skips: the
 * fdatasync before the rename, which makes the file durable; the `raw-fsync` contender adds it
 * to raw for a like-for-like figure. `--baseline <dir>` adds a `baseline` contender: the
 * `downloadToFile` of another build (e.g. a copy of dist/ from before a change, placed inside
 * the repository so `undici` resolves), for a before/after ratio measured side by side.
 *
 * Memory: the growth figure is almost all the socket's read buffers (a fresh 64 KiB Buffer per
 * read, in undici as in Node's own streams) waiting for the GC, which V8 triggers lazily (after
 * tens of MiB of external memory); the bytes in flight in the SDK are at most 1 MiB queued for
 * the disk. Hence the size-growth figure: what would grow with the body's size.
 */
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { open, stat, unlink } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { benchFile, runChild, startChild } from './lib/child.mjs'
import { loadPackage } from './lib/dist.mjs'
import { median } from './lib/stats.mjs'

const THROUGHPUT_GOAL = 0.9
const RSS_GOAL_MIB = 16
const MiB = 1024 * 1024

// Run as a script (the parent, or one of its children); imported by bench/run.mjs, it only
// exports `runDownload`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'parent' },
      contender: { type: 'string' },
      origin: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      megabytes: { type: 'string', default: '200' },
      baseline: { type: 'string' },
    },
  })
  if (values.role === 'server') await serve(Number(values.megabytes))
  else if (values.role === 'client') await client(values.contender, values.origin)
  else {
    await runDownload({
      rounds: Number(values.rounds),
      megabytes: Number(values.megabytes),
      baseline: values.baseline,
    })
  }
}

/** Serves `/big` (the body), `/medium` (20 MiB) and `/small` (1 MiB) from one 1 MiB block, with backpressure. */
async function serve(megabytes) {
  const block = Buffer.alloc(MiB)
  for (let index = 0; index < block.length; index += 4)
    block.writeUInt32LE((index * 2654435761) >>> 0, index)
  const server = createServer(async (request, response) => {
    const blocks = request.url === '/big' ? megabytes : request.url === '/medium' ? 20 : 1
    response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': blocks * MiB })
    for (let sent = 0; sent < blocks; sent++) {
      if (!response.write(block)) await once(response, 'drain')
    }
    response.end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  process.send({ type: 'ready', origin: `http://127.0.0.1:${server.address().port}` })
}

/** One contender's run in a fresh process. */
async function client(contender, origin) {
  const undici = await import('undici')
  const agent = new undici.Agent()
  const { downloadToFile } = await loadPackage()
  const file = join(tmpdir(), `video-tasks-bench-${process.pid}.mp4`)
  const download = async (path) => {
    if (contender === 'raw' || contender === 'raw-fsync') {
      const { body } = await agent.request({ origin, path, method: 'GET' })
      await pipeline(body, createWriteStream(file))
      if (contender === 'raw-fsync') {
        const handle = await open(file, 'r+')
        await handle.datasync()
        await handle.close()
      }
    } else {
      await downloadToFile({ url: `${origin}${path}`, to: file })
    }
  }
  await download('/small')
  globalThis.gc?.()
  const baseline = process.memoryUsage.rss()
  let peak = baseline
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 10)
  await download('/medium')
  const mediumPeak = Math.max(peak, process.memoryUsage.rss())
  const started = performance.now()
  await download('/big')
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage.rss())
  const { size } = await stat(file)
  await unlink(file)
  await agent.close()
  process.send({
    type: 'result',
    megabytesPerSecond: size / MiB / seconds,
    rssGrowthMiB: (peak - baseline) / MiB,
    sizeGrowthMiB: (peak - mediumPeak) / MiB,
    size,
  })
}

/**
 * Figure 6: the contenders, alternating, `rounds` times; logs each run and the summary (through
 * `log`) and returns the figures.
 */
export async function runDownload({ rounds, megabytes, baseline, log = console.log }) {
  const server = startChild(
    benchFile('download.mjs'),
    ['--role', 'server', '--megabytes', String(megabytes)],
    { cpu: 0 },
  )
  try {
    const { origin } = await server.next('ready', 30_000)
    const results = { raw: [], 'raw-fsync': [], sdk: [] }
    if (baseline) results.baseline = []
    for (let round = 0; round < rounds; round++) {
      const contenders = Object.keys(results)
      // Rotated each round, so drift on a noisy machine does not favour one.
      const order = contenders.map((_, index) => contenders[(index + round) % contenders.length])
      for (const contender of order) {
        const result = await runChild(
          benchFile('download.mjs'),
          ['--role', 'client', '--contender', contender, '--origin', origin],
          {
            cpu: 1,
            execArgv: ['--expose-gc'],
            timeoutMs: 300_000,
            ...(contender === 'baseline' ? { env: { BENCH_DIST: resolve(baseline) } } : {}),
          },
        )
        if (result.size !== megabytes * MiB)
          throw new Error(`${contender} wrote ${result.size} bytes`)
        results[contender].push(result)
        log(
          `round ${round + 1} ${contender.padEnd(9)} ${result.megabytesPerSecond.toFixed(0).padStart(5)} MiB/s  RSS +${result.rssGrowthMiB.toFixed(1)} MiB (20 MB -> ${megabytes} MB: +${result.sizeGrowthMiB.toFixed(1)} MiB)`,
        )
      }
    }
    const speed = (contender) =>
      median(results[contender].map((result) => result.megabytesPerSecond))
    const rss = (contender, key = 'rssGrowthMiB') =>
      Math.max(...results[contender].map((result) => result[key]))
    const ratio = speed('sdk') / speed('raw')
    const durableRatio = speed('sdk') / speed('raw-fsync')
    log(
      `${megabytes} MB to a file, median of ${rounds}: raw undici ${speed('raw').toFixed(0)} MiB/s, downloadToFile ${speed('sdk').toFixed(0)} MiB/s = ${ratio.toFixed(2)}x (goal >= ${THROUGHPUT_GOAL}x)`,
    )
    log(
      `with the same durability (raw + fdatasync, as downloadToFile does before its rename): raw ${speed('raw-fsync').toFixed(0)} MiB/s, downloadToFile = ${durableRatio.toFixed(2)}x`,
    )
    if (baseline) {
      log(
        `baseline build (${baseline}) ${speed('baseline').toFixed(0)} MiB/s = ${(speed('baseline') / speed('raw')).toFixed(2)}x raw, ${(speed('baseline') / speed('raw-fsync')).toFixed(2)}x raw + fdatasync; this build / baseline = ${(speed('sdk') / speed('baseline')).toFixed(2)}x; baseline RSS growth ${rss('baseline').toFixed(1)} MiB`,
      )
    }
    log(
      `RSS growth, worst of ${rounds}: raw ${rss('raw').toFixed(1)} MiB, downloadToFile ${rss('sdk').toFixed(1)} MiB (goal < ${RSS_GOAL_MIB} MiB)`,
    )
    log(
      `RSS growth beyond raw undici's (median of ${rounds}): ${(median(results.sdk.map((result) => result.rssGrowthMiB)) - median(results.raw.map((result) => result.rssGrowthMiB))).toFixed(1)} MiB (socket read buffers awaiting the GC: both show them)`,
    )
    log(
      `RSS growth from 20 MB to ${megabytes} MB, worst of ${rounds}: raw ${rss('raw', 'sizeGrowthMiB').toFixed(1)} MiB, downloadToFile ${rss('sdk', 'sizeGrowthMiB').toFixed(1)} MiB`,
    )
    return {
      megabytes,
      rounds,
      megabytesPerSecond: { raw: speed('raw'), rawFsync: speed('raw-fsync'), sdk: speed('sdk') },
      ratio,
      durableRatio,
      rssGrowthMiB: { raw: rss('raw'), sdk: rss('sdk') },
      sizeGrowthMiB: { raw: rss('raw', 'sizeGrowthMiB'), sdk: rss('sdk', 'sizeGrowthMiB') },
      goals: { throughput: THROUGHPUT_GOAL, rssMiB: RSS_GOAL_MIB },
    }
  } finally {
    await server.stop()
  }
}
