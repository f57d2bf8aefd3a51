import { describe, expect, it } from 'vitest'
import type {
  SimulatedDialect,
  SimulatedProvider,
  TaskOutcome,
  TaskPhase,
} from '../../src/simulator/index.js'
import { authed, fakeClock, read, toRead, useSimulators } from './helpers.js'

// biome-ignore lint/suspicious/noExplicitAny: vendor bodies
type Body = any

/** Where each dialect puts what a poller needs, per the vendor docs and notes. */
interface Extract {
  status(body: Body): unknown
  progress(body: Body): unknown
  /** The video URL (MiniMax: the file id). */
  url(body: Body): unknown
  /** The failure text. */
  error(body: Body): unknown
}

const EXTRACT = {
  official: {
    status: (b) => b.status,
    progress: (b) => b.progress,
    url: (b) => b.url,
    error: (b) => b.error?.message,
  },
  gateway: {
    status: (b) => b.status,
    progress: (b) => b.progress,
    url: (b) => b.url,
    error: (b) => b.error?.message,
  },
  'gateway-upper': {
    status: (b) => b.data.status,
    progress: (b) => b.data.progress,
    url: (b) => b.data.result_url || undefined,
    error: (b) => (b.data.status === 'FAILURE' ? b.data.fail_reason : undefined),
  },
  legacy: {
    status: (b) => b.data.status,
    progress: (b) => b.data.progress,
    url: (b) => (b.data.status === 'success' ? b.data.fail_reason : undefined),
    error: (b) => (b.data.status === 'failure' ? b.data.fail_reason : undefined),
  },
  'second-shape': {
    status: (b) => b.data.status,
    progress: (b) => b.data.progress,
    url: (b) => b.data.url || undefined,
    error: (b) => b.data.error?.message,
  },
  envelope: {
    status: (b) => b.data.status,
    progress: (b) => b.data.progress,
    url: (b) => b.data.video_url || undefined,
    error: (b) => (b.data.status === 'failed' ? b.message : undefined),
  },
  'envelope-doc': {
    status: (b) => b.data.status,
    progress: (b) => b.data.progress,
    url: (b) => b.data.video_url || undefined,
    error: (b) => (b.data.status === 'Failed' ? b.message : undefined),
  },
  minimax: {
    status: (b) => b.status,
    progress: (b) => b.progress,
    url: (b) => b.file_id || undefined,
    error: (b) => (b.status === 'Fail' ? b.base_resp.status_msg : undefined),
  },
  documented: {
    status: (b) => b.data.status,
    progress: (b) => b.data.progress,
    url: (b) => b.data.result_url ?? undefined,
    error: (b) => b.data.failure_reason || undefined,
  },
  v1: {
    status: (b) => b.status,
    progress: (b) => b.progress,
    url: (b) => b.file_id || undefined,
    error: (b) => (b.status === 'Fail' ? b.base_resp.status_msg : undefined),
  },
  tasks: {
    status: (b) => b.data[0].status,
    progress: (b) => b.data[0].progress,
    url: (b) => b.data[0].outputs?.find((o: Body) => o.type === 'video')?.url,
    error: (b) => b.data[0].message || undefined,
  },
  text2video: {
    status: (b) => b.data.task_status,
    progress: (b) => b.data.progress,
    url: (b) => b.data.task_result?.videos[0]?.url,
    error: (b) => b.data.task_status_msg || undefined,
  },
  image2video: {
    status: (b) => b.data.task_status,
    progress: (b) => b.data.progress,
    url: (b) => b.data.task_result?.videos[0]?.url,
    error: (b) => b.data.task_status_msg || undefined,
  },
  // No status word: what `done` and the response say, in words of this table.
  'gemini-api': {
    status: (b) =>
      b.done === undefined
        ? 'absent'
        : b.done === false
          ? 'false'
          : b.error
            ? 'error'
            : b.response?.generateVideoResponse?.generatedSamples
              ? 'samples'
              : 'filtered',
    progress: (b) => b.metadata?.progressPercent,
    url: (b) => b.response?.generateVideoResponse?.generatedSamples?.[0]?.video?.uri,
    error: (b) => b.response?.generateVideoResponse?.raiMediaFilteredReasons?.[0],
  },
  '2024-11-06': {
    status: (b) => b.status,
    progress: (b) => b.progress,
    url: (b) => b.output?.[0],
    error: (b) => b.failure,
  },
} satisfies Partial<Record<SimulatedDialect, Extract>>

