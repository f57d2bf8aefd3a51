/**
 * `video-tasks/queue`: durable waits on BullMQ. Producers enqueue task ids; workers poll them
 * as BullMQ jobs on Redis or PostgreSQL, share one rate cap and survive crashes.
 *
 * Needs the optional peer dependency `bullmq` (6.x) and `ioredis` (Redis) or `pg`
 * (PostgreSQL). The main `video-tasks` entry never imports them.
 *
 * @packageDocumentation
 */

export type {
  CompactTask,
  QueueEngine,
  QueueObservation,
  QueueOutcome,
  QueueSettings,
  QueueStep,
  StoredTask,
} from './engine.js'
export {
  createTaskQueue,
  type EnqueuedTask,
  type EnqueueOptions,
  type TaskQueue,
  type TaskQueueOptions,
} from './producer.js'
export {
  jobIdOf,
  type QueueConnection,
  type StoredPollState,
  type TrackedJobData,
} from './shared.js'
export {
  createTaskWorker,
  limiterFor,
  type OutcomeContext,
  type TaskWorker,
  type TaskWorkerOptions,
} from './worker.js'
