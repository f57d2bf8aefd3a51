import * as z from 'zod/mini'
import type { VideoTask, VideoTaskDetails, VideoTaskFailure } from './model.js'
import { VIDEO_TASK_STATUSES } from './model-statuses.js'

/*
 * The zod schemas of the task model (model.ts has the interfaces), exported by
 * `video-tasks/engine`. They are built with `zod/mini`, the same package as zod classic with
 * functions instead of methods, so a bundler keeps only what they use: zod classic's methods
 * would pull in all of zod. They are zod schemas all the same (`parse`, `safeParse`, `z.infer`,
 * usable inside zod classic schemas) and Standard Schemas (`~standard`).
 *
 * Each schema is built in an IIFE annotated `@__PURE__` (the values and their types are the
 * ones exported): a user's bundler drops code statement by statement and keeps any top-level call
 * it cannot prove pure. A module of its own: a file the entry imports is loaded whole, so the
 * schemas next to the interfaces put zod in every import (issue 12, "Cost of importing it").
 */

/**
 * The six states every vendor's status words are mapped to.
 *
 * - `queued`: accepted, not started.
 * - `running`: being generated.
 * - `succeeded`, `failed`, `cancelled`: final.
 * - `unknown`: a word the adapter does not know. Never final: a poller keeps reading.
 */
export const videoTaskStatusSchema = /* @__PURE__ */ z.enum(VIDEO_TASK_STATUSES)

/** Validates a {@link VideoTaskFailure}. */
export const videoTaskFailureSchema: z.ZodMiniType<VideoTaskFailure, unknown> =
  /* @__PURE__ */ (() =>
    z.object({
      code: z.nullable(z.string()),
      message: z.string().check(z.minLength(1)),
    }))()

/** Validates {@link VideoTaskDetails}: the known keys are typed, other keys are kept. */
export const videoTaskDetailsSchema: z.ZodMiniType<VideoTaskDetails, unknown> =
  /* @__PURE__ */ (() =>
    z.looseObject({
      model: z.optional(z.string()),
      width: z.optional(z.number()),
      height: z.optional(z.number()),
      durationSeconds: z.optional(z.number()),
      thumbnailUrl: z.optional(z.string()),
      contentUrl: z.optional(z.string()),
      fileId: z.optional(z.string()),
      creditsRefunded: z.optional(z.boolean()),
      refundTransactionNumber: z.optional(z.string()),
      requestId: z.optional(z.string()),
      startedAt: z.optional(z.date()),
    }))()

/**
 * Validates a {@link VideoTask}: a discriminated union on `status`, with each status's rules
 * (`succeeded`: `progress` 100 and no `error`; `failed`: an `error`; `queued`, `running`: no
 * `error`). A zod schema (`parse`, `safeParse`, `z.infer`, usable inside other zod schemas) and a
 * Standard Schema.
 *
 * @example
 * ```ts
 * const task = VideoTaskSchema.parse(value)
 * if (task.status === 'failed') console.error(task.error.message)
 * ```
 */
export const VideoTaskSchema: z.ZodMiniType<VideoTask, unknown> = /* @__PURE__ */ (() => {
  const nullableDateSchema = z.nullable(z.date())
  const nonEmptyStringSchema = z.string().check(z.minLength(1))

  const commonShape = {
    id: nonEmptyStringSchema,
    provider: nonEmptyStringSchema,
    vendorStatus: z.string(),
    progress: z.nullable(z.number().check(z.gte(0), z.lte(100))),
    videoUrl: z.nullable(z.string()),
    videoUrls: z.array(z.string()),
    error: z.nullable(videoTaskFailureSchema),
    createdAt: nullableDateSchema,
    completedAt: nullableDateSchema,
    expiresAt: nullableDateSchema,
    details: videoTaskDetailsSchema,
    raw: z.unknown(),
  }
  return z.discriminatedUnion('status', [
    z.object({ ...commonShape, status: z.literal('queued'), error: z.null() }),
    z.object({ ...commonShape, status: z.literal('running'), error: z.null() }),
    z.object({
      ...commonShape,
      status: z.literal('succeeded'),
      progress: z.literal(100),
      error: z.null(),
    }),
    z.object({ ...commonShape, status: z.literal('failed'), error: videoTaskFailureSchema }),
    z.object({ ...commonShape, status: z.literal('cancelled') }),
    z.object({ ...commonShape, status: z.literal('unknown') }),
  ])
})()
