import type { VideoTaskStatus } from './model.js'

/*
 * The list of statuses: a module of its own, for the checks that run once the client's code or
 * defineProvider's is loaded (options/call-options.ts, kit/check-task.ts, model-schemas.ts).
 * model.ts, which `import 'video-tasks'` loads for `isFinalStatus`, then shares no chunk with
 * them (a shared module is a chunk of its own in a bundle; issue 12, "Cost of importing it").
 */

/**
 * Every status, in `VideoTaskStatus`'s order: for checks that must not load zod (a wait's
 * `onStatus`, `defineProvider`'s task check); `videoTaskStatusSchema` is built from it.
 */
export const VIDEO_TASK_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'unknown',
] as const satisfies readonly VideoTaskStatus[]
