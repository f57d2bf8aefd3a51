import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  ApiError,
  AuthenticationError,
  RateLimitError,
  ServerError,
  TaskNotFoundError,
} from '../../src/errors.js'
import { VideoTaskSchema } from '../../src/model-schemas.js'
import { isOpenAIVideoObject, openai, videoObjectSchema } from '../../src/providers/openai.js'
import { expectInvalidOn200, expectNoSecret } from '../support/assertions.js'
import { fixtureText } from '../support/fixtures.js'
import { readErrorThroughFetch, readThroughFetch, useMswServer } from '../support/msw.js'
import { expectGuardWithinSchema, objectOf } from '../support/shape-guards.js'

const BASE = 'https://api.openai.test'
const KEY = 'sk-test-1234567890abcdef'
const server = useMswServer()
const provider = openai({ baseURL: BASE, apiKey: KEY })

function answer(body: string, init: { status?: number; headers?: Record<string, string> } = {}) {
  server.use(
    http.get(
      `${BASE}/v1/videos/:id`,
      () =>
        new HttpResponse(body, {
          status: init.status ?? 200,
          headers: { 'content-type': 'application/json', ...init.headers },
        }),
    ),
  )
}

async function read(fixture: string, init?: Parameters<typeof answer>[1], id = 'vid_abc123xyz456') {
  answer(fixtureText('openai', fixture), init)
  const { task, pollHintMs } = await readThroughFetch(provider, id)
  expect(VideoTaskSchema.safeParse(task).success).toBe(true)
  return { task, pollHintMs }
}

async function readError(body: string, init?: Parameters<typeof answer>[1]) {
  answer(body, init)
  return readErrorThroughFetch(provider, 'vid_abc123xyz456')
}

describe('openai adapter: vendor doc examples', () => {
  it('maps "processing" with size, seconds and model', async () => {
    const { task } = await read('doc-processing.json')
    expect(task).toMatchObject({
      id: 'vid_abc123xyz456',
      provider: 'openai',
      status: 'running',
      vendorStatus: 'processing',
      progress: 45,
      videoUrl: null,
      videoUrls: [],
      error: null,
      createdAt: new Date(1705334400_000),
      completedAt: null,
      details: { model: 'sora-1.0', width: 1920, height: 1080, durationSeconds: 10 },
    })
    expect(task.details.contentUrl).toBeUndefined()
  })

  it('maps "completed" with its url and timestamps', async () => {
    const { task } = await read('doc-completed.json')
    expect(task.status).toBe('succeeded')
    expect(task.videoUrl).toBe('https://storage.example.com/videos/vid_abc123xyz456.mp4')
    expect(task.videoUrls).toEqual([task.videoUrl])
    expect(task.completedAt).toEqual(new Date(1705334520_000))
    expect(task.expiresAt).toEqual(new Date(1705420800_000))
    expect(task.details.contentUrl).toBeUndefined()
  })

  it('maps "failed" with the vendor code and message', async () => {
    const { task } = await read('doc-failed.json')
    expect(task.status).toBe('failed')
    expect(task.error).toEqual({
      code: 'content_policy_violation',
      message: 'Content policy violation: inappropriate content detected',
    })
  })

  it('maps the 404 example to TaskNotFoundError', async () => {
    const error = await readError(fixtureText('openai', 'doc-not-found.json'), { status: 404 })
    expect(error).toBeInstanceOf(TaskNotFoundError)
    expect(error).toMatchObject({ status: 404, code: 'task_not_found', retryable: false })
    expect((error as Error).message).toBe('Video task not found')
  })
})

