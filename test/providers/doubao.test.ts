import { inspect } from 'node:util'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  ApiError,
  AuthenticationError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  TaskNotFoundError,
} from '../../src/errors.js'
import type { VideoTaskStatus } from '../../src/model.js'
import { VideoTaskSchema } from '../../src/model-schemas.js'
import {
  doubao,
  isDoubaoTaskResponse,
  parseDoubaoResponse,
  taskResponseSchema,
} from '../../src/providers/doubao.js'
import { expectInvalidOn200, expectNoSecret } from '../support/assertions.js'
import { fixtureJson, fixtureText } from '../support/fixtures.js'
import { readErrorThroughFetch, readThroughFetch, useMswServer } from '../support/msw.js'
import { expectGuardWithinSchema, objectOf } from '../support/shape-guards.js'

const BASE = 'https://gateway.doubao.test'
const KEY = 'sk-doubao-test-1234567890abcdef'
const DOC_ID = 'task_abc123xyz456'
const GATEWAY_ID = 'task_Vq3kD9mZx2LpR7tYh4NwB6cJ8sFa1GeU'
const ARK_URL =
  'https://ark-content-generation-cn-beijing.tos-cn-beijing.volces.com/doubao-seedance-1-0-pro/021749720342-cgt-20250612172542-6nbt2.mp4?X-Tos-Algorithm=TOS4-HMAC-SHA256&X-Tos-Expires=86400'
const server = useMswServer()
const provider = doubao({ baseURL: BASE, apiKey: KEY })

function answer(body: string, init: { status?: number; headers?: Record<string, string> } = {}) {
  server.use(
    http.get(
      `${BASE}/v1/video/generations/:id`,
      () =>
        new HttpResponse(body, {
          status: init.status ?? 200,
          headers: { 'content-type': 'application/json', ...init.headers },
        }),
    ),
  )
}

async function readBody(body: string, init?: Parameters<typeof answer>[1], id = DOC_ID) {
  answer(body, init)
  const { task, pollHintMs } = await readThroughFetch(provider, id)
  expect(VideoTaskSchema.safeParse(task).success).toBe(true)
  return { task, pollHintMs }
}

async function read(fixture: string, init?: Parameters<typeof answer>[1], id = DOC_ID) {
  return readBody(fixtureText('doubao', fixture), init, id)
}

async function readError(body: string, init?: Parameters<typeof answer>[1]) {
  answer(body, init)
  return readErrorThroughFetch(provider, DOC_ID)
}

/** A gateway task (the doc's shape) with one field changed. */
function gatewayTask(fields: Record<string, unknown>): string {
  const body = fixtureJson('doubao', 'gateway-in-progress.json') as { data: object }
  return JSON.stringify({ ...body, data: { ...body.data, ...fields } })
}

describe('doubao adapter: vendor doc examples', () => {
  it('maps "queued" with its string progress and submit_time', async () => {
    const { task } = await read('doc-queued.json')
    expect(task).toMatchObject({
      id: DOC_ID,
      provider: 'doubao',
      status: 'queued',
      vendorStatus: 'queued',
      progress: 10,
      videoUrl: null,
      videoUrls: [],
      error: null,
      createdAt: new Date(1705334400_000),
      completedAt: null,
      expiresAt: null,
    })
    // start_time 0 means "not yet" (vendor-notes.md "Doubao").
    expect(task.details).toEqual({})
  })

  it('maps "in_progress" with its start_time', async () => {
    const { task } = await read('doc-in-progress.json')
    expect(task).toMatchObject({
      status: 'running',
      vendorStatus: 'in_progress',
      progress: 50,
      videoUrl: null,
      completedAt: null,
      details: { startedAt: new Date(1705334410_000) },
    })
  })

  it('maps "success" with the video URL in fail_reason', async () => {
    const { task } = await read('doc-success.json')
    expect(task).toMatchObject({
      status: 'succeeded',
      vendorStatus: 'success',
      progress: 100,
      videoUrl: 'https://storage.example.com/videos/task_abc123xyz456.mp4',
      videoUrls: ['https://storage.example.com/videos/task_abc123xyz456.mp4'],
      error: null,
      createdAt: new Date(1705334400_000),
      completedAt: new Date(1705334520_000),
      details: { startedAt: new Date(1705334410_000) },
    })
  })

  it('maps "failure" with the reason in fail_reason', async () => {
    const { task } = await read('doc-failure.json')
    expect(task).toMatchObject({
      status: 'failed',
      vendorStatus: 'failure',
      progress: 100,
      videoUrl: null,
      videoUrls: [],
      error: { code: null, message: 'task failed' },
      completedAt: new Date(1705334450_000),
    })
  })

  it('keeps the whole payload in raw', async () => {
    const { task } = await read('doc-failure.json')
    expect(task.raw).toEqual(fixtureJson('doubao', 'doc-failure.json'))
  })
})

