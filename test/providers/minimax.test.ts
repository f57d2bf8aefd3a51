import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
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
import type { OutputLocation, ProviderResponse } from '../../src/providers/kit/index.js'
import {
  MINIMAX_DEFAULT_BASE_URL,
  minimax,
  minimaxCallbackAnswer,
  parseMiniMaxCreateResponse,
  parseMiniMaxFileResponse,
} from '../../src/providers/minimax.js'
import { type Simulator, startSimulator } from '../../src/simulator/index.js'
import { expectNoSecret } from '../support/assertions.js'
import { fixtureJson, fixtureText } from '../support/fixtures.js'

const BASE = 'https://api.minimax.test'
const KEY = 'mm-test-key-1234567890abcdef'
const ID = '106916112212032'
const RECEIVED_AT = Date.UTC(2026, 0, 2, 3, 4, 5)
const provider = minimax({ baseURL: BASE, apiKey: KEY })

function response(
  body: string,
  init: { status?: number; headers?: Record<string, string>; url?: string } = {},
): ProviderResponse {
  return {
    status: init.status ?? 200,
    headers: init.headers ?? {},
    body,
    url: init.url ?? `${BASE}/v1/query/video_generation?task_id=${ID}`,
    provider: 'minimax',
    taskId: ID,
    receivedAt: RECEIVED_AT,
  }
}

function read(fixture: string, init?: Parameters<typeof response>[1]) {
  const task = provider.parseResponse(response(fixtureText('minimax', fixture), init))
  expect(VideoTaskSchema.safeParse(task).success).toBe(true)
  return task
}

function readError(fixture: string, init?: Parameters<typeof response>[1]): unknown {
  try {
    provider.parseResponse(response(fixtureText('minimax', fixture), init))
  } catch (error) {
    return error
  }
  throw new Error(`${fixture} parsed without an error`)
}