/** Status words per phase; `queued` lists the word early in the queue, then late in it. */
const WORDS = {
  official: {
    queued: ['queued', 'queued'],
    running: 'in_progress',
    succeeded: 'completed',
    failed: 'failed',
    cancelled: 'failed',
  },
  gateway: {
    queued: ['pending', 'pending'],
    running: 'processing',
    succeeded: 'completed',
    failed: 'failed',
    cancelled: 'cancelled',
  },
  'gateway-upper': {
    queued: ['NOT_START', 'QUEUED'],
    running: 'IN_PROGRESS',
    succeeded: 'SUCCESS',
    failed: 'FAILURE',
    cancelled: 'FAILURE',
  },
  legacy: {
    queued: ['queued', 'queued'],
    running: 'in_progress',
    succeeded: 'success',
    failed: 'failure',
    cancelled: 'failure',
  },
  'second-shape': {
    queued: ['queued', 'queued'],
    running: 'processing',
    succeeded: 'succeeded',
    failed: 'failed',
    cancelled: 'failed',
  },
  envelope: {
    queued: ['in_queue', 'in_queue'],
    running: 'generating',
    succeeded: 'done',
    failed: 'failed',
    cancelled: 'cancelled',
  },
  'envelope-doc': {
    queued: ['Pending', 'Pending'],
    running: 'Processing',
    succeeded: 'Success',
    failed: 'Failed',
    cancelled: 'Cancelled',
  },
  minimax: {
    queued: ['Preparing', 'Queueing'],
    running: 'Processing',
    succeeded: 'Success',
    failed: 'Fail',
    cancelled: 'Fail',
  },
  documented: {
    queued: ['pending', 'pending'],
    running: 'running',
    succeeded: 'succeeded',
    failed: 'failed',
    cancelled: 'cancelled',
  },
  v1: {
    queued: ['Preparing', 'Queueing'],
    running: 'Processing',
    succeeded: 'Success',
    failed: 'Fail',
    cancelled: 'Fail',
  },
  tasks: {
    queued: ['submitted', 'submitted'],
    running: 'processing',
    succeeded: 'succeeded',
    failed: 'failed',
    cancelled: 'failed',
  },
  text2video: {
    queued: ['submitted', 'submitted'],
    running: 'processing',
    succeeded: 'succeed',
    failed: 'failed',
    cancelled: 'failed',
  },
  image2video: {
    queued: ['submitted', 'submitted'],
    running: 'processing',
    succeeded: 'succeed',
    failed: 'failed',
    cancelled: 'failed',
  },
  'gemini-api': {
    queued: ['absent', 'absent'],
    running: 'false',
    succeeded: 'samples',
    failed: 'filtered',
    cancelled: 'error',
  },
  '2024-11-06': {
    queued: ['PENDING', 'THROTTLED'],
    running: 'RUNNING',
    succeeded: 'SUCCEEDED',
    failed: 'FAILED',
    cancelled: 'CANCELLED',
  },
} satisfies Partial<
  Record<
    SimulatedDialect,
    Record<Exclude<TaskPhase, 'queued'>, string> & { queued: [string, string] }
  >
>

/** The progress half-way through the running time (queued: at creation), per dialect. */
const PROGRESS = {
  official: { queued: 0, running: 50, done: 100 },
  gateway: { queued: 0, running: 50, done: 100 },
  'gateway-upper': { queued: '10%', running: '30%', done: '100%' },
  legacy: { queued: '10%', running: '30%', done: '100%' },
  'second-shape': { queued: undefined, running: undefined, done: undefined },
  envelope: { queued: undefined, running: undefined, done: undefined },
  'envelope-doc': { queued: undefined, running: undefined, done: undefined },
  minimax: { queued: undefined, running: undefined, done: undefined },
  documented: { queued: 0, running: 50, done: 100 },
  v1: { queued: undefined, running: undefined, done: undefined },
  tasks: { queued: undefined, running: undefined, done: undefined },
  text2video: { queued: undefined, running: undefined, done: undefined },
  image2video: { queued: undefined, running: undefined, done: undefined },
  'gemini-api': { queued: undefined, running: undefined, done: undefined },
  // Runway: a 0-1 fraction, only while RUNNING.
  '2024-11-06': { queued: undefined, running: 0.5, done: undefined },
} satisfies Partial<Record<SimulatedDialect, { queued: unknown; running: unknown; done: unknown }>>

