import { ApiError, TaskCancelledError, TaskFailedError, WaitTimeoutError } from '../errors.js'
import type { VideoTask } from '../model.js'

/** A task as JSON: dates as ISO 8601 strings, everything else as read. */
export type VideoTaskJson = Omit<VideoTask, 'createdAt' | 'completedAt' | 'expiresAt'> & {
  /** When the task was created (ISO 8601), or `null`. */
  createdAt: string | null
  /** When the task reached a final state (ISO 8601), or `null`. */
  completedAt: string | null
  /** When the video URL stops working (ISO 8601), or `null`. */
  expiresAt: string | null
}

/**
 * How a wait ended, as plain JSON (a durable driver stores it before calling a handler, so a
 * re-run gets the same outcome).
 */
export type WaitOutcome =
  | {
      /** The task reached a final status. */
      status: 'succeeded' | 'failed' | 'cancelled'
      /** The final task. */
      task: VideoTaskJson
    }
  | {
      /** The deadline passed first. */
      status: 'timed-out'
      /** The last task read, or `null` when no read succeeded. */
      lastTask: VideoTaskJson | null
    }
  | {
      /** The wait ended with an error (a permanent failure, or too many in a row). */
      status: 'error'
      /** What the error was, without its stack or cause. */
      error: {
        /** The error's class name (`TaskNotFoundError`, `ConnectionError`, ...). */
        name: string
        /** Its message. */
        message: string
        /** The HTTP status for an `ApiError`, else `null`. */
        httpStatus: number | null
      }
    }

/** The task with its dates as ISO strings. */
export function taskToJson(task: VideoTask): VideoTaskJson {
  return {
    ...task,
    createdAt: task.createdAt?.toISOString() ?? null,
    completedAt: task.completedAt?.toISOString() ?? null,
    expiresAt: task.expiresAt?.toISOString() ?? null,
  } as VideoTaskJson
}

/**
 * The outcome of a settled wait: a succeeded task, or what the wait rejected with
 * (`TaskFailedError`, `TaskCancelledError`, `WaitTimeoutError`, any other error).
 *
 * @example
 * ```ts
 * const outcome = await client.waitFor(id).then(outcomeOf.succeeded, outcomeOf.rejected)
 * ```
 */
export const outcomeOf = {
  /** A wait that resolved with its succeeded task. */
  succeeded(task: VideoTask): WaitOutcome {
    return { status: 'succeeded', task: taskToJson(task) }
  },
  /** A wait whose deadline passed, with the last task read (or `null`). */
  timedOut(lastTask: VideoTask | null): WaitOutcome {
    return { status: 'timed-out', lastTask: lastTask === null ? null : taskToJson(lastTask) }
  },
  /** A wait that rejected with `error`. */
  rejected(error: unknown): WaitOutcome {
    if (error instanceof TaskFailedError) return { status: 'failed', task: taskToJson(error.task) }
    if (error instanceof TaskCancelledError) {
      return { status: 'cancelled', task: taskToJson(error.task) }
    }
    if (error instanceof WaitTimeoutError) return outcomeOf.timedOut(error.lastTask)
    const isError = error instanceof Error
    return {
      status: 'error',
      error: {
        name: isError ? error.name : typeof error,
        message: isError ? error.message : String(error),
        httpStatus: error instanceof ApiError ? error.status : null,
      },
    }
  },
}
