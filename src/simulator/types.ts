/**
 * Public types of the simulator (`video-tasks/simulator`).
 *
 * The simulator speaks each vendor's dialect as the vendor docs and `vendor-notes.md` describe
 * it. It shares no code with the SDK's adapters on purpose: it checks them instead of mirroring
 * them.
 */

import type { FAULT_KINDS } from './faults.js'
import type { VendorDialects, VendorId } from './vendors/index.js'

/**
 * The vendor APIs the simulator serves, named like the SDK's provider ids: the keys of the
 * vendor table (`vendors/index.ts`).
 */
export type SimulatedProvider = VendorId

/**
 * The dialects each provider's route can answer in.
 *
 * - `openai`:
 *   - `'official'`: the OpenAI Sora API. Statuses `queued`, `in_progress`, `completed`, `failed`
 *     (a cancelled task answers `failed` with error code `cancelled`), no URL in the object (the
 *     video is at `GET /v1/videos/{id}/content`), integer `progress`, Unix-seconds timestamps,
 *     an `x-request-id` header and, with {@link TaskScript.pollAfterMs}, `openai-poll-after-ms`.
 *   - `'gateway'`: OpenAI-compatible gateways. Statuses `pending`, `processing`, `completed`,
 *     `failed`, `cancelled`; the URL in `url`, `video_url` or `metadata.url`
 *     ({@link TaskScript.urlField}); timestamps in seconds or milliseconds
 *     ({@link TaskScript.timestampUnit}); `progress` as an integer or `progress_pct` as a 0-1
 *     fraction ({@link TaskScript.progressFormat}).
 * - `doubao`:
 *   - `'gateway-upper'`: the widely deployed relay gateway. `{code: "success", message, data}`
 *     with statuses `NOT_START`, `SUBMITTED`, `QUEUED` (the queued time split in thirds),
 *     `IN_PROGRESS`, `SUCCESS`, `FAILURE` (also for a cancelled task), `progress` `"30%"`, the URL
 *     in `result_url`, the raw upstream (Ark) payload in `data.data`. An unknown task is **400**
 *     `{code: "task_not_exist"}`.
 *   - `'legacy'`: the doc's lowercase `queued`, `in_progress`, `success`, `failure`; the URL in
 *     `fail_reason` on success. An unknown task is 404.
 *   - `'second-shape'`: `{code: "success", data: {task_id, status, url, format, error}}` with
 *     statuses `queued`, `processing`, `succeeded`, `failed` and no progress. Unknown task: 404.
 * - `generic-task`:
 *   - `'envelope'`: shape 1 as the upstream sends it: `code: 10000`, numeric top-level `status`,
 *     `data.status` `in_queue`, `generating`, `done`, `failed`, `cancelled`, the URL in
 *     `data.video_url`, the failure text in `message`.
 *   - `'envelope-doc'`: shape 1 as the doc shows it: `code: 0`, `data.status` `Pending`,
 *     `Processing`, `Success`, `Failed`, `Cancelled`.
 *   - `'minimax'`: a bare MiniMax-style object, statuses `Preparing`, `Queueing` (the queued time
 *     split in halves), `Processing`, `Success`, `Fail` (also for a cancelled task), a string
 *     `file_id` on success (resolved by `GET /v1/files/retrieve?file_id=...`), `base_resp`.
 * - `check-result`:
 *   - `'documented'`: the OpenAPI document's `{code: 0, message, data}` with statuses `pending`,
 *     `running`, `succeeded`, `failed`, `cancelled`, integer `progress`, `result_url` /
 *     `result_urls`, `failure_reason` / `error_message` and `credits_refunded` /
 *     `refund_trans_no` on failure or cancellation.
 * - `ark` (vendor-docs/native/ark-seedance.md):
 *   - `'ark-api'`: bare task objects with `queued`, `running`, `succeeded`, `failed`,
 *     `cancelled`, Unix-second `created_at` / `updated_at`, no progress, `content.video_url`,
 *     `error: {code, message}` on failure; errors `{error: {code, message, type}}`.
 *   - `'ark-relay'`: the same with the gateways' `pending` and `processing`.
 * - `dashscope` (vendor-docs/native/dashscope-wan.md):
 *   - `'dashscope'`: `{request_id, output: {task_id, task_status, submit_time, ...}}` with
 *     `PENDING`, `RUNNING`, `SUCCEEDED`, `FAILED`, `CANCELED`, zone-less UTC+8 time strings, no
 *     progress, `output.video_url`; an unknown id is HTTP 200 `UNKNOWN`.
 * - `minimax`:
 *   - `'v1'`: MiniMax's own v1 query route: `Preparing`, `Queueing`, `Processing`, `Success` with
 *     a string `file_id` and the size, `Fail` (`base_resp` 1027 with the failure reason; also for
 *     a cancelled task, with code 0), no progress; errors as HTTP 200 `base_resp` codes (2013
 *     `invalid task_id`, 1004, 1002), 403/429/5xx from the edge; a `Trace-Id` header.
 * - `runway`:
 *   - `'2024-11-06'`: Runway's task union (the API version it names): `PENDING` then `THROTTLED`
 *     (the queued time split in halves), `RUNNING` with `progress` a 0-1 fraction, `SUCCEEDED`
 *     with `output[]`, `FAILED` with `failure` and `failureCode`, `CANCELLED`; ISO `createdAt`;
 *     `{error}` bodies at their HTTP status.
 */
