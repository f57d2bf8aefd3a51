import OpenAI from 'openai'
import type { Video } from 'openai/resources/videos'
import { createClient, openai } from 'video-tasks'
import { type Simulator, startSimulator } from 'video-tasks/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * The official `openai` npm client (devDependency `openai@^6`: 6.2.0 added `client.videos`,
 * 7.x needs Node 22) against the simulator's `official` dialect. If the official client can
 * read what the simulator serves, the simulator speaks the API that the SDK's `openai()`
 * adapter was written for; each status is also read through the SDK to check both agree.
 *
 * The simulator's clock stands still (`now`), so each task stays in the phase it was scripted
 * into; the official client's own retries are off, so a wrong answer is not retried away.
 */

let sim: Simulator
let official: OpenAI
const start = Date.UTC(2026, 0, 1)

/** Every key the client's `Video` type requires, checked at runtime on every object served. */
const VIDEO_KEYS = [
  'id',
  'completed_at',
  'created_at',
  'error',
  'expires_at',
  'model',
  'object',
  'progress',
  'prompt',
  'remixed_from_video_id',
  'seconds',
  'size',
  'status',
] as const satisfies readonly (keyof Video)[]

beforeAll(async () => {
  sim = await startSimulator({ now: () => start })
  official = new OpenAI({ apiKey: sim.apiKey, baseURL: `${sim.baseURL}/v1`, maxRetries: 0 })
})

afterAll(async () => {
  await sim?.close()
})

const CASES = [
  { script: { queuedMs: 60_000, runningMs: 60_000 }, status: 'queued', sdk: 'queued' },
  { script: { queuedMs: 0, runningMs: 60_000 }, status: 'in_progress', sdk: 'running' },
  { script: { queuedMs: 0, runningMs: 0 }, status: 'completed', sdk: 'succeeded' },
  {
    script: { queuedMs: 0, runningMs: 0, outcome: 'failed', failureReason: 'Prompt rejected' },
    status: 'failed',
    sdk: 'failed',
  },
  // The official API has no word for cancelled: a cancelled task reads as failed.
  {
    script: { queuedMs: 0, runningMs: 0, outcome: 'cancelled' },
    status: 'failed',
    sdk: 'failed',
  },
] as const

describe('the official openai client against the simulator (official dialect)', () => {
  it.each(CASES)(
    'videos.retrieve reads a $status task (the SDK: $sdk)',
    async ({ script, status, sdk }) => {
      const task = sim.createTask({ provider: 'openai', dialect: 'official', ...script })
      const video = await official.videos.retrieve(task.id)
      expect(video.id).toBe(task.id)
      expect(video.object).toBe('video')
      expect(video.status).toBe(status)
      for (const key of VIDEO_KEYS) expect(video, key).toHaveProperty(key)
      expect(typeof video.prompt === 'string' || video.prompt === null).toBe(true)
      if (status === 'completed') expect(video.progress).toBe(100)
      if (status === 'failed') expect(video.error?.message).toEqual(expect.any(String))
      else expect(video.error).toBeNull()

      // The SDK reads the same object to the same status.
      const client = createClient({
        provider: openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
      })
      try {
        const read = await client.getTask(task.id)
        expect(read.status).toBe(sdk)
        expect(read.vendorStatus).toBe(video.status)
      } finally {
        await client.close()
      }
    },
  )

  it('videos.downloadContent returns the bytes the SDK links to', async () => {
    const task = sim.createTask({
      provider: 'openai',
      dialect: 'official',
      queuedMs: 0,
      runningMs: 0,
    })
    const response = await official.videos.downloadContent(task.id)
    expect(response.status).toBe(200)
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(bytes.byteLength).toBeGreaterThan(0)

    const client = createClient({ provider: openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    try {
      const read = await client.getTask(task.id)
      expect(read.status).toBe('succeeded')
      const contentUrl = (read.details as { contentUrl?: string }).contentUrl
      expect(contentUrl).toBe(`${sim.baseURL}/v1/videos/${task.id}/content`)
      const direct = await fetch(contentUrl ?? '', {
        headers: { authorization: `Bearer ${sim.apiKey}` },
      })
      expect(new Uint8Array(await direct.arrayBuffer())).toEqual(bytes)
    } finally {
      await client.close()
    }
  })

  it('videos.create makes a task that videos.retrieve and the SDK then read', async () => {
    const created = await official.videos.create({
      prompt: 'a lighthouse at dusk',
      model: 'sora-2',
    })
    expect(created.status).toBe('queued')
    expect(created.prompt).toBe('a lighthouse at dusk')
    for (const key of VIDEO_KEYS) expect(created, key).toHaveProperty(key)
    const again = await official.videos.retrieve(created.id)
    expect(again.id).toBe(created.id)
    const client = createClient({ provider: openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    try {
      expect((await client.getTask(created.id)).id).toBe(created.id)
    } finally {
      await client.close()
    }
  })

  it('a wrong key is the client’s AuthenticationError (the simulator answers as OpenAI does)', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${sim.baseURL}/v1`, maxRetries: 0 })
    const task = sim.createTask({ provider: 'openai', dialect: 'official' })
    await expect(wrong.videos.retrieve(task.id)).rejects.toBeInstanceOf(OpenAI.AuthenticationError)
  })
})
