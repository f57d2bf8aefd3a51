import {
  type DownloadChecksum,
  type DownloadResult,
  resolveDownloadOptions,
} from '../download/options.js'
import type { DownloadProgress } from '../download/progress.js'
import { downloadToFile } from '../download/to-file.js'
import { downloadToStream } from '../download/to-stream.js'
import {
  DownloadError,
  DownloadIntegrityError,
  DownloadTooLargeError,
  TaskCancelledError,
  TaskFailedError,
  TaskNotReadyError,
  VideoTaskError,
} from '../errors.js'
import { redact, secretsOf } from '../internal/redact.js'
import type { FailedVideoTask, VideoTask, VideoTaskDetails } from '../model.js'
import type { Provider } from '../providers/define-provider.js'
import type { OutputLocation } from '../providers/kit/lifecycle.js'
import type { ProviderRequest } from '../providers/kit/types.js'
import type { TaskIdOrRef } from '../task-ref.js'
import type { DownloadTransport, Transport } from '../transport.js'

/*
 * `client.download`: finds a finished task's bytes wherever the vendor keeps them (the
 * provider's `outputs`) and hands each to the download engine (src/download/). The key goes to
 * the provider's origin only: an authenticated or resolve request on another origin is refused
 * here, and the download transport drops the key on any redirect away from it.
 */

/**
 * Where an output goes: a file path, a `WritableStream`, or a function of the output's index
 * (from 0) returning either. A path containing `{index}` is a pattern: `{index}` becomes the
 * output's index, so `'out-{index}.mp4'` writes `out-0.mp4`, `out-1.mp4`, ... A task with
 * several outputs needs a pattern or a function (or `output` to pick one): a plain path or a
 * stream cannot hold several videos.
 */
export type DownloadTarget =
  | string
  | WritableStream<Uint8Array>
  | ((index: number, output: DownloadOutputInfo) => string | WritableStream<Uint8Array>)

/** What the `to` function and `onProgress` learn about an output. */
export interface DownloadOutputInfo {
  /** How many outputs the task has. */
  count: number
  /** How the first place to try serves it: a plain URL, the key-protected route, a file API. */
  kind: OutputLocation['kind']
}

/** Options of `client.download`. */
export interface ClientDownloadOptions {
  /** Where the bytes go: see {@link DownloadTarget}. */
  to: DownloadTarget
  /**
   * Downloads only this output (its index from 0, in the order of `task.videoUrls` /
   * `result_urls`).
   * @default every output
   */
  output?: number | undefined
  /** Cancels at any moment: the call rejects with `signal.reason` and leaves no partial file. */
  signal?: AbortSignal | undefined
  /** Byte progress of the output being downloaded, at most every 100 ms and once at its end. */
  onProgress?: ((progress: DownloadProgress & { index: number; count: number }) => void) | undefined
  /**
   * The largest body accepted per output.
   * @default no limit
   */
  maxBytes?: number | undefined
  /**
   * A time limit per output, retries included, in milliseconds.
   * @default none (a stalled connection still ends after 30 s)
   */
  timeoutMs?: number | undefined
  /** A SHA-256 the bytes must match; only when one output is downloaded. */
  checksum?: DownloadChecksum | undefined
  /**
   * Retries of a dropped or stalled connection (resumed with `Range`) per output.
   * @default 3
   */
  retries?: number | undefined
}

/** What `client.download` reports for each output. */
export interface ClientDownloadResult extends DownloadResult {
  /** The output's index (from 0). */
  index: number
  /** The absolute path written, or `null` for a stream. */
  path: string | null
  /** How the bytes were found. */
  kind: OutputLocation['kind']
  /** Where the bytes came from, as origin and path (no query: signed links stay private). */
  url: string
}

/** What the client gives the download code. */
export interface DownloadContext<TDetails extends VideoTaskDetails> {
  provider: Provider<TDetails>
  /** The client's transport, for a file API's request. */
  transport: Transport
  /** The client's download transport (shared connections; closed with the client). */
  downloadTransport(): DownloadTransport
  /**
   * The task id of an id or a `TaskRef`, checked against the client's provider and origin as
   * `getTask` checks it (a ref's route is kept, so the read goes to the route it was created on).
   */
  taskIdOf(target: TaskIdOrRef): string
  /** Reads the task (with the client's retries). */
  getTask(taskId: string, signal: AbortSignal | undefined): Promise<VideoTask<TDetails>>
  /** Runs one request with the client's retries of a transient failure (a file API's look-up). */
  retry<T>(attempt: () => Promise<T>, signal: AbortSignal | undefined): Promise<T>
  /** The client's clock, for `expiresAt`. */
  now(): number
}

const OPTION_KEYS = new Set([
  'to',
  'output',
  'signal',
  'onProgress',
  'maxBytes',
  'timeoutMs',
  'checksum',
  'retries',
])

function isTask(value: unknown): value is VideoTask {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as VideoTask).status === 'string' &&
    typeof (value as VideoTask).id === 'string' &&
    Array.isArray((value as VideoTask).videoUrls)
  )
}