export type SimulatorDialects = VendorDialects

/** Any dialect of any provider. See {@link SimulatorDialects}. */
export type SimulatedDialect = SimulatorDialects[SimulatedProvider]

/** How a task reports progress while it runs. */
export type ProgressMode =
  /** Linear integer percentages from 0 to 99 while running, 100 on success. */
  | 'fine'
  /** Doubao-gateway steps: 10 while queued, 20, 30, 50 while running, 100 when finished. */
  | 'coarse'
  /** No progress field at all. */
  | 'none'

/** How a scripted task ends. */
export type TaskOutcome = 'succeeded' | 'failed' | 'cancelled'

/** Where a task is on its script at a given moment. */
export type TaskPhase = 'queued' | 'running' | TaskOutcome

/**
 * The faults the simulator can inject.
 *
 * - `'latency'`: answers normally after {@link FaultSpec.delayMs} real ms.
 * - `'hang'`: never answers; the request stays open until the client gives up or
 *   {@link Simulator.close} runs.
 * - `'reset'`: destroys the socket (the client sees a connection reset).
 * - `'rate-limit'`: 429 with the vendor's body and the header {@link FaultSpec.retryAfter} picks.
 * - `'server-error'`: 500/502/503/504 ({@link FaultSpec.status}) with a proxy's HTML page, or the
 *   vendor's JSON 500 body ({@link FaultSpec.body}).
 * - `'empty-body'`: 200 with `content-type: application/json` and an empty body.
 * - `'truncated-json'`: the normal answer cut in half (invalid JSON, consistent `content-length`).
 * - `'wrong-shape'`: 200 with valid JSON of an unrelated shape (`{object: "list", data: [...]}`).
 * - `'progress-backwards'`: the normal answer with half the progress last reported (only on
 *   dialects with a progress field, while the progress is above 0).
 * - `'unknown-status'`: the normal answer with an unknown status word ({@link FaultSpec.status}).
 * - `'vendor-error-200'`: 200 carrying the vendor's error ("rate limited"): `base_resp` 1002 for
 *   `minimax`, code 50429 / 429 in `envelope` / `envelope-doc`, `code != "success"` for `doubao`,
 *   `{error}` for `openai`, `code: 429` for `check-result`. {@link FaultSpec.code} overrides it.
 * - `'slow-body'`: headers at once, then the body in {@link FaultSpec.chunks} pieces
 *   {@link FaultSpec.delayMs} apart.
 * - `'unauthorized'`, `'forbidden'`, `'not-found'`: the vendor's 401, 403 or 404 (400
 *   `task_not_exist` on `doubao` `gateway-upper`) even though the key and task are fine.
 */