function caught(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('minimax: the read request', () => {
  it('reads GET /v1/query/video_generation?task_id= with the bearer key', () => {
    const request = provider.buildRequest(ID)
    expect(request).toMatchObject({
      method: 'GET',
      url: `${BASE}/v1/query/video_generation?task_id=${ID}`,
      headers: { authorization: `Bearer ${KEY}` },
    })
  })

  it('keeps a hostile id inside the task_id parameter', () => {
    const url = new URL(provider.buildRequest('1&task_id=2#x').url)
    expect([...url.searchParams]).toEqual([['task_id', '1&task_id=2#x']])
    expect(url.hash).toBe('')
  })

  it('defaults to the global host and drops a /v1 the user wrote', () => {
    expect(minimax({ apiKey: KEY }).baseURL).toBe(MINIMAX_DEFAULT_BASE_URL)
    expect(minimax({ apiKey: KEY, baseURL: 'https://api.minimaxi.com/v1' }).baseURL).toBe(
      'https://api.minimaxi.com',
    )
  })

  it('refuses a missing key, a misspelt option and non-objects with a TypeError naming them', () => {
    // @ts-expect-error the key is required
    expect(() => minimax({})).toThrow(/apiKey/)
    // @ts-expect-error a misspelt option
    expect(() => minimax({ apiKey: KEY, baseUrl: BASE })).toThrow(/baseUrl.*baseURL/)
    // @ts-expect-error not an options object
    expect(() => minimax(null)).toThrow(TypeError)
  })

  it('polls every 10 s, then 20 s, without predicting the finish (no progress)', () => {
    expect(provider.pollDefaults).toEqual({
      intervalMs: 10_000,
      maxIntervalMs: 20_000,
      adaptive: false,
    })
  })
})

describe('minimax: status words', () => {
  it.each([
    ['doc-preparing.json', 'queued', 'Preparing'],
    ['doc-queueing.json', 'queued', 'Queueing'],
    ['doc-processing.json', 'running', 'Processing'],
    ['callback-processing.json', 'running', 'processing'],
  ])('%s -> %s', (fixture, status, word) => {
    const task = read(fixture)
    expect(task).toMatchObject({ status, vendorStatus: word, progress: null, videoUrl: null })
    expect(task.details.fileId).toBeUndefined()
    expect(task.createdAt).toBeNull()
  })

  it('Success: file id (string), size, no URL, no expiry on the task', () => {
    const task = read('doc-success.json', { headers: { 'trace-id': 'trace-1' } })
    expect(task).toMatchObject({
      id: '314052875571396',
      provider: 'minimax',
      status: 'succeeded',
      vendorStatus: 'Success',
      progress: 100,
      videoUrl: null,
      videoUrls: [],
      error: null,
      expiresAt: null,
      details: { fileId: '314053136425242', width: 768, height: 1152, requestId: 'trace-1' },
    })
  })

  it.each([
    ['callback-success.json', 'success', '205258526306433'],
    ['callback-success-capitalised.json', 'Success', undefined],
    ['success-numeric-file-id.json', 'Success', undefined],
  ])('%s is succeeded with a string file id', (fixture, word, fileId) => {
    const task = read(fixture)
    expect(task.status).toBe('succeeded')
    expect(task.vendorStatus).toBe(word)
    expect(task.details.fileId).toMatch(/^\d+$/)
    if (fileId) expect(task.details.fileId).toBe(fileId)
  })

  it('keeps a file id above 2^53 digit for digit', () => {
    const body =
      '{"task_id":"1","status":"Success","file_id":9007199254740993,"base_resp":{"status_code":0}}'
    expect(provider.parseResponse(response(body)).details.fileId).toBe('9007199254740993')
  })

  it('an unknown word is unknown, never a guessed final state', () => {
    const body = JSON.stringify({ task_id: ID, status: 'Reviewing', base_resp: { status_code: 0 } })
    expect(provider.parseResponse(response(body))).toMatchObject({
      status: 'unknown',
      vendorStatus: 'Reviewing',
    })
  })
})

describe('minimax: failures', () => {
  it('Fail with 1027 is a failed task carrying the code and message', () => {
    expect(read('doc-fail-1027.json')).toMatchObject({
      status: 'failed',
      error: { code: '1027', message: 'output new_sensitive' },
    })
  })

  it('Fail with base_resp 0 is failed without a code', () => {
    const task = read('fail-base-resp-zero.json')
    expect(task.status).toBe('failed')
    expect(task.error?.code).toBeNull()
    expect(task.error?.message).toBeTruthy()
  })

  it('an empty status with a moderation code is a failed task (new-api reading)', () => {
    expect(read('fail-status-code-only.json')).toMatchObject({
      status: 'failed',
      error: { code: '1026', message: 'input new_sensitive' },
    })
  })

  it('a callback `failed` is failed', () => {
    expect(read('callback-failed.json').status).toBe('failed')
  })
})

describe('minimax: errors in HTTP 200 answers and from the edge', () => {
  it.each([
    ['query-error-1000-unknown.json', ServerError, '1000', true],
    ['query-error-1001-timeout.json', ServerError, '1001', true],
    ['query-error-1024-internal.json', ServerError, '1024', true],
    ['query-error-1033-system.json', ServerError, '1033', true],
    ['query-error-1002-rate-limit.json', RateLimitError, '1002', true],
    ['query-error-1039-token-limit.json', RateLimitError, '1039', true],
    ['query-error-1041-conn-limit.json', RateLimitError, '1041', true],
    ['query-error-2045-rate-growth.json', RateLimitError, '2045', true],
    ['query-error-2056-usage-limit.json', RateLimitError, '2056', true],
    ['query-not-found-2013.json', TaskNotFoundError, '2013', false],
  ] as const)('%s -> %s', (fixture, type, code, retryable) => {
    const error = readError(fixture)
    expect(error).toBeInstanceOf(type)
    expect(error).toMatchObject({ status: 200, code, retryable, provider: 'minimax' })
  })

  it('code 0 with an empty status and task_id is an unknown task', () => {
    const error = readError('query-not-found-empty.json')
    expect(error).toBeInstanceOf(TaskNotFoundError)
    expect((error as Error).message).toContain(ID)
  })

  it.each([
    ['error-http-401.json', 401, AuthenticationError],
    ['error-http-429.json', 429, RateLimitError],
    ['error-http-503.html', 503, ServerError],
  ] as const)('%s (HTTP %i) -> %s', (fixture, status, type) => {
    const error = readError(fixture, { status, headers: { 'retry-after': '7' } })
    expect(error).toBeInstanceOf(type)
    if (status !== 401) expect((error as ServerError).retryAfterMs).toBe(7_000)
  })

  it.each([
    'malformed-empty.json',
    'malformed-truncated.json',
    'malformed-html-502.json',
    'wrong-type-base-resp-string.json',
    'success-no-file-id.json',
  ])('%s is a ResponseValidationError, never a task', (fixture) => {
    const error = readError(fixture)
    expect(error).toBeInstanceOf(ResponseValidationError)
    expect(error).toMatchObject({ retryable: false })
  })

  it('reads a status_code "0" sent as a string as success, not as an error code', () => {
    expect(read('wrong-type-status-code-string.json').status).toBe('running')
  })

  it('an unrelated JSON shape is a ResponseValidationError', () => {
    const error = caught(() => provider.parseResponse(response('{"object":"list","data":[]}')))
    expect(error).toBeInstanceOf(ResponseValidationError)
  })

  it('never repeats the key the server echoed', () => {
    const body = JSON.stringify({ base_resp: { status_code: 2049, status_msg: 'invalid api key' } })
    const error = caught(() => provider.parseResponse(response(body)))
    expect(error).toBeInstanceOf(AuthenticationError)
    expectNoSecret(KEY, error, provider)
  })
})

describe('minimax: create', () => {
  const build = provider.buildCreateRequest
  if (!build) throw new Error('minimax has no buildCreateRequest')

  it('maps the shared input onto the doc example body', () => {
    const request = build({
      prompt: 'A girl runs toward the camera and winks with a smile.',
      durationSeconds: 6,
      resolution: '768p',
      providerInput: { prompt_optimizer: true },
    })
    expect(request).toMatchObject({
      method: 'POST',
      url: `${BASE}/v1/video_generation`,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    })
    expect(JSON.parse(String(request.body ?? ''))).toEqual(
      fixtureJson('minimax', 'doc-create-request.json'),
    )
  })

  it('sends a URL image as is, bytes as a data URI, and the callback URL', () => {
    const url = JSON.parse(
      build({
        prompt: 'x',
        image: { kind: 'url', url: 'https://img.example/a.png' },
        callbackUrl: 'https://hooks.example/minimax',
      }).body?.toString() ?? '',
    )
    expect(url).toMatchObject({
      first_frame_image: 'https://img.example/a.png',
      callback_url: 'https://hooks.example/minimax',
    })
    const bytes = JSON.parse(
      build({
        prompt: 'x',
        image: {
          kind: 'bytes',
          bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
          mediaType: 'image/png',
          fileName: 'a.png',
        },
      }).body?.toString() ?? '',
    )
    expect(bytes.first_frame_image).toBe('data:image/png;base64,iVBORw==')
  })

  it('lets the providerInput bag win over mapped fields', () => {
    const body = JSON.parse(
      build({
        prompt: 'x',
        model: 'T2V-01',
        providerInput: { model: 'S2V-01', aigc_watermark: true },
      }).body?.toString() ?? '',
    )
    expect(body).toMatchObject({ model: 'S2V-01', aigc_watermark: true })
  })

  it.each([
    [{ prompt: 'x', size: '1280x720' }, /`size`/],
    [{ prompt: 'x', aspectRatio: '16:9' }, /`aspectRatio`/],
    [{ prompt: 'x', seed: 7 }, /`seed`/],
    [{ prompt: 'x', durationSeconds: 5 }, /`durationSeconds`.*6 or 10/],
    [{ prompt: 'x', resolution: '4k' }, /`resolution`/],
    [{ prompt: '' }, /`prompt`/],
    [{ prompt: 'x'.repeat(2001) }, /`prompt`.*2000/],
    [{ prompt: 'x', callbackUrl: 'not a url' }, /`callbackUrl`/],
    [
      {
        prompt: 'x',
        image: { kind: 'bytes', bytes: new Uint8Array(1), mediaType: 'video/mp4', fileName: 'a' },
      },
      /`image`/,
    ],
  ] as const)('refuses %j with a TypeError naming the option', (input, message) => {
    // biome-ignore lint/suspicious/noExplicitAny: hostile input
    expect(() => build(input as any)).toThrow(TypeError)
    // biome-ignore lint/suspicious/noExplicitAny: hostile input
    expect(() => build(input as any)).toThrow(message)
  })

  it('reads the task id of a create answer as a string', () => {
    const parse = (fixture: string) =>
      parseMiniMaxCreateResponse(response(fixtureText('minimax', fixture)))
    expect(parse('doc-create.json')).toEqual({ taskId: ID, task: null })
    expect(parse('wrong-type-task-id-number.json')).toEqual({ taskId: ID, task: null })
  })

  it.each([
    ['create-error-2013-empty-task-id.json', ApiError, '2013'],
    ['create-error-2013-no-task-id.json', ApiError, '2013'],
    ['create-error-1026-input-sensitive.json', ApiError, '1026'],
    ['create-error-1042-invisible-characters.json', ApiError, '1042'],
    ['create-error-1008-insufficient-balance.json', PermissionDeniedError, '1008'],
    ['create-error-2038-real-name.json', PermissionDeniedError, '2038'],
    ['create-error-1004-not-authorized.json', AuthenticationError, '1004'],
    ['create-error-2049-invalid-api-key.json', AuthenticationError, '2049'],
  ] as const)('a rejected create (%s) is %s, never a task', (fixture, type, code) => {
    const error = caught(() =>
      provider.parseCreateResponse?.(response(fixtureText('minimax', fixture))),
    )
    expect(error).toBeInstanceOf(type)
    expect(error).toMatchObject({ status: 200, code, retryable: false })
    if (type === ApiError) expect((error as Error).constructor).toBe(ApiError)
  })

  it('code 0 without a task id is a ResponseValidationError', () => {
    const body = '{"task_id":"","base_resp":{"status_code":0,"status_msg":"success"}}'
    expect(caught(() => parseMiniMaxCreateResponse(response(body)))).toBeInstanceOf(
      ResponseValidationError,
    )
  })

  it('documents no cancel: no cancel request is ever built', () => {
    expect(provider.buildCancelRequest).toBeUndefined()
    expect(provider.parseCancelResponse).toBeUndefined()
  })
})

describe('minimax: outputs through the file API', () => {
  const succeeded = read('doc-success.json')

  it('has none before success', () => {
    expect(provider.outputs?.(read('doc-processing.json'))).toEqual([])
    expect(provider.outputs?.(read('doc-fail-1027.json'))).toEqual([])
  })

  it('resolves the file id on the provider origin with the key', () => {
    const outputs = provider.outputs?.(succeeded) ?? []
    expect(outputs).toHaveLength(1)
    const location = outputs[0]?.[0] as Extract<OutputLocation, { kind: 'resolve' }>
    expect(location.kind).toBe('resolve')
    expect(location.request).toMatchObject({
      method: 'GET',
      url: `${BASE}/v1/files/retrieve?file_id=314053136425242`,
      headers: { authorization: `Bearer ${KEY}` },
    })
  })

  it.each(['doc-file-retrieve.json', 'file-retrieve-string-file-id.json'])(
    '%s: download_url, expiring 9 h after the answer',
    (fixture) => {
      const resolved = parseMiniMaxFileResponse(response(fixtureText('minimax', fixture)))
      expect(resolved.url).toMatch(/^https:\/\/video-product\.cdn\.minimax\.io\/.+output\.mp4$/)
      expect(resolved.expiresAt.getTime()).toBe(RECEIVED_AT + 9 * 3_600_000)
    },
  )

  it('a file answer with an error code or no URL is a typed error', () => {
    const denied = caught(() =>
      parseMiniMaxFileResponse(response(fixtureText('minimax', 'file-retrieve-error-1004.json'))),
    )
    expect(denied).toBeInstanceOf(AuthenticationError)
    const empty = caught(() =>
      parseMiniMaxFileResponse(
        response('{"file":{"download_url":"javascript:alert(1)"},"base_resp":{"status_code":0}}'),
      ),
    )
    expect(empty).toBeInstanceOf(ResponseValidationError)
  })
})

describe('minimax: callbacks', () => {
  it('echoes the handshake challenge and nothing else', () => {
    expect(minimaxCallbackAnswer(fixtureJson('minimax', 'callback-challenge.json'))).toEqual({
      challenge: '1a3cs1j-601a-118y-ch52-o48911eabc3u',
    })
    expect(minimaxCallbackAnswer(fixtureJson('minimax', 'callback-success.json'))).toBeNull()
    expect(minimaxCallbackAnswer({ challenge: 42 })).toBeNull()
    expect(minimaxCallbackAnswer('challenge')).toBeNull()
  })
})

describe('minimax against the simulator', () => {
  let sim: Simulator
  let clock = Date.UTC(2026, 0, 1)
  beforeAll(async () => {
    sim = await startSimulator({ now: () => clock })
  })
  afterAll(async () => {
    await sim.close()
  })

  async function send(
    request: {
      method: string
      url: string
      headers: Record<string, string>
      body?: string | Uint8Array | undefined
    },
    taskId = '',
  ) {
    const answer = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
    })
    return {
      status: answer.status,
      headers: Object.fromEntries(answer.headers),
      body: await answer.text(),
      url: request.url,
      provider: 'minimax',
      taskId,
      receivedAt: clock,
    }
  }

  it('creates, waits, and resolves the file into the video bytes', async () => {
    const subject = minimax({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    const create = subject.buildCreateRequest?.({ prompt: 'a red fox', durationSeconds: 6 })
    if (!create) throw new Error('no create request')
    const created = subject.parseCreateResponse?.(await send(create))
    expect(created?.taskId).toMatch(/^\d{15}$/)
    const taskId = created?.taskId ?? ''
    clock += 60 * 60_000 // past the default script: the task is done
    const client = createClient({ provider: subject, intervalMs: 10, maxIntervalMs: 20 })
    try {
      const task = await client.waitFor(taskId)
      expect(task).toMatchObject({ id: taskId, status: 'succeeded', videoUrl: null })
      const location = subject.outputs?.(task)[0]?.[0]
      if (location?.kind !== 'resolve') throw new Error('expected a resolve location')
      const resolved = location.parse(await send(location.request, taskId))
      expect(resolved.url).toBe(sim.task(taskId)?.videoUrl)
      const video = await fetch(resolved.url)
      expect(video.status).toBe(200)
      expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(0)
    } finally {
      await client.close()
    }
  })

  it('a wrong key is an AuthenticationError from an HTTP 200 answer', async () => {
    const task = sim.createTask({ provider: 'minimax' })
    const client = createClient({
      provider: minimax({ baseURL: sim.baseURL, apiKey: 'wrong-key' }),
      intervalMs: 10,
    })
    try {
      const error = await client.waitFor(task.id).catch((reason: unknown) => reason)
      expect(error).toBeInstanceOf(AuthenticationError)
      expect(error).toMatchObject({ status: 200, code: '1004' })
    } finally {
      await client.close()
    }
  })

  it('an unknown id ends the wait with TaskNotFoundError after one read', async () => {
    const client = createClient({
      provider: minimax({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
      intervalMs: 10,
    })
    const before = sim.totalRequests()
    try {
      const error = await client.waitFor('123').catch((reason: unknown) => reason)
      expect(error).toBeInstanceOf(TaskNotFoundError)
      expect(sim.totalRequests() - before).toBe(1)
    } finally {
      await client.close()
    }
  })
})