describe('openai adapter: official API and gateways (vendor-notes.md)', () => {
  it('gives the authenticated content URL when the official object has no URL', async () => {
    const { task } = await read('official-completed-no-url.json')
    expect(task.status).toBe('succeeded')
    expect(task.videoUrl).toBeNull()
    expect(task.details.contentUrl).toBe(
      `${BASE}/v1/videos/video_68d7512d07848190b3e45da0ecbebcde004da08e1e0678d5/content`,
    )
    expect(task.details).toMatchObject({
      model: 'sora-2',
      width: 720,
      height: 1280,
      durationSeconds: 4,
    })
  })

  it.each([
    ['official-queued.json', 'queued', 0],
    ['official-in-progress.json', 'running', 33],
    ['gateway-pending-fraction.json', 'queued', 25],
    ['gateway-cancelled.json', 'cancelled', 20],
    ['gateway-unknown.json', 'unknown', 0],
  ] as const)('%s is %s at %d%%', async (fixture, status, progress) => {
    const { task } = await read(fixture)
    expect(task.status).toBe(status)
    expect(task.progress).toBe(progress)
  })

  it('reads video_url, millisecond timestamps and a fractional progress_pct', async () => {
    const { task } = await read('gateway-video-url-ms-fraction.json')
    expect(task.status).toBe('succeeded')
    expect(task.videoUrl).toBe('https://cdn.gateway.example/v/task_7f3a9c.mp4')
    expect(task.createdAt).toEqual(new Date(1705334400_000))
    expect(task.progress).toBe(100)
  })

  it('reads metadata.url', async () => {
    const { task } = await read('gateway-metadata-url.json')
    expect(task.videoUrl).toBe('https://cdn.gateway.example/v/task_81bd.mp4')
  })

  it('returns openai-poll-after-ms as the poll hint and x-request-id as requestId', async () => {
    const { task, pollHintMs } = await read('official-in-progress.json', {
      headers: { 'openai-poll-after-ms': '2500', 'x-request-id': 'req_42' },
    })
    expect(pollHintMs).toBe(2500)
    expect(task.details.requestId).toBe('req_42')
  })

  it('compares status words case-insensitively', async () => {
    answer(JSON.stringify({ id: 'x', status: 'COMPLETED', url: 'https://cdn.example/x.mp4' }))
    const { task } = await readThroughFetch(provider, 'x')
    expect(task.status).toBe('succeeded')
  })
})

describe('openai adapter: errors', () => {
  it('maps 401 to AuthenticationError with the vendor code', async () => {
    const error = await readError(fixtureText('openai', 'official-error-401.json'), { status: 401 })
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', provider: 'openai' })
  })

  it('maps 429 to RateLimitError with retry-after-ms before Retry-After', async () => {
    const error = await readError(fixtureText('openai', 'official-error-429.json'), {
      status: 429,
      headers: { 'retry-after-ms': '1500', 'retry-after': '9' },
    })
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(1500)
    expect((error as RateLimitError).retryable).toBe(true)
  })

  it('maps a 502 HTML page from a proxy to ServerError with a body excerpt', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>'
    const error = await readError(html, { status: 502, headers: { 'content-type': 'text/html' } })
    expect(error).toBeInstanceOf(ServerError)
    expect((error as ServerError).bodyExcerpt).toBe(html)
  })

  it('maps a 400 with another error to a plain ApiError', async () => {
    const error = await readError(
      JSON.stringify({
        error: { message: 'bad variant', type: 'invalid_request_error', code: null },
      }),
      { status: 400 },
    )
    expect(error).toBeInstanceOf(ApiError)
    expect(error).not.toBeInstanceOf(TaskNotFoundError)
    expect(error).toMatchObject({ status: 400, code: 'invalid_request_error', retryable: false })
  })

  it.each([
    ['an HTML page', '<!doctype html><title>Login</title>'],
    ['an empty body', ''],
    ['truncated JSON', '{"id":"vid_1","status":"proc'],
    ['JSON of the wrong shape', '{"id":"vid_1","state":"processing"}'],
    ['a JSON array', '[1,2,3]'],
    ['a status that is not a string', '{"id":"vid_1","status":3}'],
  ])('turns %s on 200 into ResponseValidationError', async (_name, body) => {
    expectInvalidOn200(await readError(body))
  })

  it('never lets the API key into an error, even when the server echoes it', async () => {
    const error = await readError(
      JSON.stringify({
        error: { message: `Incorrect API key provided: ${KEY}`, code: 'invalid_api_key' },
      }),
      { status: 401 },
    )
    expect(error).toBeInstanceOf(AuthenticationError)
    expectNoSecret(KEY, error, provider)
  })
})