export type FaultKind = (typeof FAULT_KINDS)[number]

/** Which retry hint a 429 (or a 5xx) carries. */
export type RetryAfterStyle =
  /** `Retry-After: <seconds>` (rounded up). */
  | 'seconds'
  /** `Retry-After: <HTTP date>` computed from the simulator's clock. */
  | 'http-date'
  /** `retry-after-ms: <ms>`. */
  | 'ms'
  /** Both `retry-after-ms` and `Retry-After` in seconds. */
  | 'ms-and-seconds'
  /** No hint at all. */
  | 'none'

/** One fault and its knobs. Knobs a kind does not use are ignored. */
export interface FaultSpec {
  /** What goes wrong. */
  kind: FaultKind
  /**
   * `'latency'`: real milliseconds before the answer. `'slow-body'`: real milliseconds between
   * body chunks.
   * @default 250 for `'latency'`, 50 for `'slow-body'`
   */
  delayMs?: number
  /**
   * `'slow-body'`: how many pieces the body is sent in.
   * @default 4
   */
  chunks?: number
  /**
   * `'rate-limit'` and `'server-error'`: which retry hint the answer carries.
   * @default 'seconds' for `'rate-limit'`, 'none' for `'server-error'`
   */
  retryAfter?: RetryAfterStyle
  /**
   * The retry delay the hint announces, in ms (`Retry-After` rounds it up to whole seconds).
   * @default 1000
   */
  retryAfterMs?: number
  /**
   * `'server-error'`: the HTTP status.
   * @default 502
   */
  status?: 500 | 502 | 503 | 504
  /**
   * `'server-error'`: a proxy's HTML page or the vendor's own JSON 500 body.
   * @default 'html'
   */
  body?: 'html' | 'vendor'
  /**
   * `'unknown-status'`: the status word sent.
   * @default 'unknown' ('UNKNOWN' on doubao gateway-upper, 'Unknown' on minimax and envelope-doc)
   */
  statusWord?: string
  /**
   * `'vendor-error-200'`: the vendor error code sent (`base_resp.status_code` on minimax, `code`
   * elsewhere, `error.code` on openai).
   * @default 1002 (minimax), 50429 (envelope), 429 (envelope-doc, check-result),
   * 'rate_limit' (doubao), 'rate_limit_exceeded' (openai)
   */
  code?: string | number
  /** `'vendor-error-200'`: the error message sent. @default a "rate limited" message */
  message?: string
}

/** A fault in the middle of a download's body. */
export interface BodyFault {
  /**
   * - `'reset'`: sends `afterBytes` bytes of the body, then resets the connection.
   * - `'stall'`: sends `afterBytes` bytes, then nothing more (until the client gives up or the
   *   simulator closes).
   * - `'short'`: announces the whole length, sends `afterBytes` bytes and closes the connection.
   */
  kind: 'reset' | 'stall' | 'short'
  /** Body bytes sent before the fault (counted from the first byte of this answer). */
  afterBytes: number
  /**
   * How many downloads it affects; later ones get the whole body.
   * @default 1
   */
  times?: number
}

/** How a task's video downloads: its size, its bytes, where it lives, how long. */
export interface DownloadScript {
  /**
   * The body's size in bytes: any size, generated as it streams (an MP4 `ftyp` box, then bytes
   * from a seeded generator; see `simulatedBody`).
   * @default 4096
   */
  bytes?: number
  /** The generator's seed. @default a hash of the task id */
  seed?: number
  /**
   * `'direct'`: the video URL serves the bytes. `'cdn'`: it answers `302` to a signed link on the
   * simulator's second listener (another port, so another origin), which serves them without a
   * key, like a CDN.
   * @default 'direct'
   */
  via?: 'direct' | 'cdn'
  /**
   * Virtual ms after the task finished when its links expire: the video URL and the CDN link
   * then answer {@link DownloadScript.expiredStatus}, and the official OpenAI object's
   * `expires_at` says so. @default links never expire (`expires_at` one hour after completion)
   */
  expiresAfterMs?: number
  /**
   * The answer of an expired link: `403` (an object store's `AccessDenied` XML) or `410`.
   * @default 403
   */
  expiredStatus?: 403 | 410
  /**
   * Whether `Range` requests get `206` (`Accept-Ranges: bytes`); `false` answers every one with
   * the whole body.
   * @default true
   */
  ranges?: boolean
  /** Faults in the middle of downloads, checked in order; the first one left applies. */
  faults?: readonly BodyFault[]
}

