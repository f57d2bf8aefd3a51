/*
 * `video-tasks wait <taskId>`: one `waitFor`, shown as a live progress bar on a terminal or as
 * JSON lines elsewhere, ending with an exit code per outcome.
 */
import { createClient } from '../client.js'
import type { VideoTask } from '../model.js'
import { createTransport, type Transport } from '../transport.js'
import { systemClock } from '../wait/timer-queue.js'
import {
  API_OPTIONS,
  type CliIO,
  DEFAULT_KEY_VARIABLE,
  EXIT,
  OUTCOME_EXIT,
  PROVIDER_IDS,
  parse,
  parseDuration,
  providerFromFlags,
  taskIdFrom,
  UsageError,
} from './common.js'
import { classify, errorJson, retryNote, type WaitResult } from './outcome.js'
import { colorFor, createBoard, formatDuration, liveFor, outcomeStyle, palette } from './render.js'

/** `video-tasks wait --help`. */
export const WAIT_HELP = `Usage: video-tasks wait <taskId> --provider <id> --base-url <url> [options]

Polls a video task until it finishes. The result goes to stdout: on a terminal a summary,
otherwise (or with --json) one JSON line per read and a last line with the outcome. The progress
bar, retries ("retrying: ECONNREFUSED", "429, retry in 4 s") and diagnostics go to stderr, so
\`video-tasks wait ... | jq\` still shows the bar.

Options:
  -p, --provider <id>       ${PROVIDER_IDS.join(' | ')}
  -u, --base-url <url>      the API's origin, e.g. https://api.openai.com
      --api-key-env <NAME>  the variable holding the API key (default ${DEFAULT_KEY_VARIABLE})
      --timeout <duration>  give up after this long: ms, or 90s, 10m, 1h (default 10m)
      --interval <duration> first interval between reads (default: the provider's, 4-5 s)
      --max-interval <duration>
                            longest interval between reads (default: the provider's, 10-15 s)
      --json                JSON lines even on a terminal
  -h, --help                this help

The key is read from the environment only: a key in a flag would land in your shell history.

Exit codes:
  0    succeeded
  1    another error: authentication, permission, not found, not the vendor's shape
       (network failures, 429 and 5xx are retried until --timeout)
  2    failed
  3    cancelled
  4    timed out (--timeout)
  64   usage error (bad flags, the key's variable not set)
  130  interrupted (Ctrl-C); 143 on SIGTERM

Example:
  VIDEO_TASKS_API_KEY=sk-... npx video-tasks wait video_123 -p openai -u https://gateway.example.com/v1 \\
    | jq -r 'select(.type == "outcome") | .videoUrl'
`

/** One JSON line per read: what changed, in a stable shape for scripts. */
function updateLine(task: VideoTask, elapsedMs: number, reads: number): string {
  return JSON.stringify({
    type: 'update',
    taskId: task.id,
    provider: task.provider,
    status: task.status,
    vendorStatus: task.vendorStatus,
    progress: task.progress,
    videoUrl: task.videoUrl,
    elapsedMs: Math.round(elapsedMs),
    reads,
  })
}

/** The last JSON line: the outcome, its exit code, and the video or the error. */
function outcomeLine(
  result: WaitResult,
  exitCode: number,
  taskId: string,
  provider: string,
  elapsedMs: number,
  reads: number,
): string {
  const task = result.task
  return JSON.stringify({
    type: 'outcome',
    outcome: result.outcome,
    exitCode,
    taskId,
    provider,
    status: task?.status ?? null,
    vendorStatus: task?.vendorStatus ?? null,
    progress: task?.progress ?? null,
    videoUrl: task?.videoUrl ?? null,
    videoUrls: task?.videoUrls ?? [],
    details: task?.details ?? {},
    error: result.outcome === 'succeeded' ? null : errorJson(result.error),
    elapsedMs: Math.round(elapsedMs),
    reads,
  })
}

