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
import { VideoTaskSchema } from '../../src/model-schemas.js'
import type { ProviderResponse } from '../../src/providers/define-provider.js'
import { gemini, parseGeminiResponse } from '../../src/providers/gemini.js'
import { expectNoSecret } from '../support/assertions.js'
import { fixtureJson, fixtureText } from '../support/fixtures.js'
import { readThroughFetch, useMswServer } from '../support/msw.js'

const BASE = 'https://generativelanguage.googleapis.com'
const KEY = 'AIza-gemini-test-0123456789abcdef'
const NAME = 'models/veo-3.1-generate-preview/operations/abc123xyz'
const RECEIVED = Date.UTC(2026, 9, 1, 12)
const CONTEXT = { url: (path: string) => `${BASE}${path}` }
const provider = gemini({ apiKey: KEY })

function response(body: string, status = 200, url = `${BASE}/v1beta/${NAME}`): ProviderResponse {
  return {
    status,
    headers: {},
    body,
    url,
    provider: 'gemini',
    taskId: NAME,
    receivedAt: RECEIVED,
  }
}

function read(name: string) {
  const task = parseGeminiResponse(response(fixtureText('gemini', name)), CONTEXT)
  expect(VideoTaskSchema.safeParse(task).success).toBe(true)
  return task
}

function errorOf(name: string, status: number, onRead = true) {
  try {
    parseGeminiResponse(response(fixtureText('gemini', name), status), CONTEXT, onRead)
  } catch (error) {
    return error
  }
  return expect.unreachable(`${name} parsed without an error`)
}

describe('operations', () => {
  it.each(['doc-running-done-absent.json', 'doc-running-done-false.json', 'running-metadata.json'])(
    '%s is running, without progress',
    (name) => {
      expect(read(name)).toMatchObject({
        id: NAME,
        status: 'running',
        progress: null,
        details: { model: 'veo-3.1-generate-preview' },
      })
    },
  )

  it('a proxy progressPercent is used (unconfirmed for Google)', () => {
    expect(read('running-progress-percent.json').progress).toBe(40)
  })

  it.each(['doc-succeeded.json', 'succeeded-with-type.json'])(
    '%s is succeeded: the uri needs the key, so it is a contentUrl',
    (name) => {
      const task = read(name)
      expect(task.status).toBe('succeeded')
      expect(task.videoUrl).toBeNull()
      expect(task.details.contentUrl).toBe(
        'https://generativelanguage.googleapis.com/v1beta/files/acwe2jipjo5j:download?alt=media',
      )
      expect(task.completedAt?.getTime()).toBe(RECEIVED)
      expect(task.expiresAt?.getTime()).toBe(RECEIVED + 48 * 3_600_000)
    },
  )

  it('partial RAI filtering still succeeds, and says how many were removed', () => {
    const task = read('succeeded-partial-rai.json')
    expect(task.status).toBe('succeeded')
    expect(task.details.raiMediaFilteredCount).toBe(1)
  })

  it('two samples: two authenticated outputs on the API origin, with the key only there', () => {
    const task = read('succeeded-two-samples.json')
    expect(task.details.sampleCount).toBe(2)
    const outputs = provider.outputs?.(task) ?? []
    expect(outputs).toHaveLength(2)
    for (const [location] of outputs) {
      expect(location?.kind).toBe('authenticated')
      if (location?.kind !== 'authenticated') continue
      expect(new URL(location.request.url).origin).toBe(BASE)
      expect(location.request.headers['x-goog-api-key']).toBe(KEY)
    }
  })

  it('a uri on another origin is a plain link: the key never goes there', () => {
    const body = fixtureJson('gemini', 'doc-succeeded.json') as Record<string, unknown>
    const foreign = JSON.stringify(body).replace(
      'https://generativelanguage.googleapis.com/v1beta/files/acwe2jipjo5j:download?alt=media',
      'https://storage.example.test/video.mp4',
    )
    const task = parseGeminiResponse(response(foreign), CONTEXT)
    expect(task.videoUrl).toBe('https://storage.example.test/video.mp4')
    expect(task.details.contentUrl).toBeUndefined()
    const outputs = provider.outputs?.(task) ?? []
    expect(outputs).toEqual([
      [{ kind: 'url', url: 'https://storage.example.test/video.mp4', expiresAt: task.expiresAt }],
    ])
  })

  it('inline bytes succeed with no URL, counted in details', () => {
    const task = read('succeeded-inline-bytes.json')
    expect(task.status).toBe('succeeded')
    expect(task.videoUrls).toEqual([])
    expect(task.details.inlineVideoCount).toBe(1)
  })

  it('RAI-filtered: failed, code rai_filtered, the reasons as the message', () => {
    const task = read('doc-failed-rai.json')
    expect(task.status).toBe('failed')
    expect(task.error?.code).toBe('rai_filtered')
    expect(task.error?.message).toMatch(/^We encountered an issue with the audio/)
  })

  it('Vertex RAI at the response level, bare support codes spelled out', () => {
    expect(read('vertex-failed-rai.json').error?.code).toBe('rai_filtered')
    expect(read('vertex-failed-rai-numeric.json').error?.message).toMatch(/support code \d+/)
    expect(read('vertex-succeeded-gcs.json').status).toBe('succeeded')
  })

  it.each([
    ['doc-failed-error.json', '3'],
    ['failed-error-resource-exhausted.json', '8'],
    ['failed-error-internal-details.json', '13'],
  ])('%s: an operation error is a failed task with the gRPC code', (name, code) => {
    const task = read(name)
    expect(task.status).toBe('failed')
    expect(task.error?.code).toBe(code)
    expect(task.error?.message).toBeTruthy()
  })

  it.each(['failed-empty-response.json', 'failed-no-response.json', 'failed-empty-samples.json'])(
    '%s: done without a video is failed (no_output), never running forever',
    (name) => {
      expect(read(name)).toMatchObject({ status: 'failed', error: { code: 'no_output' } })
    },
  )
})

