/*
 * `video-tasks download <taskId|ref-json> -o out.mp4`: a finished task's video(s) to file(s), a
 * byte progress bar on stderr, the written path(s) on stdout (one per line, for scripts).
 */

import type { ClientDownloadResult } from '../client/download.js'
import { createClient, type VideoTaskClient } from '../client.js'
import type { DownloadProgress } from '../download/progress.js'
import { TaskCancelledError, TaskFailedError } from '../errors.js'
import { parseTaskRef, type TaskRef } from '../task-ref.js'
import {
  API_OPTIONS,
  type CliIO,
  DEFAULT_KEY_VARIABLE,
  describeError,
  EXIT,
  PROVIDER_IDS,
  parse,
  parseDuration,
  parsePositive,
  providerFromFlags,
  taskIdFrom,
  UsageError,
} from './common.js'
import { formatDuration, liveFor, type OutputStream, progressBar, truncate } from './render.js'

/** `video-tasks download --help`. */
export const DOWNLOAD_HELP = `Usage: video-tasks download <taskId|ref-json> -o <file> --provider <id> --base-url <url> [options]

Downloads a finished task's video to a file: from its URL, the provider's content route (with
the key, on the provider's origin only) or a MiniMax file id. The file appears only when complete
and checked; a dropped connection resumes. A task with several videos (result_urls) writes
<file> with -0, -1, ... before the extension, or where {index} stands in <file>.

A TaskRef (the JSON a submit returns) may stand for the id; it names the provider and the origin,
so --provider and --base-url are then optional.

Options:
  -o, --output <file>       where to write (required); {index} is the output's index
      --index <n>           only the n-th output (from 0)
      --max-bytes <n>       refuse a larger video
      --timeout <duration>  give up after this long per video (e.g. 10m)
  -p, --provider <id>       ${PROVIDER_IDS.join(' | ')}
  -u, --base-url <url>      the API's base URL
      --api-key-env <NAME>  the variable holding the API key (default ${DEFAULT_KEY_VARIABLE})
  -h, --help                this help

Prints the written path(s) on stdout; progress (bytes, speed, size, time left) on stderr.
Exit codes: 0 written, 1 error (not finished yet, expired link, network), 2 the task failed,
3 it was cancelled, 64 usage error, 130 Ctrl-C.

Example:
  VIDEO_TASKS_API_KEY=... video-tasks download video_123 -o out.mp4 -p openai -u https://api.openai.com
`

const OPTIONS = {
  ...API_OPTIONS,
  output: { type: 'string', short: 'o' },
  index: { type: 'string' },
  'max-bytes': { type: 'string' },
  timeout: { type: 'string' },
} as const

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB']

/** Bytes for people, in powers of 1000: `950 B`, `1.5 MB`, `12.0 GB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '-'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`
}

/**
 * One line of byte progress: label, bar, percent, bytes of size, speed, time left. Without an
 * announced size, no bar and no time left.
 */
export function byteProgressLine(label: string, progress: DownloadProgress, width = 80): string {
  const { receivedBytes, totalBytes, bytesPerSecond } = progress
  const speed = bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '-'
  let line: string
  if (totalBytes !== null && totalBytes > 0) {
    const percent = Math.min(100, (receivedBytes / totalBytes) * 100)
    const left =
      receivedBytes >= totalBytes
        ? 'done'
        : bytesPerSecond > 0
          ? `${formatDuration(((totalBytes - receivedBytes) / bytesPerSecond) * 1000)} left`
          : '- left'
    line = `${label} ${progressBar(percent, 20)} ${Math.floor(percent)}% ${formatBytes(receivedBytes)} / ${formatBytes(totalBytes)}  ${speed}  ${left}`
  } else {
    line = `${label} ${formatBytes(receivedBytes)}  ${speed}`
  }
  return truncate(line, width)
}

/** `out.mp4` → `out-1.mp4` for output 1 of several (or `{index}` replaced, when given). */
export function pathFor(output: string, index: number, count: number): string {
  if (output.includes('{index}')) return output.replaceAll('{index}', String(index))
  if (count === 1) return output
  const slash = Math.max(output.lastIndexOf('/'), output.lastIndexOf('\\'))
  const dot = output.lastIndexOf('.')
  return dot > slash + 1
    ? `${output.slice(0, dot)}-${index}${output.slice(dot)}`
    : `${output}-${index}`
}

/** A byte progress display on one stream, shared by `download`, `generate --download`, the demo. */
export interface ProgressView {
  /** Shows `progress` of the output labelled `label`. */
  update(label: string, progress: DownloadProgress): void
  /** Ends the current line (the engine's last report is the complete one). */
  finish(): void
}

/** Redraws in place on a terminal; elsewhere a line every 10 % (or 10 MB) and at the end. */
export function progressView(stream: OutputStream, env: CliIO['env']): ProgressView {
  const live = liveFor(stream, env)
  let lastStep = -1
  let drawn = false
  return {
    update(label, progress) {
      if (live) {
        stream.write(`\r\u001b[2K${byteProgressLine(label, progress, (stream.columns ?? 80) - 1)}`)
        drawn = true
        return
      }
      const step =
        progress.totalBytes !== null && progress.totalBytes > 0
          ? Math.floor((progress.receivedBytes / progress.totalBytes) * 10)
          : Math.floor(progress.receivedBytes / 10_000_000)
      if (step !== lastStep) {
        lastStep = step
        stream.write(`${byteProgressLine(label, progress, 200)}\n`)
      }
    },
    finish() {
      if (drawn) stream.write('\n')
      drawn = false
      lastStep = -1
    },
  }
}

