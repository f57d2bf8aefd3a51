/*
 * `video-tasks simulate`: the simulator of every built-in provider's API as a standalone server, for
 * trying the CLI or an app without keys, and for benchmarks in another process.
 */
import { BUILT_IN_PROVIDER_IDS } from '../providers/registry.js'
import { startSimulator } from '../simulator/index.js'
import type { Simulator } from '../simulator/types.js'
import { type CliIO, describeError, EXIT, parse, parsePositive, UsageError } from './common.js'

/** `video-tasks simulate --help`. */
export const SIMULATE_HELP = `Usage: video-tasks simulate [--port N] [--time-scale X]

Starts a local simulator of the built-in providers' APIs (${BUILT_IN_PROVIDER_IDS.join(', ')})
on 127.0.0.1, prints its URL, key and how to create a task, and runs until Ctrl-C
or SIGTERM. Tasks are created through its control endpoint: POST /__simulator/tasks.

Options:
      --port <N>          port to listen on (default 0: a free one, printed)
      --time-scale <X>    virtual ms per real ms: 10 runs a 90 s task in 9 s (default 1)
  -h, --help              this help

The simulator's key is not a secret: it is "sim-test-key", printed at start.
`

/** The simulator's bearer key: fixed and printed, so it is never mistaken for a real key. */
const SIMULATOR_KEY = 'sim-test-key'

/** The script of the task `simulate` creates at start, so the banner's wait runs as printed. */
export const BANNER_TASK_SCRIPT = Object.freeze({
  provider: 'openai',
  dialect: 'gateway',
  queuedMs: 2_000,
  runningMs: 30_000,
} as const)

/**
 * What `simulate` prints once listening: commands that run as printed (copy, paste): a wait for
 * the task created at start (`taskId`), and how to create more.
 */
export function simulatorBanner(sim: Simulator, timeScale: number, taskId: string): string {
  const { provider: _provider, ...script } = BANNER_TASK_SCRIPT
  const body = JSON.stringify({ provider: 'openai', ...script })
  const auth = `-H 'authorization: Bearer ${sim.apiKey}'`
  return `video-tasks simulator listening on ${sim.baseURL}
API key: ${sim.apiKey}   time scale: ${timeScale}x

A task is ready (${taskId}, OpenAI-compatible gateway, done after ${(BANNER_TASK_SCRIPT.queuedMs + BANNER_TASK_SCRIPT.runningMs) / 1_000 / timeScale} s). Wait for it:
  VIDEO_TASKS_API_KEY=${sim.apiKey} npx video-tasks wait ${taskId} --provider openai --base-url ${sim.baseURL}

Create another (provider: ${BUILT_IN_PROVIDER_IDS.join(', ')}; see docs/simulator.md), then wait
for the id it answers with, as above:
  curl -s ${sim.baseURL}/__simulator/tasks ${auth} -H 'content-type: application/json' -d '${body}'

List tasks and their read counts: curl -s ${sim.baseURL}/__simulator/tasks ${auth}
Press Ctrl-C to stop.
`
}

/** Runs `video-tasks simulate` until a signal. Resolves with the exit code. */
export async function simulateCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    port: { type: 'string' },
    'time-scale': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout.write(SIMULATE_HELP)
    return EXIT.ok
  }
  if (positionals.length > 0)
    throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}`)
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port takes 0-65535, got ${JSON.stringify(values.port)}`)
  }
  const timeScale =
    values['time-scale'] === undefined ? 1 : parsePositive('--time-scale', values['time-scale'])

  // Subscribed before listening, so a signal that arrives during start-up is not lost.
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => {
    stop = resolve
  })
  const unsubscribe = io.onSignal(() => stop())
  let sim: Simulator
  try {
    sim = await startSimulator({ port, timeScale, apiKey: SIMULATOR_KEY })
  } catch (error) {
    unsubscribe()
    io.stderr.write(
      `video-tasks simulate: cannot listen on port ${port}: ${describeError(error)}\n`,
    )
    return EXIT.error
  }
  const ready = sim.createTask(BANNER_TASK_SCRIPT)
  io.stdout.write(simulatorBanner(sim, timeScale, ready.id))
  await stopped
  unsubscribe()
  const requests = sim.totalRequests()
  await sim.close()
  io.stdout.write(`Simulator stopped after ${requests} request${requests === 1 ? '' : 's'}.\n`)
  return EXIT.ok
}
