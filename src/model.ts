/*
 * The task model: documented interfaces (what an editor shows on hover) and the statuses. The
 * zod schemas that validate them are in model-schemas.ts (`video-tasks/engine`): this module is
 * in what `import 'video-tasks'` loads, and imports no zod (issue 12, "Cost of importing it").
 */

/** One of the six normalised task states (`videoTaskStatusSchema` validates one). */
export type VideoTaskStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'unknown'

/** The statuses after which a task never changes again. */
export const FINAL_STATUSES: ReadonlySet<VideoTaskStatus> = new Set([
  'succeeded',
  'failed',
  'cancelled',
])

/** Whether `status` is final (`succeeded`, `failed` or `cancelled`). */
export function isFinalStatus(status: VideoTaskStatus): status is FinalVideoTaskStatus {
  return FINAL_STATUSES.has(status)
}

/** The final statuses. */
export type FinalVideoTaskStatus = 'succeeded' | 'failed' | 'cancelled'

/** Why a task failed (or was cancelled), as the vendor said it. */
export interface VideoTaskFailure {
  /** The vendor's error code, as a string, when it sent one. */
  code: string | null
  /** The vendor's message. Never empty: adapters fill in a generic text when the vendor sends none. */
  message: string
}

/**
 * Vendor-specific facts that are useful but not common to every vendor. Every key is optional;
 * each provider documents which ones it fills. Anything else the vendor sent stays in `raw`.
 */
export interface VideoTaskDetails {
  /** Model name (`sora-2`, `doubao-seedance-1-0-pro`). */
  model?: string | undefined
  /** Video width in pixels. */
  width?: number | undefined
  /** Video height in pixels. */
  height?: number | undefined
  /** Video duration in seconds. */
  durationSeconds?: number | undefined
  /** A thumbnail or cover image URL. */
  thumbnailUrl?: string | undefined
  /**
   * A URL that serves the video only with the provider's credentials (OpenAI's
   * `GET /v1/videos/{id}/content`). Set when the vendor gives no public URL.
   */
  contentUrl?: string | undefined
  /** A vendor file id to resolve into a URL through the vendor's file API (MiniMax `file_id`). */
  fileId?: string | undefined
  /** Whether the vendor refunded the credits of a failed task (check-result). */
  creditsRefunded?: boolean | undefined
  /** The refund transaction number, when refunded (check-result). */
  refundTransactionNumber?: string | undefined
  /** The request id the server gave this read (`x-request-id` or a body field), for support. */
  requestId?: string | undefined
  /** When the vendor started working on the task. */
  startedAt?: Date | undefined
  /** A provider's own facts (a custom provider's details type adds its keys). */
  [key: string]: unknown
}

/** The fields every {@link VideoTask} has, whatever its status. */
export interface VideoTaskFields<TDetails extends VideoTaskDetails = VideoTaskDetails> {
  /** The task id, as the vendor knows it. */
  id: string
  /** The provider id: `openai`, `doubao`, `generic-task`, `check-result` or a custom provider's id. */
  provider: string
  /** The normalised status: check it to narrow the task to one of the status interfaces. */
  status: VideoTaskStatus
  /** The vendor's own status word, exactly as sent (empty when the vendor sent none). */
  vendorStatus: string
  /** Progress from 0 to 100, or `null` when the vendor does not report it. */
  progress: number | null
  /** The first video URL, when the vendor gave a public one. */
  videoUrl: string | null
  /** Every video URL the vendor gave (the first is `videoUrl`). */
  videoUrls: string[]
  /** Why the task failed; `null` unless failed (or cancelled with a reason). */
  error: VideoTaskFailure | null
  /** When the task was created. */
  createdAt: Date | null
  /** When the task reached a final state. */
  completedAt: Date | null
  /** When the video URL stops working. */
  expiresAt: Date | null
  /** Vendor-specific facts, typed per provider (`OpenAIVideoDetails`, ...). */
  details: TDetails
  /** The payload as received (after JSON parsing). */
  raw: unknown
}

/** A task the vendor accepted and has not started. */
export interface QueuedVideoTask<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends VideoTaskFields<TDetails> {
  /** Waiting for the vendor to start it. */
  status: 'queued'
  /** Always `null` while queued. */
  error: null
}

/** A task being generated. */
export interface RunningVideoTask<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends VideoTaskFields<TDetails> {
  /** Being generated. */
  status: 'running'
  /** Always `null` while running. */
  error: null
}

/**
 * A finished task with its video. The video is at `videoUrl` when the vendor gives a public URL;
 * otherwise `details.contentUrl` (needs the API key) or `details.fileId` (needs the vendor's
 * file API) says where it is.
 */
export interface SucceededVideoTask<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends VideoTaskFields<TDetails> {
  /** Done: the video is ready. */
  status: 'succeeded'
  /** Always `100` once succeeded. */
  progress: 100
  /** Always `null` once succeeded. */
  error: null
}

/** A task that ended without a video. `error` says why. */
export interface FailedVideoTask<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends VideoTaskFields<TDetails> {
  /** Ended without a video. */
  status: 'failed'
  /** Why, as the vendor said it: always set on a failed task. */
  error: VideoTaskFailure
}

/** A task cancelled before it finished. */
export interface CancelledVideoTask<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends VideoTaskFields<TDetails> {
  /** Cancelled before it finished. */
  status: 'cancelled'
}

/** A task whose status word the adapter does not know. Never final: the poller keeps reading. */
export interface UnknownVideoTask<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends VideoTaskFields<TDetails> {
  /** A status word the adapter does not know (`vendorStatus` holds it). */
  status: 'unknown'
}

/**
 * A video task in the common model: one interface per status, so checking `status` narrows what
 * else is known. `TDetails` is the provider's own details type, so
 * `createClient({ provider: openai(...) })` knows which details OpenAI fills.
 *
 * - {@link SucceededVideoTask}: `progress` is `100` and `error` is `null`.
 * - {@link FailedVideoTask}: `error` is set, with the vendor's message.
 * - {@link QueuedVideoTask}, {@link RunningVideoTask}: `error` is `null`.
 * - {@link CancelledVideoTask}, {@link UnknownVideoTask}: `error` may be set.
 *
 * @example
 * ```ts
 * const task = await client.getTask(id)
 * if (task.status === 'failed') console.error(task.error.message)
 * ```
 */
export type VideoTask<TDetails extends VideoTaskDetails = VideoTaskDetails> =
  | QueuedVideoTask<TDetails>
  | RunningVideoTask<TDetails>
  | SucceededVideoTask<TDetails>
  | FailedVideoTask<TDetails>
  | CancelledVideoTask<TDetails>
  | UnknownVideoTask<TDetails>

/** The task type for one status, e.g. `VideoTaskOf<'succeeded'>`. */
export type VideoTaskOf<
  TStatus extends VideoTaskStatus,
  TDetails extends VideoTaskDetails = VideoTaskDetails,
> = Extract<
  VideoTask<TDetails>,
  {
    /** The status picked. */
    status: TStatus
  }
>