describe('doubao adapter: relay gateways (vendor-notes.md)', () => {
  it.each([
    ['gateway-not-start.json', 'NOT_START', 'queued', 0],
    ['gateway-submitted.json', 'SUBMITTED', 'queued', 10],
    ['gateway-queued.json', 'QUEUED', 'queued', 20],
    ['gateway-in-progress.json', 'IN_PROGRESS', 'running', 30],
    ['gateway-success-result-url.json', 'SUCCESS', 'succeeded', 100],
    ['gateway-failure.json', 'FAILURE', 'failed', 100],
    ['gateway-unknown.json', 'UNKNOWN', 'unknown', 30],
  ] as const)('%s: %s is %s at %d%%', async (fixture, vendorStatus, status, progress) => {
    const { task } = await read(fixture, {}, GATEWAY_ID)
    expect(task).toMatchObject({ id: GATEWAY_ID, vendorStatus, status, progress })
    expect(task.createdAt).toEqual(new Date(1749720340_000))
    expect(task.details.model).toBe('doubao-seedance-1-0-pro-250528')
  })

  it('reads an integer progress', async () => {
    const { task } = await read('gateway-in-progress-integer.json')
    expect(task.status).toBe('running')
    expect(task.progress).toBe(50)
  })

  it('reads the URL from result_url and leaves data.data (the upstream payload) in raw', async () => {
    const { task } = await read('gateway-success-result-url.json')
    const url = `https://gateway.example.com/v1/videos/${GATEWAY_ID}/content`
    expect(task).toMatchObject({
      status: 'succeeded',
      videoUrl: url,
      videoUrls: [url],
      error: null,
      completedAt: new Date(1749720395_000),
      details: { startedAt: new Date(1749720352_000) },
    })
    // The upstream's own URL is not mixed in: only the gateway's fields are read.
    expect(task.videoUrls).not.toContain(ARK_URL)
    expect((task.raw as { data: { data: { id: string } } }).data.data.id).toBe(
      'cgt-20250612172542-6nbt2',
    )
  })

  it('reads the URL from fail_reason on older gateways', async () => {
    const { task } = await read('gateway-success-fail-reason-url.json')
    expect(task).toMatchObject({ status: 'succeeded', vendorStatus: 'SUCCESS', videoUrl: ARK_URL })
    expect(task.error).toBeNull()
  })

  it('does not treat a non-URL fail_reason on success as an error or a URL', async () => {
    const { task } = await read('gateway-success-reason-text.json')
    expect(task).toMatchObject({ status: 'succeeded', videoUrl: ARK_URL, videoUrls: [ARK_URL] })
    expect(task.error).toBeNull()
  })

  it('takes fail_reason as the error text on failure, never as a URL', async () => {
    const { task } = await read('gateway-failure.json')
    expect(task).toMatchObject({
      status: 'failed',
      videoUrl: null,
      error: {
        code: null,
        message:
          'The request failed because the output video may contain sensitive information. Request id: 021749720391abcdef',
      },
      completedAt: new Date(1749720391_000),
    })
  })

  it('ignores a URL in fail_reason when the task failed', async () => {
    const { task } = await readBody(
      gatewayTask({ status: 'FAILURE', fail_reason: 'https://cdn.example/partial.mp4' }),
    )
    expect(task.status).toBe('failed')
    expect(task.videoUrls).toEqual([])
    expect(task.error?.message).toBe('https://cdn.example/partial.mp4')
  })

  it('maps a gateway timeout to failed with its message', async () => {
    const { task } = await read('gateway-failure-timeout.json')
    expect(task).toMatchObject({
      status: 'failed',
      vendorStatus: 'FAILURE',
      error: { code: null, message: '任务超时（30分钟）' },
      completedAt: new Date(1749722152_000),
    })
  })

  it('gives a generic reason when a failure comes without one', async () => {
    const { task } = await readBody(gatewayTask({ status: 'FAILURE', fail_reason: '' }))
    expect(task.status).toBe('failed')
    expect(task.error?.message).toMatch(/FAILURE/)
  })

  it('turns data: null into a ResponseValidationError that says so', async () => {
    const error = await readError(fixtureText('doubao', 'gateway-data-null.json'))
    expect(error).toBeInstanceOf(ResponseValidationError)
    expect((error as Error).message).toMatch(/`data` is null/)
    expect((error as ResponseValidationError).issues[0]?.path).toEqual(['data'])
  })

  it('returns x-oneapi-request-id as requestId, and no poll hint', async () => {
    const { task, pollHintMs } = await read('doc-queued.json', {
      headers: { 'x-oneapi-request-id': '20250612172542123456789abcdEFGH' },
    })
    expect(task.details.requestId).toBe('20250612172542123456789abcdEFGH')
    expect(pollHintMs).toBeNull()
  })

  it('falls back to the id asked for when the payload has none', async () => {
    const { task } = await readBody(gatewayTask({ task_id: undefined }), {}, 'task_asked')
    expect(task.id).toBe('task_asked')
  })
})

