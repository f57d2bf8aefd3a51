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
import { VideoTaskSchema } from '../../src/model-schemas.js'
import type { ProviderResponse } from '../../src/providers/define-provider.js'
import type { CreateRequestInput } from '../../src/providers/kit/lifecycle.js'
import {
  type KlingProviderInput,
  kling,
  parseKlingCallback,
  parseKlingCreateResponse,
  parseKlingResponse,
} from '../../src/providers/kling.js'
import { verifyHs256Token } from '../../src/simulator/hs256.js'
import { expectNoSecret } from '../support/assertions.js'
import { fixtureJson, fixtureText } from '../support/fixtures.js'
import { readErrorThroughFetch, readThroughFetch, useMswServer } from '../support/msw.js'

const BASE = 'https://api-singapore.klingai.com'
const ACCESS_KEY = 'ak-kling-test-0a1b2c'
const SECRET_KEY = 'sk-kling-SECRET-do-not-leak-7d8e9f'
const API_KEY = 'kling-api-key-0123456789abcdef'
const ID = '866889456698785798'
const V2_ID = '893605946402811985'
const DAY_MS = 24 * 60 * 60 * 1000

function response(
  body: string,
  init: { status?: number; url?: string; taskId?: string } = {},
): ProviderResponse {
  return {
    status: init.status ?? 200,
    headers: {},
    body,
    url: init.url ?? `${BASE}/v1/videos/text2video/${ID}`,
    provider: 'kling',
    taskId: init.taskId ?? ID,
    receivedAt: 0,
  }
}

function read(name: string, init: Parameters<typeof response>[1] = {}) {
  const task = parseKlingResponse(response(fixtureText('kling', name), init))
  expect(VideoTaskSchema.safeParse(task).success).toBe(true)
  return task
}

function readV2(name: string) {
  return read(name, { url: `${BASE}/tasks?task_ids=${V2_ID}`, taskId: V2_ID })
}

function errorOf(name: string, status: number, init: Parameters<typeof response>[1] = {}) {
  try {
    parseKlingResponse(response(fixtureText('kling', name), { ...init, status }))
  } catch (error) {
    return error
  }
  return expect.unreachable(`${name} parsed without an error`)
}

describe('legacy reads (doc examples)', () => {
  it.each([
    ['doc-submitted.json', 'queued', 'submitted'],
    ['doc-processing.json', 'running', 'processing'],
  ] as const)('%s is %s, no progress, no completion', (name, status, word) => {
    const task = read(name)
    expect(task).toMatchObject({ id: ID, provider: 'kling', status, vendorStatus: word })
    expect(task.progress).toBeNull()
    expect(task.completedAt).toBeNull()
    expect(task.createdAt?.toISOString()).toBe(new Date(1_774_711_071_284).toISOString())
    expect(task.details).toMatchObject({ route: 'text2video', externalTaskId: 'text_probe_1' })
  })

  it('`succeed` is succeeded: URL, ms timestamps, duration, credits, 30-day expiry', () => {
    const task = read('doc-succeed.json')
    expect(task.status).toBe('succeeded')
    expect(task.vendorStatus).toBe('succeed')
    expect(task.videoUrl).toBe('https://v1-kling.klingai.com/kcdn/example/output.mp4')
    expect(task.completedAt?.getTime()).toBe(1_774_711_142_907)
    expect(task.expiresAt?.getTime()).toBe(1_774_711_071_284 + 30 * DAY_MS)
    expect(task.details).toEqual({
      route: 'text2video',
      durationSeconds: 5.1,
      credits: 1,
      externalTaskId: 'text_probe_1',
      watermarkUrl: 'https://v1-kling.klingai.com/kcdn/example/output_wm.mp4',
      requestId: '9a1b2c3d-0000-4000-8000-000000000003',
    })
  })

  it('`failed` carries task_status_msg as the reason, with no code', () => {
    const task = read('doc-failed.json')
    expect(task.status).toBe('failed')
    expect(task.error).toEqual({ code: null, message: 'Failure to pass the risk control system' })
    expect(task.expiresAt).toBeNull()
  })

  it('an image2video read says so in details.route', () => {
    const task = read('image2video-succeed.json', {
      url: `${BASE}/v1/videos/image2video/${ID}`,
    })
    expect(task.status).toBe('succeeded')
    expect(task.details.route).toBe('image2video')
    expect(task.details.watermarkUrl).toBeUndefined()
  })

  it('a duration sent as a number reads the same as the string', () => {
    expect(read('wrong-type-duration-number.json').details.durationSeconds).toBeTypeOf('number')
  })

  it('`succeed` with no videos: succeeded, no URL and no expiry (never "undefined")', () => {
    const task = read('succeed-empty-videos.json')
    expect(task.status).toBe('succeeded')
    expect(task.videoUrl).toBeNull()
    expect(task.videoUrls).toEqual([])
    expect(task.expiresAt).toBeNull()
  })

  it('an unknown status word is unknown, never a guessed final state', () => {
    const body = fixtureJson('kling', 'doc-processing.json') as { data: object }
    const task = parseKlingResponse(
      response(JSON.stringify({ ...body, data: { ...body.data, task_status: 'paused' } })),
    )
    expect(task.status).toBe('unknown')
  })
})