/** A fault attached to one task's script. */
export interface ScriptedFault extends FaultSpec {
  /**
   * How many reads of the task it affects.
   * @default Infinity (every read after `afterReads`)
   */
  times?: number
  /**
   * How many reads of the task are answered normally before the fault starts.
   * @default 0
   */
  afterReads?: number
}

/**
 * Faults for a share of all vendor-API requests, drawn from a seeded PRNG (mulberry32), so the
 * same seed and the same sequence of requests fault the same requests the same way.
 */
export interface RandomFaults {
  /** The share of requests that fault, from 0 to 1. */
  rate: number
  /**
   * The faults to pick from, uniformly.
   * @default ['rate-limit', 'server-error', 'reset']
   */
  kinds?: readonly (FaultKind | FaultSpec)[]
  /**
   * Restarts the PRNG with this seed. Without it the PRNG goes on from where it is (seeded once
   * from {@link SimulatorOptions.seed}).
   */
  seed?: number
}

/**
 * What a simulated task does over (virtual) time.
 *
 * Elapsed virtual time is `(now() - createdAt) * timeScale`. The task is queued until `queuedMs`,
 * running until `queuedMs + runningMs`, then ends as `outcome`.
 */
export interface TaskScript {
  /** Which vendor API serves the task. It is visible on that provider's routes only. */
  provider: SimulatedProvider
  /**
   * The dialect it answers in. Must belong to `provider`.
   * @default {@link SimulatorOptions.dialects} for the provider
   */
  dialect?: SimulatedDialect
  /**
   * The task id. Must be unique in the simulator.
   * @default a random id shaped like the vendor's (`video_...`, `cgt-...`, digits, `task_...`)
   */
  id?: string
  /**
   * Virtual ms the task stays queued.
   * @default 2000
   */
  queuedMs?: number
  /**
   * Virtual ms the task runs after the queue.
   * @default 10000
   */
  runningMs?: number
  /**
   * How progress is reported.
   * @default 'coarse' for doubao, 'fine' otherwise
   */
  progress?: ProgressMode
  /**
   * How the task ends.
   * @default 'succeeded'
   */
  outcome?: TaskOutcome
  /**
   * The video URL on success.
   * @default `${baseURL}/files/${id}.mp4`, served by the simulator without authentication
   */
  videoUrl?: string
  /**
   * The failure text of a failed task.
   * @default 'Video generation failed: content policy violation'
   */
  failureReason?: string
  /** Faults on this task's reads, checked in order; the first one that applies wins. */
  faults?: readonly ScriptedFault[]
  /**
   * openai `gateway`: the field holding the URL.
   * @default 'url'
   */
  urlField?: 'url' | 'video_url' | 'metadata.url'
  /**
   * openai `gateway`: timestamps in Unix seconds or milliseconds.
   * @default 's'
   */
  timestampUnit?: 's' | 'ms'
  /**
   * The progress format: openai `gateway` `'integer'` (`progress`) or `'fraction'`
   * (`progress_pct`, 0-1); doubao `gateway-upper` / `legacy` `'percent'` (`"30%"`) or
   * `'integer'`. Ignored elsewhere.
   * @default 'integer' on openai, 'percent' on doubao
   */
  progressFormat?: 'integer' | 'fraction' | 'percent'
  /** openai `official`: send `openai-poll-after-ms` with this value. @default no header */
  pollAfterMs?: number
  /**
   * check-result: fill `result_url` while the task is still running (a URL is no proof of
   * success).
   * @default false
   */
  earlyUrl?: boolean
  /** The model name where the dialect reports one. @default a vendor-like model name */
  model?: string
  /** How its video downloads (size, CDN, expiry, mid-stream faults). @default a 4 KiB body */
  download?: DownloadScript
  /**
   * The prompt, where the dialect reports one (the official OpenAI video object).
   * @default 'A calico cat plays a grand piano on a stage'
   */
  prompt?: string
  /** openai: the video object's `seconds`. @default '4' (official), '8' (gateway) */
  seconds?: string
  /** openai: the video object's `size`. @default '720x1280' (official), '1280x720' (gateway) */
  size?: string
}