describe('doubao adapter: the second shape {task_id, status, url, format, error}', () => {
  it.each([
    ['simple-queued.json', 'queued', 'queued'],
    ['simple-processing.json', 'processing', 'running'],
  ] as const)('%s: %s is %s', async (fixture, vendorStatus, status) => {
    const { task } = await read(fixture)
    expect(task).toMatchObject({
      id: GATEWAY_ID,
      vendorStatus,
      status,
      progress: null,
      videoUrl: null,
      error: null,
      createdAt: null,
    })
  })

  it('reads url on succeeded', async () => {
    const { task } = await read('simple-succeeded.json')
    expect(task).toMatchObject({
      status: 'succeeded',
      progress: 100,
      videoUrl: 'https://storage.googleapis.com/veo-outputs/7c1e2f/sample_0.mp4',
      error: null,
    })
  })

  it('reads a string error', async () => {
    const { task } = await read('simple-failed-string-error.json')
    expect(task.status).toBe('failed')
    expect(task.error).toEqual({
      code: null,
      message: 'upstream task failed: video generation timed out',
    })
  })

  it('reads an {code, message} error', async () => {
    const { task } = await read('simple-failed-object-error.json')
    expect(task.status).toBe('failed')
    expect(task.error).toEqual({
      code: 'InputTextSensitiveContentDetected',
      message: 'The request failed because the input text may contain sensitive information.',
    })
  })
})

describe('doubao adapter: status words (vendor-notes.md "Across vendors")', () => {
  const table: ReadonlyArray<readonly [VideoTaskStatus, readonly string[]]> = [
    [
      'queued',
      [
        'queued',
        'pending',
        'submitted',
        'not_start',
        'created',
        'initializing',
        'preparing',
        'queueing',
        'in_queue',
        'waiting',
      ],
    ],
    ['running', ['in_progress', 'running', 'processing', 'generating', 'starting']],
    ['succeeded', ['completed', 'complete', 'succeeded', 'success', 'done', 'finished']],
    ['failed', ['failed', 'fail', 'failure', 'error', 'expired', 'not_found']],
    ['cancelled', ['cancelled', 'canceled']],
    ['unknown', ['unknown', '', 'TIMEOUT', 'paused']],
  ]
  const cases = table.flatMap(([status, words]) =>
    words.flatMap((word) => [
      [word, status] as const,
      ...(word.toUpperCase() === word ? [] : [[word.toUpperCase(), status] as const]),
    ]),
  )

  it.each(cases)('"%s" is %s', async (word, status) => {
    const { task } = await readBody(gatewayTask({ status: word, fail_reason: '' }))
    expect(task.status).toBe(status)
    expect(task.vendorStatus).toBe(word)
  })
})