/**
 * The dialects these tables describe (the seed vendors'); a vendor added later checks its own
 * dialects in its own test file.
 */
type TabledDialect = keyof typeof EXTRACT & keyof typeof WORDS & keyof typeof PROGRESS

const CASES: [SimulatedProvider, TabledDialect][] = [
  ['openai', 'official'],
  ['openai', 'gateway'],
  ['doubao', 'gateway-upper'],
  ['doubao', 'legacy'],
  ['doubao', 'second-shape'],
  ['generic-task', 'envelope'],
  ['generic-task', 'envelope-doc'],
  ['generic-task', 'minimax'],
  ['check-result', 'documented'],
  ['minimax', 'v1'],
  // Kling's legacy dialects need a signed token: test/simulator/kling.test.ts.
  ['kling', 'tasks'],
  ['gemini', 'gemini-api'],
  ['runway', '2024-11-06'],
]
const OUTCOMES: TaskOutcome[] = ['succeeded', 'failed', 'cancelled']

describe('every API x dialect x outcome follows its script', () => {
  const start = useSimulators()
  const matrix = CASES.flatMap(([provider, dialect]) =>
    OUTCOMES.map((outcome) => ({ provider, dialect, outcome })),
  )

  it.each(matrix)('$provider $dialect $outcome', async ({ provider, dialect, outcome }) => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider,
      dialect,
      outcome,
      queuedMs: 3000,
      runningMs: 10_000,
      failureReason: 'simulated failure: policy',
    })
    expect(task.dialect).toBe(dialect)
    const x = EXTRACT[dialect]
    const words = WORDS[dialect]
    const progress = PROGRESS[dialect]

    const early = await read(sim, task)
    expect(early.status).toBe(200)
    expect(x.status(early.json)).toBe(words.queued[0])
    expect(x.progress(early.json)).toBe(progress.queued)
    expect(x.url(early.json)).toBeUndefined()
    expect(x.error(early.json)).toBeUndefined()
    expect(sim.task(task.id)?.phase).toBe('queued')

    clock.tick(2500)
    const late = await read(sim, task)
    expect(x.status(late.json)).toBe(words.queued[1])

    clock.tick(500 + 5000)
    const running = await read(sim, task)
    expect(x.status(running.json)).toBe(words.running)
    expect(x.progress(running.json)).toBe(progress.running)
    expect(x.url(running.json)).toBeUndefined()
    expect(sim.task(task.id)?.phase).toBe('running')

    clock.tick(5000)
    const done = await read(sim, task)
    expect(done.status).toBe(200)
    expect(x.status(done.json)).toBe(words[outcome])
    expect(sim.task(task.id)?.phase).toBe(outcome)
    if (outcome === 'succeeded') {
      expect(x.progress(done.json)).toBe(progress.done)
      if (dialect === 'minimax' || dialect === 'v1') expect(x.url(done.json)).toMatch(/^\d+$/)
      else if (dialect === 'official') expect(x.url(done.json)).toBeUndefined()
      // Gemini's video is an API route that needs the key (the task's content URL).
      else if (dialect === 'gemini-api') expect(x.url(done.json)).toBe(task.contentUrl)
      else expect(x.url(done.json)).toBe(task.videoUrl)
      expect(x.error(done.json)).toBeUndefined()
    } else {
      expect(x.url(done.json)).toBeUndefined()
      if (outcome === 'failed') expect(x.error(done.json)).toBe('simulated failure: policy')
    }

    // Final states stay final.
    clock.tick(60_000)
    const later = await read(sim, task)
    expect(x.status(later.json)).toBe(words[outcome])
    expect(sim.requests(task.id)).toBe(5)
  })
})

