/*
 * `video-tasks generate`: one `client.generate` (create, then wait), then with `--download` the
 * video(s) to file(s) with a byte progress bar. The task's ref goes to stderr the moment the
 * create is answered, so a script (or a person) can resume with `video-tasks wait` (or
 * `video-tasks download`) whatever happens next; the result goes to stdout.
 */
import { createClient } from '../client.js'
import { SubmitUncertainError } from '../errors.js'
import type { VideoTask } from '../model.js'
import type { VideoInput } from '../providers/kit/lifecycle.js'
import type { TaskRef } from '../task-ref.js'
import {
  API_OPTIONS,
  type CliIO,
  DEFAULT_KEY_VARIABLE,
  describeError,
  EXIT,
  OUTCOME_EXIT,
  PROVIDER_IDS,
  parse,
  parseDuration,
  parsePositive,
  providerFromFlags,
  UsageError,
} from './common.js'
import { checkOutputPath, downloadOutputs, formatBytes, progressView } from './download.js'
import { classify, errorJson } from './outcome.js'
import { colorFor, formatDuration, liveFor, outcomeStyle, palette } from './render.js'

/** A video written by `--download`. */
interface WrittenFile {
  path: string
  bytes: number
}

/** `video-tasks generate --help`. */
export const GENERATE_HELP = `Usage: video-tasks generate --provider <id> --base-url <url> --prompt <text> [options]

Creates a video task and waits for it. The task's ref (JSON: provider, origin, task id) is printed
on stderr as soon as the create is answered; the result goes to stdout (one JSON line with --json
or when stdout is not a terminal).

Options:
  -p, --provider <id>       ${PROVIDER_IDS.join(' | ')} (check-result needs a create the SDK
                            user defines: not available here)
  -u, --base-url <url>      the API's origin, e.g. https://api.openai.com
      --api-key-env <NAME>  the variable holding the API key (default ${DEFAULT_KEY_VARIABLE})
      --prompt <text>       what the video shows (required)
      --model <name>        the vendor's model (default: the vendor's)
      --duration <seconds>  the video's length in seconds
      --size <WxH>          e.g. 1280x720 (or --aspect-ratio, not both)
      --aspect-ratio <W:H>  e.g. 16:9
      --resolution <name>   e.g. 720p, 1080p
      --image <path|url>    a first-frame image: a file (sent as bytes) or an http(s) URL
      --timeout <duration>  give up waiting after this long: ms, or 90s, 10m, 1h (default 10m)
      --interval <duration> first interval between reads (default: the provider's)
      --download <file>     then download the video to <file>, with a byte progress bar on
                            stderr; several videos (result_urls) as <file> with -0, -1, ...
                            before the extension, or where {index} stands in <file>. The
                            folder is checked before the create: a typo costs no generation
      --json                JSON even on a terminal
  -h, --help                this help

A create is sent once. If its answer is lost after it may have reached the vendor, the command
exits 1 with "may have been created" and the request's time: check the vendor before retrying.
If the video is ready but its download fails, the command exits 1 and prints the
\`video-tasks download\` command that fetches it: running generate again would bill a new video.

Exit codes: 0 succeeded (and downloaded), 1 error (or the download failed), 2 failed,
3 cancelled, 4 timed out, 64 usage (bad flags or input, nothing sent), 130 interrupted.

Example:
  VIDEO_TASKS_API_KEY=sk-... video-tasks generate -p openai -u https://gateway.example.com \\
    --prompt "a red fox in snow" --duration 8 --size 1280x720 --download fox.mp4
`