describe('doubao adapter: errors', () => {
  it('maps a 400 with code task_not_exist to TaskNotFoundError', async () => {
    const error = await readError(fixtureText('doubao', 'error-task-not-exist.json'), {
      status: 400,
    })
    expect(error).toBeInstanceOf(TaskNotFoundError)
    expect(error).toMatchObject({
      status: 400,
      code: 'task_not_exist',
      provider: 'doubao',
      retryable: false,
    })
    expect((error as Error).message).toBe('task_not_exist')
  })

  it('maps a 200 envelope with code task_not_exist and data: null to TaskNotFoundError', async () => {
    const error = await readError(fixtureText('doubao', 'error-task-not-exist.json'))
    expect(error).toBeInstanceOf(TaskNotFoundError)
    expect(error).toMatchObject({ status: 200, code: 'task_not_exist' })
  })

  it('maps a 404 to TaskNotFoundError with the Chinese message', async () => {
    const error = await readError(fixtureText('doubao', 'error-not-found.json'), { status: 404 })
    expect(error).toBeInstanceOf(TaskNotFoundError)
    expect(error).toMatchObject({ status: 404, code: 'not_found', message: '任务不存在' })
  })

  it('maps a 401 in the OpenAI error shape to AuthenticationError, with the request id', async () => {
    const error = await readError(fixtureText('doubao', 'error-invalid-token.json'), {
      status: 401,
    })
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({
      status: 401,
      code: 'new_api_error',
      requestId: '20250612172542123456789abcdEFGH',
      retryable: false,
    })
    expect((error as Error).message).toMatch(/^无效的令牌/)
  })

  it('maps a 403 to PermissionDeniedError', async () => {
    const error = await readError(fixtureText('doubao', 'error-insufficient-quota.json'), {
      status: 403,
    })
    expect(error).toBeInstanceOf(PermissionDeniedError)
    expect(error).toMatchObject({ status: 403, code: 'insufficient_user_quota' })
  })

  it('maps a 429 with a Chinese message and no Retry-After to RateLimitError', async () => {
    const error = await readError(fixtureText('doubao', 'error-upstream-saturated.json'), {
      status: 429,
    })
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({
      status: 429,
      retryAfterMs: null,
      retryable: true,
      message: '当前分组上游负载已饱和，请稍后再试',
    })
  })

  it('honours Retry-After on a 429 when there is one', async () => {
    const error = await readError(fixtureText('doubao', 'error-upstream-saturated.json'), {
      status: 429,
      headers: { 'retry-after': '7' },
    })
    expect((error as RateLimitError).retryAfterMs).toBe(7000)
  })

  it.each([
    [500, '<html><head><title>500 Internal Server Error</title></head><body>nginx</body></html>'],
    [502, '<html><body><h1>502 Bad Gateway</h1></body></html>'],
  ])('maps a %d HTML page to ServerError with a body excerpt', async (status, html) => {
    const error = await readError(html, { status, headers: { 'content-type': 'text/html' } })
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ status, retryable: true, bodyExcerpt: html })
  })

  it('maps a 500 envelope to ServerError with its code', async () => {
    const error = await readError(fixtureText('doubao', 'error-get-task-failed.json'), {
      status: 500,
    })
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ code: 'get_task_failed', message: 'database is locked' })
  })

  it('turns a 200 envelope whose code is not "success" into an ApiError, not a task', async () => {
    const error = await readError(fixtureText('doubao', 'error-get-task-failed.json'))
    expect(error).toBeInstanceOf(ApiError)
    expect(error).not.toBeInstanceOf(TaskNotFoundError)
    expect(error).toMatchObject({
      status: 200,
      code: 'get_task_failed',
      message: 'database is locked',
      retryable: false,
    })
  })

  it('turns a 200 with only a message and no data into the ApiError its text names', async () => {
    const error = await readError(JSON.stringify({ message: 'rate limited, slow down' }))
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ status: 200, message: 'rate limited, slow down' })
  })

  it('reads a task even when the envelope code is not "success" (usable data wins)', async () => {
    const body = JSON.parse(fixtureText('doubao', 'doc-in-progress.json'))
    const { task } = await readBody(JSON.stringify({ ...body, code: 0 }))
    expect(task.status).toBe('running')
  })

  it.each([
    ['an HTML page', '<!doctype html><title>Login</title>'],
    ['an empty body', ''],
    ['truncated JSON', '{"code":"success","data":{"task_id":"task_1","status":"IN_PR'],
    ['data without status', '{"code":"success","data":{"task_id":"task_1","progress":"10%"}}'],
    ['a numeric status', '{"code":"success","data":{"task_id":"task_1","status":3}}'],
    ['a bare task without the envelope', '{"task_id":"task_1","progress":"10%"}'],
    ['data that is an array', '{"code":"success","data":[]}'],
    ['data that is a string', '{"code":"success","data":"queued"}'],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"success"'],
    ['an empty object', '{}'],
  ])('turns %s on 200 into ResponseValidationError', async (_name, body) => {
    expectInvalidOn200(await readError(body))
  })

  it('names the bad field in the validation error', async () => {
    const error = await readError('{"code":"success","data":{"task_id":"task_1","status":3}}')
    expect((error as Error).message).toMatch(/at data\.status/)
  })

  it('never lets the API key into an error, even when the server echoes it', async () => {
    const error = await readError(
      JSON.stringify({ code: 'invalid_token', message: `无效的令牌: ${KEY}`, data: null }),
      { status: 401 },
    )
    expect(error).toBeInstanceOf(AuthenticationError)
    expectNoSecret(KEY, error, provider)
  })

  it('never lets the API key into a task, even when fail_reason echoes it', async () => {
    const { task } = await readBody(
      gatewayTask({ status: 'FAILURE', fail_reason: `upstream rejected key ${KEY}` }),
    )
    expect(task.status).toBe('failed')
    expect(JSON.stringify(task)).not.toContain(KEY)
    expect(inspect(task, { depth: 10 })).not.toContain(KEY)
  })
})