function checkOptions(options: ClientDownloadOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected download options with `to`')
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`Unknown download option \`${key}\``)
  }
  const { to, output, onProgress } = options
  if (
    !(typeof to === 'string' && to !== '') &&
    typeof to !== 'function' &&
    !(typeof WritableStream !== 'undefined' && to instanceof WritableStream)
  ) {
    throw new TypeError('Expected `to` to be a file path, a WritableStream or a function')
  }
  if (output !== undefined && (!Number.isInteger(output) || output < 0)) {
    throw new TypeError(`Expected \`output\` to be an output index (an integer ≥ 0), got ${output}`)
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError('Expected `onProgress` to be a function')
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError('Expected `signal` to be an AbortSignal')
  }
  // The engine's own checks, before the task is read: a bad limit fails before any request.
  resolveDownloadOptions({
    url: 'http://localhost/',
    maxBytes: options.maxBytes,
    timeoutMs: options.timeoutMs,
    checksum: options.checksum,
    retries: options.retries,
  })
}

/** The outputs of a task: the provider's, or its URLs for a provider without `outputs`. */
function outputsOf<TDetails extends VideoTaskDetails>(
  provider: Provider<TDetails>,
  task: VideoTask<TDetails>,
): OutputLocation[][] {
  if (provider.outputs) return provider.outputs(task)
  return task.videoUrls.map((url) => [{ kind: 'url', url, expiresAt: task.expiresAt }])
}

function finishedOrThrow<TDetails extends VideoTaskDetails>(task: VideoTask<TDetails>): void {
  if (task.status === 'succeeded') return
  if (task.status === 'failed') {
    throw new TaskFailedError(task as unknown as FailedVideoTask<TDetails>)
  }
  if (task.status === 'cancelled') throw new TaskCancelledError(task)
  throw new TaskNotReadyError(task, 'download')
}

/**
 * Downloads every output of a finished task (or the one `output` picks), in order, one result
 * per output. A failure rejects the call; outputs already written stay written.
 */
export async function downloadTask<TDetails extends VideoTaskDetails>(
  context: DownloadContext<TDetails>,
  target: TaskIdOrRef | VideoTask<TDetails>,
  options: ClientDownloadOptions,
): Promise<ClientDownloadResult[]> {
  checkOptions(options)
  const { provider } = context
  let task: VideoTask<TDetails>
  if (isTask(target)) {
    if (target.provider !== provider.id) {
      throw new TypeError(
        `Expected a task of provider ${provider.id} in download, got one of ${target.provider}`,
      )
    }
    task = target
  } else {
    const taskId = context.taskIdOf(target)
    options.signal?.throwIfAborted()
    task = await context.getTask(taskId, options.signal)
  }
  finishedOrThrow(task)
  const outputs = outputsOf(provider, task)
  if (outputs.length === 0 || outputs.every((alternatives) => alternatives.length === 0)) {
    throw new DownloadError(
      `Task ${task.id} (${provider.id}) succeeded but names no output to download`,
      { url: provider.baseURL },
    )
  }
  const count = outputs.length
  if (options.output !== undefined && options.output >= count) {
    throw new TypeError(
      `Expected \`output\` to be below ${count}: task ${task.id} has ${count} output${count === 1 ? '' : 's'}`,
    )
  }
  const indices = options.output === undefined ? outputs.map((_, index) => index) : [options.output]
  if (options.checksum !== undefined && indices.length > 1) {
    throw new TypeError(
      `Expected \`checksum\` only with one output: task ${task.id} has ${count}; pick one with \`output\``,
    )
  }
  const targets = indices.map((index) => {
    const alternatives = outputs[index] ?? []
    return targetFor(options.to, index, { count, kind: alternatives[0]?.kind ?? 'url' }, indices)
  })
  const results: ClientDownloadResult[] = []
  for (const [position, index] of indices.entries()) {
    const to = targets[position] as string | WritableStream<Uint8Array>
    results.push(await downloadOutput(context, task, index, outputs, to, options))
  }
  return results
}

function targetFor(
  to: DownloadTarget,
  index: number,
  info: DownloadOutputInfo,
  indices: readonly number[],
): string | WritableStream<Uint8Array> {
  if (typeof to === 'function') {
    const chosen = to(index, info)
    if (!(typeof chosen === 'string' && chosen !== '') && !(chosen instanceof WritableStream)) {
      throw new TypeError(
        `Expected the \`to\` function to return a file path or a WritableStream for output ${index}`,
      )
    }
    return chosen
  }
  if (typeof to === 'string') {
    if (to.includes('{index}')) return to.replaceAll('{index}', String(index))
    if (indices.length > 1) {
      throw new TypeError(
        `Expected \`to\` to hold {index} (such as 'out-{index}.mp4') or to be a function: the task has ${info.count} outputs (or pick one with \`output\`)`,
      )
    }
    return to
  }
  if (indices.length > 1) {
    throw new TypeError(
      `Expected \`to\` to be a function for a task with ${info.count} outputs: one stream cannot hold them all (or pick one with \`output\`)`,
    )
  }
  return to
}

