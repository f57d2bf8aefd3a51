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
  envelopeDataSchema,
  envelopeSchema,
  genericTask,
  isGenericTaskEnvelope,
  isGenericTaskEnvelopeData,
  parseGenericTaskResponse,
} from '../../src/providers/generic-task.js'
import { expectInvalidOn200, expectNoSecret } from '../support/assertions.js'
import { fixtureText } from '../support/fixtures.js'
import { readErrorThroughFetch, readThroughFetch, useMswServer } from '../support/msw.js'
import { expectGuardExact, objectOf, trickyObject } from '../support/shape-guards.js'

const BASE = 'https://api.task.test'
const KEY = 'gt-test-1234567890abcdef'
const ID = '314052875571396'
const server = useMswServer()
const provider = genericTask({ baseURL: BASE, apiKey: KEY })

function answer(body: string, init: { status?: number; headers?: Record<string, string> } = {}) {
  server.use(
    http.get(
      `${BASE}/task/:id`,
      () =>
        new HttpResponse(body, {
          status: init.status ?? 200,
          headers: { 'content-type': 'application/json', ...init.headers },
        }),
    ),
  )
}

async function readBody(body: string, init?: Parameters<typeof answer>[1], id = ID) {
  answer(body, init)
  const { task } = await readThroughFetch(provider, id)
  expect(VideoTaskSchema.safeParse(task).success).toBe(true)
  return task
}

function read(fixture: string, init?: Parameters<typeof answer>[1], id = ID) {
  return readBody(fixtureText('generic-task', fixture), init, id)
}

async function readError(body: string, init?: Parameters<typeof answer>[1]) {
  answer(body, init)
  return readErrorThroughFetch(provider, ID)
}

describe('generic-task adapter: the doc example (bare MiniMax-style object)', () => {
  it('maps "Success" with a file id and no URL', async () => {
    const task = await read('doc-minimax-success.json')
    expect(task).toMatchObject({
      id: '314052875571396',
      provider: 'generic-task',
      status: 'succeeded',
      vendorStatus: 'Success',
      progress: 100,
      videoUrl: null,
      videoUrls: [],
      error: null,
      details: { fileId: '314053136425242', width: 768, height: 1152 },
    })
  })

  it('keeps a numeric file_id and task_id as strings', async () => {
    const task = await read('minimax-success-numeric-file-id.json')
    expect(task.id).toBe('314052875571396')
    expect(task.details.fileId).toBe('314053136425242')
    expect(task.details).toMatchObject({ width: 1280, height: 720 })
  })

  it('keeps every digit of a numeric file_id above 2^53', async () => {
    const task = await read('minimax-success-unsafe-file-id.json')
    expect(task.details.fileId).toBe('9007199254740993123')
  })

  it('reads a URL that a reseller adds next to the file id', async () => {
    const task = await read('minimax-success-with-url.json')
    expect(task.status).toBe('succeeded')
    expect(task.videoUrl).toBe('https://cdn.reseller.example/minimax/241342648594580.mp4')
    expect(task.details.fileId).toBe('241342648594580')
  })
})

describe('generic-task adapter: MiniMax statuses (vendor-notes.md)', () => {
  it.each([
    ['minimax-preparing.json', 'queued', 'Preparing'],
    ['minimax-queueing.json', 'queued', 'Queueing'],
    ['minimax-processing.json', 'running', 'Processing'],
  ] as const)('%s is %s', async (fixture, status, vendorStatus) => {
    const task = await read(fixture)
    expect(task).toMatchObject({ status, vendorStatus, progress: null, error: null })
    // `file_id: ""` and `video_width: 0` while running are not facts.
    expect(task.details).toEqual({})
  })

  it('maps "Fail" with a zero code to a failed task with a generic reason', async () => {
    const task = await read('minimax-fail.json')
    expect(task.status).toBe('failed')
    expect(task.error?.code).toBeNull()
    expect(task.error?.message).toMatch(/"Fail"/)
  })

  it('maps 1026 next to a status to a failed task carrying the code', async () => {
    const task = await read('minimax-1026-with-status.json')
    expect(task).toMatchObject({
      status: 'failed',
      vendorStatus: 'Fail',
      error: { code: '1026', message: 'input new_sensitive' },
    })
  })

  it('maps 1026 without a status to a plain, non-retryable ApiError', async () => {
    const error = await readError(fixtureText('generic-task', 'minimax-1026-no-status.json'))
    expect(error).toBeInstanceOf(ApiError)
    expect((error as Error).name).toBe('ApiError')
    expect(error).toMatchObject({ status: 200, code: '1026', retryable: false })
  })

  it('compares status words case-insensitively and keeps unknown ones', async () => {
    const upper = await readBody(JSON.stringify({ task_id: ID, status: 'SUCCESS', file_id: 7 }))
    expect(upper.status).toBe('succeeded')
    expect(upper.details.fileId).toBe('7')
    const odd = await readBody(
      JSON.stringify({ task_id: ID, status: 'Reviewing', base_resp: { status_code: 0 } }),
    )
    expect(odd).toMatchObject({ status: 'unknown', vendorStatus: 'Reviewing' })
  })
})