describe('doubao adapter: requests', () => {
  it('sends GET /v1/video/generations/{id} with the bearer token and an encoded id', async () => {
    const request = provider.buildRequest('a/b?c=1#d')
    expect(request).toMatchObject({
      method: 'GET',
      url: `${BASE}/v1/video/generations/a%2Fb%3Fc%3D1%23d`,
    })
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(request.body).toBeUndefined()
  })

  it('reaches the server with that request', async () => {
    let seen: { path: string; authorization: string | null } | undefined
    server.use(
      http.get(`${BASE}/v1/video/generations/:id`, ({ request, params }) => {
        seen = { path: String(params.id), authorization: request.headers.get('authorization') }
        return HttpResponse.text(fixtureText('doubao', 'doc-queued.json'))
      }),
    )
    await readThroughFetch(provider, DOC_ID)
    expect(seen).toEqual({ path: DOC_ID, authorization: `Bearer ${KEY}` })
  })

  it('suggests polling every 5 s, growing to 10 s, without predicting from progress', () => {
    // Coarse progress steps: no finish predicted from the progress rate.
    expect(provider.pollDefaults).toEqual({
      intervalMs: 5_000,
      maxIntervalMs: 10_000,
      adaptive: false,
    })
    expect(provider.id).toBe('doubao')
  })

  it('refuses ids that would move up the path, and bad options, with a TypeError naming them', () => {
    expect(() => provider.buildRequest('..')).toThrow(TypeError)
    expect(() => provider.buildRequest('')).toThrow(/taskId/)
    expect(() => doubao({ baseURL: 'ftp://x', apiKey: KEY })).toThrow(/baseURL/)
    expect(() => doubao({ baseURL: 'https://user:pw@x.test', apiKey: KEY })).toThrow(/credentials/)
    expect(() => doubao({ baseURL: BASE, apiKey: '' })).toThrow(/apiKey/)
    expect(() => doubao(undefined as never)).toThrow(/doubao\(\)/)
  })
})

describe('parseDoubaoResponse', () => {
  it('is pure: the same response gives the same task', () => {
    const response = {
      status: 200,
      headers: {},
      body: fixtureText('doubao', 'doc-success.json'),
      url: `${BASE}/v1/video/generations/${DOC_ID}`,
      provider: 'doubao',
      taskId: DOC_ID,
      receivedAt: 0,
    }
    const first = parseDoubaoResponse(response)
    expect(parseDoubaoResponse(response)).toEqual(first)
    expect(VideoTaskSchema.safeParse(first).success).toBe(true)
  })
})

describe('isDoubaoTaskResponse (parseShape’s guard before the zod schema)', () => {
  it('passes only what taskResponseSchema accepts, and passes the valid shapes', () => {
    expectGuardWithinSchema(
      isDoubaoTaskResponse,
      taskResponseSchema(),
      objectOf(['data', 'code'], objectOf(['status', 'task_id'])),
    )
    expect(isDoubaoTaskResponse({ data: { status: 'SUCCESS', task_id: 7 } })).toBe(true)
    expect(isDoubaoTaskResponse({ data: { status: 'queued' } })).toBe(true)
    expect(isDoubaoTaskResponse({ data: { status: 'queued', task_id: Number.NaN } })).toBe(false)
    expect(isDoubaoTaskResponse({ data: { status: 1 } })).toBe(false)
    expect(isDoubaoTaskResponse({ data: [] })).toBe(false)
  })
})
