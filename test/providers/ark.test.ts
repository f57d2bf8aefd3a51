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
  ark,
  parseArkCancelResponse,
  parseArkCreateResponse,
  parseArkResponse,
} from '../../src/providers/ark.js'
import type { ProviderResponse } from '../../src/providers/define-provider.js'
import { expectInvalidOn200, expectNoSecret } from '../support/assertions.js'
import { fixtureJson, fixtureText } from '../support/fixtures.js'
import { readThroughFetch, useMswServer } from '../support/msw.js'

/*
 * The `ark` adapter (Seedance on Volcengine Ark / BytePlus ModelArk) against every fixture in
 * test/fixtures/ark/: status words, timestamps, failures, errors, malformed bodies, the create
 * body, create and cancel answers, outputs.
 */

const KEY = 'ark-test-key-0123456789abcdef'
const ID = 'cgt-20260828062711-hj94q'
const BASE = 'https://ark.example.test'
const server = useMswServer()

function response(
  name: string | { text: string },
  status = 200,
  headers: Record<string, string> = {},
): ProviderResponse {
  return {
    status,
    headers,
    body: typeof name === 'string' ? fixtureText('ark', name) : name.text,
    url: `${BASE}/api/v3/contents/generations/tasks/${ID}`,
    provider: 'ark',
    taskId: ID,
    receivedAt: 0,
  }
}

