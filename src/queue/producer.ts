import type { ScheduleOptions } from '../options/schedule-options.js'
import { assertTaskId, type Provider } from '../providers/define-provider.js'
import { createQueueEngine, type QueueEngine } from './engine.js'
import {
  type AnyQueue,
  checkConnection,
  checkProvider,
  defaultQueueName,
  JOB_NAME,
  jobIdOf,
  openQueue,
  type QueueConnection,
  type TrackedJobData,
} from './shared.js'

/** Options of {@link createTaskQueue}. */
export interface TaskQueueOptions {
  /** The provider whose tasks this queue tracks (one queue per vendor and key). */
  provider: Provider
  /** Redis or PostgreSQL: the same for every producer and worker of the queue. */
  connection: QueueConnection
  /**
   * The BullMQ queue name.
   * @default `video-tasks.${provider.id}`
   */
  name?: string | undefined
  /**
   * How long a finished job is kept, so enqueueing a task again shortly after it finished does
   * not track it twice.
   * @default 3_600_000 (1 hour)
   */
  keepFinishedMs?: number | undefined
  /**
   * How long a wait may take, from enqueue, by default (`Infinity` for no limit).
   * @default 600_000 (10 minutes)
   */
  timeoutMs?: number | undefined
  /** The clock. @default Date.now */
  now?: (() => number) | undefined
}

/** Options of one {@link TaskQueue.enqueue}. */
export interface EnqueueOptions {
  /** How long this wait may take, from now. @default the queue's `timeoutMs` */
  timeoutMs?: number | undefined
}

/** What {@link TaskQueue.enqueue} returns. */
export interface EnqueuedTask {
  /** The BullMQ job id (derived from provider and task id). */
  jobId: string
}

/** The producer side: enqueue tasks to track. */
export interface TaskQueue {
  /** The BullMQ queue name. */
  readonly name: string
  /**
   * Tracks a task: one job per task. Enqueueing a task that is tracked, or finished within
   * `keepFinishedMs`, does nothing.
   */
  enqueue(taskId: string, options?: EnqueueOptions): Promise<EnqueuedTask>
  /** The underlying BullMQ queue, for monitoring. */
  readonly queue: AnyQueue
  /** Closes the connection. */
  close(): Promise<void>
}

/** Job options every tracking job carries. */
export function trackingJobOptions(jobId: string, keepFinishedMs: number) {
  const age = Math.max(1, Math.ceil(keepFinishedMs / 1000))
  return {
    jobId,
    removeOnComplete: { age },
    removeOnFail: { age },
    // A throw from the processor is an infrastructure hiccup or the user's onOutcome failing:
    // both are retried (at-least-once delivery), never a lost wait.
    attempts: 1_000_000,
    backoff: { type: 'fixed', delay: 5_000 },
  }
}

/**
 * Creates the producer of a task queue.
 *
 * @example
 * ```ts
 * import { openai } from 'video-tasks'
 * import { createTaskQueue } from 'video-tasks/queue'
 *
 * const tasks = createTaskQueue({
 *   provider: openai({ apiKey: process.env.OPENAI_API_KEY }),
 *   connection: { redis: { host: '127.0.0.1', port: 6379 } },
 * })
 * await tasks.enqueue('video_123')
 * ```
 */
export function createTaskQueue(options: TaskQueueOptions): TaskQueue {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected createTaskQueue() to receive an options object')
  }
  const { provider } = options
  checkProvider(provider)
  checkConnection(options.connection)
  const engine: QueueEngine = createQueueEngine()
  const now = options.now ?? Date.now
  const keepFinishedMs = options.keepFinishedMs ?? 3_600_000
  if (!(keepFinishedMs >= 0 && Number.isFinite(keepFinishedMs))) {
    throw new TypeError(
      `Expected \`keepFinishedMs\` to be a finite number >= 0, got ${keepFinishedMs}`,
    )
  }
  const defaults: ScheduleOptions = { timeoutMs: options.timeoutMs }
  // Validates the timeout now, not at the first enqueue.
  engine.settings(provider, defaults)
  const name = options.name ?? defaultQueueName(provider.id)
  const queue = openQueue(name, options.connection)

  return {
    name,
    queue,
    async enqueue(taskId, enqueueOptions = {}) {
      assertTaskId(taskId)
      const settings = engine.settings(provider, {
        timeoutMs: enqueueOptions.timeoutMs ?? options.timeoutMs,
      })
      const startedAt = now()
      const jobId = jobIdOf(provider.id, taskId)
      const data: TrackedJobData = {
        version: 1,
        provider: provider.id,
        taskId,
        key: `${jobId}@${startedAt}`,
        state: engine.start(provider, taskId, startedAt, settings),
        lastTask: null,
        outcome: null,
      }
      // BullMQ ignores an add whose jobId exists (waiting, delayed, active, or finished and
      // kept): that is what makes enqueueing idempotent.
      await queue.add(JOB_NAME, data, trackingJobOptions(jobId, keepFinishedMs))
      return { jobId }
    },
    close: () => queue.close(),
  }
}
