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
import type { ProviderResponse } from '../../src/providers/kit/index.js'
import {
  parseRunwayCreateResponse,
  RUNWAY_API_VERSION,
  RUNWAY_DEFAULT_BASE_URL,
  runway,
} from '../../src/providers/runway.js'
import { type Simulator, startSimulator } from '../../src/simulator/index.js'
import { expectNoSecret } from '../support/assertions.js'
import { fixtureJson, fixtureText } from '../support/fixtures.js'

const BASE = 'https://api.runway.test'
const KEY = `key_${'ab'.repeat(64)}`
const ID = '17f20503-6c24-4c16-946b-35dbbce2af2f'
const RECEIVED_AT = Date.UTC(2026, 6, 23, 21, 30)
const provider = runway({ baseURL: BASE, apiKey: KEY })

function response(
  body: string,
  init: { status?: number; headers?: Record<string, string> } = {},
): ProviderResponse {
  return {
    status: init.status ?? 200,
    headers: init.headers ?? {},
    body,
    url: `${BASE}/v1/tasks/${ID}`,
    provider: 'runway',
    taskId: ID,
    receivedAt: RECEIVED_AT,
  }
}

function read(fixture: string) {
  const task = provider.parseResponse(response(fixtureText('runway', fixture)))
  expect(VideoTaskSchema.safeParse(task).success).toBe(true)
  return task
}