describe('generic-task adapter: MiniMax errors in HTTP 200 (vendor-notes.md)', () => {
  it.each([
    ['minimax-error-1002.json', RateLimitError, '1002', 'rate limit exceeded(RPM)', true],
    ['minimax-error-1004.json', AuthenticationError, '1004', /^login fail/, false],
    ['minimax-error-1008.json', PermissionDeniedError, '1008', 'insufficient balance', false],
    ['minimax-error-2013.json', ApiError, '2013', 'invalid params, task_id', false],
    ['minimax-error-2049.json', AuthenticationError, '2049', 'invalid api key', false],
    // vendor-notes.md "What the open-source gateways send": "retry later" codes are transient.
    ['minimax-error-1000.json', ServerError, '1000', 'unknown error', true],
    ['minimax-error-1001.json', ServerError, '1001', 'request timeout', true],
    ['minimax-error-1024.json', ServerError, '1024', 'internal error', true],
    ['minimax-error-1033.json', ServerError, '1033', 'system error', true],
    ['minimax-error-2038.json', PermissionDeniedError, '2038', 'real-name verification', false],
  ] as const)('%s is %s', async (fixture, errorClass, code, message, retryable) => {
    const error = await readError(fixtureText('generic-task', fixture))
    expect(error).toBeInstanceOf(errorClass)
    expect((error as Error).name).toBe(errorClass.name)
    expect(error).toMatchObject({ status: 200, code, retryable, provider: 'generic-task' })
    expect((error as Error).message).toMatch(message)
  })
})

describe('generic-task adapter: MiniMax retry-later codes next to a task', () => {
  it.each([1000, 1001, 1024, 1033])(
    '%i next to a running status is a retryable ServerError, not a task',
    async (code) => {
      const error = await readError(
        JSON.stringify({
          task_id: ID,
          status: 'Processing',
          base_resp: { status_code: code, status_msg: 'please retry' },
        }),
        { headers: { 'trace-id': 'trace-0123' } },
      )
      expect(error).toBeInstanceOf(ServerError)
      expect(error).toMatchObject({ code: String(code), retryable: true, requestId: 'trace-0123' })
    },
  )
})