describe('errors', () => {
  it.each([
    ['error-400-invalid-argument.json', 400, ApiError],
    ['error-400-api-key-invalid.json', 400, AuthenticationError],
    ['error-400-failed-precondition.json', 400, PermissionDeniedError],
    ['error-401-unauthenticated.json', 401, AuthenticationError],
    ['error-403-permission-denied.json', 403, PermissionDeniedError],
    ['error-404-operation.json', 404, TaskNotFoundError],
    ['error-429-resource-exhausted.json', 429, RateLimitError],
    ['error-500-internal.json', 500, ServerError],
    ['error-503-unavailable.json', 503, ServerError],
    ['error-504-deadline.json', 504, ServerError],
    ['malformed-html-502.json', 502, ServerError],
    ['malformed-empty.json', 200, ResponseValidationError],
    ['malformed-truncated.json', 200, ResponseValidationError],
    ['wrong-type-done-string.json', 200, ResponseValidationError],
    ['wrong-type-samples-object.json', 200, ResponseValidationError],
    ['wrong-type-error-code-string.json', 200, ResponseValidationError],
  ] as const)('%s (HTTP %i) is a %s', (name, status, type) => {
    expect(errorOf(name, status)).toBeInstanceOf(type)
  })

  it('a 400 INVALID_ARGUMENT is no more than an ApiError', () => {
    const error = errorOf('error-400-invalid-argument.json', 400)
    expect(error).not.toBeInstanceOf(AuthenticationError)
    expect(error).not.toBeInstanceOf(TaskNotFoundError)
  })

  it('RetryInfo.retryDelay "37s" is the wait before the next read', () => {
    const error = errorOf('error-429-retry-info.json', 429) as RateLimitError
    expect(error.retryAfterMs).toBe(37_000)
  })

  it('a 404 on create names the model, not a task', () => {
    const error = errorOf('error-404-model.json', 404, false) as ApiError
    expect(error).not.toBeInstanceOf(TaskNotFoundError)
    expect(error.message).toMatch(/model may not be available/)
  })
})