/** Runs `video-tasks wait`. Resolves with the exit code. */
export async function waitCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    ...API_OPTIONS,
    timeout: { type: 'string' },
    interval: { type: 'string' },
    'max-interval': { type: 'string' },
    json: { type: 'boolean' },
  })
  if (values.help) {
    io.stdout.write(WAIT_HELP)
    return EXIT.ok
  }
  const taskId = taskIdFrom(positionals, 'wait')
  const { provider, id: providerId } = providerFromFlags(values, io.env)
  const timeoutMs =
    values.timeout === undefined ? undefined : parseDuration('--timeout', values.timeout, true)
  const intervalMs =
    values.interval === undefined ? undefined : parseDuration('--interval', values.interval)
  const maxIntervalMs =
    values['max-interval'] === undefined
      ? undefined
      : parseDuration('--max-interval', values['max-interval'])
  // The SDK lowers its 1 s floor to a shorter --interval by itself, and checks that
  // --max-interval is at least --interval (a TypeError, reported as a usage error).
  const schedule = {
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(maxIntervalMs === undefined ? {} : { maxIntervalMs }),
  }

  // stdout carries the result (JSON unless it is a terminal); stderr the bar and diagnostics.
  const json = values.json === true || !liveFor(io.stdout, io.env)
  // A live bar redraws in place on stderr; JSON lines on the same terminal would break it.
  const live = liveFor(io.stderr, io.env) && !(json && io.stdout.isTTY === true)
  const clock = io.clock ?? systemClock
  // The default transport, wrapped to count every HTTP request (retries and failed reads
  // included): the SDK reports that count only on some outcomes, the CLI shows it on all.
  const transport = io.transport ?? createTransport()
  let requests = 0
  const counting: Transport = {
    send: (request) => {
      requests++
      return transport.send(request)
    },
    close: () => transport.close(),
  }
  let client: ReturnType<typeof createClient>
  try {
    client = createClient({ provider, transport: counting, clock, ...schedule })
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    throw new UsageError(
      error.message
        .replace('`intervalMs`', '--interval')
        .replace('`maxIntervalMs`', '--max-interval'),
    )
  }
  const controller = new AbortController()
  const interrupt = new Error('Interrupted')
  let signalled: 'SIGINT' | 'SIGTERM' | undefined
  const unsubscribe = io.onSignal((signal) => {
    signalled = signal
    // Only the first signal aborts cleanly; a second one gets Node's default (the process ends).
    unsubscribe()
    controller.abort(interrupt)
  })

  const now = () => clock.now()
  const startedAt = now()
  let lastTask: VideoTask | null = null
  const board = createBoard([{ label: providerId, taskId }], {
    stream: io.stderr,
    live,
    color: live && colorFor(io.stderr, io.env),
    now,
  })
  let settled: PromiseSettledResult<VideoTask>
  try {
    const task = await client.waitFor(taskId, {
      signal: controller.signal,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      onUpdate: (task) => {
        lastTask = task
        if (json) io.stdout.write(`${updateLine(task, now() - startedAt, requests)}\n`)
        board.update(0, task)
      },
      onProgress: (progress) => board.progress(0, progress),
      onRetry: (event) => board.retrying(0, retryNote(event)),
    })
    settled = { status: 'fulfilled', value: task }
  } catch (error) {
    settled = { status: 'rejected', reason: error }
  } finally {
    unsubscribe()
    // The transport is ours, not the client's: close both.
    await client.close()
    await transport.close()
  }

  const result = classify(settled, interrupt, lastTask)
  const reads = requests
  const exitCode =
    result.outcome === 'aborted'
      ? signalled === 'SIGTERM'
        ? EXIT.terminated
        : EXIT.interrupted
      : OUTCOME_EXIT[result.outcome]
  const elapsedMs = now() - startedAt
  board.finish(0, result.outcome, result.note)
  board.stop()
  if (json) {
    io.stdout.write(`${outcomeLine(result, exitCode, taskId, providerId, elapsedMs, reads)}\n`)
    return exitCode
  }
  const colors = palette(colorFor(io.stdout, io.env))
  const { paint } = outcomeStyle(result.outcome, colors)
  const summary = `${paint(result.outcome)} after ${formatDuration(elapsedMs)} and ${reads} read${reads === 1 ? '' : 's'}`
  const label = result.outcome === 'succeeded' ? 'video' : 'reason'
  io.stdout.write(`${summary}\n${label}: ${result.note}\n`)
  return exitCode
}
