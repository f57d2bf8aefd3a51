import type { VideoTask, VideoTaskOf, VideoTaskStatus } from '../../src/model.js'

/** A minimal task of `status` for engine tests (the engine reads status and progress only). */
export function makeTask<S extends VideoTaskStatus>(
  status: S,
  progress: number | null = null,
  id = 't1',
): VideoTaskOf<S> {
  const common = {
    id,
    provider: 'test',
    vendorStatus: status,
    videoUrl: null,
    videoUrls: [],
    createdAt: null,
    completedAt: null,
    expiresAt: null,
    details: {},
    raw: {},
  }
  const task: VideoTask =
    status === 'succeeded'
      ? { ...common, status: 'succeeded', progress: 100, error: null }
      : status === 'failed'
        ? { ...common, status: 'failed', progress, error: { code: null, message: 'render failed' } }
        : ({ ...common, status, progress, error: null } as VideoTask)
  return task as VideoTaskOf<S>
}