function caught(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

function readError(fixture: string, status = 200, headers: Record<string, string> = {}) {
  return caught(() =>
    provider.parseResponse(response(fixtureText('runway', fixture), { status, headers })),
  )
}

describe('runway: requests', () => {
  it('reads GET /v1/tasks/{id} with the key and X-Runway-Version', () => {
    expect(provider.buildRequest(ID)).toMatchObject({
      method: 'GET',
      url: `${BASE}/v1/tasks/${ID}`,
      headers: { authorization: `Bearer ${KEY}`, 'x-runway-version': RUNWAY_API_VERSION },
    })
  })

  it('defaults to api.dev.runwayml.com; a user header overrides the version', () => {
    expect(runway({ apiKey: KEY }).baseURL).toBe(RUNWAY_DEFAULT_BASE_URL)
    const pinned = runway({ apiKey: KEY, headers: { 'x-runway-version': '2030-01-01' } })
    expect(pinned.buildRequest(ID).headers['x-runway-version']).toBe('2030-01-01')
  })

  it('refuses a missing key and misspelt options with a TypeError', () => {
    // @ts-expect-error the key is required
    expect(() => runway({})).toThrow(/apiKey/)
    // @ts-expect-error a misspelt option
    expect(() => runway({ apiKey: KEY, baseUrl: BASE })).toThrow(/baseUrl.*baseURL/)
    // @ts-expect-error not an options object
    expect(() => runway(undefined)).toThrow(TypeError)
  })

  it('starts at 6 s, aims by progress, never reads sooner than 5 s (Runway: not more than once per 5 s)', () => {
    expect(provider.pollDefaults).toEqual({
      intervalMs: 6_000,
      minIntervalMs: 5_000,
      maxIntervalMs: 18_000,
      adaptive: true,
    })
  })
})

describe('runway: status words and progress', () => {
  it.each([
    ['doc-pending.json', 'queued', 'PENDING', null],
    ['doc-throttled.json', 'queued', 'THROTTLED', null],
    ['doc-running.json', 'running', 'RUNNING', 42],
    ['running-no-progress.json', 'running', 'RUNNING', null],
    ['running-progress-zero.json', 'running', 'RUNNING', 0],
    ['running-progress-one.json', 'running', 'RUNNING', 100],
    ['wrong-type-progress-percent.json', 'running', 'RUNNING', 42],
    ['relay-processing.json', 'running', 'PROCESSING', null],
  ])('%s -> %s, progress %s', (fixture, status, word, progress) => {
    const task = read(fixture)
    expect(task).toMatchObject({ status, vendorStatus: word, progress, videoUrl: null })
    expect(task.createdAt?.toISOString()).toBe('2026-07-23T21:17:45.123Z')
    expect(task.expiresAt).toBeNull()
  })

  it('SUCCEEDED: output[0], expiring 24 h after the read', () => {
    for (const fixture of ['doc-succeeded.json', 'succeeded-extra-fields.json']) {
      const task = read(fixture)
      expect(task).toMatchObject({ status: 'succeeded', progress: 100, error: null })
      expect(task.videoUrl).toMatch(/^https:\/\/dnznrvs05pmza\.cloudfront\.net\/.+_jwt=/)
      expect(task.expiresAt?.getTime()).toBe(RECEIVED_AT + 24 * 3_600_000)
    }
  })

  it('CANCELLED is cancelled', () => {
    expect(read('doc-cancelled.json')).toMatchObject({ status: 'cancelled', error: null })
  })

  it('reads an epoch-ms createdAt and a string output leniently', () => {
    expect(read('wrong-type-created-at-number.json').createdAt?.getTime()).toBe(1784841465123)
    expect(read('wrong-type-output-string.json').videoUrl).toBe('https://example.com/out.mp4')
  })

  it('SUCCEEDED without an output URL is a ResponseValidationError, never a null video', () => {
    expect(readError('succeeded-empty-output.json')).toBeInstanceOf(ResponseValidationError)
  })
})

describe('runway: failures', () => {
  it.each([
    ['doc-failed.json', 'SAFETY.INPUT.TEXT', 'Content moderation rejected the prompt text.'],
    ['failed-safety-output.json', 'SAFETY.OUTPUT.VIDEO', expect.any(String)],
    ['failed-bad-output.json', 'INTERNAL.BAD_OUTPUT.CODE01', expect.any(String)],
    ['failed-preprocessing-internal.json', 'INPUT_PREPROCESSING.INTERNAL', expect.any(String)],
    ['failed-no-code.json', null, 'Something went wrong.'],
  ])('%s: failed with code %s', (fixture, code, message) => {
    expect(read(fixture)).toMatchObject({ status: 'failed', error: { code, message } })
  })
})

describe('runway: HTTP errors', () => {
  it.each([
    ['doc-error-400-asset.json', 400, ApiError, /promptImage: Failed to fetch asset/],
    ['error-400-validation-issues.json', 400, ApiError, /Validation of body failed/],
    ['error-401.json', 401, AuthenticationError, /./],
    ['error-401-version-missing.json', 401, AuthenticationError, /X-Runway-Version/],
    ['error-403.json', 403, PermissionDeniedError, /./],
    ['error-404.json', 404, TaskNotFoundError, /Task not found/],
    ['error-405.json', 405, ApiError, /Method not allowed/],
    ['error-429.json', 429, RateLimitError, /./],
    ['error-429-daily-limit.json', 429, RateLimitError, /daily generation limit/],
    ['error-502.json', 502, ServerError, /./],
    ['error-503.json', 503, ServerError, /./],
    ['error-504.json', 504, ServerError, /./],
    ['malformed-html-502.json', 502, ServerError, /./],
  ] as const)('%s (HTTP %i) -> %s with the `error` text', (fixture, status, type, message) => {
    const error = readError(fixture, status, { 'retry-after': '3' })
    expect(error).toBeInstanceOf(type)
    if (type === ApiError) expect((error as Error).constructor).toBe(ApiError)
    expect((error as Error).message).toMatch(message)
    if (status === 429) expect((error as RateLimitError).retryAfterMs).toBe(3_000)
  })

  it.each(['malformed-empty.json', 'malformed-truncated.json', 'malformed-html-502.json'])(
    '%s on a 200 is a ResponseValidationError',
    (fixture) => {
      expect(readError(fixture)).toBeInstanceOf(ResponseValidationError)
    },
  )

  it("a proxy's 200 {error} is read by its text, not as a task", () => {
    const error = caught(() =>
      provider.parseResponse(response('{"error":"You have exceeded the rate limit."}')),
    )
    expect(error).toBeInstanceOf(RateLimitError)
  })

  it('keeps the key out of errors', () => {
    const error = readError('error-401.json', 401)
    expectNoSecret(KEY, error, provider)
  })
})

describe('runway: create', () => {
  const build = provider.buildCreateRequest
  if (!build) throw new Error('runway has no buildCreateRequest')
  const body = (request: { body?: string | Uint8Array | undefined }) =>
    JSON.parse(typeof request.body === 'string' ? request.body : '')

  it('text: POST /v1/text_to_video with promptText, ratio from size, duration and seed', () => {
    const request = build({
      prompt: 'A lighthouse in a storm at night',
      size: '720x1280',
      durationSeconds: 10,
      seed: 4294967295,
    })
    expect(request).toMatchObject({
      method: 'POST',
      url: `${BASE}/v1/text_to_video`,
      headers: { 'x-runway-version': RUNWAY_API_VERSION, 'content-type': 'application/json' },
    })
    expect(body(request)).toEqual(fixtureJson('runway', 'create-request-text.json'))
  })

  it('image: POST /v1/image_to_video with promptImage, the doc example', () => {
    const request = build({
      prompt: 'The camera slowly pushes in on the lighthouse',
      image: { kind: 'url', url: 'https://example.com/first-frame.jpg' },
      aspectRatio: '16:9',
      durationSeconds: 5,
    })
    expect(request.url).toBe(`${BASE}/v1/image_to_video`)
    expect(body(request)).toEqual(fixtureJson('runway', 'doc-create-request.json'))
  })

  it('first and last frames through the providerInput bag, which wins', () => {
    const request = build({
      prompt: 'Day turns to night',
      model: 'veo3.1',
      durationSeconds: 8,
      providerInput: {
        promptImage: [
          { uri: 'https://example.com/first.jpg', position: 'first' },
          { uri: 'https://example.com/last.jpg', position: 'last' },
        ],
        ratio: '1920:1080',
      },
    })
    expect(request.url).toBe(`${BASE}/v1/image_to_video`)
    expect(body(request)).toEqual(fixtureJson('runway', 'create-request-first-last.json'))
  })

  it('image bytes become a data URI', () => {
    const request = build({
      prompt: 'x',
      image: {
        kind: 'bytes',
        bytes: new Uint8Array([1, 2, 3]),
        mediaType: 'image/png',
        fileName: 'a',
      },
    })
    expect(body(request).promptImage).toBe('data:image/png;base64,AQID')
  })

  it.each([
    [{ prompt: 'x', resolution: '720p' }, /`resolution`/],
    [{ prompt: 'x', callbackUrl: 'https://hooks.example/x' }, /callback/],
    [{ prompt: 'x', aspectRatio: '2:1' }, /`aspectRatio`/],
    [{ prompt: 'x', size: 'big' }, /`size`/],
    [{ prompt: 'x', size: '1280x720', aspectRatio: '16:9' }, /not both/],
    [{ prompt: 'x', durationSeconds: 2.5 }, /`durationSeconds`/],
    [{ prompt: 'x', seed: -1 }, /`seed`/],
    [{ prompt: 'x'.repeat(1001) }, /`prompt`.*1000/],
    [{ prompt: ' ' }, /`prompt`/],
    [{ prompt: 'x', image: { kind: 'url', url: 'http://example.com/a.jpg' } }, /`image`.*https/],
  ] as const)('refuses %j with a TypeError naming it', (input, message) => {
    // biome-ignore lint/suspicious/noExplicitAny: hostile input
    expect(() => build(input as any)).toThrow(TypeError)
    // biome-ignore lint/suspicious/noExplicitAny: hostile input
    expect(() => build(input as any)).toThrow(message)
  })

  it('reads {id}; an error answer is typed', () => {
    expect(parseRunwayCreateResponse(response(fixtureText('runway', 'doc-create.json')))).toEqual({
      taskId: ID,
      task: null,
    })
    const limited = caught(() =>
      provider.parseCreateResponse?.(
        response(fixtureText('runway', 'error-429-daily-limit.json'), { status: 429 }),
      ),
    )
    expect(limited).toBeInstanceOf(RateLimitError)
    expect(caught(() => parseRunwayCreateResponse(response('{"id":""}')))).toBeInstanceOf(
      ResponseValidationError,
    )
  })
})

describe('runway: cancel and outputs', () => {
  it('cancels with DELETE /v1/tasks/{id}, the id encoded', () => {
    expect(provider.buildCancelRequest?.('a/b?c')).toMatchObject({
      method: 'DELETE',
      url: `${BASE}/v1/tasks/a%2Fb%3Fc`,
      headers: { authorization: `Bearer ${KEY}`, 'x-runway-version': RUNWAY_API_VERSION },
    })
    expect(() => provider.buildCancelRequest?.('..')).toThrow(TypeError)
  })

  it('any 2xx with no body or {} is a done cancel; 404 and 401 are typed', () => {
    const parse = provider.parseCancelResponse
    if (!parse) throw new Error('no parseCancelResponse')
    expect(() =>
      parse(response(fixtureText('runway', 'cancel-no-content.txt'), { status: 204 })),
    ).not.toThrow()
    expect(() =>
      parse(response(fixtureText('runway', 'cancel-ok-empty-object.json'))),
    ).not.toThrow()
    expect(
      caught(() => parse(response(fixtureText('runway', 'error-404.json'), { status: 404 }))),
    ).toBeInstanceOf(TaskNotFoundError)
    expect(caught(() => parse(response('<html></html>', { status: 401 })))).toBeInstanceOf(
      AuthenticationError,
    )
  })

  it('outputs are the output URLs with their expiry, only on success', () => {
    const done = read('doc-succeeded.json')
    expect(provider.outputs?.(done)).toEqual([
      [{ kind: 'url', url: done.videoUrl, expiresAt: done.expiresAt }],
    ])
    expect(provider.outputs?.(read('doc-running.json'))).toEqual([])
  })
})

describe('runway against the simulator', () => {
  let sim: Simulator
  let clock = Date.UTC(2026, 6, 23)
  beforeAll(async () => {
    sim = await startSimulator({ now: () => clock })
  })
  afterAll(async () => {
    await sim.close()
  })

  it('creates through text_to_video and waits for the output URL', async () => {
    const subject = runway({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    const request = subject.buildCreateRequest?.({ prompt: 'a lighthouse', aspectRatio: '16:9' })
    if (!request) throw new Error('no create request')
    const answer = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
    })
    const created = subject.parseCreateResponse?.({
      status: answer.status,
      headers: Object.fromEntries(answer.headers),
      body: await answer.text(),
      url: request.url,
      provider: 'runway',
      taskId: '',
      receivedAt: clock,
    })
    expect(created?.taskId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    const taskId = created?.taskId ?? ''
    clock += 60 * 60_000
    const client = createClient({ provider: subject, intervalMs: 10, maxIntervalMs: 20 })
    try {
      const task = await client.waitFor(taskId)
      expect(task).toMatchObject({
        id: taskId,
        status: 'succeeded',
        videoUrl: sim.task(taskId)?.videoUrl,
      })
    } finally {
      await client.close()
    }
  })

  async function sendCancel(taskId: string) {
    const subject = runway({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    const request = subject.buildCancelRequest?.(taskId)
    if (!request) throw new Error('no cancel request')
    const answer = await fetch(request.url, { method: request.method, headers: request.headers })
    const result = {
      status: answer.status,
      headers: Object.fromEntries(answer.headers),
      body: await answer.text(),
      url: request.url,
      provider: 'runway',
      taskId,
      receivedAt: clock,
    }
    subject.parseCancelResponse?.(result)
    return result
  }

  it('DELETE cancels a running task: the wait ends cancelled', async () => {
    const task = sim.createTask({ provider: 'runway', queuedMs: 0, runningMs: 3_600_000 })
    const done = await sendCancel(task.id)
    // The simulator answers the fixtures README's other reading of the unconfirmed answer: 200 `{}`.
    expect(done).toMatchObject({ status: 200, body: '{}' })
    const client = createClient({
      provider: runway({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
      intervalMs: 10,
    })
    try {
      const error = await client.waitFor(task.id).catch((reason: unknown) => reason)
      expect(error).toMatchObject({ name: 'TaskCancelledError', task: { status: 'cancelled' } })
    } finally {
      await client.close()
    }
  })

  it('DELETE of a finished task deletes it: a later read is a TaskNotFoundError', async () => {
    const task = sim.createTask({ provider: 'runway', queuedMs: 0, runningMs: 0 })
    await sendCancel(task.id)
    const client = createClient({
      provider: runway({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
      intervalMs: 10,
    })
    try {
      await expect(client.getTask(task.id)).rejects.toBeInstanceOf(TaskNotFoundError)
      await expect(sendCancel(task.id)).rejects.toBeInstanceOf(TaskNotFoundError)
    } finally {
      await client.close()
    }
  })

  it('the simulator refuses a read without X-Runway-Version', async () => {
    const task = sim.createTask({ provider: 'runway' })
    const answer = await fetch(`${sim.baseURL}/v1/tasks/${task.id}`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    })
    expect(answer.status).toBe(400)
    expect(await answer.json()).toEqual({ error: expect.any(String) })
  })
})

describe('runway polling pace (doc §Polling advice: no updates more often than every 5 s)', () => {
  it('aims at the finish its 0-1 progress predicts, never reading sooner than 5 s after the last read', async () => {
    const { FakeTransport } = await import('../support/fake-transport.js')
    const { VirtualClock } = await import('../support/virtual-clock.js')
    const clock = new VirtualClock()
    const readAt: number[] = []
    // Progress that races ahead (0.2 a second): the predicted finish is about a second away,
    // well under the vendor's floor.
    const transport = new FakeTransport([
      () => {
        readAt.push(clock.now())
        const elapsed = (readAt.at(-1) as number) - (readAt[0] as number)
        const progress = Math.min(0.99, 0.05 + elapsed / 5_000)
        const done = readAt.length >= 5
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id: ID,
            status: done ? 'SUCCEEDED' : 'RUNNING',
            createdAt: '2026-07-23T21:17:45.123Z',
            ...(done ? { output: ['https://cdn.runway.test/v.mp4'] } : { progress }),
          }),
        }
      },
    ])
    const client = createClient({
      provider,
      transport,
      clock,
      random: () => 0,
      maxRequestsPerSecond: Number.POSITIVE_INFINITY,
    })
    const task = await clock.run(client.waitFor(ID))
    expect(task.status).toBe('succeeded')
    const gaps = readAt.slice(1).map((at, index) => at - (readAt[index] as number))
    expect(gaps.length).toBe(4)
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(5_000)
    // Adaptive: after the first interval the reads aim at the predicted finish (the floor),
    // not at the grown backoff (6 s, then 9 s).
    expect(gaps.slice(1)).toEqual([5_000, 5_000, 5_000])
  })
})
