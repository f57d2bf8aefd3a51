import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { VideoTask } from '../src/model.js'
import {
  VideoTaskSchema,
  videoTaskDetailsSchema,
  videoTaskFailureSchema,
  videoTaskStatusSchema,
} from '../src/model-schemas.js'

const base = {
  id: 'vid_1',
  provider: 'openai',
  vendorStatus: 'completed',
  progress: 100,
  videoUrl: 'https://cdn.test/v.mp4',
  videoUrls: ['https://cdn.test/v.mp4'],
  error: null,
  createdAt: new Date(0),
  completedAt: null,
  expiresAt: null,
  details: { model: 'sora-2', vendorOnly: 1 },
  raw: { any: 'thing' },
}

describe('VideoTaskSchema (zod/mini)', () => {
  it('parses each status and keeps unknown detail keys', () => {
    const task = VideoTaskSchema.parse({ ...base, status: 'succeeded' })
    expect(task.status).toBe('succeeded')
    expect(task.details).toEqual({ model: 'sora-2', vendorOnly: 1 })
    const failed = VideoTaskSchema.parse({
      ...base,
      status: 'failed',
      progress: null,
      error: { code: null, message: 'blocked' },
    })
    expect(failed.status === 'failed' && failed.error.message).toBe('blocked')
  })

  it('enforces the per-status rules', () => {
    expect(VideoTaskSchema.safeParse({ ...base, status: 'succeeded', progress: 99 }).success).toBe(
      false,
    )
    expect(VideoTaskSchema.safeParse({ ...base, status: 'failed', error: null }).success).toBe(
      false,
    )
    expect(
      VideoTaskSchema.safeParse({ ...base, status: 'queued', error: { code: null, message: 'x' } })
        .success,
    ).toBe(false)
    expect(VideoTaskSchema.safeParse({ ...base, status: 'done' }).success).toBe(false)
    expect(VideoTaskSchema.safeParse({ ...base, status: 'running', progress: 101 }).success).toBe(
      false,
    )
    expect(VideoTaskSchema.safeParse({ ...base, status: 'running', id: '' }).success).toBe(false)
    expect(
      videoTaskDetailsSchema.safeParse({ width: '1280' }).success,
      'a known key of the wrong type',
    ).toBe(false)
    expect(videoTaskFailureSchema.safeParse({ code: null, message: '' }).success).toBe(false)
    expect(videoTaskStatusSchema.options).toEqual([
      'queued',
      'running',
      'succeeded',
      'failed',
      'cancelled',
      'unknown',
    ])
  })

  it('is a Standard Schema', async () => {
    const good = await VideoTaskSchema['~standard'].validate({ ...base, status: 'succeeded' })
    expect('value' in good && (good.value as VideoTask).id).toBe('vid_1')
    const bad = await VideoTaskSchema['~standard'].validate({ ...base, status: 'nope' })
    expect('issues' in bad && bad.issues?.length).toBeGreaterThan(0)
  })

  it('composes inside zod classic schemas', () => {
    const page = z.object({ tasks: z.array(VideoTaskSchema), next: z.string().nullable() })
    const parsed = page.parse({ tasks: [{ ...base, status: 'succeeded' }], next: null })
    expect(parsed.tasks[0]?.id).toBe('vid_1')
    expect(page.safeParse({ tasks: [{ ...base, status: 'succeeded', progress: 5 }] }).success).toBe(
      false,
    )
  })
})