function parse(name: string, status = 200, headers: Record<string, string> = {}) {
  const task = parseArkResponse(response(name, status, headers))
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

describe('status words', () => {
  it.each<[string, VideoTaskStatus, string]>([
    ['doc-queued.json', 'queued', 'queued'],
    ['doc-running.json', 'running', 'running'],
    ['doc-succeeded.json', 'succeeded', 'succeeded'],
    ['doc-failed.json', 'failed', 'failed'],
    ['expired.json', 'failed', 'expired'],
    ['expired-with-error.json', 'failed', 'expired'],
    ['cancelled.json', 'cancelled', 'cancelled'],
    ['relay-pending.json', 'queued', 'pending'],
    ['relay-processing.json', 'running', 'processing'],
    ['relay-running-empty-error.json', 'running', 'running'],
    ['relay-status-uppercase.json', 'succeeded', 'SUCCEEDED'],
    ['callback-running.json', 'running', 'running'],
    ['callback-succeeded.json', 'succeeded', 'succeeded'],
    ['succeeded-file-url.json', 'succeeded', 'succeeded'],
    ['succeeded-generate-audio.json', 'succeeded', 'succeeded'],
    ['failed-output-audio-sensitive.json', 'failed', 'failed'],
    ['failed-input-image-sensitive.json', 'failed', 'failed'],
  ])('%s is %s (vendor word %s), progress null', (name, status, word) => {
    const task = parse(name)
    expect(task.status).toBe(status)
    expect(task.vendorStatus).toBe(word)
    expect(task.provider).toBe('ark')
    if (status !== 'succeeded') expect(task.progress).toBeNull()
  })

  it('an unknown word is unknown, never a guessed final state', () => {
    const body = { ...(fixtureJson('ark', 'doc-running.json') as object), status: 'paused' }
    const task = parseArkResponse(response({ text: JSON.stringify(body) }))
    expect(task.status).toBe('unknown')
    expect(task.vendorStatus).toBe('paused')
  })
})

describe('the recorded success', () => {
  const task = parse('doc-succeeded.json', 200, { 'x-request-id': 'req-ark-1' })

  it('has the video, Unix-second timestamps and a 24 h expiry from the terminal updated_at', () => {
    expect(task.id).toBe(ID)
    expect(task.videoUrl).toBe(
      'https://ark-content-generation-ap-southeast-1.tos-ap-southeast-1.volces.com/seedance-1-0-pro/recorded-video.mp4',
    )
    expect(task.createdAt?.getTime()).toBe(1787869631_000)
    expect(task.completedAt?.getTime()).toBe(1787869648_000)
    expect(task.expiresAt?.getTime()).toBe(1787869648_000 + 86_400_000)
  })

  it('has typed details', () => {
    expect(task.details).toEqual({
      model: 'seedance-1-0-pro-250528',
      resolution: '480p',
      ratio: '16:9',
      durationSeconds: 2,
      framesPerSecond: 24,
      seed: 17918,
      serviceTier: 'default',
      draft: false,
      usage: { completionTokens: 19845, totalTokens: 19845 },
      executionExpiresAfterSeconds: 172800,
      lastFrameUrl:
        'https://ark-content-generation-ap-southeast-1.tos-ap-southeast-1.volces.com/seedance-1-0-pro/recorded-video_last-frame.png',
      requestId: 'req-ark-1',
    })
  })

  it('outputs the one video URL, keyless, with its expiry', () => {
    const provider = ark({ apiKey: KEY, baseURL: BASE })
    expect(provider.outputs?.(task)).toEqual([
      [{ kind: 'url', url: task.videoUrl, expiresAt: task.expiresAt }],
    ])
    expect(provider.outputs?.(parse('doc-running.json'))).toEqual([])
  })
})

describe('other successes', () => {
  it('content.file_url stands in for video_url (other model families)', () => {
    const task = parse('succeeded-file-url.json')
    expect(task.videoUrl).toMatch(/output\.zip$/)
    expect(task.expiresAt?.getTime()).toBe(1787869660_000 + 86_400_000)
  })

  it('Seedance 2.0 with audio', () => {
    const task = parse('succeeded-generate-audio.json')
    expect(task.details).toMatchObject({
      model: 'dreamina-seedance-2-0-260128',
      generateAudio: true,
      ratio: 'adaptive',
      durationSeconds: 10,
      seed: 42,
      usage: { completionTokens: 108900, totalTokens: 108900 },
    })
  })

  it('a running task has no completedAt or expiresAt even though updated_at moves', () => {
    const task = parse('doc-running.json')
    expect(task.completedAt).toBeNull()
    expect(task.expiresAt).toBeNull()
    expect(task.createdAt?.getTime()).toBe(1787869631_000)
  })
})

describe('failures', () => {
  it('keeps the moderation code and message', () => {
    const task = parse('doc-failed.json')
    expect(task.error).toEqual({
      code: 'OutputVideoSensitiveContentDetected.PolicyViolation',
      message:
        'The request failed because the output video may be related to copyright restrictions.',
    })
    expect(task.completedAt?.getTime()).toBe(1787869700_000)
    expect(task.expiresAt).toBeNull()
  })

  it.each(['failed-output-audio-sensitive.json', 'failed-input-image-sensitive.json'])(
    '%s keeps a SensitiveContent code',
    (name) => {
      expect(parse(name).error?.code).toMatch(/SensitiveContent/)
    },
  )

  it.each(['expired.json', 'expired-with-error.json'])(
    '%s: failed with code expired, whether or not an (empty) error came',
    (name) => {
      const task = parse(name)
      expect(task.error?.code).toBe('expired')
      expect(task.error?.message).toContain('172800 s')
    },
  )

  it('an expired task with a real error keeps the vendor code', () => {
    const body = {
      ...(fixtureJson('ark', 'expired.json') as object),
      error: { code: 'TaskExpired', message: 'Task expired' },
    }
    const task = parseArkResponse(response({ text: JSON.stringify(body) }))
    expect(task.error).toEqual({ code: 'TaskExpired', message: 'Task expired' })
  })

  it('an empty error object on a running task is no failure (decide from status)', () => {
    const task = parse('relay-running-empty-error.json')
    expect(task.status).toBe('running')
    expect(task.error).toBeNull()
  })

  it('a cancelled task carries no error', () => {
    expect(parse('cancelled.json').error).toBeNull()
  })
})

describe('HTTP errors', () => {
  it.each<[string, number, new (...args: never[]) => Error, string | null]>([
    ['error-400-invalid-parameter.json', 400, ApiError, 'InvalidParameter'],
    ['error-400-missing-parameter.json', 400, ApiError, null],
    ['error-400-task-type-constraint.json', 400, ApiError, 'InvalidParameter.TaskTypeConstraint'],
    ['error-400-closed-endpoint.json', 400, ApiError, 'InvalidEndpoint.ClosedEndpoint'],
    ['error-400-input-text-sensitive.json', 400, ApiError, null],
    ['error-400-input-image-real-face.json', 400, ApiError, null],
    ['error-401-authentication.json', 401, AuthenticationError, 'AuthenticationError'],
    ['error-403-account-overdue.json', 403, PermissionDeniedError, 'AccountOverdueError'],
    ['error-403-access-denied.json', 403, PermissionDeniedError, 'AccessDenied'],
    ['error-404-task-not-found.json', 404, TaskNotFoundError, 'ResourceNotFound'],
    ['error-404-task-not-found-param.json', 404, TaskNotFoundError, 'NotFound.TaskId'],
    ['error-429-endpoint-rpm.json', 429, RateLimitError, null],
    ['error-429-model-account-tpm.json', 429, RateLimitError, null],
    ['error-429-server-overloaded.json', 429, RateLimitError, 'ServerOverloaded'],
    // README reading: permanent; the shared invariant keeps every 429 a RateLimitError (see ark.ts).
    ['error-429-quota-exceeded.json', 429, RateLimitError, 'QuotaExceeded'],
    ['error-429-set-limit-exceeded.json', 429, RateLimitError, 'SetLimitExceeded'],
    ['error-500-internal.json', 500, ServerError, 'InternalServiceError'],
  ])('%s (HTTP %i) is a %s', (name, status, ErrorClass, code) => {
    const error = thrown(() => parseArkResponse(response(name, status))) as ApiError
    expect(error).toBeInstanceOf(ErrorClass)
    if (ErrorClass === ApiError) {
      for (const Sub of [TaskNotFoundError, RateLimitError, ServerError, AuthenticationError]) {
        expect(error).not.toBeInstanceOf(Sub)
      }
      expect(error.retryable).toBe(false)
    }
    expect(error.status).toBe(status)
    const vendor = fixtureJson('ark', name) as { error: { code: string; message: string } }
    expect(error.code).toBe(code ?? vendor.error.code)
    // The vendor's message, request id text included.
    expect(error.message).toBe(vendor.error.message)
  })

  it('a plain-text 500 is a retryable ServerError keeping the text', () => {
    const error = thrown(() => parseArkResponse(response('error-500-plain-text.txt', 500)))
    expect(error).toBeInstanceOf(ServerError)
    expect((error as ServerError).retryable).toBe(true)
    expect((error as ServerError).bodyExcerpt).toBe(fixtureText('ark', 'error-500-plain-text.txt'))
  })

  it('an HTML 502 page is a ServerError', () => {
    expect(thrown(() => parseArkResponse(response('malformed-html-502.json', 502)))).toBeInstanceOf(
      ServerError,
    )
  })

  it('an error body in a 200 is an error, not a task', () => {
    const error = thrown(() =>
      parseArkResponse(response('error-404-task-not-found-param.json', 200)),
    )
    expect(error).toBeInstanceOf(TaskNotFoundError)
  })
})

describe('malformed and wrongly typed bodies', () => {
  it.each([
    'malformed-truncated.json',
    'malformed-html-502.json',
    'malformed-empty.json',
    'wrong-type-status-number.json',
    'wrong-type-array-root.json',
  ])('%s on HTTP 200 is a non-retryable ResponseValidationError', (name) => {
    expectInvalidOn200(thrown(() => parseArkResponse(response(name))))
  })

  it('string timestamps are read when they are dates, never NaN', () => {
    const task = parse('wrong-type-created-at-string.json')
    expect(task.createdAt?.toISOString()).toBe('2026-08-28T06:27:11.000Z')
    expect(task.status).toBe('running')
  })

  it('a non-string video_url gives no URL (a succeeded task without a video)', () => {
    const task = parse('wrong-type-content-video-url-number.json')
    expect(task.status).toBe('succeeded')
    expect(task.videoUrl).toBeNull()
    expect(task.expiresAt).toBeNull()
  })
})

describe('the provider', () => {
  it('reads on the BytePlus host by default and on Volcengine with region cn-beijing', () => {
    expect(ark({ apiKey: KEY }).buildRequest(ID).url).toBe(
      `https://ark.ap-southeast.bytepluses.com/api/v3/contents/generations/tasks/${ID}`,
    )
    expect(ark({ apiKey: KEY, region: 'cn-beijing' }).buildRequest(ID).url).toBe(
      `https://ark.cn-beijing.volces.com/api/v3/contents/generations/tasks/${ID}`,
    )
  })

  it('does not repeat /api/v3 when the base URL has it, as the SDKs write it', () => {
    const provider = ark({ apiKey: KEY, baseURL: 'https://ark.cn-beijing.volces.com/api/v3/' })
    expect(provider.buildRequest(ID).url).toBe(
      `https://ark.cn-beijing.volces.com/api/v3/contents/generations/tasks/${ID}`,
    )
  })

  it('sends the key as a bearer token and keeps it out of printed values', () => {
    const provider = ark({ apiKey: KEY, baseURL: BASE })
    const request = provider.buildRequest(ID)
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(request.method).toBe('GET')
    expectNoSecret(KEY, provider)
  })

  it('puts a hostile id in one path segment', () => {
    const url = ark({ apiKey: KEY, baseURL: BASE }).buildRequest('../x?y=1#z').url
    expect(url).toBe(`${BASE}/api/v3/contents/generations/tasks/..%2Fx%3Fy%3D1%23z`)
  })

  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /options object/],
    ['no key', {}, /apiKey/],
    ['an empty key', { apiKey: ' ' }, /apiKey/],
    ['an unknown region', { apiKey: KEY, region: 'us-east-1' }, /`region`.*ap-southeast-1/],
    ['a misspelt option', { apiKey: KEY, regoin: 'cn-beijing' }, /did you mean `region`/],
    ['a base URL with a key in it', { apiKey: KEY, baseURL: 'https://u:p@x.test' }, /baseURL/],
  ])('refuses %s with a TypeError naming the option', (_what, options, message) => {
    expect(() => ark(options as never)).toThrow(TypeError)
    expect(() => ark(options as never)).toThrow(message)
  })

  it('polls every 5 s backing off to 15 s, without predicting (no progress)', () => {
    expect(ark({ apiKey: KEY }).pollDefaults).toEqual({
      intervalMs: 5_000,
      maxIntervalMs: 15_000,
      adaptive: false,
    })
  })

  it('reads through the transport (msw)', async () => {
    server.use(
      http.get(
        `${BASE}/api/v3/contents/generations/tasks/:id`,
        ({ request }) =>
          new HttpResponse(
            request.headers.get('authorization') === `Bearer ${KEY}`
              ? fixtureText('ark', 'doc-succeeded.json')
              : fixtureText('ark', 'error-401-authentication.json'),
            {
              status: request.headers.get('authorization') === `Bearer ${KEY}` ? 200 : 401,
              headers: { 'content-type': 'application/json', 'x-request-id': 'req-msw' },
            },
          ),
      ),
    )
    const { task } = await readThroughFetch(ark({ apiKey: KEY, baseURL: BASE }), ID)
    expect(task.status).toBe('succeeded')
    expect(task.details.requestId).toBe('req-msw')
  })
})