/** Where one location's bytes are: the URL, the headers, the origin they may go to. */
interface Source {
  url: string
  headers: Readonly<Record<string, string>> | undefined
  credentialOrigin: string | undefined
  expiresAt: Date | null | undefined
}

/**
 * Downloads one output, trying its locations in order. A file download moves to the next
 * location when one fails before it is complete (the engine leaves nothing behind); a stream
 * cannot take bytes back, so it has one try. When every location fails, the first one's error.
 */
async function downloadOutput<TDetails extends VideoTaskDetails>(
  context: DownloadContext<TDetails>,
  task: VideoTask<TDetails>,
  index: number,
  outputs: OutputLocation[][],
  to: string | WritableStream<Uint8Array>,
  options: ClientDownloadOptions,
): Promise<ClientDownloadResult> {
  const alternatives = outputs[index] ?? []
  const count = outputs.length
  let firstError: unknown
  for (const [position, location] of alternatives.entries()) {
    try {
      const source = await sourceOf(context, task, location, options.signal)
      // An expired link is fetched again once: the task re-read (a URL, the content route) or
      // the file API asked again (a resolved link).
      const refreshUrl = async () => {
        if (location.kind === 'resolve') {
          return (await sourceOf(context, task, location, options.signal)).url
        }
        const fresh = await context.getTask(task.id, options.signal)
        const again = outputsOf(context.provider, fresh)[index]?.[position]
        if (again === undefined || again.kind !== location.kind) {
          throw new DownloadError(`Task ${task.id} no longer names output ${index}`, {
            url: source.url,
          })
        }
        return (await sourceOf(context, fresh, again, options.signal)).url
      }
      const common = {
        url: source.url,
        headers: source.headers,
        credentialOrigin: source.credentialOrigin,
        expiresAt: source.expiresAt ?? undefined,
        refreshUrl,
        signal: options.signal,
        maxBytes: options.maxBytes,
        timeoutMs: options.timeoutMs,
        checksum: options.checksum,
        retries: options.retries,
        onProgress: options.onProgress
          ? (progress: DownloadProgress) => options.onProgress?.({ ...progress, index, count })
          : undefined,
        transport: context.downloadTransport(),
        clock: { now: context.now },
      }
      const shown = new URL(source.url)
      const url = `${shown.origin}${shown.pathname}`
      if (typeof to === 'string') {
        const { path, ...result } = await downloadToFile({ ...common, to })
        return { ...result, index, path, kind: location.kind, url }
      }
      const result = await downloadToStream({ ...common, to })
      return { ...result, index, path: null, kind: location.kind, url }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      const fatal =
        typeof to !== 'string' ||
        !(error instanceof VideoTaskError) ||
        error instanceof DownloadTooLargeError ||
        error instanceof DownloadIntegrityError
      if (firstError === undefined) firstError = error
      if (fatal) throw firstError === error ? error : firstError
    }
  }
  throw firstError
}

/** Turns a location into a URL to stream, sending a file API's request first. */
async function sourceOf<TDetails extends VideoTaskDetails>(
  context: DownloadContext<TDetails>,
  task: VideoTask<TDetails>,
  location: OutputLocation,
  signal: AbortSignal | undefined,
): Promise<Source> {
  const origin = new URL(context.provider.baseURL).origin
  if (location.kind === 'url') {
    return {
      url: location.url,
      headers: undefined,
      credentialOrigin: undefined,
      expiresAt: location.expiresAt ?? task.expiresAt,
    }
  }
  assertOwnOrigin(context.provider.id, location.request, origin)
  if (location.kind === 'authenticated') {
    // vendor-notes.md "OpenAI Sora": the content route's link lasts until the task's `expires_at`.
    return {
      url: location.request.url,
      headers: location.request.headers,
      credentialOrigin: origin,
      expiresAt: task.expiresAt,
    }
  }
  const { request } = location
  const secrets = secretsOf(request.headers)
  // A 429 or 5xx from the file API is retried like a read (the parse throws the typed error).
  const resolved = await context.retry(async () => {
    const raw = await context.transport.send({ ...request, signal, provider: context.provider.id })
    return location.parse({
      status: raw.status,
      headers: raw.headers,
      body: secrets.length > 0 ? redact(raw.body, secrets) : raw.body,
      url: request.url,
      provider: context.provider.id,
      taskId: task.id,
      receivedAt: context.now(),
    })
  }, signal)
  return {
    url: resolved.url,
    headers: undefined,
    credentialOrigin: undefined,
    expiresAt: resolved.expiresAt,
  }
}

/** A request that carries the key goes to the provider's own origin, or not at all. */
function assertOwnOrigin(providerId: string, request: ProviderRequest, origin: string): void {
  let target: string | undefined
  try {
    target = new URL(request.url).origin
  } catch {}
  if (target !== origin) {
    throw new TypeError(
      `Provider ${providerId} named an output request on another origin than its baseURL; the key stays on ${origin}`,
    )
  }
}
