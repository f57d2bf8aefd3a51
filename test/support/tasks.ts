import type { VideoTask, VideoTaskStatus } from '../../src/model.js'

/** A minimal task of `status` for engine tests (the engine reads status and progress only). */
export function makeTask(
  status: VideoTaskStatus,
  progress: number | null = null,
  id = 't1',
): VideoTask {
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
  if (status === 'succeeded') return { ...common, status, progress: 100, error: null }
  if (status === 'failed') {
    return { ...common, status, progress, error: { code: null, message: 'render failed' } }
  }
  return { ...common, status, progress, error: null } as VideoTask
}