describe('API-key route reads', () => {
  it.each([
    ['v2-submitted.json', 'queued'],
    ['v2-processing.json', 'running'],
  ] as const)('%s is %s', (name, status) => {
    expect(readV2(name)).toMatchObject({ id: V2_ID, status, progress: null })
  })

  it('`succeeded`: the video output, billing as credits, external id', () => {
    const task = readV2('doc-v2-succeeded.json')
    expect(task).toMatchObject({ status: 'succeeded', vendorStatus: 'succeeded' })
    expect(task.videoUrls).toEqual(['https://example.com/out.mp4'])
    expect(task.expiresAt?.getTime()).toBe(1_781_080_778_802 + 30 * DAY_MS)
    expect(task.details).toMatchObject({
      route: 'tasks',
      credits: 1,
      externalTaskId: 'shot-1',
      durationSeconds: 5,
    })
  })

  it('picks the `type: "video"` output when it is not the first', () => {
    const task = readV2('v2-succeeded-image-and-video-outputs.json')
    const raw = fixtureJson('kling', 'v2-succeeded-image-and-video-outputs.json') as {
      data: { outputs: { type: string; url: string }[] }[]
    }
    const video = raw.data[0]?.outputs.find((output) => output.type === 'video')
    expect(task.videoUrls).toEqual([video?.url])
    expect(raw.data[0]?.outputs[0]?.type).not.toBe('video')
  })

  it('`failed` carries `message` as the reason', () => {
    expect(readV2('v2-failed.json').error).toEqual({
      code: null,
      message: 'Failure to pass the risk control system',
    })
  })

  it('an empty `data` array is a TaskNotFoundError (unconfirmed reading)', () => {
    const error = errorOf('v2-empty-data.json', 200, {
      url: `${BASE}/tasks?task_ids=${V2_ID}`,
      taskId: V2_ID,
    })
    expect(error).toBeInstanceOf(TaskNotFoundError)
  })

  it('never reads another task of the array as the one asked for', () => {
    const body = fixtureText('kling', 'doc-v2-succeeded.json')
    expect(() => parseKlingResponse(response(body, { taskId: 'some-other-id' }))).toThrow(
      TaskNotFoundError,
    )
  })
})