/** Runs `video-tasks generate`. Resolves with the exit code. */
export async function generateCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    ...API_OPTIONS,
    prompt: { type: 'string' },
    model: { type: 'string' },
    duration: { type: 'string' },
    size: { type: 'string' },
    'aspect-ratio': { type: 'string' },
    resolution: { type: 'string' },
    image: { type: 'string' },
    timeout: { type: 'string' },
    interval: { type: 'string' },
    download: { type: 'string' },
    json: { type: 'boolean' },
  })
  if (values.help) {
    io.stdout.write(GENERATE_HELP)
    return EXIT.ok
  }
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}`)
  }
  if (values.prompt === undefined) throw new UsageError('Missing --prompt (what the video shows)')
  const { provider, id: providerId } = providerFromFlags(values, io.env)
  const input: VideoInput = {
    prompt: values.prompt,
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.duration === undefined
      ? {}
      : { durationSeconds: parsePositive('--duration', values.duration) }),
    ...(values.size === undefined ? {} : { size: values.size }),
    ...(values['aspect-ratio'] === undefined ? {} : { aspectRatio: values['aspect-ratio'] }),
    ...(values.resolution === undefined ? {} : { resolution: values.resolution }),
    ...(values.image === undefined ? {} : { image: values.image }),
  }
  const timeoutMs =
    values.timeout === undefined ? 10 * 60_000 : parseDuration('--timeout', values.timeout, true)
  const intervalMs =
    values.interval === undefined ? undefined : parseDuration('--interval', values.interval)
  const json = values.json === true || !liveFor(io.stdout, io.env)
  const downloadTo = values.download
  // Before the create: a paid generation must not end in "cannot write there".
  if (downloadTo !== undefined) await checkOutputPath('--download', downloadTo)

  let client: ReturnType<typeof createClient>
  try {
    client = createClient({
      provider,
      ...(intervalMs === undefined ? {} : { intervalMs, maxIntervalMs: intervalMs }),
    })
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    throw new UsageError(error.message.replace('`intervalMs`', '--interval'))
  }
  const controller = new AbortController()
  const interrupt = new Error('Interrupted')
  let signalled: 'SIGINT' | 'SIGTERM' | undefined
  const unsubscribe = io.onSignal((signal) => {
    signalled = signal
    unsubscribe()
    controller.abort(interrupt)
  })

  const startedAt = Date.now()
  let ref: TaskRef | null = null
  let lastTask: VideoTask | null = null
  let reads = 0
  let settled: PromiseSettledResult<VideoTask>
  try {
    const result = await client.generate(input, {
      signal: controller.signal,
      timeoutMs,
      onSubmitted: (submitted) => {
        ref = submitted
        io.stderr.write(
          json
            ? `${JSON.stringify({ type: 'submitted', ref: submitted })}\n`
            : `submitted ${submitted.taskId}; resume with: video-tasks wait ${submitted.taskId} -p ${providerId} -u ${submitted.origin}\nref: ${JSON.stringify(submitted)}\n`,
        )
      },
      onUpdate: (task) => {
        lastTask = task
      },
      onPollState: (state) => {
        reads = state.reads
      },
    })
    reads = result.reads
    settled = { status: 'fulfilled', value: result.task }
  } catch (error) {
    // Nothing was sent yet: the input (or a file it names) is the problem.
    if (error instanceof TypeError && ref === null) {
      unsubscribe()
      await client.close()
      throw new UsageError(error.message)
    }
    settled = { status: 'rejected', reason: error }
  }

  // How long the job took: the download's time is its own.
  const elapsedMs = Date.now() - startedAt
  const result = classify(settled, interrupt, lastTask)
  const interruptedExit = signalled === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted
  let exitCode = result.outcome === 'aborted' ? interruptedExit : OUTCOME_EXIT[result.outcome]
  // The video is paid for: a failed download says how to fetch it again, never to regenerate.
  const files: WrittenFile[] = []
  let downloadError: unknown
  if (downloadTo !== undefined && settled.status === 'fulfilled') {
    try {
      const written = await downloadOutputs(client, settled.value, {
        output: downloadTo,
        signal: controller.signal,
        view: progressView(io.stderr, io.env),
      })
      for (const file of written) {
        if (file.path !== null) files.push({ path: file.path, bytes: file.bytes })
      }
    } catch (error) {
      downloadError = error
      exitCode = error === interrupt ? interruptedExit : EXIT.error
      // A settled generate always had its ref (onSubmitted runs before the first read).
      const submitted = ref as TaskRef | null
      const target = submitted
        ? shellWord(JSON.stringify(submitted))
        : `${shellWord(settled.value.id)} -p ${providerId} -u ${shellWord(values['base-url'] ?? '')}`
      const again = `video-tasks download ${target} -o ${shellWord(downloadTo)}`
      io.stderr.write(
        `video-tasks generate: the video is ready but ${error === interrupt ? 'its download was interrupted' : `its download failed: ${describeError(error)}`}\n` +
          `Fetch it with (generating again would bill a new video):\n  ${again}\n`,
      )
    }
  }
  unsubscribe()
  await client.close()
  const uncertain = SubmitUncertainError.is(result.error) ? result.error : null
  // Whatever the format: the one outcome a person must act on before running the command again.
  if (uncertain) io.stderr.write(`video-tasks generate: ${describeError(uncertain)}\n`)
  if (json) {
    const task = result.task
    io.stdout.write(
      `${JSON.stringify({
        type: 'outcome',
        outcome: result.outcome,
        exitCode,
        ref,
        taskId: task?.id ?? (ref as TaskRef | null)?.taskId ?? null,
        provider: providerId,
        status: task?.status ?? null,
        videoUrl: task?.videoUrl ?? null,
        videoUrls: task?.videoUrls ?? [],
        details: task?.details ?? {},
        error: result.outcome === 'succeeded' ? null : errorJson(result.error),
        ...(uncertain
          ? {
              mayHaveBeenCreated: true,
              requestedAt: uncertain.requestedAt.toISOString(),
              idempotencyKey: uncertain.idempotencyKey,
            }
          : {}),
        elapsedMs: Math.round(elapsedMs),
        reads,
        ...(downloadTo === undefined
          ? {}
          : {
              files,
              downloadError: downloadError === undefined ? null : errorJson(downloadError),
            }),
      })}\n`,
    )
    return exitCode
  }
  if (uncertain) return exitCode
  const colors = palette(colorFor(io.stdout, io.env))
  const { paint } = outcomeStyle(result.outcome, colors)
  const label = result.outcome === 'succeeded' ? 'video' : 'reason'
  io.stdout.write(
    `${paint(result.outcome)} after ${formatDuration(elapsedMs)} and ${reads} read${reads === 1 ? '' : 's'}\n${label}: ${result.note}\n` +
      files.map((file) => `file: ${file.path} (${formatBytes(file.bytes)})\n`).join(''),
  )
  return exitCode
}

/** `text` as one word for a POSIX shell: as is when safe, else in single quotes. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`
}
