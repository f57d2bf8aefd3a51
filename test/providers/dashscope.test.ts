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
import type { VideoTaskStatus } from '../../src/model.js'
import { VideoTaskSchema } from '../../src/model-schemas.js'
import {
  dashscope,
  parseDashScopeCancelResponse,
  parseDashScopeCreateResponse,
  parseDashScopeResponse,
  parseVendorTime,
} from '../../src/providers/dashscope.js'
import type { ProviderResponse } from '../../src/providers/define-provider.js'
import { expectInvalidOn200, expectNoSecret } from '../support/assertions.js'
import { fixtureJson, fixtureText } from '../support/fixtures.js'
import { readThroughFetch, useMswServer } from '../support/msw.js'

/*
 * The `dashscope` adapter (Wan on Alibaba Cloud Model Studio) against every fixture in
 * test/fixtures/dashscope/: status words (CANCELED with one L, UNKNOWN as not found), zone-less
 * time strings, expiry from the URL, failures, errors, malformed bodies, the create body with its
 * async header, create and cancel answers, outputs.
 */

const KEY = 'sk-dashscope-test-0123456789abcdef'
const ID = '0385dc79-5ff8-4d82-bcb6-0a1b2c3d4e5f'
const BASE = 'https://dashscope.example.test'
const server = useMswServer()

function response(name: string | { text: string }, status = 200): ProviderResponse {
  return {
    status,
    headers: {},
    body: typeof name === 'string' ? fixtureText('dashscope', name) : name.text,
    url: `${BASE}/api/v1/tasks/${ID}`,
    provider: 'dashscope',
    taskId: ID,
    receivedAt: 0,
  }
}

function parse(name: string, status = 200) {
  const task = parseDashScopeResponse(response(name, status))
  expect(VideoTaskSchema.safeParse(task).success).toBe(true)
  return task
}

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  return expect.unreachable('expected an error')
}

/** A Beijing wall-clock time (UTC+8) as epoch ms. */
const beijing = (iso: string) => Date.parse(`${iso}+08:00`)

describe('status words', () => {
  it.each<[string, VideoTaskStatus, string]>([
    ['doc-pending.json', 'queued', 'PENDING'],
    ['doc-running.json', 'running', 'RUNNING'],
    ['doc-succeeded.json', 'succeeded', 'SUCCEEDED'],
    ['succeeded-no-expires.json', 'succeeded', 'SUCCEEDED'],
    ['succeeded-usage-wan21.json', 'succeeded', 'SUCCEEDED'],
    ['doc-failed.json', 'failed', 'FAILED'],
    ['failed-internal-algo.json', 'failed', 'FAILED'],
    ['failed-no-code.json', 'failed', 'FAILED'],
    ['canceled.json', 'cancelled', 'CANCELED'],
    ['cancel-ok-with-output.json', 'cancelled', 'CANCELED'],
    ['wrong-type-status-lowercase.json', 'running', 'running'],
  ])('%s is %s (vendor word %s), progress null unless succeeded', (name, status, word) => {
    const task = parse(name)
    expect(task.status).toBe(status)
    expect(task.vendorStatus).toBe(word)
    expect(task.provider).toBe('dashscope')
    if (status !== 'succeeded') expect(task.progress).toBeNull()
  })

  it('UNKNOWN (unknown or expired id, HTTP 200) is a TaskNotFoundError, never a task to poll', () => {
    const error = thrown(() => parseDashScopeResponse(response('doc-unknown.json'))) as ApiError
    expect(error).toBeInstanceOf(TaskNotFoundError)
    expect(error.retryable).toBe(false)
    expect(error.status).toBe(200)
    expect(error.code).toBe('UNKNOWN')
    expect(error.message).toContain('does-not-exist')
    expect(error.requestId).toBe('7574ee8f-0000-4000-8000-11c33ab46e54')
    // Any case, with padding.
    const lower = JSON.stringify({ output: { task_id: 'x', task_status: ' unknown ' } })
    expect(thrown(() => parseDashScopeResponse(response({ text: lower })))).toBeInstanceOf(
      TaskNotFoundError,
    )
  })

  it('another unknown word is `unknown` (keeps polling)', () => {
    const body = JSON.stringify({ output: { task_id: ID, task_status: 'SUSPENDED' } })
    expect(parseDashScopeResponse(response({ text: body })).status).toBe('unknown')
  })
})