/** What {@link downloadOutputs} needs besides the task. */
export interface DownloadOutputsOptions {
  /** The file, with `{index}` or `-0`, `-1`, ... for several outputs (see {@link pathFor}). */
  output: string
  /**
   * Only this output (from 0).
   * @default every output
   */
  index?: number | undefined
  /**
   * The largest video accepted, in bytes (`client.download`'s `maxBytes`).
   * @default the client's default
   */
  maxBytes?: number | undefined
  /**
   * A time limit per video, retries included, in milliseconds.
   * @default none
   */
  timeoutMs?: number | undefined
  /** Stops the download (Ctrl-C); nothing is left under the file's name. */
  signal: AbortSignal
  /** Where the byte progress goes (stderr: stdout carries only the result). */
  view: ProgressView
}

/**
 * `client.download` of a task's outputs to files named after `output`, with byte progress in
 * `view`. Rejects as `client.download` does, the current progress line ended.
 */
export async function downloadOutputs(
  client: Pick<VideoTaskClient, 'download'>,
  task: Parameters<VideoTaskClient['download']>[0],
  options: DownloadOutputsOptions,
): Promise<ClientDownloadResult[]> {
  const { view } = options
  const labels = new Map<number, string>()
  let current = -1
  try {
    return await client.download(task, {
      to: (outputIndex, { count }) => {
        const path = pathFor(options.output, outputIndex, count)
        labels.set(outputIndex, path)
        return path
      },
      output: options.index,
      maxBytes: options.maxBytes,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onProgress: (progress) => {
        if (progress.index !== current) view.finish()
        current = progress.index
        view.update(labels.get(progress.index) ?? '', progress)
      },
    })
  } finally {
    view.finish()
  }
}

/**
 * Checks, before anything is sent, that a file can be written at `output`: its folder exists and
 * is writable, and it is not a folder. `generate --download` runs it before the create, so a
 * typo in the path never costs a paid generation. Throws a {@link UsageError} naming `flag`.
 */
export async function checkOutputPath(flag: string, output: string): Promise<void> {
  if (output.trim() === '') throw new UsageError(`${flag} needs a file path`)
  const { access, stat, constants } = await import('node:fs/promises')
  const { dirname, resolve } = await import('node:path')
  const path = resolve(pathFor(output, 0, 1))
  const folder = dirname(path)
  try {
    await access(folder, constants.W_OK)
  } catch {
    throw new UsageError(`${flag}: cannot write in ${folder} (missing, or not writable)`)
  }
  const existing = await stat(path).catch(() => null)
  if (existing?.isDirectory()) throw new UsageError(`${flag}: ${path} is a folder, not a file`)
}

/** A TaskRef given as JSON, or `null` for a plain id. */
function refFrom(argument: string): TaskRef | null {
  if (!argument.trimStart().startsWith('{')) return null
  try {
    return parseTaskRef(argument)
  } catch (error) {
    throw new UsageError(`<taskId|ref-json>: ${(error as Error).message}`)
  }
}

function indexFrom(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`--index takes an output index (0, 1, ...), got ${JSON.stringify(value)}`)
  }
  return Number(value)
}

/** Runs `video-tasks download`. Resolves with the exit code. */
export async function downloadCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) {
    io.stdout.write(DOWNLOAD_HELP)
    return EXIT.ok
  }
  const argument = taskIdFrom(positionals, 'download')
  const ref = refFrom(argument)
  const output = values.output
  if (output === undefined || output.trim() === '') throw new UsageError('Missing -o <file>')
  await checkOutputPath('-o', output)
  const index = indexFrom(values.index)
  const maxBytes =
    values['max-bytes'] === undefined
      ? undefined
      : parsePositive('--max-bytes', values['max-bytes'])
  const timeoutMs =
    values.timeout === undefined ? undefined : parseDuration('--timeout', values.timeout)
  const { provider } = providerFromFlags(
    {
      ...values,
      provider: values.provider ?? ref?.provider,
      'base-url': values['base-url'] ?? ref?.origin,
    },
    io.env,
  )
  const client = createClient({ provider })
  const controller = new AbortController()
  const interrupt = new Error('Interrupted')
  let signalled: 'SIGINT' | 'SIGTERM' | undefined
  const unsubscribe = io.onSignal((signal) => {
    signalled = signal
    unsubscribe()
    controller.abort(interrupt)
  })
  try {
    const results = await downloadOutputs(client, ref ?? argument, {
      output,
      index,
      maxBytes,
      timeoutMs,
      signal: controller.signal,
      view: progressView(io.stderr, io.env),
    })
    for (const result of results) io.stdout.write(`${result.path}\n`)
    return EXIT.ok
  } catch (error) {
    if (error === interrupt) return signalled === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted
    io.stderr.write(`video-tasks download: ${describeError(error)}\n`)
    if (error instanceof TaskFailedError) return EXIT.failed
    if (error instanceof TaskCancelledError) return EXIT.cancelled
    if (error instanceof TypeError) return EXIT.usage
    return EXIT.error
  } finally {
    unsubscribe()
    await client.close()
  }
}
