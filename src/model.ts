import { z } from 'zod'

/**
 * The six states every vendor's status words are mapped to.
 *
 * - `queued`: accepted, not started.
 * - `running`: being generated.
 * - `succeeded`, `failed`, `cancelled`: final.
 * - `unknown`: a word the adapter does not know. Never final: a poller keeps reading.
 */
export const videoTaskStatusSchema = z.enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'unknown',
])

/** One of the six normalised task states. See {@link videoTaskStatusSchema}. */
export type VideoTaskStatus = z.infer<typeof videoTaskStatusSchema>

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
export const videoTaskFailureSchema = z.object({
  /** The vendor's error code, as a string, when it sent one. */
  code: z.string().nullable(),
  /** The vendor's message. Never empty: adapters fill in a generic text when the vendor sends none. */
  message: z.string().min(1),
})

/** Why a task failed, as the vendor said it. */
export type VideoTaskFailure = z.infer<typeof videoTaskFailureSchema>

/**
 * Vendor-specific facts that are useful but not common to every vendor. Every key is optional;
 * each provider documents which ones it fills. Anything else the vendor sent stays in `raw`.
 */
export const videoTaskDetailsSchema = z.looseObject({
  /** Model name (`sora-2`, `doubao-seedance-1-0-pro`). */
  model: z.string().optional(),
  /** Video width in pixels. */
  width: z.number().optional(),
  /** Video height in pixels. */
  height: z.number().optional(),
  /** Video duration in seconds. */
  durationSeconds: z.number().optional(),
  /** A thumbnail or cover image URL. */
  thumbnailUrl: z.string().optional(),
  /**
   * A URL that serves the video only with the provider's credentials (OpenAI's
   * `GET /v1/videos/{id}/content`). Set when the vendor gives no public URL.
   */
  contentUrl: z.string().optional(),
  /** A vendor file id to resolve into a URL through the vendor's file API (MiniMax `file_id`). */
  fileId: z.string().optional(),
  /** Whether the vendor refunded the credits of a failed task (check-result). */
  creditsRefunded: z.boolean().optional(),
  /** The refund transaction number, when refunded (check-result). */
  refundTransactionNumber: z.string().optional(),
  /** The request id the server gave this read (`x-request-id` or a body field), for support. */
  requestId: z.string().optional(),
  /** When the vendor started working on the task. */
  startedAt: z.date().optional(),
})

/** Vendor-specific facts. See {@link videoTaskDetailsSchema}. */
export type VideoTaskDetails = z.infer<typeof videoTaskDetailsSchema>

const nullableDateSchema = z.date().nullable()

const commonShape = {
  /** The task id, as the vendor knows it. */
  id: z.string().min(1),
  /** The provider id: `openai`, `doubao`, `generic-task`, `check-result` or a custom provider's id. */
  provider: z.string().min(1),
  /** The vendor's own status word, exactly as sent (empty when the vendor sent none). */
  vendorStatus: z.string(),
  /** Progress from 0 to 100, or `null` when the vendor does not report it. */
  progress: z.number().min(0).max(100).nullable(),
  /** The first video URL, when the vendor gave a public one. */
  videoUrl: z.string().nullable(),
  /** Every video URL the vendor gave (the first is `videoUrl`). */
  videoUrls: z.array(z.string()),
  /** Why the task failed; `null` unless failed (or cancelled with a reason). */
  error: videoTaskFailureSchema.nullable(),
  /** When the task was created. */
  createdAt: nullableDateSchema,
  /** When the task reached a final state. */
  completedAt: nullableDateSchema,
  /** When the video URL stops working. */
  expiresAt: nullableDateSchema,
  /** Vendor-specific facts. */
  details: videoTaskDetailsSchema,
  /** The payload as received (after JSON parsing). */
  raw: z.unknown(),
}

const queuedTaskSchema = z.object({
  ...commonShape,
  /** Waiting for the vendor to start it. */
  status: z.literal('queued'),
  /** Always `null` while queued. */
  error: z.null(),
})
const runningTaskSchema = z.object({
  ...commonShape,
  /** Being generated. */
  status: z.literal('running'),
  /** Always `null` while running. */
  error: z.null(),
})
const succeededTaskSchema = z.object({
  ...commonShape,
  /** Done: the video is ready. */
  status: z.literal('succeeded'),
  /** Always `100` once succeeded. */
  progress: z.literal(100),
  /** Always `null` once succeeded. */
  error: z.null(),
})
const failedTaskSchema = z.object({
  ...commonShape,
  /** Ended without a video. */
  status: z.literal('failed'),
  /** Why, as the vendor said it: always set on a failed task. */
  error: videoTaskFailureSchema,
})
const cancelledTaskSchema = z.object({
  ...commonShape,
  /** Cancelled before it finished. */
  status: z.literal('cancelled'),
})
const unknownTaskSchema = z.object({
  ...commonShape,
  /** A status word the adapter does not know: never final, the poller keeps reading. */
  status: z.literal('unknown'),
})

/**
 * The one model every adapter produces: a discriminated union on `status`, so that checking
 * the status narrows what else is known.
 *
 * - `succeeded`: `progress` is `100` and `error` is `null`. The video is at `videoUrl` when the
 *   vendor gives a public URL; otherwise `details.contentUrl` (needs the API key) or
 *   `details.fileId` (needs the vendor's file API) says where it is.
 * - `failed`: `error` is set, with the vendor's message.
 * - `queued`, `running`: `error` is `null`.
 *
 * @example
 * ```ts
 * const task = VideoTaskSchema.parse(value)
 * if (task.status === 'failed') console.error(task.error.message)
 * ```
 */
export const VideoTaskSchema = z.discriminatedUnion('status', [
  queuedTaskSchema,
  runningTaskSchema,
  succeededTaskSchema,
  failedTaskSchema,
  cancelledTaskSchema,
  unknownTaskSchema,
])

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/**
 * A video task in the common model. `TDetails` is the provider's own details type, so
 * `createClient({ provider: openai(...) })` knows which details OpenAI fills.
 */
export type VideoTask<TDetails extends VideoTaskDetails = VideoTaskDetails> = DistributiveOmit<
  z.infer<typeof VideoTaskSchema>,
  'details'
> & {
  /** Vendor-specific facts, typed per provider (`OpenAIVideoDetails`, ...). */
  details: TDetails
}

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