describe('generic-task adapter: the {code, data} envelope', () => {
  it('maps the doc envelope "Success" with its URL and request id', async () => {
    const task = await read('envelope-doc-success.json')
    expect(task).toMatchObject({
      status: 'succeeded',
      vendorStatus: 'Success',
      videoUrl: 'https://cdn.task.example/video/7391.mp4',
      videoUrls: ['https://cdn.task.example/video/7391.mp4'],
      details: { requestId: '20240115160000ABCDEF0123456789' },
    })
    expect(task.details.binaryDataCount).toBeUndefined()
  })

  it.each([
    ['envelope-doc-processing.json', 'running', 'Processing'],
    ['envelope-upstream-in-queue.json', 'queued', 'in_queue'],
    ['envelope-upstream-generating.json', 'running', 'generating'],
  ] as const)('%s is %s with an empty video_url ignored', async (fixture, status, vendorStatus) => {
    const task = await read(fixture)
    expect(task).toMatchObject({ status, vendorStatus, videoUrl: null, videoUrls: [] })
  })

  it('maps the doc "Failed" to a failed task with a generic reason', async () => {
    const task = await read('envelope-doc-failed.json')
    expect(task.status).toBe('failed')
    expect(task.error?.message).toMatch(/"Failed"/)
  })

  it('maps the upstream "done" (code 10000) with its URL', async () => {
    const task = await read('envelope-upstream-done.json')
    expect(task.status).toBe('succeeded')
    expect(task.videoUrl).toBe(
      'https://vod.upstream.example/obj/7391/video.mp4?x-expires=1705420800',
    )
    expect(task.details.requestId).toBe('2024011516000011223344556678')
  })

  it('counts a base64 result without putting it in videoUrl', async () => {
    const task = await read('envelope-upstream-done-binary.json')
    expect(task.status).toBe('succeeded')
    expect(task.videoUrl).toBeNull()
    expect(task.details.binaryDataCount).toBe(1)
  })

  it.each([
    ['envelope-upstream-not-found.json', 'not_found'],
    ['envelope-upstream-expired.json', 'expired'],
  ] as const)('%s is a failed task with the status as its code', async (fixture, code) => {
    const task = await read(fixture)
    expect(task.status).toBe('failed')
    expect(task.error?.code).toBe(code)
    expect(task.error?.message).toContain(code)
  })

  it('maps a non-success code that says "rate limit" to RateLimitError', async () => {
    const error = await readError(fixtureText('generic-task', 'envelope-error-rate-limit.json'))
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({
      status: 200,
      code: '50429',
      requestId: '2024011516000011223344556680',
      retryable: true,
    })
  })

  it('falls back to an HTTP-style code when the message says nothing', async () => {
    const error = await readError(fixtureText('generic-task', 'envelope-error-http-style.json'))
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ status: 200, code: '401', message: 'Invalid credentials' })
  })

  it('maps an unknown non-success code to a plain ApiError', async () => {
    const error = await readError(fixtureText('generic-task', 'envelope-error-unknown-code.json'))
    expect((error as Error).name).toBe('ApiError')
    expect(error).toMatchObject({ status: 200, code: '50413', retryable: false })
  })

  it('takes a failed task reason from an envelope message that is not "Success"', async () => {
    const task = await readBody(
      JSON.stringify({ code: 0, message: 'generation timed out', data: { status: 'Failed' } }),
    )
    expect(task.error).toEqual({ code: null, message: 'generation timed out' })
  })

  it('reads an error envelope without a data key', async () => {
    const error = await readError(JSON.stringify({ code: 404, message: 'task not found' }))
    expect(error).toBeInstanceOf(TaskNotFoundError)
    expect(error).toMatchObject({ status: 200, code: '404' })
  })

  it('compares envelope status words case-insensitively and keeps unknown ones', async () => {
    const done = await readBody(JSON.stringify({ code: 10000, data: { status: 'DONE' } }))
    expect(done.status).toBe('succeeded')
    const odd = await readBody(JSON.stringify({ code: 0, data: { status: 'auditing' } }))
    expect(odd).toMatchObject({ status: 'unknown', vendorStatus: 'auditing' })
  })

  it('reads progress in any form', async () => {
    const task = await readBody(
      JSON.stringify({ code: 0, data: { status: 'generating', progress: '40%' } }),
    )
    expect(task.progress).toBe(40)
  })
})

describe('generic-task adapter: HTTP errors', () => {
  it.each([
    ['error-401.json', 401, AuthenticationError, false],
    ['error-403.json', 403, PermissionDeniedError, false],
    ['error-404.json', 404, TaskNotFoundError, false],
    ['error-429.json', 429, RateLimitError, true],
    ['error-500.json', 500, ServerError, true],
  ] as const)('%s is %s', async (fixture, status, errorClass, retryable) => {
    const error = await readError(fixtureText('generic-task', fixture), { status })
    expect(error).toBeInstanceOf(errorClass)
    expect(error).toMatchObject({ status, code: String(status), retryable })
  })

  it('takes the request id from the error body', async () => {
    const error = await readError(fixtureText('generic-task', 'error-401.json'), { status: 401 })
    expect((error as ApiError).requestId).toBe('req-401')
  })

  it('maps a 429 with Retry-After to RateLimitError.retryAfterMs', async () => {
    const error = await readError(fixtureText('generic-task', 'error-429.json'), {
      status: 429,
      headers: { 'retry-after': '3' },
    })
    expect((error as RateLimitError).retryAfterMs).toBe(3000)
  })

  it('maps a MiniMax-style body on an error status by the status', async () => {
    const error = await readError(fixtureText('generic-task', 'minimax-error-2049.json'), {
      status: 401,
    })
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ status: 401, code: '2049', message: 'invalid api key' })
  })

  it('maps a 502 HTML page from a proxy to ServerError with a body excerpt', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>'
    const error = await readError(html, { status: 502, headers: { 'content-type': 'text/html' } })
    expect(error).toBeInstanceOf(ServerError)
    expect((error as ServerError).bodyExcerpt).toBe(html)
  })

  it('maps a 400 that says the task does not exist to TaskNotFoundError', async () => {
    const error = await readError(JSON.stringify({ code: 400, message: 'task_not_exist' }), {
      status: 400,
    })
    expect(error).toBeInstanceOf(TaskNotFoundError)
  })

  it.each([
    ['an HTML page', '<!doctype html><title>Login</title>'],
    ['an empty body', ''],
    ['truncated JSON', '{"code":0,"data":{"status":"Proc'],
    ['JSON of the wrong shape', '{"task_id":"1","state":"Processing"}'],
    ['a JSON array', '[1,2,3]'],
    ['JSON null', 'null'],
    ['a MiniMax status that is not a string', '{"task_id":"1","status":3}'],
    ['a MiniMax object with an empty status', '{"status":"","base_resp":{"status_code":0}}'],
    ['a success envelope without data', '{"code":0,"message":"Success","data":null}'],
    ['a success envelope whose data has no status', '{"code":10000,"data":{"video_url":""}}'],
  ])('turns %s on 200 into ResponseValidationError', async (_name, body) => {
    expectInvalidOn200(await readError(body))
  })

  it('never lets the API key into an error, even when the server echoes it', async () => {
    const error = await readError(
      JSON.stringify({ base_resp: { status_code: 2049, status_msg: `invalid api key ${KEY}` } }),
    )
    expect(error).toBeInstanceOf(AuthenticationError)
    expectNoSecret(KEY, error, provider)
  })
})