describe('openai adapter: requests', () => {
  it('sends GET /v1/videos/{id} with the bearer token and an encoded id', async () => {
    const request = provider.buildRequest('a/b?c=1#d')
    expect(request).toMatchObject({ method: 'GET', url: `${BASE}/v1/videos/a%2Fb%3Fc%3D1%23d` })
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`)
  })

  it('refuses ids that would move up the path, and bad options, with a TypeError naming them', () => {
    expect(() => provider.buildRequest('..')).toThrow(TypeError)
    expect(() => provider.buildRequest('')).toThrow(/taskId/)
    expect(() => openai({ baseURL: 'ftp://x', apiKey: KEY })).toThrow(/baseURL/)
    expect(() => openai({ baseURL: 'https://user:pw@x.test', apiKey: KEY })).toThrow(/credentials/)
    expect(() => openai({ baseURL: BASE, apiKey: '' })).toThrow(/apiKey/)
  })
})

/*
 * vendor-notes.md "What the open-source gateways send": the widely deployed gateway answers
 * `GET /v1/videos/{id}` errors as `{code, message, data}` at the HTTP status, and fills
 * `completed_at` on every read.
 */
describe('openai adapter: the open-source gateway (vendor-notes.md)', () => {
  it('reads 400 task_not_exist as TaskNotFoundError', async () => {
    const error = await readError(fixtureText('openai', 'gateway-error-task-not-exist.json'), {
      status: 400,
    })
    expect(error).toBeInstanceOf(TaskNotFoundError)
    expect(error).toMatchObject({
      status: 400,
      code: 'task_not_exist',
      message: 'task_not_exist',
      retryable: false,
    })
  })

  it("reads 500 get_task_failed as a retryable ServerError keeping the gateway's code and message", async () => {
    const error = await readError(fixtureText('openai', 'gateway-error-get-task-failed.json'), {
      status: 500,
      headers: { 'x-oneapi-request-id': '20261201113000123456789' },
    })
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({
      status: 500,
      code: 'get_task_failed',
      message: 'sql: database is closed',
      requestId: '20261201113000123456789',
      retryable: true,
    })
  })

  it('a 400 with another code stays a plain ApiError (the wait ends, no retry)', async () => {
    const error = await readError(JSON.stringify({ code: 'invalid_request', message: 'bad id' }), {
      status: 400,
    })
    expect((error as Error).constructor).toBe(ApiError)
    expect(error).toMatchObject({ code: 'invalid_request', message: 'bad id', retryable: false })
  })

  it('ignores completed_at until the task is final', async () => {
    const running = await read('gateway-in-progress-completed-at.json')
    expect(running.task).toMatchObject({ status: 'running', progress: 30, completedAt: null })
    expect(running.task.createdAt).toEqual(new Date(1_764_578_400_000))
    const done = await read('gateway-completed-completed-at.json')
    expect(done.task).toMatchObject({ status: 'succeeded' })
    expect(done.task.completedAt).toEqual(new Date(1_764_578_520_000))
  })
})

describe('isOpenAIVideoObject (parseShape’s guard before the zod schema)', () => {
  it('passes only what videoObjectSchema accepts, and passes the valid shapes', () => {
    expectGuardWithinSchema(
      isOpenAIVideoObject,
      videoObjectSchema(),
      objectOf(['id', 'status', 'error'], objectOf(['message', 'code'])),
    )
    expect(isOpenAIVideoObject({ id: 'video_1', status: 'queued' })).toBe(true)
    expect(isOpenAIVideoObject({ status: 'failed', error: { message: 'x', code: 3 } })).toBe(true)
    expect(isOpenAIVideoObject({ id: null, status: 'queued' })).toBe(false)
    expect(isOpenAIVideoObject({ status: 'failed', error: 'boom' })).toBe(false)
    expect(
      isOpenAIVideoObject({ status: 'failed', error: { code: Number.POSITIVE_INFINITY } }),
    ).toBe(false)
  })
})
