/*
 * `npm run demo` / `video-tasks demo`: a simulator of every built-in provider, tasks submitted
 * through the SDK in their dialects with different outcomes and progress styles (at least one per
 * registry entry), all waited for at once, each finished video downloaded, then a summary. No key,
 * no network.
 */
import { createClient, type VideoTaskClient } from '../client.js'
import type { VideoTask } from '../model.js'
import type { Provider } from '../providers/define-provider.js'
import { BUILT_IN_PROVIDERS, builtInProviderEntry } from '../providers/registry.js'
import { startSimulator } from '../simulator/index.js'
import type { SimulatedDialect, SimulatedProvider, TaskScript } from '../simulator/types.js'
import type { TaskIdOrRef } from '../task-ref.js'
import { type CliIO, EXIT, parse, parsePositive, UsageError } from './common.js'
import { downloadOutputs, formatBytes, progressView } from './download.js'
import { classify, type WaitResult } from './outcome.js'
import {
  colorFor,
  createBoard,
  formatDuration,
  formatTable,
  liveFor,
  outcomeStyle,
  palette,
} from './render.js'

/** `video-tasks demo --help`. */
export const DEMO_HELP = `Usage: video-tasks demo [--time-scale X]

Starts a local simulator of the vendor APIs, submits its tasks through the SDK in different
dialects, outcomes and progress styles, waits for all of them at once (live progress bars on
a terminal, plain lines otherwise), downloads each finished video with a byte progress bar, and
prints a summary with the file sizes. No key, no network.

Options:
      --time-scale <X>    virtual ms per real ms (default 20: the longest task, 107 s, takes ~5 s)
  -h, --help              this help
`

/** One task of the demo: its script, and what it shows off. */
interface DemoTask {
  script: TaskScript & { id: string; outcome: 'succeeded' | 'failed' | 'cancelled' }
  /** Why this task is in the demo, for people reading the code. */
  shows: string
}

/*
 * Fixed ids in each vendor's shape, so the demo's output reads the same from run to run.
 * Durations are virtual (vendor-like: minutes of queue and generation, squeezed by the time
 * scale).
 */
const SHOWCASE: readonly DemoTask[] = [
  {
    shows: 'the official API: integer progress, the video behind /content (needs the key)',
    script: {
      provider: 'openai',
      dialect: 'official',
      id: 'video_68d7512d0784',
      progress: 'fine',
      outcome: 'succeeded',
      queuedMs: 6_000,
      runningMs: 84_000,
    },
  },
  {
    shows: 'a gateway: progress as a 0-1 fraction, cancelled half-way',
    script: {
      provider: 'openai',
      dialect: 'gateway',
      id: 'task_b71c03e9a2f4',
      progress: 'fine',
      progressFormat: 'fraction',
      urlField: 'video_url',
      outcome: 'cancelled',
      queuedMs: 4_000,
      runningMs: 46_000,
    },
  },
  {
    shows: 'the relay gateway: NOT_START, SUBMITTED, QUEUED, "30%" steps, SUCCESS',
    script: {
      provider: 'doubao',
      dialect: 'gateway-upper',
      id: 'cgt-20250601-8a1f',
      progress: 'coarse',
      outcome: 'succeeded',
      queuedMs: 15_000,
      runningMs: 75_000,
    },
  },
  {
    shows: "the doc's lower-case words, the video URL in fail_reason",
    script: {
      provider: 'doubao',
      dialect: 'legacy',
      id: 'cgt-20250601-93c2',
      progress: 'coarse',
      outcome: 'succeeded',
      queuedMs: 5_000,
      runningMs: 60_000,
    },
  },
  {
    shows: 'the second shape: no progress at all, then a failure',
    script: {
      provider: 'doubao',
      dialect: 'second-shape',
      id: 'cgt-20250601-b417',
      progress: 'none',
      outcome: 'failed',
      failureReason: 'The prompt was rejected by the content filter',
      queuedMs: 5_000,
      runningMs: 35_000,
    },
  },
  {
    shows: 'the /task envelope: code 10000, in_queue, generating, done (no progress field)',
    script: {
      provider: 'generic-task',
      dialect: 'envelope',
      id: '314052875571396',
      progress: 'none',
      outcome: 'succeeded',
      queuedMs: 10_000,
      runningMs: 70_000,
    },
  },
  {
    shows: 'MiniMax style: Preparing, Queueing, Processing, Success with a file_id only',
    script: {
      provider: 'generic-task',
      dialect: 'minimax',
      id: '106916112212032',
      progress: 'none',
      outcome: 'succeeded',
      queuedMs: 12_000,
      runningMs: 95_000,
    },
  },
  {
    shows: "the doc's envelope: Pending, Processing, Cancelled",
    script: {
      provider: 'generic-task',
      dialect: 'envelope-doc',
      id: '314052875571402',
      progress: 'none',
      outcome: 'cancelled',
      queuedMs: 8_000,
      runningMs: 40_000,
    },
  },
  {
    shows: 'check-result: POST with the id in the body, failed with the credits refunded',
    script: {
      provider: 'check-result',
      dialect: 'documented',
      id: 'task_7f3a9c21d4e8',
      progress: 'fine',
      outcome: 'failed',
      failureReason: 'Upstream generation error',
      queuedMs: 3_000,
      runningMs: 50_000,
    },
  },
]