describe('generic-task adapter: requests and purity', () => {
  it('sends GET /task/{id} with the bearer token and an encoded id', () => {
    const request = provider.buildRequest('a/b?c=1#d')
    expect(request).toMatchObject({ method: 'GET', url: `${BASE}/task/a%2Fb%3Fc%3D1%23d` })
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(request.body).toBeUndefined()
    expect(provider.pollDefaults).toMatchObject({
      intervalMs: 5_000,
      maxIntervalMs: 10_000,
      adaptive: false,
    })
  })

  it('refuses bad ids and options with a TypeError naming them', () => {
    expect(() => provider.buildRequest('..')).toThrow(TypeError)
    expect(() => provider.buildRequest('')).toThrow(/taskId/)
    expect(() => genericTask({ baseURL: 'ftp://x', apiKey: KEY })).toThrow(/baseURL/)
    expect(() => genericTask({ baseURL: BASE, apiKey: '' })).toThrow(/apiKey/)
  })

  it('parses a response without I/O', () => {
    const task = parseGenericTaskResponse({
      status: 200,
      headers: { 'x-request-id': 'hdr-1' },
      body: fixtureText('generic-task', 'minimax-processing.json'),
      url: `${BASE}/task/${ID}`,
      provider: 'generic-task',
      taskId: ID,
      receivedAt: 0,
    })
    expect(task).toMatchObject({ status: 'running', details: { requestId: 'hdr-1' } })
  })
})

describe('generic-task: parseShape guards (held to their schemas)', () => {
  it('isGenericTaskEnvelope passes only what envelopeSchema returns unchanged', () => {
    expectGuardExact(
      isGenericTaskEnvelope,
      envelopeSchema(),
      objectOf(
        ['code', 'message', 'request_id', 'status', 'data'],
        objectOf(['status', 'task_id']),
      ),
      trickyObject({ code: 0, message: 'Success', data: { status: 'SUCCESS' } }),
    )
    expect(isGenericTaskEnvelope({ code: 10000, request_id: 'r', status: 200, data: null })).toBe(
      true,
    )
    for (const field of ['code', 'request_id', 'status']) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -Infinity, false, [], {}]) {
        expect(isGenericTaskEnvelope({ [field]: bad, data: { status: 'SUCCESS' } })).toBe(false)
      }
    }
    expect(isGenericTaskEnvelope({ message: 0 })).toBe(false)
    for (const tricky of [null, [], 0, ...trickyObject({ code: 0 })]) {
      expect(isGenericTaskEnvelope(tricky)).toBe(false)
    }
  })

  it('isGenericTaskEnvelopeData passes only what envelopeDataSchema returns unchanged', () => {
    expectGuardExact(
      isGenericTaskEnvelopeData,
      envelopeDataSchema(),
      objectOf(['status', 'task_id', 'video_url', 'binary_data_base64']),
      trickyObject({ status: 'SUCCESS', task_id: 'abc' }),
    )
    expect(isGenericTaskEnvelopeData({ status: 'RUNNING', task_id: Number.NaN })).toBe(true)
    expect(isGenericTaskEnvelopeData({ status: undefined })).toBe(false)
    expect(isGenericTaskEnvelopeData(Object.create({ status: 'SUCCESS' }))).toBe(false)
  })

  it('a body the guards refuse still gets the schema’s typed error', () => {
    expect(() =>
      parseGenericTaskResponse({
        status: 200,
        headers: {},
        body: '{"code":0,"request_id":{"id":1},"data":{"status":"SUCCESS"}}',
        url: `${BASE}/task/abc`,
        provider: 'generic-task',
        taskId: 'abc',
        receivedAt: 0,
      }),
    ).toThrow(/Task envelope does not have the expected shape.*request_id/)
  })
})