describe('times and outputs', () => {
  it('the real success: UTC+8 times, Expires from the URL (= end_time + 24 h), details', () => {
    const task = parse('doc-succeeded.json')
    expect(task.id).toBe('436310e6-5404-42ef-b875-0a1b2c3d4e5f')
    expect(task.createdAt?.getTime()).toBe(beijing('2025-07-27T21:05:15.212'))
    expect(task.completedAt?.getTime()).toBe(beijing('2025-07-27T21:07:58.027'))
    expect(task.expiresAt?.getTime()).toBe(1753708078_000)
    // The reading the README recommends: the real Expires is end_time + 24 h only at UTC+8.
    expect(
      Math.round(((task.expiresAt?.getTime() ?? 0) - (task.completedAt?.getTime() ?? 0)) / 1000),
    ).toBe(86_400)
    expect(task.details).toEqual({
      startedAt: new Date(beijing('2025-07-27T21:05:15.232')),
      origPrompt: '一只猫在草地上奔跑',
      actualPrompt: '一只白猫在草地上奔跑,尾巴高高扬起,步伐轻快。',
      durationSeconds: 5,
      usage: { video_duration: 5, video_count: 1, SR: 1080 },
      requestId: '4c87e22d-dfaf-95bb-aadc-0a1b2c3d4e5f',
    })
    expect(dashscope({ apiKey: KEY }).outputs?.(task)).toEqual([
      [{ kind: 'url', url: task.videoUrl, expiresAt: task.expiresAt }],
    ])
  })

  it('without Expires in the URL, expiresAt is end_time + 24 h', () => {
    const task = parse('succeeded-no-expires.json')
    expect(task.expiresAt?.getTime()).toBe(beijing('2025-07-27T21:07:58.027') + 86_400_000)
    expect(task.details.durationSeconds).toBe(5)
    expect(task.details.usage).toEqual({ duration: 5, video_count: 1, SR: 720 })
  })

  it('wan2.1-era usage keys are kept whole', () => {
    const task = parse('succeeded-usage-wan21.json')
    expect(task.details.usage).toMatchObject({ video_ratio: '1280*720' })
    expect(task.expiresAt?.getTime()).toBe(1739239440_000)
  })

  it('a numeric submit_time is read as epoch ms, never NaN', () => {
    expect(parse('wrong-type-submit-time-number.json').createdAt?.getTime()).toBe(1753621515212)
  })

  it.each([
    ['2025-07-27 21:05:15', beijing('2025-07-27T21:05:15')],
    ['2025-07-27T21:05:15.5', beijing('2025-07-27T21:05:15.500')],
    ['2025-07-27T13:05:15Z', Date.parse('2025-07-27T13:05:15Z')],
    ['27/07/2025', null],
    ['2025-07-27', null],
    ['', null],
    [null, null],
  ])('vendor time %j', (value, expected) => {
    expect(parseVendorTime(value)?.getTime() ?? null).toBe(expected)
  })

  it('no outputs before success', () => {
    expect(dashscope({ apiKey: KEY }).outputs?.(parse('doc-running.json'))).toEqual([])
  })
})

describe('failures', () => {
  it('keeps output.code and output.message', () => {
    expect(parse('doc-failed.json').error).toEqual({
      code: 'DataInspectionFailed',
      message: 'Output data may contain inappropriate content.',
    })
    expect(parse('failed-internal-algo.json').error?.code).toBe('InternalError.Algo')
  })

  it('without a code or message the reason is "task failed"', () => {
    expect(parse('failed-no-code.json').error).toEqual({ code: null, message: 'task failed' })
  })

  it('a canceled task carries no error', () => {
    expect(parse('canceled.json').error).toBeNull()
  })
})

