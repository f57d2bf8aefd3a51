/*
 * Turning the end of a wait (a task, or what `waitFor` rejected with) into an outcome the CLI and
 * the demo report: a word, an exit code and a one-line note.
 */

import { failureReason } from '../client/log.js'
import {
  ApiError,
  TaskCancelledError,
  TaskFailedError,
  VideoTaskError,
  WaitTimeoutError,
} from '../errors.js'
import type { RetryEvent } from '../logger.js'
import type { VideoTask } from '../model.js'
import { describeError } from './common.js'
import type { Outcome } from './render.js'

/**
 * Where a succeeded task's video is, for people: the public URL; else OpenAI's content URL
 * (it needs the API key); else a MiniMax-style file id (resolved by the vendor's file API).
 */
export function videoLocation(task: VideoTask): string {
  if (task.videoUrl !== null) return task.videoUrl
  const details = task.details as { contentUrl?: string; fileId?: string }
  if (details.contentUrl !== undefined) return `${details.contentUrl} (with the API key)`
  if (details.fileId !== undefined) return `file_id ${details.fileId} (vendor's file API)`
  return '(no URL in the response)'
}

/** How a wait ended. */
export interface WaitResult {
  outcome: Outcome
  /** The last task read, when there was one. */
  task: VideoTask | null
  /** The error `waitFor` rejected with, if it did. */
  error: unknown
  /** The video location (succeeded) or the reason (otherwise), in one line. */
  note: string
}

/**
 * Classifies what a wait resolved with or rejected with. `interrupt` is the reason the CLI aborts
 * with on Ctrl-C: a rejection with exactly it is `aborted`, not an error.
 */
export function classify(
  settled: PromiseSettledResult<VideoTask>,
  interrupt?: unknown,
  lastTask: VideoTask | null = null,
): WaitResult {
  if (settled.status === 'fulfilled') {
    return {
      outcome: 'succeeded',
      task: settled.value,
      error: undefined,
      note: videoLocation(settled.value),
    }
  }
  const error: unknown = settled.reason
  if (error instanceof TaskFailedError) {
    const reason = error.task.error?.message ?? 'failed'
    return { outcome: 'failed', task: error.task, error, note: reason }
  }
  if (error instanceof TaskCancelledError) {
    return {
      outcome: 'cancelled',
      task: error.task,
      error,
      note: error.task.error?.message ?? 'cancelled',
    }
  }
  if (error instanceof WaitTimeoutError) {
    const last = error.lastTask
    const where =
      last === null
        ? 'no read answered'
        : `last status ${last.status}${last.progress === null ? '' : ` ${last.progress}%`}`
    // The cause: what the reads kept failing with (a refused connection, 503s), if they did.
    const cause = error.cause === undefined ? '' : `; last failure: ${causeOf(error.cause)}`
    return {
      outcome: 'timeout',
      task: last,
      error,
      note: `timed out after ${Math.round(error.elapsedMs)} ms (${where}${cause})`,
    }
  }
  if (interrupt !== undefined && error === interrupt) {
    return { outcome: 'aborted', task: lastTask, error, note: 'interrupted' }
  }
  return { outcome: 'error', task: lastTask, error, note: describeError(error) }
}

/** A failed read for people: `ECONNREFUSED (ConnectionError: ...)`, `503 (ServerError: ...)`. */
export function causeOf(error: unknown): string {
  return `${failureReason(error)} (${describeError(error)})`
}

/** The error as plain JSON for `--json` output: never the whole object (it holds the task). */
export function errorJson(error: unknown): Record<string, unknown> | null {
  if (error === undefined || error === null) return null
  if (error instanceof TaskFailedError || error instanceof TaskCancelledError) {
    return {
      name: error.name,
      code: error.task.error?.code ?? null,
      message: error.task.error?.message ?? error.message,
    }
  }
  if (error instanceof WaitTimeoutError) {
    return {
      name: error.name,
      message: error.message,
      cause:
        error.cause === undefined
          ? null
          : { ...errorJson(error.cause), reason: failureReason(error.cause) },
    }
  }
  if (error instanceof ApiError) {
    return { name: error.name, status: error.status, code: error.code, message: error.message }
  }
  if (error instanceof VideoTaskError || error instanceof Error) {
    return { name: error.name, message: error.message }
  }
  return { name: 'Error', message: String(error) }
}

/** Why a wait is retrying, for the bar: `retrying: ECONNREFUSED`, `429, retry in 4 s`. */
export function retryNote(event: RetryEvent): string {
  const reason = failureReason(event.error)
  const delay =
    event.delayMs < 1_000
      ? `${Math.round(event.delayMs)} ms`
      : `${Math.round(event.delayMs / 1_000)} s`
  if (event.reason === 'retry-after' || reason === '429') return `${reason}, retry in ${delay}`
  const which =
    event.scope === 'request'
      ? `attempt ${event.attempt}`
      : `${event.attempt} failed read${event.attempt === 1 ? '' : 's'} in a row`
  return `retrying: ${reason} (${which}, next in ${delay})`
}
