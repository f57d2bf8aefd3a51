/*
 * Figure 1: read throughput against the simulator in another process.
 *
 * The simulator runs in one child (pinned to CPU 0 when `taskset` is available) and each
 * contender in a fresh child of its own (pinned to CPU 1), one after another, in a rotated order
 * each round so drift on a noisy machine does not favour one. The parent only orchestrates. For
 * each run it also samples the simulator's CPU time over the same window: a server near 100 % of
 * its core is the bottleneck, and then reads/s say little about the client; the client's CPU
 * microseconds per read say how much work each read costs the client either way.
 */
import { benchFile, startChild } from './lib/child.mjs'
import { median } from './lib/stats.mjs'

/** A load generator below this share of its core during the window was disturbed. */
const CLEAN_CPU_SHARE = 0.9

export const CONTENDERS = ['sdk-get', 'sdk-wait', 'sdk-transport', 'undici', 'fetch']

/**
 * @param {{ tasks: number, rounds: number, warmupMs: number, durationMs: number, log: (line: string) => void }} config
 */
export async function runThroughput(config) {
  const server = startChild(benchFile('throughput-server.mjs'), [String(config.tasks), 'openai'], {
    cpu: 0,
  })
  try {
    const ready = await server.next('ready', 60_000)
    const sampleServer = async () => {
      server.send({ type: 'cpu' })
      return server.next('cpu', 10_000)
    }
    const runs = Object.fromEntries(CONTENDERS.map((name) => [name, []]))
    for (let round = 0; round < config.rounds; round++) {
      const order = CONTENDERS.map((_, index) => CONTENDERS[(index + round) % CONTENDERS.length])
      for (const contender of order) {
        const load = startChild(
          benchFile('throughput-load.mjs'),
          [
            JSON.stringify({
              contender,
              baseURL: ready.baseURL,
              apiKey: ready.apiKey,
              tasks: ready.ids.length,
              warmupMs: config.warmupMs,
              durationMs: config.durationMs,
            }),
          ],
          { cpu: 1 },
        )
        try {
          await load.next('window-start', 60_000)
          const before = await sampleServer()
          await load.next('window-end', config.durationMs + 60_000)
          const after = await sampleServer()
          const result = await load.next('result', 60_000)
          await load.done()
          const serverShare = (after.cpuMicros - before.cpuMicros) / 1e3 / (after.at - before.at)
          const run = { round, ...result, serverCpuShare: serverShare }
          runs[contender].push(run)
          config.log(
            `  throughput round ${round + 1}/${config.rounds} ${contender.padEnd(8)} ${Math.round(result.readsPerSecond)} reads/s, client ${result.cpuMicrosPerRead?.toFixed(1)} µs CPU/read, server CPU ${(serverShare * 100).toFixed(0)} %, client CPU ${(result.cpuShare * 100).toFixed(0)} %${result.cpuShare < CLEAN_CPU_SHARE ? ' (disturbed)' : ''}${result.errors ? `, ${result.errors} errors: ${result.firstError?.split('\n')[0]}` : ''}`,
          )
        } finally {
          await load.stop()
        }
      }
    }
    // The load generators are CPU-bound by design: a run whose generator was on its core less
    // than 90 % of the window was slowed by other processes, not by its own code. Such runs are
    // kept in the JSON but left out of the medians (unless every run of a contender is).
    const clean = (run) => run.cpuShare >= CLEAN_CPU_SHARE
    const usable = (list) => (list.some(clean) ? list.filter(clean) : list)
    const summary = {}
    for (const contender of CONTENDERS) {
      const list = usable(runs[contender])
      summary[contender] = {
        readsPerSecond: median(list.map((run) => run.readsPerSecond)),
        cpuMicrosPerRead: median(list.map((run) => run.cpuMicrosPerRead ?? Number.NaN)),
        serverCpuShare: median(list.map((run) => run.serverCpuShare)),
        clientCpuShare: median(list.map((run) => run.cpuShare)),
        errors: runs[contender].reduce((sum, run) => sum + run.errors, 0),
        disturbedRuns: runs[contender].filter((run) => !clean(run)).length,
        runs: runs[contender].map((run) => ({
          round: run.round,
          readsPerSecond: run.readsPerSecond,
          cpuMicrosPerRead: run.cpuMicrosPerRead,
          serverCpuShare: run.serverCpuShare,
          clientCpuShare: run.cpuShare,
          errors: run.errors,
        })),
      }
    }
    // Ratios per round (the same round's runs are closest in time), then their median; rounds
    // where either run was disturbed are left out, unless all were.
    const ratio = (a, b) => {
      const pairs = runs[a]
        .map((run) => [run, runs[b].find((other) => other.round === run.round)])
        .filter(([, other]) => other !== undefined)
      const cleanPairs = pairs.filter(([one, other]) => clean(one) && clean(other))
      return median(
        (cleanPairs.length > 0 ? cleanPairs : pairs).map(
          ([one, other]) => one.readsPerSecond / other.readsPerSecond,
        ),
      )
    }
    return {
      tasks: config.tasks,
      rounds: config.rounds,
      warmupMs: config.warmupMs,
      durationMs: config.durationMs,
      cleanCpuShare: CLEAN_CPU_SHARE,
      pinned: server.pinned,
      provider: 'openai (official dialect), GET /v1/videos/{id}',
      contenders: summary,
      ratios: {
        sdkGetVsUndici: ratio('sdk-get', 'undici'),
        sdkWaitVsUndici: ratio('sdk-wait', 'undici'),
        sdkGetVsFetch: ratio('sdk-get', 'fetch'),
        sdkWaitVsFetch: ratio('sdk-wait', 'fetch'),
        undiciVsFetch: ratio('undici', 'fetch'),
      },
    }
  } finally {
    await server.stop()
  }
}