/**
 * The demo's tasks: the showcase above, plus one plain task in its default dialect for every
 * registered provider the showcase lacks, so a new vendor is in the demo without editing it.
 */
export function demoTasks(): readonly DemoTask[] {
  const shown = new Set<string>(SHOWCASE.map((task) => task.script.provider))
  const added = BUILT_IN_PROVIDERS.filter((entry) => !shown.has(entry.id)).map(
    (entry): DemoTask => ({
      shows: `${entry.displayName}: its default dialect`,
      script: {
        provider: entry.id as SimulatedProvider,
        dialect: entry.dialects[0].name as SimulatedDialect,
        id: `task_demo_${entry.id}`,
        progress: entry.dialects[0].progress,
        outcome: 'succeeded',
        queuedMs: 5_000,
        runningMs: 40_000,
      },
    }),
  )
  return [...SHOWCASE, ...added]
}

const TASKS = withVideoSizes(demoTasks())

/**
 * Gives every task that succeeds a video of a few MB (sizes that differ, fixed from run to run),
 * so the downloads show their byte progress and the summary real sizes; the simulator makes the
 * bytes up as they stream, so they cost no memory.
 */
function withVideoSizes(tasks: readonly DemoTask[]): readonly DemoTask[] {
  return tasks.map((task, index) =>
    task.script.outcome === 'succeeded' && task.script.download === undefined
      ? {
          ...task,
          script: {
            ...task.script,
            download: { bytes: 1_000_000 + ((index * 1_300_000) % 4_000_000) },
          },
        }
      : task,
  )
}

/** The SDK's provider for each simulated API, pointed at the simulator. */
function providerFor(id: SimulatedProvider, baseURL: string, apiKey: string): Provider {
  const entry = builtInProviderEntry(id)
  if (!entry) throw new Error(`No built-in provider for the simulated API ${id}`)
  return entry.forSimulator(baseURL, apiKey)
}

/**
 * Creates the demo's tasks the way an app does: `client.submit` on each vendor's create route,
 * the simulator told the task's script in its `x-simulator-script` header (fixed ids, outcomes
 * and timings, so the output reads the same from run to run). A provider without a create
 * (check-result: creation there is the user's own API) gets its task from the simulator's
 * control side instead. Resolves with each task's ref (or id), in order.
 */
async function submitDemoTasks(
  baseURL: string,
  apiKey: string,
  createTask: (script: TaskScript) => unknown,
): Promise<TaskIdOrRef[]> {
  const refs = await Promise.all(
    TASKS.map(async ({ script, shows }): Promise<TaskIdOrRef | null> => {
      const entry = builtInProviderEntry(script.provider)
      if (!entry) throw new Error(`No built-in provider for the simulated API ${script.provider}`)
      const { provider: _provider, ...rest } = script
      const provider = entry.forSimulator(baseURL, apiKey, {
        'x-simulator-script': JSON.stringify(rest),
      })
      if (!provider.buildCreateRequest) return null
      const client = createClient({ provider })
      try {
        return await client.submit({ prompt: shows })
      } finally {
        await client.close()
      }
    }),
  )
  // After the submits, so these tasks' clocks start with the others' (a slow machine's submits
  // take a while, and a task created first could finish before its first read).
  return refs.map((ref, index) => {
    if (ref !== null) return ref
    const script = (TASKS[index] as DemoTask).script
    createTask(script)
    return script.id
  })
}

