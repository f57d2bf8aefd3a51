import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  ApiError,
  AuthenticationError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TaskNotFoundError,
} from '../../src/errors.js'
import { VideoTaskSchema } from '../../src/model-schemas.js'
import {
  checkResult,
  dataSchema,
  envelopeSchema,
  isCheckResultData,
  isCheckResultEnvelope,
  parseCheckResultResponse,
} from '../../src/providers/check-result.js'
import { expectInvalidOn200, expectNoSecret } from '../support/assertions.js'
import { fixtureText } from '../support/fixtures.js'
import { readErrorThroughFetch, readThroughFetch, useMswServer } from '../support/msw.js'
import { expectGuardExact, objectOf, trickyObject } from '../support/shape-guards.js'

const BASE = 'https://sora.check.test'
const PATH = '/api/video-generations/check-result'
const KEY = 'cr-test-1234567890abcdef'
const ID = 'task_1234567890'
const server = useMswServer()
const provider = checkResult({ baseURL: BASE })
const keyed = checkResult({ baseURL: BASE, apiKey: KEY })

interface Seen {
  method: string
  headers: Record<string, string>
  body: string
}

/** Answers every check-result POST with `body` and records what the client sent. */
function answer(body: string, init: { status?: number; headers?: Record<string, string> } = {}) {
  const seen: Seen[] = []
  server.use(
    http.post(`${BASE}${PATH}`, async ({ request }) => {
      seen.push({
        method: request.method,
        headers: Object.fromEntries(request.headers.entries()),
        body: await request.text(),
      })
      return new HttpResponse(body, {
        status: init.status ?? 200,
        headers: { 'content-type': 'application/json', ...init.headers },
      })
    }),
  )
  return seen
}

async function readBody(body: string, init?: Parameters<typeof answer>[1]) {
  answer(body, init)
  const { task } = await readThroughFetch(provider, ID)
  expect(VideoTaskSchema.safeParse(task).success).toBe(true)
  return task
}

function read(fixture: string, init?: Parameters<typeof answer>[1]) {
  return readBody(fixtureText('check-result', fixture), init)
}

async function readError(
  body: string,
  init?: Parameters<typeof answer>[1],
  client: typeof provider = provider,
) {
  answer(body, init)
  return readErrorThroughFetch(client, ID)
}

describe('check-result adapter: the OpenAPI example and schema statuses', () => {
  it('keeps a running task running even though result_url is already filled', async () => {
    const task = await read('doc-running.json')
    expect(task).toMatchObject({
      id: ID,
      provider: 'check-result',
      status: 'running',
      vendorStatus: 'running',
      progress: 35,
      videoUrl: 'https://your-domain.com/storage/videos/xxx.mp4',
      videoUrls: ['https://your-domain.com/storage/videos/xxx.mp4'],
      error: null,
      createdAt: null,
      details: { creditsRefunded: false },
    })
    expect(task.details.refundTransactionNumber).toBeUndefined()
  })

  it('maps "succeeded" with every result URL', async () => {
    const task = await read('succeeded.json')
    expect(task.status).toBe('succeeded')
    expect(task.progress).toBe(100)
    expect(task.videoUrls).toEqual([
      'https://your-domain.com/storage/videos/task_1234567890-1.mp4',
      'https://your-domain.com/storage/videos/task_1234567890-2.mp4',
    ])
    expect(task.videoUrl).toBe(task.videoUrls[0])
  })

  it('maps "failed" with both reasons and the refund', async () => {
    const task = await read('failed-refunded.json')
    expect(task).toMatchObject({
      status: 'failed',
      progress: 60,
      videoUrl: null,
      error: {
        code: null,
        message: 'content_policy_violation: The prompt was rejected by the upstream safety system',
      },
      details: { creditsRefunded: true, refundTransactionNumber: 'RF202401151600001234' },
    })
  })

  it('takes error_message when failure_reason is empty', async () => {
    const task = await read('failed-error-message-only.json')
    expect(task.error).toEqual({ code: null, message: 'Upstream generation timed out' })
  })

  it('gives a generic reason when both are empty or null', async () => {
    const task = await read('failed-no-reason.json')
    expect(task.status).toBe('failed')
    expect(task.error?.message).toMatch(/"failed" without a reason/)
  })

  it.each([
    ['cancelled.json', 'cancelled', 10],
    ['pending.json', 'queued', 0],
  ] as const)('%s is %s at %d%%', async (fixture, status, progress) => {
    const task = await read(fixture)
    expect(task).toMatchObject({ status, progress, error: null })
  })

  it('reports the refund of a cancelled task', async () => {
    const task = await read('cancelled.json')
    expect(task.details).toEqual({
      creditsRefunded: true,
      refundTransactionNumber: 'RF202401151600005678',
    })
  })

  it('compares status words case-insensitively and keeps unknown ones', async () => {
    const upper = await readBody(JSON.stringify({ code: 0, data: { status: 'SUCCEEDED' } }))
    expect(upper.status).toBe('succeeded')
    const odd = await readBody(
      JSON.stringify({ code: 0, data: { status: 'syncing', progress: '20%' } }),
    )
    expect(odd).toMatchObject({ status: 'unknown', vendorStatus: 'syncing', progress: 20 })
  })

  it.each([
    ['an HTTP-style code 200', { code: 200, message: 'OK', data: { status: 'running' } }],
    ['no code', { data: { status: 'running' } }],
    ['a string code "0"', { code: '0', data: { status: 'running' } }],
  ])('reads a task from a body with %s', async (_name, body) => {
    const task = await readBody(JSON.stringify(body))
    expect(task.status).toBe('running')
  })

  it('takes x-request-id as requestId', async () => {
    const task = await read('pending.json', { headers: { 'x-request-id': 'req_7' } })
    expect(task.details.requestId).toBe('req_7')
  })
})