describe('HTTP errors', () => {
  it.each<[string, number, new (...args: never[]) => Error]>([
    ['doc-error-400-invalid-parameter.json', 400, ApiError],
    ['error-400-empty-input.json', 400, ApiError],
    ['error-400-invalid-url.json', 400, ApiError],
    ['error-400-data-inspection.json', 400, ApiError],
    ['error-400-arrearage.json', 400, ApiError],
    ['error-400-unsupported-operation.json', 400, ApiError],
    ['error-401-invalid-api-key.json', 401, AuthenticationError],
    ['error-403-async-header.json', 403, PermissionDeniedError],
    ['error-403-model-access-denied.json', 403, PermissionDeniedError],
    ['error-404-model-not-found.json', 404, TaskNotFoundError],
    ['error-429-throttling.json', 429, RateLimitError],
    ['error-429-rate-quota.json', 429, RateLimitError],
    ['error-429-allocation-quota.json', 429, RateLimitError],
    ['error-500-internal.json', 500, ServerError],
    ['error-503-unavailable.json', 503, ServerError],
  ])('%s (HTTP %i) on a read is a %s with the code and request id', (name, status, ErrorClass) => {
    const error = thrown(() => parseDashScopeResponse(response(name, status))) as ApiError
    expect(error).toBeInstanceOf(ErrorClass)
    if (ErrorClass === ApiError) {
      expect(error).not.toBeInstanceOf(TaskNotFoundError)
      expect(error.retryable).toBe(false)
    }
    const vendor = fixtureJson('dashscope', name) as Record<string, string>
    expect(error.code).toBe(vendor.code)
    expect(error.message).toBe(vendor.message)
    expect(error.requestId).toBe(vendor.request_id)
  })

  it.each<[string, new (...args: never[]) => Error]>([
    ['error-429-throttling.json', RateLimitError],
    ['error-401-invalid-api-key.json', AuthenticationError],
    ['error-403-model-access-denied.json', PermissionDeniedError],
    ['error-500-internal.json', ServerError],
    ['doc-error-400-invalid-parameter.json', ApiError],
  ])('%s told in a 200 is read by its code', (name, ErrorClass) => {
    const error = thrown(() => parseDashScopeResponse(response(name, 200)))
    expect(error).toBeInstanceOf(ErrorClass)
  })

  it('an HTML 502 is a ServerError', () => {
    expect(
      thrown(() => parseDashScopeResponse(response('malformed-html-502.json', 502))),
    ).toBeInstanceOf(ServerError)
  })
})

describe('malformed bodies', () => {
  it.each([
    'malformed-truncated.json',
    'malformed-html-502.json',
    'malformed-empty.json',
    'wrong-type-output-null.json',
    'cancel-ok.json',
  ])('%s on HTTP 200 is a non-retryable ResponseValidationError', (name) => {
    expectInvalidOn200(thrown(() => parseDashScopeResponse(response(name))))
  })
})