/** A {@link TaskScript} with every default filled in. */
export type ResolvedTaskScript = Required<
  Omit<TaskScript, 'pollAfterMs' | 'seconds' | 'size' | 'download'>
> &
  Pick<TaskScript, 'pollAfterMs' | 'seconds' | 'size'> & {
    download: ResolvedDownloadScript
  }

/** A {@link DownloadScript} with its defaults filled in. */
export type ResolvedDownloadScript = Required<Omit<DownloadScript, 'expiresAfterMs'>> &
  Pick<DownloadScript, 'expiresAfterMs'>

/** A task the simulator created, and how to reach it. */
export interface SimulatedTask {
  /** The task id. */
  id: string
  /** The provider whose routes serve it. */
  provider: SimulatedProvider
  /** The dialect it answers in. */
  dialect: SimulatedDialect
  /** When it was created, in ms on the simulator's clock. */
  createdAt: number
  /**
   * The URL that reads it: `GET` on openai, doubao and generic-task; `POST` with body
   * `{"taskId": id}` on check-result.
   */
  statusUrl: string
  /** openai only: `GET /v1/videos/{id}/content`, 404 until the video is ready. */
  contentUrl?: string
  /** The video URL it reports on success. */
  videoUrl: string
}

/** A task's script and state, for assertions. */
export interface SimulatedTaskInfo extends SimulatedTask {
  /** The script with every default filled in. */
  script: ResolvedTaskScript
  /** Where the task is now. */
  phase: TaskPhase
  /** The progress (0-100) now, or `undefined` with `progress: 'none'`. */
  progress: number | undefined
  /** Virtual ms since creation. */
  elapsedMs: number
  /** Status reads so far (the same as {@link Simulator.requests}). */
  reads: number
  /** Content downloads and file look-ups so far. */
  contentReads: number
  /**
   * For each scripted fault, how many more reads it will affect (`Infinity`, which is `null` in
   * the control endpoint's JSON, for no limit).
   */
  faultsLeft: number[]
  /**
   * Status callbacks delivered to the task's callback URL (a MiniMax-style create with
   * `callback_url` whose receiver passed the handshake); 0 otherwise.
   */
  callbacks: number
  /** For each download fault, how many more downloads it affects. */
  bodyFaultsLeft: number[]
}

/** One request the CDN listener received. */
export interface CdnRequest {
  /** The path and query. */
  path: string
  /** The `Range` header, if any. */
  range: string | undefined
  /** Whether the request carried an `Authorization` header. */
  authorization: boolean
  /**
   * The names (lower case, sorted) of every header it carried: a key in a header of its own
   * (Gemini's `x-goog-api-key`) must not reach the CDN either.
   */
  headerNames: readonly string[]
}