describe('dialect details', () => {
  const start = useSimulators()

  it('openai official: Unix-second timestamps, x-request-id, poll-after header, no URL', async () => {
    const clock = fakeClock(Date.UTC(2025, 0, 15, 12))
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'openai',
      queuedMs: 1000,
      runningMs: 1000,
      pollAfterMs: 2500,
    })
    expect(task.id).toMatch(/^video_[0-9a-f]+$/)
    const queued = await read(sim, task)
    expect(queued.headers.get('openai-poll-after-ms')).toBe('2500')
    expect(queued.headers.get('x-request-id')).toMatch(/^req_/)
    expect(queued.json).toMatchObject({
      id: task.id,
      object: 'video',
      status: 'queued',
      created_at: Date.UTC(2025, 0, 15, 12) / 1000,
      completed_at: null,
      expires_at: null,
      error: null,
      model: 'sora-2',
      seconds: '4',
      size: '720x1280',
    })
    clock.tick(2000)
    const done = await read(sim, task)
    expect(done.json.completed_at).toBe(Date.UTC(2025, 0, 15, 12) / 1000 + 2)
    expect(done.json.expires_at).toBe(done.json.completed_at + 3600)
    expect(done.json).not.toHaveProperty('url')
  })

  it('openai official: a cancelled task is failed with code "cancelled"', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'openai',
      outcome: 'cancelled',
      queuedMs: 0,
      runningMs: 0,
    })
    const { json } = await read(sim, task)
    expect(json.status).toBe('failed')
    expect(json.error.code).toBe('cancelled')
  })

  it('openai content endpoint: 404 until done, then bytes with the same bearer token', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({ provider: 'openai', queuedMs: 100, runningMs: 100 })
    expect(task.contentUrl).toBe(`${sim.baseURL}/v1/videos/${task.id}/content`)
    const early = await toRead(await authed(sim, `/v1/videos/${task.id}/content`))
    expect(early.status).toBe(404)
    expect(early.json.error).toMatchObject({
      code: 'task_not_found',
      type: 'invalid_request_error',
    })
    clock.tick(200)
    const response = await authed(sim, `/v1/videos/${task.id}/content`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('video/mp4')
    const bytes = Buffer.from(await response.arrayBuffer())
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp')
    const thumb = await authed(sim, `/v1/videos/${task.id}/content?variant=thumbnail`)
    expect(thumb.headers.get('content-type')).toBe('image/webp')
    await thumb.arrayBuffer()
    const bad = await authed(sim, `/v1/videos/${task.id}/content?variant=poster`)
    expect(bad.status).toBe(400)
    await bad.arrayBuffer()
    const anonymous = await fetch(`${sim.baseURL}/v1/videos/${task.id}/content`)
    expect(anonymous.status).toBe(401)
    await anonymous.arrayBuffer()
    expect(sim.task(task.id)?.contentReads).toBe(5)
    expect(sim.requests(task.id)).toBe(0)
  })

  it('openai gateway: video_url, ms timestamps, progress_pct fraction', async () => {
    const clock = fakeClock(Date.UTC(2025, 0, 15, 12))
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'openai',
      dialect: 'gateway',
      urlField: 'video_url',
      timestampUnit: 'ms',
      progressFormat: 'fraction',
      queuedMs: 0,
      runningMs: 1000,
    })
    clock.tick(250)
    const running = await read(sim, task)
    expect(running.json.progress_pct).toBe(0.25)
    expect(running.json).not.toHaveProperty('progress')
    expect(running.json.created_at).toBe(Date.UTC(2025, 0, 15, 12))
    clock.tick(1000)
    const done = await read(sim, task)
    expect(done.json.video_url).toBe(task.videoUrl)
    expect(done.json.completed_at).toBe(Date.UTC(2025, 0, 15, 12) + 1000)
    expect(done.json.progress_pct).toBe(1)
  })

  it('openai gateway: metadata.url', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'openai',
      dialect: 'gateway',
      urlField: 'metadata.url',
      videoUrl: 'https://cdn.example/v.mp4',
      queuedMs: 0,
      runningMs: 0,
    })
    const { json } = await read(sim, task)
    expect(json.metadata).toEqual({ url: 'https://cdn.example/v.mp4' })
  })

  it('fine progress is linear integer percent; none has no progress field', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const fine = sim.createTask({ provider: 'check-result', queuedMs: 0, runningMs: 1000 })
    const none = sim.createTask({
      provider: 'openai',
      progress: 'none',
      queuedMs: 0,
      runningMs: 1000,
    })
    const seen: unknown[] = []
    for (const step of [0, 333, 334, 323, 1000]) {
      clock.tick(step)
      seen.push((await read(sim, fine)).json.data.progress)
      expect((await read(sim, none)).json).not.toHaveProperty('progress')
    }
    expect(seen).toEqual([0, 33, 66, 99, 100])
    expect(sim.task(none.id)?.progress).toBeUndefined()
  })

  it('doubao gateway-upper: NOT_START/SUBMITTED/QUEUED, coarse steps, integer progress option', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({ provider: 'doubao', queuedMs: 300, runningMs: 300 })
    const ints = sim.createTask({
      provider: 'doubao',
      progressFormat: 'integer',
      queuedMs: 300,
      runningMs: 300,
    })
    expect(task.id).toMatch(/^cgt-/)
    const statuses: unknown[] = []
    const progress: unknown[] = []
    clock.tick(50) // read between the boundaries
    for (let step = 0; step < 7; step++) {
      const { json } = await read(sim, task)
      statuses.push(json.data.status)
      progress.push(json.data.progress)
      if (step === 6) expect((await read(sim, ints)).json.data.progress).toBe(100)
      clock.tick(100)
    }
    expect(statuses).toEqual([
      'NOT_START',
      'SUBMITTED',
      'QUEUED',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'SUCCESS',
    ])
    expect(progress).toEqual(['10%', '10%', '10%', '20%', '30%', '50%', '100%'])
  })

  it('doubao: timestamps are seconds, 0 until reached; raw upstream payload in data.data', async () => {
    const clock = fakeClock(Date.UTC(2025, 0, 15, 12))
    const sim = await start({ now: clock.now })
    const task = sim.createTask({ provider: 'doubao', queuedMs: 1000, runningMs: 1000 })
    const queued = (await read(sim, task)).json.data
    expect(queued).toMatchObject({ submit_time: 1736942400, start_time: 0, finish_time: 0 })
    clock.tick(2000)
    const done = (await read(sim, task)).json.data
    expect(done).toMatchObject({ start_time: 1736942401, finish_time: 1736942402 })
    expect(done.data.content.video_url).toBe(task.videoUrl)
  })

  it('generic-task minimax: the file id resolves through /v1/files/retrieve', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'generic-task',
      dialect: 'minimax',
      queuedMs: 0,
      runningMs: 0,
    })
    expect(task.id).toMatch(/^\d{15}$/)
    const { json } = await read(sim, task)
    expect(typeof json.file_id).toBe('string')
    expect(json.base_resp).toEqual({ status_code: 0, status_msg: 'success' })
    const file = await toRead(await authed(sim, `/v1/files/retrieve?file_id=${json.file_id}`))
    expect(file.status).toBe(200)
    expect(file.json.file.download_url).toBe(task.videoUrl)
    // The file API is MiniMax's own route: an unknown file is its HTTP 200 with code 2013.
    const missing = await toRead(await authed(sim, '/v1/files/retrieve?file_id=1'))
    expect(missing.status).toBe(200)
    expect(missing.json.base_resp.status_code).toBe(2013)
  })

  it('check-result: result_url early while running, refund on failure', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const early = sim.createTask({
      provider: 'check-result',
      earlyUrl: true,
      queuedMs: 0,
      runningMs: 1000,
    })
    const failed = sim.createTask({
      provider: 'check-result',
      outcome: 'failed',
      queuedMs: 0,
      runningMs: 0,
    })
    const running = (await read(sim, early)).json.data
    expect(running.status).toBe('running')
    expect(running.result_url).toBe(early.videoUrl)
    const fail = (await read(sim, failed)).json
    expect(fail.code).toBe(0)
    expect(fail.data).toMatchObject({
      status: 'failed',
      credits_refunded: true,
      refund_trans_no: `rf_${failed.id}`,
      error_message: 'Video generation failed: content policy violation',
    })
  })

  it('the default video URL is served without a key once the task succeeded', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({ provider: 'doubao', queuedMs: 10, runningMs: 10 })
    expect(task.videoUrl).toBe(`${sim.baseURL}/files/${task.id}.mp4`)
    const before = await fetch(task.videoUrl)
    expect(before.status).toBe(404)
    await before.arrayBuffer()
    clock.tick(20)
    const after = await fetch(task.videoUrl)
    expect(after.status).toBe(200)
    expect(after.headers.get('content-type')).toBe('video/mp4')
    await after.arrayBuffer()
    expect(sim.totalRequests()).toBe(0)
  })

  it('timeScale runs a 90-second task in 0.9 s of the clock; advance() moves virtual time', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now, timeScale: 100 })
    const task = sim.createTask({ provider: 'openai', queuedMs: 10_000, runningMs: 80_000 })
    clock.tick(500)
    expect(sim.task(task.id)).toMatchObject({ phase: 'running', progress: 50, elapsedMs: 50_000 })
    clock.tick(400)
    expect(sim.task(task.id)?.phase).toBe('succeeded')
    const other = sim.createTask({ provider: 'openai', queuedMs: 10_000, runningMs: 0 })
    sim.advance(10_000)
    expect(sim.task(other.id)?.phase).toBe('succeeded')
  })
})
