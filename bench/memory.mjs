/*
 * Figure 2: memory per concurrent wait, and pending timers. Each mode runs in a fresh child with
 * --expose-gc, `rounds` times in alternation; the figures are medians.
 */
import { benchFile, runChild } from './lib/child.mjs'
import { median } from './lib/stats.mjs'

export const MEMORY_MODES = ['sdk', 'naive']

/** @param {{ waits: number, rounds: number, log: (line: string) => void }} config */
export async function runMemory(config) {
  const runs = Object.fromEntries(MEMORY_MODES.map((mode) => [mode, []]))
  for (let round = 0; round < config.rounds; round++) {
    for (const mode of MEMORY_MODES) {
      const result = await runChild(
        benchFile('memory-child.mjs'),
        [JSON.stringify({ mode, waits: config.waits })],
        { execArgv: ['--expose-gc'] },
      )
      runs[mode].push(result)
      config.log(
        `  memory round ${round + 1}/${config.rounds} ${mode.padEnd(5)} heap ${result.heapPerWait.toFixed(0)} B/wait, RSS ${result.rssPerWait.toFixed(0)} B/wait, timers ${result.timersBefore} -> ${result.timersAfter}`,
      )
    }
  }
  const summary = {}
  for (const mode of MEMORY_MODES) {
    const list = runs[mode]
    summary[mode] = {
      heapPerWait: median(list.map((run) => run.heapPerWait)),
      rssPerWait: median(list.map((run) => run.rssPerWait)),
      timers: median(list.map((run) => run.timersAfter - run.timersBefore)),
      runs: list.map(({ type: _type, ...run }) => run),
    }
  }
  return {
    waits: config.waits,
    rounds: config.rounds,
    transport:
      'in-memory fake transport (every read: HTTP 200, an OpenAI in_progress video object); no sockets',
    modes: summary,
  }
}