/** Counters over the simulator's life. */
export interface SimulatorStats {
  /** Vendor-API requests (control endpoint and `/files/` excluded), whatever their outcome. */
  totalRequests: number
  /** Vendor-API requests per provider. */
  requestsByProvider: Record<SimulatedProvider, number>
  /** Requests answered 401 for a missing or wrong key. */
  unauthorized: number
  /** Tasks created. */
  tasks: number
  /** Faults injected, per kind (scripted and random). */
  faults: Partial<Record<FaultKind, number>>
}

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /**
   * The bearer token every vendor route and the control endpoint require.
   * @default 'sim-test-key'
   */
  apiKey?: string
  /**
   * The port to listen on; 0 picks a free one.
   * @default 0
   */
  port?: number
  /**
   * The interface to listen on. Must be a loopback address unless `allowNonLoopback` is set.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * Allows a `host` that is not a loopback address.
   * @default false
   */
  allowNonLoopback?: boolean
  /**
   * Virtual ms per real ms: 100 runs a 90-second task in 0.9 s.
   * @default 1
   */
  timeScale?: number
  /**
   * The clock, in ms. Inject one to step time deterministically in tests.
   * @default Date.now
   */
  now?: () => number
  /**
   * Virtual ms the clock moves forward after each status read of a task. With a `now` that stands
   * still, a task's phases then follow the number of reads, not the machine's speed: a test's
   * read counts hold however busy the machine is.
   * @default 0
   * @example
   * ```ts
   * // Queued 5 s then running 25 s: read 1 sees it queued, read 7 sees it done.
   * const sim = await startSimulator({ now: () => Date.UTC(2025, 0, 1), advancePerReadMs: 5_000 })
   * ```
   */
  advancePerReadMs?: number
  /**
   * The seed of the PRNG behind random faults.
   * @default 1
   */
  seed?: number
  /** Random faults on a share of all requests. @default none */
  faults?: RandomFaults
  /**
   * The dialect of tasks created without one, and of error bodies for unknown task ids.
   * @default { openai: 'official', doubao: 'gateway-upper', 'generic-task': 'envelope', 'check-result': 'documented' }
   */
  dialects?: Partial<SimulatorDialects>
  /**
   * The request header whose value makes a create idempotent: the same key answers with the task
   * its first create made, and bills nothing more. `null`: no header is honoured, as none of the
   * real routes documents one (vendor-notes.md "Paid twice"), so a resent create bills again.
   * @default null
   */
  idempotencyHeader?: string | null
  /**
   * The script (without `provider`) of tasks made through the create routes. A request can
   * override it with an `x-simulator-script` header holding a JSON script.
   * @default {} (the script defaults)
   */
  createScript?: Omit<TaskScript, 'provider' | 'id'>
}

/** A running simulator. */
export interface Simulator {
  /** `http://127.0.0.1:PORT`, without a trailing slash: the `baseURL` to give the SDK. */
  readonly baseURL: string
  /** The bearer token it expects. */
  readonly apiKey: string
  /** The port it listens on. */
  readonly port: number
  /**
   * Creates a task that follows `script`, starting now.
   * @throws TypeError when the script is invalid or its id is taken.
   */
  createTask(script: TaskScript): SimulatedTask
  /** The task's script and state, or `undefined` for an unknown id. */
  task(id: string): SimulatedTaskInfo | undefined
  /** Status reads of the task so far, faulted and unauthorized ones included (0 if unknown). */
  requests(id: string): number
  /** All vendor-API requests so far. */
  totalRequests(): number
  /** Counters. */
  stats(): SimulatorStats
  /**
   * Creates billed (requests to a create route that made a task, even when their answer was then
   * lost to a fault): all of them, or those carrying `key` in the idempotency header
   * ({@link SimulatorOptions.idempotencyHeader}, or `Idempotency-Key` when none is honoured).
   */
  billed(key?: string): number
  /** The origin of the second listener that plays a CDN (`http://127.0.0.1:PORT`). */
  readonly cdnURL: string
  /**
   * The requests the CDN listener received, in order: path with query, the `Range` header, and
   * whether an `Authorization` header came along (it never should, on another origin), and the
   * names of all its headers.
   */
  cdnRequests(): readonly CdnRequest[]
  /** Replaces the random faults (`null` turns them off). */
  setFaults(faults: RandomFaults | null): void
  /** Moves the simulator's clock forward by `ms` of virtual time (`ms / timeScale` real ms). */
  advance(ms: number): void
  /** Stops listening, destroys every connection and clears every timer. */
  close(): Promise<void>
}