describe('create', () => {
  const provider = ark({ apiKey: KEY, baseURL: BASE })
  const build = (input: Parameters<NonNullable<typeof provider.buildCreateRequest>>[0]) => {
    const request = provider.buildCreateRequest?.(input)
    if (!request) throw new Error('no buildCreateRequest')
    return { request, body: JSON.parse(String(request.body ?? '{}')) as Record<string, unknown> }
  }

  it("builds the doc's request from the shared input and the bag", () => {
    const { request, body } = build({
      prompt: 'A kitten runs across a sunny garden',
      model: 'seedance-1-0-pro-250528',
      image: { kind: 'url', url: 'https://example.com/first.png' },
      resolution: '720p',
      aspectRatio: '16:9',
      durationSeconds: 5,
      callbackUrl: 'https://example.com/hooks/ark',
      providerInput: { generate_audio: false },
    })
    expect(request.method).toBe('POST')
    expect(request.url).toBe(`${BASE}/api/v3/contents/generations/tasks`)
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(body).toEqual(fixtureJson('ark', 'doc-create-request.json'))
  })

  it("defaults the model per cloud (ids differ: BytePlus's, Volcengine's doubao-)", () => {
    expect(build({ prompt: 'x' }).body.model).toBe('seedance-1-0-pro-250528')
    const volcengine = ark({ apiKey: KEY, region: 'cn-beijing' })
    const body = JSON.parse(String(volcengine.buildCreateRequest?.({ prompt: 'x' }).body ?? '{}'))
    expect(body.model).toBe('doubao-seedance-1-0-pro-250528')
  })

  it('maps an exact size to a ratio and a resolution, and image bytes to a data URL', () => {
    const { body } = build({
      prompt: 'p',
      size: '720x1280',
      seed: 7,
      image: {
        kind: 'bytes',
        bytes: new Uint8Array([1, 2, 3]),
        mediaType: 'image/png',
        fileName: 'a.png',
      },
    })
    expect(body).toMatchObject({ ratio: '9:16', resolution: '720p', seed: 7 })
    expect(body.content).toEqual([
      { type: 'text', text: 'p' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' }, role: 'first_frame' },
    ])
  })

  it('the bag wins over mapped fields and appends content items', () => {
    const { body } = build({
      prompt: 'p',
      durationSeconds: 5,
      providerInput: {
        duration: 10,
        service_tier: 'flex',
        content: [
          { type: 'image_url', image_url: { url: 'https://x.test/l.png' }, role: 'last_frame' },
        ],
      },
    })
    expect(body.duration).toBe(10)
    expect(body.service_tier).toBe('flex')
    expect((body.content as unknown[]).length).toBe(2)
  })

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an empty prompt', { prompt: ' ' }, /`prompt`/],
    ['a fractional duration', { prompt: 'p', durationSeconds: 5.5 }, /`durationSeconds`/],
    ['a negative duration', { prompt: 'p', durationSeconds: -1 }, /`durationSeconds`/],
    ['a ratio Ark lacks', { prompt: 'p', aspectRatio: '2:1' }, /`aspectRatio`/],
    ['a size that is no documented ratio', { prompt: 'p', size: '1000x700' }, /`size`/],
    ['a size at an undocumented resolution', { prompt: 'p', size: '1920x1088' }, /`size`/],
    ['size and aspectRatio', { prompt: 'p', size: '1280x720', aspectRatio: '16:9' }, /not both/],
    ['an unknown resolution', { prompt: 'p', resolution: '4k' }, /`resolution`/],
    [
      'a resolution disagreeing with size',
      { prompt: 'p', size: '1280x720', resolution: '1080p' },
      /`resolution`/,
    ],
    ['a fractional seed', { prompt: 'p', seed: 1.5 }, /`seed`/],
    ['a bag that is no object', { prompt: 'p', providerInput: 'x' }, /`providerInput`/],
    ['bag content that is no array', { prompt: 'p', providerInput: { content: {} } }, /content/],
  ])('refuses %s with a TypeError naming the field', (_what, input, message) => {
    expect(() => build(input as never)).toThrow(TypeError)
    expect(() => build(input as never)).toThrow(message)
  })

  const created = (name: string | { text: string }, status = 200) =>
    parseArkCreateResponse(response(name, status))

  it('reads the task id from the create answer', () => {
    expect(created('doc-create.json')).toEqual({ taskId: 'cgt-20250331175019-68d9t', task: null })
  })

  it('a 404 on create is an unknown or unopened model, not an unknown task', () => {
    for (const name of ['error-404-model-not-open.json', 'error-404-endpoint-or-model.json']) {
      const error = thrown(() => created(name, 404)) as ApiError
      expect(error).toBeInstanceOf(ApiError)
      expect(error).not.toBeInstanceOf(TaskNotFoundError)
      expect(error.retryable).toBe(false)
      expect(error.code).toMatch(/NotFound|ModelNotOpen/)
    }
  })

  it('classifies other create errors by status', () => {
    expect(thrown(() => created('error-401-authentication.json', 401))).toBeInstanceOf(
      AuthenticationError,
    )
    expect(thrown(() => created('error-429-endpoint-rpm.json', 429))).toBeInstanceOf(RateLimitError)
    expect(thrown(() => created('error-400-input-text-sensitive.json', 400))).toBeInstanceOf(
      ApiError,
    )
  })

  it('a 200 without an id is a ResponseValidationError', () => {
    expectInvalidOn200(thrown(() => created({ text: '{"status":"queued"}' })))
    expectInvalidOn200(thrown(() => created('malformed-empty.json')))
  })
})