/** Runs the demo. Resolves with 0 when every task ended as scripted. */
export async function demoCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    'time-scale': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout.write(DEMO_HELP)
    return EXIT.ok
  }
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}`)
  }
  const timeScale =
    values['time-scale'] === undefined ? 20 : parsePositive('--time-scale', values['time-scale'])
  const live = liveFor(io.stdout, io.env)
  const colors = palette(colorFor(io.stdout, io.env))

  const sim = await startSimulator({ timeScale })
  const clients = new Map<SimulatedProvider, VideoTaskClient>()
  const controller = new AbortController()
  const interrupt = new Error('Interrupted')
  const unsubscribe = io.onSignal(() => {
    unsubscribe()
    controller.abort(interrupt)
  })
  try {
    const refs = await submitDemoTasks(sim.baseURL, sim.apiKey, (script) => sim.createTask(script))
    for (const id of new Set(TASKS.map((task) => task.script.provider))) {
      const provider = providerFor(id, sim.baseURL, sim.apiKey)
      const defaults = provider.pollDefaults
      // The provider's real schedule, squeezed by the time scale like the tasks themselves:
      // the reads counted below are about what the same waits would cost at real speed.
      clients.set(
        id,
        createClient({
          provider,
          intervalMs: defaults.intervalMs / timeScale,
          maxIntervalMs: defaults.maxIntervalMs / timeScale,
          minIntervalMs: 1_000 / timeScale,
        }),
      )
    }
    const longest = Math.max(
      ...TASKS.map((task) => (task.script.queuedMs ?? 0) + (task.script.runningMs ?? 0)),
    )
    io.stdout.write(
      `${colors.bold('video-tasks demo')}: simulator at ${sim.baseURL}, ${TASKS.length} tasks on ${new Set(TASKS.map((task) => task.script.provider)).size} APIs, ` +
        `time scale ${timeScale}x (${formatDuration(longest)} of vendor time in ${formatDuration(longest / timeScale)})\n\n`,
    )

    const board = createBoard(
      TASKS.map((task) => ({
        label: task.script.provider,
        detail: task.script.dialect,
        taskId: task.script.id,
      })),
      { stream: io.stdout, live, color: colorFor(io.stdout, io.env) },
    )
    const startedAt = Date.now()
    const results: (WaitResult & { elapsedMs: number })[] = []
    const finishedTasks: (VideoTask | undefined)[] = []
    // Stopped in `finally` too: a live board hides the cursor, and an error must not leave the
    // terminal without one.
    try {
      await Promise.all(
        TASKS.map(async (task, index) => {
          const client = clients.get(task.script.provider)
          if (!client) throw new Error(`No client for ${task.script.provider}`)
          let last: VideoTask | null = null
          const settled = await client
            .waitFor(refs[index] ?? task.script.id, {
              signal: controller.signal,
              // Far beyond the longest script: a demo that hangs is a bug, not a wait.
              timeoutMs: (4 * longest) / timeScale + 10_000,
              onUpdate: (read) => {
                last = read
                board.update(index, read)
              },
              onProgress: (progress) => board.progress(index, progress),
            })
            .then(
              (value): PromiseSettledResult<VideoTask> => ({ status: 'fulfilled', value }),
              (reason: unknown): PromiseSettledResult<VideoTask> => ({
                status: 'rejected',
                reason,
              }),
            )
          if (settled.status === 'fulfilled') finishedTasks[index] = settled.value
          const result = classify(settled, interrupt, last)
          results[index] = { ...result, elapsedMs: Date.now() - startedAt }
          board.finish(index, result.outcome, result.note)
        }),
      )
    } finally {
      board.stop()
    }
    if (controller.signal.aborted) {
      io.stdout.write('\nInterrupted.\n')
      return EXIT.interrupted
    }

    // The reads the waits cost, counted before the downloads (a file API look-up is a request).
    const readsOf = TASKS.map((task) => sim.requests(task.script.id))
    // From prompt to file: each finished video downloaded through the SDK (to a temporary
    // folder, removed at the end), its size in the table.
    const sizes = await downloadFinished(results, finishedTasks, clients, controller.signal, io)
    if (controller.signal.aborted) {
      io.stdout.write('\nInterrupted.\n')
      return EXIT.interrupted
    }
    const rows = TASKS.map((task, index) => {
      const result = results[index]
      const outcome = result?.outcome ?? 'error'
      return [
        task.script.provider,
        task.script.dialect ?? '',
        task.script.progress ?? '',
        outcomeStyle(outcome, colors).paint(outcome),
        String(readsOf[index]),
        formatDuration(result?.elapsedMs ?? Number.NaN),
        sizes[index] ?? '',
        result?.note ?? '',
      ]
    })
    io.stdout.write(
      `\n${formatTable(
        [
          { header: 'provider' },
          { header: 'dialect' },
          { header: 'progress' },
          { header: 'outcome' },
          { header: 'reads', align: 'right' },
          { header: 'time', align: 'right' },
          { header: 'file', align: 'right' },
          { header: 'video URL or error' },
        ],
        rows,
        colors,
      )}\n\n`,
    )
    const unexpected = TASKS.filter(
      (task, index) => results[index]?.outcome !== task.script.outcome,
    )
    const reads = readsOf.reduce((sum, count) => sum + count, 0)
    if (unexpected.length > 0) {
      io.stdout.write(
        `${colors.red('Unexpected outcomes')} for ${unexpected.map((task) => task.script.id).join(', ')}.\n`,
      )
      return EXIT.error
    }
    io.stdout.write(
      `All ${TASKS.length} tasks ended as scripted, in ${reads} reads over ${formatDuration(Date.now() - startedAt)}.\n` +
        'Next: npm test, or `video-tasks simulate` for a simulator of your own (docs/simulator.md).\n',
    )
    return EXIT.ok
  } finally {
    unsubscribe()
    await Promise.all([...clients.values()].map((client) => client.close()))
    await sim.close()
  }
}

/**
 * Downloads every succeeded task's video with `client.download` into a temporary folder (removed
 * at the end), one after the other, each with its byte progress bar (in place on a terminal, a
 * line per 10 % elsewhere); returns each task's file size (empty where there is none). A failed
 * download is shown in its row, not thrown: the waits already ended as scripted.
 */
async function downloadFinished(
  results: readonly (WaitResult | undefined)[],
  tasks: readonly (VideoTask | undefined)[],
  clients: ReadonlyMap<SimulatedProvider, VideoTaskClient>,
  signal: AbortSignal,
  io: CliIO,
): Promise<string[]> {
  const { mkdtemp, rm } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const { tmpdir } = await import('node:os')
  const folder = await mkdtemp(join(tmpdir(), 'video-tasks-demo-'))
  const finished = TASKS.flatMap((_, index) =>
    results[index]?.outcome === 'succeeded' && tasks[index] !== undefined ? [index] : [],
  )
  const labels = TASKS.map(({ script }) => `${script.provider} ${script.dialect ?? ''}`.trim())
  const width = Math.max(0, ...finished.map((index) => labels[index]?.length ?? 0))
  const sizes = TASKS.map(() => '')
  try {
    io.stdout.write(
      `\nDownloading the ${finished.length} finished videos with client.download (to a temporary folder):\n`,
    )
    const view = progressView(io.stdout, io.env)
    for (const index of finished) {
      const task = tasks[index]
      const provider = TASKS[index]?.script.provider
      const client = provider === undefined ? undefined : clients.get(provider)
      if (!task || !client) continue
      try {
        const [file] = await downloadOutputs(client, task, {
          output: join(folder, `${index}.mp4`),
          index: 0,
          signal,
          view: {
            update: (_label, progress) =>
              view.update((labels[index] ?? '').padEnd(width), progress),
            finish: () => view.finish(),
          },
        })
        sizes[index] = file ? formatBytes(file.bytes) : ''
      } catch (error) {
        if (signal.aborted) break
        io.stderr.write(
          `download of ${task.id} failed: ${error instanceof Error ? error.message : String(error)}\n`,
        )
        sizes[index] = 'failed'
      }
    }
    return sizes
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