describe('requests', () => {
  it('reads the operation name as the path, with the key in x-goog-api-key only', () => {
    const request = provider.buildRequest(NAME)
    expect(request.url).toBe(`${BASE}/v1beta/${NAME}`)
    expect(request.headers['x-goog-api-key']).toBe(KEY)
    expect(request.headers.authorization).toBeUndefined()
    expect(request.url).not.toContain(KEY)
  })

  it('any other id is one encoded segment: it never changes the path', () => {
    expect(provider.buildRequest('../../admin').url).toBe(`${BASE}/v1beta/..%2F..%2Fadmin`)
    expect(provider.buildRequest('models/x/operations/..').url).toBe(
      `${BASE}/v1beta/models%2Fx%2Foperations%2F..`,
    )
    expect(provider.buildRequest('a?key=b').url).toBe(`${BASE}/v1beta/a%3Fkey%3Db`)
  })

  it('a base URL ending in /v1beta is the API root; options are checked', () => {
    expect(gemini({ apiKey: KEY, baseURL: `${BASE}/v1beta` }).buildRequest(NAME).url).toBe(
      `${BASE}/v1beta/${NAME}`,
    )
    expect(() => gemini({} as never)).toThrow(/apiKey/)
    expect(() => gemini({ apiKey: KEY, apikey: KEY } as never)).toThrow(/apiKey/)
  })

  it('create: the doc request, the model in the path', () => {
    const request = provider.buildCreateRequest?.({
      prompt: 'A cat playing piano in a cozy living room',
      aspectRatio: '16:9',
      durationSeconds: 8,
      resolution: '720p',
      providerInput: { sampleCount: 1 },
    })
    expect(request?.url).toBe(`${BASE}/v1beta/models/veo-3.1-generate-preview:predictLongRunning`)
    expect(JSON.parse(String(request?.body ?? ''))).toEqual(
      fixtureJson('gemini', 'doc-create-request.json'),
    )
  })

  it('create with an image: bytes as bytesBase64Encoded', () => {
    const expected = fixtureJson('gemini', 'create-request-image.json') as {
      instances: [{ prompt: string; image: { bytesBase64Encoded: string } }]
    }
    const bytes = Uint8Array.from(atob(expected.instances[0].image.bytesBase64Encoded), (c) =>
      c.charCodeAt(0),
    )
    const request = provider.buildCreateRequest?.({
      prompt: expected.instances[0].prompt,
      aspectRatio: '9:16',
      durationSeconds: 6,
      resolution: '720p',
      image: { kind: 'bytes', bytes, mediaType: 'image/png', fileName: 'frame.png' },
    })
    expect(JSON.parse(String(request?.body ?? ''))).toEqual(expected)
  })

  it.each([
    [{ size: '1280x720' }, /size/],
    [{ seed: 7 }, /seed/],
    [{ aspectRatio: '1:1' }, /aspectRatio/],
    [{ resolution: '4k' }, /resolution/],
    [{ durationSeconds: 7.5 }, /durationSeconds/],
    [{ model: '../x' }, /model/],
    [{ image: { kind: 'url', url: 'https://example.com/a.png' } }, /bytes/],
    [{ callbackUrl: 'https://example.com/hook' }, /callback/],
  ] as const)('create refuses %o with a TypeError naming it', (fields, name) => {
    expect(() => provider.buildCreateRequest?.({ prompt: 'x', ...fields })).toThrow(name)
  })

  it('create answer: the operation name is the task id', () => {
    const created = provider.parseCreateResponse?.(
      response(fixtureText('gemini', 'doc-create.json')),
    )
    expect(created?.taskId).toBe(NAME)
    expect(created?.task?.status).toBe('running')
  })

  it('cancel: POST {name}:cancel; {} accepted, 501 a typed refusal', () => {
    const request = provider.buildCancelRequest?.(NAME)
    expect(request).toMatchObject({ method: 'POST', url: `${BASE}/v1beta/${NAME}:cancel` })
    expect(() =>
      provider.parseCancelResponse?.(response(fixtureText('gemini', 'cancel-ok.json'))),
    ).not.toThrow()
    const refused = (() => {
      try {
        provider.parseCancelResponse?.(
          response(fixtureText('gemini', 'cancel-unimplemented.json'), 501),
        )
      } catch (error) {
        return error
      }
    })()
    expect(refused).toMatchObject({ code: 'cancel_unsupported', retryable: false })
  })

  const server = useMswServer()

  it('a server echoing the key gets it redacted from the task', async () => {
    server.use(
      http.get(`${BASE}/v1beta/models/:model/operations/:id`, ({ request }) =>
        HttpResponse.json({
          name: NAME,
          done: true,
          error: { code: 3, message: `bad key ${request.headers.get('x-goog-api-key')}` },
        }),
      ),
    )
    const { task } = await readThroughFetch(provider, NAME)
    expect(task.error?.message).toBe('bad key [REDACTED]')
    expectNoSecret(KEY, task)
  })
})