describe('errors: decided on the code, not the HTTP status', () => {
  it.each([
    ['error-401-1000.json', 401, AuthenticationError],
    ['error-401-1001.json', 401, AuthenticationError],
    ['error-401-1002.json', 401, AuthenticationError],
    ['error-401-1003.json', 401, AuthenticationError],
    ['error-401-1004.json', 401, AuthenticationError],
    ['error-429-1100.json', 429, PermissionDeniedError],
    ['error-403-1103.json', 403, PermissionDeniedError],
    ['error-429-1304.json', 429, PermissionDeniedError],
    ['error-429-1302.json', 429, RateLimitError],
    ['error-429-1303.json', 429, RateLimitError],
    ['error-500-5000.json', 500, ServerError],
    ['error-503-5001.json', 503, ServerError],
    ['error-504-5002.json', 504, ServerError],
    ['error-404-1203.json', 404, TaskNotFoundError],
    ['error-400-1201-task-not-found.json', 400, TaskNotFoundError],
    ['envelope-error-http-200.json', 200, RateLimitError],
  ] as const)('%s (HTTP %i) is a %s', (name, status, type) => {
    const error = errorOf(name, status)
    expect(error).toBeInstanceOf(type)
    const body = fixtureJson('kling', name) as { code: number; message: string }
    expect((error as ApiError).code).toBe(String(body.code))
    expect((error as ApiError).message).toBe(body.message)
    expect((error as ApiError).requestId).toBeTruthy()
  })

  it.each([
    ['error-429-1101.json', 429],
    ['error-429-1102.json', 429],
    ['error-400-1200.json', 400],
    ['error-400-1201.json', 400],
    ['error-404-1202.json', 404],
    ['error-400-1300.json', 400],
    ['error-400-1301.json', 400],
  ] as const)('%s (HTTP %i) is a permanent plain ApiError', (name, status) => {
    const error = errorOf(name, status) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    for (const type of [TaskNotFoundError, RateLimitError, ServerError, AuthenticationError]) {
      expect(error).not.toBeInstanceOf(type)
    }
    // 1101/1102 arrive as 429 but are billing states: no retry.
    expect(error.retryable).toBe(false)
  })

  it('1203 on a create (unknown model) is no TaskNotFoundError', () => {
    const error = (() => {
      try {
        return parseKlingCreateResponse(
          response(fixtureText('kling', 'error-404-1203.json'), {
            status: 404,
            url: `${BASE}/v1/videos/text2video`,
          }),
        )
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(ApiError)
    expect(error).not.toBeInstanceOf(TaskNotFoundError)
  })

  it.each([
    ['malformed-empty.json', 200, ResponseValidationError],
    ['malformed-truncated.json', 200, ResponseValidationError],
    ['malformed-html-502.json', 502, ServerError],
    ['wrong-type-data-string.json', 200, ResponseValidationError],
  ] as const)('%s (HTTP %i) is a %s', (name, status, type) => {
    expect(errorOf(name, status)).toBeInstanceOf(type)
  })

  it('an envelope code sent as the string "0" is success', () => {
    expect(read('wrong-type-code-string.json').status).toBe('running')
  })

  it('a code that is a word, not 0, is an error, never a silent task', () => {
    const body = fixtureJson('kling', 'doc-processing.json') as object
    expect(() =>
      parseKlingResponse(response(JSON.stringify({ ...body, code: 'quota', message: 'no' }))),
    ).toThrow(ApiError)
  })
})

describe('callbacks', () => {
  it.each([
    ['callback-legacy-succeed.json', 'succeeded'],
    ['callback-legacy-enveloped.json', 'succeeded'],
    ['callback-legacy-processing.json', 'running'],
    ['callback-v2-succeeded.json', 'succeeded'],
  ] as const)('%s reads as %s', (name, status) => {
    const task = parseKlingCallback(fixtureText('kling', name))
    expect(task.status).toBe(status)
    expect(task.id).toMatch(/^\d+$/)
  })
})

describe('kling() options', () => {
  it('refuses missing credentials, both kinds at once, and a half pair, naming the option', () => {
    expect(() => kling({} as never)).toThrow(/apiKey/)
    expect(() =>
      kling({ apiKey: API_KEY, accessKey: ACCESS_KEY, secretKey: SECRET_KEY } as never),
    ).toThrow(/either/)
    expect(() => kling({ accessKey: ACCESS_KEY } as never)).toThrow(/secretKey/)
    expect(() => kling({ secretKey: SECRET_KEY } as never)).toThrow(/accessKey/)
    expect(() => kling({ apiKey: API_KEY, secretkey: 'x' } as never)).toThrow(/secretKey/)
  })

  it('never shows the secret key: not in errors, requests, or the inspected provider', async () => {
    const provider = kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
    const request = provider.buildRequest(ID)
    const authorized = await provider.authorize?.(request)
    expectNoSecret(SECRET_KEY, provider, request, authorized)
    const error = (() => {
      try {
        kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, baseURL: 'ftp://x' })
      } catch (caught) {
        return caught
      }
    })()
    expectNoSecret(SECRET_KEY, error)
    expect(inspect(provider, { showHidden: true, depth: 5 })).not.toContain(SECRET_KEY)
  })

  it('defaults to the Singapore host; a base URL ending in /v1 is the API root', () => {
    const provider = kling({ apiKey: API_KEY })
    expect(provider.baseURL).toBe(BASE)
    expect(kling({ apiKey: API_KEY, baseURL: `${BASE}/v1` }).buildRequest(ID).url).toBe(
      provider.buildRequest(ID).url,
    )
  })
})

describe('routes', () => {
  const legacy = kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
  const keyed = kling({ apiKey: API_KEY })

  it('reads a task on the family it was created on', () => {
    expect(legacy.buildRequest(ID).url).toBe(`${BASE}/v1/videos/text2video/${ID}`)
    expect(legacy.buildRequest(ID, 'image2video').url).toBe(`${BASE}/v1/videos/image2video/${ID}`)
    expect(keyed.buildRequest(ID).url).toBe(`${BASE}/tasks?task_ids=${ID}`)
    expect(keyed.buildRequest(ID, 'tasks').url).toBe(`${BASE}/tasks?task_ids=${ID}`)
  })

  it('a legacy request carries no credential until authorized; the API key is a bearer', () => {
    expect(legacy.buildRequest(ID).headers.authorization).toBeUndefined()
    expect(keyed.buildRequest(ID).headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(keyed.authorize).toBeUndefined()
  })

  it('refuses a route of the other credential, or no route at all, with a TypeError', () => {
    expect(() => keyed.buildRequest(ID, 'text2video')).toThrow(/accessKey, secretKey/)
    expect(() => legacy.buildRequest(ID, 'tasks')).toThrow(/apiKey/)
    expect(() => legacy.buildRequest(ID, '../admin')).toThrow(TypeError)
  })

  it('an id that would change the path or the query is encoded, never interpreted', () => {
    expect(keyed.buildRequest('a,b&task_ids=c').url).toBe(
      `${BASE}/tasks?task_ids=a%2Cb%26task_ids%3Dc`,
    )
    expect(legacy.buildRequest('../x').url).toBe(`${BASE}/v1/videos/text2video/..%2Fx`)
  })
})

describe('HS256 authorization', () => {
  it('signs a token the vendor would accept: iss = access key, 30 min, nbf 5 s back', async () => {
    const provider = kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
    const request = await provider.authorize?.(provider.buildRequest(ID))
    const token = /^Bearer (\S+)$/.exec(request?.headers.authorization ?? '')?.[1] ?? ''
    const verified = verifyHs256Token(token, SECRET_KEY, {
      nowMs: Date.now(),
      expectedIssuer: ACCESS_KEY,
    })
    expect(verified.ok).toBe(true)
    if (!verified.ok) return
    expect(verified.claims.exp - (verified.claims.nbf ?? 0)).toBe(1_805)
    // Method, URL and body are untouched; the headers object is reused while the token lives.
    expect(request?.url).toBe(`${BASE}/v1/videos/text2video/${ID}`)
    const again = await provider.authorize?.(provider.buildRequest(ID))
    expect(again?.headers).toBe(request?.headers)
    expect(Object.isFrozen(request?.headers)).toBe(true)
  })

  const server = useMswServer()

  it('the client sends the signed token on a read, and redacts it from what it returns', async () => {
    let seen: string | null = null
    server.use(
      http.get(`${BASE}/v1/videos/text2video/:id`, ({ request }) => {
        seen = request.headers.get('authorization')
        const body = fixtureJson('kling', 'doc-failed.json') as { data: object }
        // A hostile server echoes the credential back in the failure reason.
        return HttpResponse.json({
          ...body,
          data: { ...body.data, task_status_msg: `bad token ${seen}` },
        })
      }),
    )
    const provider = kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
    const { task } = await readThroughFetch(provider, ID)
    expect(seen).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/)
    const token = (seen ?? '').slice('Bearer '.length)
    expect(task.error?.message).toBe('bad token [REDACTED]')
    expectNoSecret(token, task)
    expectNoSecret(SECRET_KEY, task)
  })

  it('a 401 1004 (expired token) is an AuthenticationError', async () => {
    server.use(
      http.get(`${BASE}/v1/videos/text2video/:id`, () =>
        HttpResponse.json(fixtureJson('kling', 'error-401-1004.json') as object, { status: 401 }),
      ),
    )
    const provider = kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
    const error = await readErrorThroughFetch(provider, ID)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect((error as ApiError).code).toBe('1004')
  })
})

describe('create', () => {
  const legacy = kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
  const keyed = kling({ apiKey: API_KEY })
  const input = (
    fields: Partial<CreateRequestInput<KlingProviderInput>> = {},
  ): CreateRequestInput<KlingProviderInput> => ({
    prompt: 'A calm sunrise over the ocean',
    ...fields,
  })
  const bodyOf = (request: { body?: string | Uint8Array | undefined }) =>
    JSON.parse(String(request.body ?? ''))

  it('legacy text2video: the doc request, duration as a string, the bag wins', () => {
    const request = legacy.buildCreateRequest?.(
      input({
        prompt: 'A calm sunrise over the ocean, cinematic, realistic',
        model: 'kling-v2-6',
        durationSeconds: 5,
        aspectRatio: '16:9',
        callbackUrl: 'https://example.com/hooks/kling',
        providerInput: { mode: 'std', external_task_id: 'text_probe_1' },
      }),
    )
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe(`${BASE}/v1/videos/text2video`)
    expect(request?.headers['content-type']).toBe('application/json')
    expect(bodyOf(request ?? {})).toEqual(fixtureJson('kling', 'doc-create-request.json'))
  })

  it('legacy image2video: bytes as raw base64, a data: URL loses its prefix', () => {
    const bytes = legacy.buildCreateRequest?.(
      input({
        image: {
          kind: 'bytes',
          bytes: new Uint8Array([1, 2, 3]),
          mediaType: 'image/png',
          fileName: 'a.png',
        },
      }),
    )
    expect(bytes?.url).toBe(`${BASE}/v1/videos/image2video`)
    expect(bodyOf(bytes ?? {}).image).toBe('AQID')
    const data = legacy.buildCreateRequest?.(
      input({ image: { kind: 'url', url: 'data:image/png;base64,AQID' } }),
    )
    expect(bodyOf(data ?? {}).image).toBe('AQID')
  })

  it('API-key routes: the model in the path, settings and options nested', () => {
    const request = keyed.buildCreateRequest?.(
      input({
        durationSeconds: 5,
        aspectRatio: '16:9',
        resolution: '720p',
        callbackUrl: 'https://example.com/hooks/kling',
        providerInput: {
          settings: { audio: 'off' },
          options: { external_task_id: 'shot-1', watermark_info: { enabled: false } },
        },
      }),
    )
    expect(request?.url).toBe(`${BASE}/text-to-video/kling-2.6`)
    expect(bodyOf(request ?? {})).toEqual(fixtureJson('kling', 'doc-v2-create-request.json'))
    const image = keyed.buildCreateRequest?.(
      input({ model: 'kling-3.0', image: { kind: 'url', url: 'https://example.com/a.png' } }),
    )
    expect(image?.url).toBe(`${BASE}/image-to-video/kling-3.0`)
    expect(bodyOf(image ?? {}).contents).toEqual([
      { type: 'prompt', text: 'A calm sunrise over the ocean' },
      { type: 'first_frame', url: 'https://example.com/a.png' },
    ])
  })

  it.each([
    [{ size: '1280x720' }, /size/],
    [{ seed: 1 }, /seed/],
    [{ aspectRatio: '4:3' }, /aspectRatio/],
    [{ durationSeconds: 5.5 }, /durationSeconds/],
    [{ prompt: '' }, /prompt/],
  ])('refuses %o with a TypeError naming it', (fields, name) => {
    expect(() => legacy.buildCreateRequest?.(input(fields))).toThrow(name)
    expect(() => keyed.buildCreateRequest?.(input(fields))).toThrow(TypeError)
  })

  it('refuses what one family cannot express', () => {
    expect(() => legacy.buildCreateRequest?.(input({ resolution: '1080p' }))).toThrow(/mode/)
    expect(() => keyed.buildCreateRequest?.(input({ resolution: '4k' }))).toThrow(/resolution/)
    expect(() =>
      keyed.buildCreateRequest?.(
        input({
          image: { kind: 'bytes', bytes: new Uint8Array(1), mediaType: 'image/png', fileName: 'a' },
        }),
      ),
    ).toThrow(/URL/)
    expect(() => keyed.buildCreateRequest?.(input({ model: '../admin' }))).toThrow(/model/)
  })

  it('reads create answers: the id as a string, the task, the route family', () => {
    const created = parseKlingCreateResponse(
      response(fixtureText('kling', 'doc-create.json'), { url: `${BASE}/v1/videos/image2video` }),
    )
    expect(created).toMatchObject({ taskId: ID, route: 'image2video' })
    expect(created.task?.status).toBe('queued')
    const v2 = parseKlingCreateResponse(
      response(fixtureText('kling', 'doc-v2-create.json'), {
        url: `${BASE}/text-to-video/kling-2.6`,
      }),
    )
    expect(v2).toMatchObject({ taskId: V2_ID, route: 'tasks' })
    expect(v2.task?.details.externalTaskId).toBe('shot-1')
  })

  it('a create refused with HTTP 429 1303 is a RateLimitError (no task was made)', () => {
    expect(() =>
      parseKlingCreateResponse(
        response(fixtureText('kling', 'error-429-1303.json'), {
          status: 429,
          url: `${BASE}/v1/videos/text2video`,
        }),
      ),
    ).toThrow(RateLimitError)
  })

  it('cannot cancel: no cancel members', () => {
    expect(legacy.buildCancelRequest).toBeUndefined()
    expect(keyed.parseCancelResponse).toBeUndefined()
  })

  it('outputs are the public links, with the 30-day expiry', () => {
    const task = read('doc-succeed.json')
    expect(legacy.outputs?.(task)).toEqual([
      [{ kind: 'url', url: task.videoUrl, expiresAt: task.expiresAt }],
    ])
  })
})
