import * as z from 'zod/mini'
import { describeIssue } from '../internal/describe-issue.js'
import { videoTaskStatusSchema } from '../model-schemas.js'

/*
 * The one schema of a wait's state: what a poll loop carries between reads (`ScheduleState`)
 * plus one wait's own window (`startedAt`, `deadlineAt`). In-process, several waits with
 * different deadlines share one loop, so the loop holds only the schedule state and each
 * subscription adds its window when it hands a `PollState` out. A durable driver stores the
 * whole `PollState` and parses it back with `parsePollState` (it is untrusted JSON then).
 *
 * The schemas are built in IIFEs annotated `@__PURE__`, as in src/model.ts: a bundle that never
 * parses a state drops them (issue 12, "Cost of importing it").
 */

/** A progress reading the adaptive schedule estimates the rate from. */
export interface ProgressSample {
  /** When it was read (milliseconds since the epoch). */
  at: number
  /** The progress, 0-100. */
  progress: number
}

/** A progress reading the adaptive schedule estimates the rate from. */
export const progressSampleSchema: z.ZodMiniType<ProgressSample> = /* @__PURE__ */ (() =>
  z.object({
    /** When it was read (milliseconds since the epoch). zod 4 numbers are finite. */
    at: z.number(),
    /** The progress, 0-100. */
    progress: z.number().check(z.minimum(0), z.maximum(100)),
  }))()

/**
 * Where a wait stands. Plain JSON: store it (`JSON.stringify`) and pass it to `client.resume`
 * (or to a durable driver's `pollStep`) to continue the wait after a restart.
 */
export const pollStateSchema = /* @__PURE__ */ (() => {
  const scheduleShape = {
    /** The format version. */
    version: z.literal(1),
    /** The task waited for. */
    taskId: z.string().check(z.minLength(1)),
    /** The provider id the state belongs to (resume checks it). */
    provider: z.string().check(z.minLength(1)),
    /** HTTP requests made, failed ones and retries included. */
    reads: z.int().check(z.minimum(0)),
    /** Failed reads in a row (transient failures only; a permanent one ends the wait). */
    consecutiveFailures: z.int().check(z.minimum(0)),
    /** Reads in a row that returned `unknown`. */
    consecutiveUnknown: z.int().check(z.minimum(0)),
    /** How far the interval has grown since the last status change. */
    backoffStep: z.int().check(z.minimum(0)),
    /** The last status read, or `null` before the first read. */
    lastStatus: z.nullable(videoTaskStatusSchema),
    /** The first and the latest progress readings of the current run of increasing progress. */
    samples: z.array(progressSampleSchema).check(z.maxLength(2)),
    /** When the next read is due (milliseconds since the epoch). */
    nextReadAt: z.number(),
  }
  return z.object({
    ...scheduleShape,
    /** When the wait started (milliseconds since the epoch). */
    startedAt: z.number(),
    /** When the wait gives up (milliseconds since the epoch), or `null` for never. */
    deadlineAt: z.nullable(z.number()),
  })
})()

/** Where a wait stands: see {@link pollStateSchema}. */
export type PollState = z.infer<typeof pollStateSchema>

/** The part of a {@link PollState} a poll loop carries: everything but one wait's window. */
export type ScheduleState = Omit<PollState, 'startedAt' | 'deadlineAt'>

/**
 * Checks a `PollState` loaded from storage (untrusted JSON) and returns it, without unknown
 * keys. Throws a `TypeError` naming the first problem.
 *
 * @example
 * ```ts
 * const state = parsePollState(JSON.parse(await storage.get(key)))
 * ```
 */
export function parsePollState(value: unknown): PollState {
  let parsed: ReturnType<typeof pollStateSchema.safeParse>
  try {
    parsed = pollStateSchema.safeParse(value)
  } catch {
    // A Proxy or a getter that throws: untrusted input is refused, never propagated.
    throw new TypeError('Expected `state` to be a PollState from onPollState: it could not be read')
  }
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new TypeError(
    `Expected \`state\` to be a PollState from onPollState: ${issue ? describeIssue(issue) : 'invalid'} at ${issue?.path.join('.') ?? ''}`,
  )
}