describe('cancel', () => {
  const provider = ark({ apiKey: KEY, baseURL: BASE })
  const cancel = (name: string | { text: string }, status = 200) =>
    parseArkCancelResponse(response(name, status))

  it('is a DELETE of the task with the key', () => {
    expect(provider.buildCancelRequest?.(ID)).toEqual({
      method: 'DELETE',
      url: `${BASE}/api/v3/contents/generations/tasks/${ID}`,
      headers: expect.objectContaining({ authorization: `Bearer ${KEY}` }),
    })
  })

  it('accepts {} and an empty body', () => {
    expect(() => cancel('cancel-ok.json')).not.toThrow()
    expect(() => cancel({ text: '' })).not.toThrow()
    expect(() => cancel({ text: '' }, 204)).not.toThrow()
  })

  it.each([
    ['error-400-cancel-running.json', 400],
    ['error-409-cancel-running.json', 409],
  ])('a running task (%s) is a permanent ApiError keeping the code', (name, status) => {
    const error = thrown(() => cancel(name, status)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.retryable).toBe(false)
    expect(error.code).toBeTruthy()
  })

  it('404 is TaskNotFoundError, 429 and 5xx stay retryable', () => {
    expect(thrown(() => cancel('error-404-task-not-found.json', 404))).toBeInstanceOf(
      TaskNotFoundError,
    )
    expect((thrown(() => cancel('error-429-endpoint-rpm.json', 429)) as ApiError).retryable).toBe(
      true,
    )
    expect((thrown(() => cancel('error-500-plain-text.txt', 500)) as ApiError).retryable).toBe(true)
  })

  it('a 401 on cancel is an AuthenticationError', () => {
    expect(thrown(() => cancel('error-401-authentication.json', 401))).toBeInstanceOf(
      AuthenticationError,
    )
  })
})