describe('check-result adapter: errors', () => {
  it.each([
    ['doc-error-400.json', 400, ApiError, false, 'taskId is required'],
    ['doc-error-401.json', 401, AuthenticationError, false, 'Unauthorized'],
    ['doc-error-403.json', 403, PermissionDeniedError, false, 'Forbidden'],
    ['doc-error-404.json', 404, TaskNotFoundError, false, 'Task not found'],
    ['doc-error-500.json', 500, ServerError, true, 'Failed to sync task result'],
  ] as const)('%s on HTTP %d is %s', async (fixture, status, errorClass, retryable, message) => {
    const error = await readError(fixtureText('check-result', fixture), { status })
    expect(error).toBeInstanceOf(errorClass)
    expect((error as Error).name).toBe(errorClass.name)
    expect(error).toMatchObject({
      status,
      code: String(status),
      message,
      retryable,
      provider: 'check-result',
    })
  })

  it.each([
    ['doc-error-400.json', ApiError, false],
    ['doc-error-401.json', AuthenticationError, false],
    ['doc-error-403.json', PermissionDeniedError, false],
    ['doc-error-404.json', TaskNotFoundError, false],
    ['doc-error-500.json', ServerError, true],
  ] as const)('%s inside an HTTP 200 is %s', async (fixture, errorClass, retryable) => {
    const error = await readError(fixtureText('check-result', fixture))
    expect((error as Error).name).toBe(errorClass.name)
    expect(error).toMatchObject({ status: 200, retryable })
  })

  it('maps a 200 with a non-zero code that says "rate limit" to RateLimitError', async () => {
    const error = await readError(
      JSON.stringify({ code: 1, message: 'Rate limit: 20 concurrent tasks per account' }),
    )
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ status: 200, code: '1' })
  })

  it('maps a 502 HTML page from a proxy to ServerError', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>'
    const error = await readError(html, { status: 502, headers: { 'content-type': 'text/html' } })
    expect(error).toBeInstanceOf(ServerError)
    expect((error as ServerError).bodyExcerpt).toBe(html)
  })

  it.each([
    ['an HTML page', '<!doctype html><title>Login</title>'],
    ['an empty body', ''],
    ['truncated JSON', '{"code":0,"data":{"status":"runn'],
    ['JSON of the wrong shape', '{"code":0,"data":{"state":"running"}}'],
    ['a success without data', '{"code":0,"message":"Success"}'],
    ['a JSON array', '[1,2,3]'],
    ['a status that is not a string', '{"code":0,"data":{"status":3}}'],
    ['a code that is an object', '{"code":{},"data":{"status":"running"}}'],
  ])('turns %s on 200 into ResponseValidationError', async (_name, body) => {
    expectInvalidOn200(await readError(body))
  })

  it('never lets the API key into an error, even when the server echoes it', async () => {
    const error = await readError(
      JSON.stringify({ code: 401, message: `Unauthorized: bad token ${KEY}` }),
      { status: 401 },
      keyed,
    )
    expect(error).toBeInstanceOf(AuthenticationError)
    expectNoSecret(KEY, error, keyed)
  })
})

