import * as z from 'zod/mini'
import type { VideoTaskFailure } from '../../model.js'
import { apiError } from './api-error.js'
import { type ErrorKind, kindFromText } from './error-kind.js'
import { lazy } from './lazy.js'
import { mapStatus, numeric, record, text } from './normalize.js'
import { isNullishId, isNullishString, isPlainRecord } from './shape-guards.js'
import type { ProviderResponse } from './types.js'

/*
 * The `base_resp: {status_code, status_msg}` answers of MiniMax's API (vendor-docs/native/
 * minimax.md "Errors"), which the native `minimax` provider and the MiniMax-style objects of
 * `generic-task` both read. Errors come with HTTP 200: the code decides, never the status.
 */

/**
 * `base_resp` as sent: the code a number (or a numeric string), the message a string. Built on
 * first use (lazy.ts: a bundle without MiniMax's adapters drops it).
 */
export const baseRespSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    status_code: z.nullish(z.union([z.string(), z.number()])),
    status_msg: z.nullish(z.string()),
  }),
)

/**
 * A MiniMax task object (`GET /v1/query/video_generation`'s answer, and `generic-task`'s
 * MiniMax-style relay objects): `task_id`, `status`, `file_id`, `base_resp`. An error answer may
 * carry only `base_resp` (or an empty `status`), so either of the two is enough.
 */
export const miniMaxTaskSchema = /* @__PURE__ */ lazy(() =>
  z
    .looseObject({
      task_id: z.nullish(z.union([z.string(), z.number()])),
      status: z.nullish(z.string()),
      file_id: z.nullish(z.union([z.string(), z.number()])),
      base_resp: z.nullish(baseRespSchema()),
    })
    .check(
      z.refine((value) => typeof value.status === 'string' || record(value.base_resp) !== null, {
        message: 'Expected a `status` string or a `base_resp` object',
      }),
    ),
)

/** A parsed `base_resp`. */
export type BaseResp = z.infer<ReturnType<typeof baseRespSchema>>

/** A parsed MiniMax task object (see {@link miniMaxTaskSchema}). */
export type MiniMaxTask = z.infer<ReturnType<typeof miniMaxTaskSchema>>

/**
 * What {@link miniMaxTaskSchema} accepts as it is, checked without zod's copy (parseShape's
 * `accepts`, for the `minimax` query and `generic-task`'s MiniMax-style objects). Exported for
 * the property test that holds it to the schema.
 */
export function isMiniMaxTask(value: unknown): value is MiniMaxTask {
  if (!isPlainRecord(value)) return false
  const { task_id: taskId, status, file_id: fileId, base_resp: baseResp } = value
  if (!isNullishId(taskId) || !isNullishId(fileId)) return false
  // The schema's refinement: a `status` string, or a `base_resp` object.
  if (baseResp === undefined || baseResp === null) return typeof status === 'string'
  return (
    isNullishString(status) &&
    isPlainRecord(baseResp) &&
    isNullishId(baseResp.status_code) &&
    isNullishString(baseResp.status_msg)
  )
}

/**
 * The codes that describe the request, not the task: thrown whatever the status word says.
 * `undefined` is a plain, non-retryable ApiError (reading again with the same input will not
 * help). vendor-docs/native/minimax.md "Errors" is the table.
 */
export const BASE_RESP_ERRORS: ReadonlyMap<number, ErrorKind | undefined> = new Map([
  // "retry later": 1000 unknown error, 1001 request timeout, 1024 internal error, 1033 system
  // error. A retryable ServerError, so the wait goes on.
  [1000, 'server'],
  [1001, 'server'],
  [1024, 'server'],
  [1033, 'server'],
  // Rate limits (the official table; the MiniMax CLI's reading of 1002/1039 as content filters
  // is not followed, per the doc's "Disagreements"): 1002 RPM, 1039 token limit, 1041 connection
  // limit, 2045 rate growth, 2056 the plan's 5-hour usage window.
  [1002, 'rate-limit'],
  [1039, 'rate-limit'],
  [1041, 'rate-limit'],
  [2045, 'rate-limit'],
  [2056, 'rate-limit'],
  // 1004 not authorized, 2049 invalid API key (also a key of the other region's host).
  [1004, 'authentication'],
  [2049, 'authentication'],
  // 1008 insufficient balance, 2038 real-name verification required (mainland).
  [1008, 'permission'],
  [2038, 'permission'],
  // 2013 invalid params, 1042 invisible character ratio limit: fix the input.
  [2013, undefined],
  [1042, undefined],
])

/**
 * Moderation: 1026 (input) and 1027 (generated video). Next to a task status the code is the
 * task's outcome, so the task is `failed` with the code as its reason.
 */
export const BASE_RESP_SENSITIVE: ReadonlySet<number> = new Set([1026, 1027])

/** How one API reads the codes that differ between its routes. */
export interface BaseRespRules {
  /**
   * Whether `2013` with a message naming the task id (`invalid task_id`) means the task is
   * unknown: a `TaskNotFoundError` (the native query route) rather than a plain ApiError.
   */
  notFoundOnInvalidTaskId: boolean
  /**
   * What a moderation code means next to an empty status: the task failed (the native query,
   * as new-api reads it) or the request was refused (`error`).
   */
  sensitiveWithoutStatus: 'failed' | 'error'
}

/**
 * Reads a `base_resp` next to a status word (`null` when there is none): throws the typed error
 * of a request error, returns the task failure a non-zero code carries, or `null` when the code
 * is `0` (or absent).
 */
export function baseRespFailure(
  response: ProviderResponse,
  baseResp: BaseResp | null | undefined,
  vendorStatus: string | null,
  rules: BaseRespRules,
): VideoTaskFailure | null {
  const statusCode = baseResp?.status_code
  const number = numeric(statusCode)
  if (statusCode === undefined || statusCode === null || number === 0) return null
  const code = text(statusCode)
  const message = text(baseResp?.status_msg)
  if (rules.notFoundOnInvalidTaskId && number === 2013 && /task[_\s-]?id/i.test(message ?? '')) {
    throw apiError({ response, code, message, kind: 'not-found' })
  }
  if (number !== null && BASE_RESP_ERRORS.has(number)) {
    throw apiError({ response, code, message, kind: BASE_RESP_ERRORS.get(number) })
  }
  const sensitive = number !== null && BASE_RESP_SENSITIVE.has(number)
  const taskFailed =
    vendorStatus === null
      ? sensitive && rules.sensitiveWithoutStatus === 'failed'
      : sensitive || mapStatus(vendorStatus) === 'failed'
  if (!taskFailed) {
    // A code not in the table next to a status that is not a failure (or none): the answer
    // describes the request, not the task.
    throw apiError({ response, code, message, kind: kindFromText(message) })
  }
  return { code, message: message ?? `MiniMax status code ${code}` }
}

/**
 * The reason of a `Fail` whose `base_resp` code is `0`: its `status_msg`, unless that is only
 * "success" (vendor-notes.md "Across vendors").
 */
export function baseRespMessage(baseResp: BaseResp | null | undefined): string | null {
  const message = text(baseResp?.status_msg)
  return message && !/^\s*(success|ok)\s*$/i.test(message) ? message : null
}