describe('the provider', () => {
  it('reads on the Beijing host by default, Singapore with region ap-southeast-1', () => {
    expect(dashscope({ apiKey: KEY }).buildRequest(ID).url).toBe(
      `https://dashscope.aliyuncs.com/api/v1/tasks/${ID}`,
    )
    expect(dashscope({ apiKey: KEY, region: 'ap-southeast-1' }).buildRequest(ID).url).toBe(
      `https://dashscope-intl.aliyuncs.com/api/v1/tasks/${ID}`,
    )
  })

  it('does not repeat /api/v1 when the base URL has it', () => {
    const provider = dashscope({
      apiKey: KEY,
      baseURL: 'https://ws1.cn-beijing.maas.aliyuncs.com/api/v1',
    })
    expect(provider.buildRequest(ID).url).toBe(
      `https://ws1.cn-beijing.maas.aliyuncs.com/api/v1/tasks/${ID}`,
    )
  })

  it('sends the key as a bearer token and keeps it out of printed values', () => {
    const provider = dashscope({ apiKey: KEY, baseURL: BASE })
    expect(provider.buildRequest(ID).headers.authorization).toBe(`Bearer ${KEY}`)
    expectNoSecret(KEY, provider)
  })

  it.each<[string, unknown, RegExp]>([
    ['no options', null, /options object/],
    ['no key', { region: 'cn-beijing' }, /apiKey/],
    ['an unknown region', { apiKey: KEY, region: 'us-east-1' }, /`region`.*baseURL/],
    ['a misspelt option', { apiKey: KEY, baseUrl: BASE }, /did you mean `baseURL`/],
  ])('refuses %s with a TypeError naming the option', (_what, options, message) => {
    expect(() => dashscope(options as never)).toThrow(TypeError)
    expect(() => dashscope(options as never)).toThrow(message)
  })

  it('polls every 10 s backing off to 15 s, without predicting', () => {
    expect(dashscope({ apiKey: KEY }).pollDefaults).toEqual({
      intervalMs: 10_000,
      maxIntervalMs: 15_000,
      adaptive: false,
    })
  })

  it('reads through the transport (msw)', async () => {
    server.use(
      http.get(`${BASE}/api/v1/tasks/:id`, () =>
        HttpResponse.text(fixtureText('dashscope', 'doc-running.json'), {
          headers: { 'content-type': 'application/json' },
        }),
      ),
    )
    const { task } = await readThroughFetch(dashscope({ apiKey: KEY, baseURL: BASE }), ID)
    expect(task.status).toBe('running')
    expect(task.details.startedAt?.getTime()).toBe(beijing('2025-07-27T21:05:15.232'))
  })
})

describe('create', () => {
  const provider = dashscope({ apiKey: KEY, baseURL: BASE })
  const build = (input: Parameters<NonNullable<typeof provider.buildCreateRequest>>[0]) => {
    const request = provider.buildCreateRequest?.(input)
    if (!request) throw new Error('no buildCreateRequest')
    return { request, body: JSON.parse(String(request.body ?? '{}')) as Record<string, unknown> }
  }

  it("builds the doc's text-to-video request, with the async header", () => {
    const { request, body } = build({
      prompt: 'A kitten running in the moonlight',
      model: 'wan2.2-t2v-plus',
      size: '1920x1080',
      durationSeconds: 5,
      providerInput: { parameters: { prompt_extend: true, watermark: false } },
    })
    expect(request.method).toBe('POST')
    expect(request.url).toBe(`${BASE}/api/v1/services/aigc/video-generation/video-synthesis`)
    expect(request.headers['x-dashscope-async']).toBe('enable')
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(body).toEqual(fixtureJson('dashscope', 'doc-create-request.json'))
  })

  it('builds the image-to-video request: img_url, upper-case resolution', () => {
    const { body } = build({
      prompt: 'The cat turns its head',
      model: 'wan2.6-i2v',
      image: { kind: 'url', url: 'https://example.com/cat.png' },
      resolution: '720p',
      durationSeconds: 5,
      providerInput: { parameters: { audio: false } },
    })
    expect(body).toEqual(fixtureJson('dashscope', 'create-request-i2v.json'))
  })

  it('defaults the model by input kind and sends image bytes as a data URL', () => {
    expect(build({ prompt: 'p' }).body.model).toBe('wan2.2-t2v-plus')
    const { body } = build({
      prompt: 'p',
      seed: 3,
      image: {
        kind: 'bytes',
        bytes: new Uint8Array([255]),
        mediaType: 'image/jpeg',
        fileName: 'a',
      },
    })
    expect(body).toEqual({
      model: 'wan2.2-i2v-flash',
      input: { prompt: 'p', img_url: 'data:image/jpeg;base64,/w==' },
      parameters: { seed: 3 },
    })
  })

  it('never sends what the simulator and DashScope refuse (string duration, x in size, lower case)', () => {
    const { body } = build({
      prompt: 'x',
      size: '1280x720',
      durationSeconds: 5,
      resolution: '720p',
    })
    const refused = fixtureJson('dashscope', 'wrong-type-duration-string-request.json') as {
      parameters: Record<string, unknown>
    }
    const parameters = body.parameters as Record<string, unknown>
    for (const key of ['size', 'duration', 'resolution']) {
      expect(parameters[key]).not.toEqual(refused.parameters[key])
    }
    expect(parameters).toEqual({ size: '1280*720', duration: 5, resolution: '720P' })
  })

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an empty prompt', { prompt: '' }, /`prompt`/],
    ['an aspect ratio', { prompt: 'p', aspectRatio: '16:9' }, /`size`.*`aspectRatio`/],
    ['a size that is no size', { prompt: 'p', size: 'big' }, /`size`/],
    ['a 4k resolution', { prompt: 'p', resolution: '4k' }, /`resolution`/],
    ['a string duration', { prompt: 'p', durationSeconds: '5' }, /`durationSeconds`/],
    ['a fractional duration', { prompt: 'p', durationSeconds: 2.5 }, /`durationSeconds`/],
    ['a fractional seed', { prompt: 'p', seed: 0.5 }, /`seed`/],
    ['a callback URL', { prompt: 'p', callbackUrl: 'https://x.test/hook' }, /`callbackUrl`/],
    [
      'a flat bag',
      { prompt: 'p', providerInput: { watermark: false } },
      /providerInput\.watermark/,
    ],
    [
      'a bag part that is no object',
      { prompt: 'p', providerInput: { input: 'x' } },
      /providerInput\.input/,
    ],
  ])('refuses %s with a TypeError naming the field', (_what, input, message) => {
    expect(() => build(input as never)).toThrow(TypeError)
    expect(() => build(input as never)).toThrow(message)
  })

  const created = (name: string | { text: string }, status = 200) =>
    parseDashScopeCreateResponse(response(name, status))

  it('reads output.task_id from the create answer', () => {
    expect(created('doc-create.json')).toEqual({ taskId: ID, task: null })
  })

  it('a 404 on create is an unknown model, not an unknown task', () => {
    const error = thrown(() => created('error-404-model-not-found.json', 404)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error).not.toBeInstanceOf(TaskNotFoundError)
    expect(error.code).toBe('ModelNotFound')
  })

  it('a 403 for the missing async header is a PermissionDeniedError', () => {
    expect(thrown(() => created('error-403-async-header.json', 403))).toBeInstanceOf(
      PermissionDeniedError,
    )
  })

  it('a 200 without output.task_id is a ResponseValidationError', () => {
    expectInvalidOn200(thrown(() => created('cancel-ok.json')))
    expectInvalidOn200(thrown(() => created('malformed-empty.json')))
  })
})