describe('check-result adapter: requests', () => {
  it('POSTs {"taskId": id} as JSON, without Authorization when no apiKey is given', async () => {
    const seen = answer(fixtureText('check-result', 'pending.json'))
    const id = 'a/b?c=1#d "quoted"'
    await readThroughFetch(provider, id)
    expect(seen).toHaveLength(1)
    const [request] = seen
    expect(request?.method).toBe('POST')
    expect(JSON.parse(request?.body ?? '')).toEqual({ taskId: id })
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers.authorization).toBeUndefined()
  })

  it('sends the bearer token when an apiKey is given', async () => {
    const seen = answer(fixtureText('check-result', 'pending.json'))
    await readThroughFetch(keyed, ID)
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ taskId: ID })
  })

  it('builds the request on the base URL with the id only in the body', () => {
    const request = provider.buildRequest(ID)
    expect(request).toEqual({
      method: 'POST',
      url: `${BASE}${PATH}`,
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ taskId: ID }),
    })
    expect(provider.pollDefaults).toMatchObject({
      intervalMs: 5_000,
      maxIntervalMs: 15_000,
      adaptive: true,
    })
  })

  it('refuses bad ids and options with a TypeError naming them', () => {
    expect(() => provider.buildRequest('..')).toThrow(TypeError)
    expect(() => provider.buildRequest('')).toThrow(/taskId/)
    expect(() => checkResult({ baseURL: 'ftp://x' })).toThrow(/baseURL/)
    expect(() => checkResult({ baseURL: BASE, apiKey: '' })).toThrow(/apiKey/)
  })

  it('parses a response without I/O', () => {
    const task = parseCheckResultResponse({
      status: 200,
      headers: {},
      body: fixtureText('check-result', 'doc-running.json'),
      url: `${BASE}${PATH}`,
      provider: 'check-result',
      taskId: ID,
      receivedAt: 0,
    })
    expect(task.status).toBe('running')
  })
})

describe('check-result: parseShape guards (held to their schemas)', () => {
  it('isCheckResultEnvelope passes only what envelopeSchema returns unchanged', () => {
    expectGuardExact(
      isCheckResultEnvelope,
      envelopeSchema(),
      objectOf(['code', 'message', 'data'], objectOf(['status', 'taskId'])),
      trickyObject({ code: 0, message: 'ok', data: { status: 'completed' } }),
    )
    expect(isCheckResultEnvelope({ code: 0, message: null, data: { status: 'running' } })).toBe(
      true,
    )
    expect(isCheckResultEnvelope({})).toBe(true)
    expect(isCheckResultEnvelope({ code: '200', extra: [1] })).toBe(true)
    for (const code of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, {}]) {
      expect(isCheckResultEnvelope({ code, data: { status: 'completed' } })).toBe(false)
    }
    expect(isCheckResultEnvelope({ code: 0, message: 1 })).toBe(false)
    for (const tricky of [null, [], 'x', ...trickyObject({ code: 0 })]) {
      expect(isCheckResultEnvelope(tricky)).toBe(false)
    }
  })

  it('isCheckResultData passes only what dataSchema returns unchanged', () => {
    expectGuardExact(
      isCheckResultData,
      dataSchema(),
      objectOf(['status', 'taskId', 'result_url', 'progress']),
      trickyObject({ status: 'completed', taskId: 'task_1' }),
    )
    expect(isCheckResultData({ status: '', result_urls: ['https://x.test/a.mp4'] })).toBe(true)
    expect(isCheckResultData({ status: null })).toBe(false)
    expect(isCheckResultData({})).toBe(false)
    expect(isCheckResultData(Object.create({ status: 'completed' }))).toBe(false)
    expect(isCheckResultData(Object.assign([], { status: 'completed' }))).toBe(false)
  })

  it('a body the guards refuse still gets the schema’s typed error', () => {
    expect(() =>
      parseCheckResultResponse({
        status: 200,
        headers: {},
        body: '{"code":0,"data":{"status":7}}',
        url: `${BASE}${PATH}`,
        provider: 'check-result',
        taskId: ID,
        receivedAt: 0,
      }),
    ).toThrow(/check-result `data` does not have the expected shape.*status/)
  })
})