describe('cancel', () => {
  const provider = dashscope({ apiKey: KEY, baseURL: BASE })
  const cancel = (name: string | { text: string }, status = 200) =>
    parseDashScopeCancelResponse(response(name, status))

  it('is a POST to /api/v1/tasks/{id}/cancel with the key', () => {
    expect(provider.buildCancelRequest?.('a/b')).toEqual({
      method: 'POST',
      url: `${BASE}/api/v1/tasks/a%2Fb/cancel`,
      headers: expect.objectContaining({ authorization: `Bearer ${KEY}` }),
    })
  })

  it('accepts both readings of the answer, and an empty body', () => {
    expect(() => cancel('cancel-ok.json')).not.toThrow()
    expect(() => cancel('cancel-ok-with-output.json')).not.toThrow()
    expect(() => cancel({ text: '' })).not.toThrow()
  })

  it('UnsupportedOperation (a task no longer pending) is a permanent ApiError', () => {
    const error = thrown(() => cancel('error-400-unsupported-operation.json', 400)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.retryable).toBe(false)
    expect(error.code).toBe('UnsupportedOperation')
    expect(thrown(() => cancel('error-400-unsupported-operation.json', 200))).toBeInstanceOf(
      ApiError,
    )
  })

  it('401, 429 and 5xx by status', () => {
    expect(thrown(() => cancel('error-401-invalid-api-key.json', 401))).toBeInstanceOf(
      AuthenticationError,
    )
    expect((thrown(() => cancel('error-429-throttling.json', 429)) as ApiError).retryable).toBe(
      true,
    )
    expect(thrown(() => cancel('malformed-html-502.json', 502))).toBeInstanceOf(ServerError)
  })
})
