import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
import { ResponseValidationError, TaskNotFoundError } from '../../src/errors.js'
import type { VideoTask } from '../../src/model.js'
import {
  defineProvider,
  encodeTaskId,
  normalizeBaseURL,
  type ProviderDefinition,
  type ProviderResponse,
} from '../../src/providers/define-provider.js'
import { FakeTransport, json } from '../support/fake-transport.js'
import { VirtualClock } from '../support/virtual-clock.js'

interface Job {
  id: string
  done: boolean
  url?: string
}

function parseJob(response: ProviderResponse): VideoTask {
  if (response.status === 404) {
    throw new TaskNotFoundError({
      status: 404,
      message: 'no job',
      provider: 'acme',
      url: response.url,
    })
  }
  const job = JSON.parse(response.body) as Job
  const common = {
    id: job.id,
    provider: 'acme',
    vendorStatus: job.done ? 'done' : 'working',
    videoUrl: job.url ?? null,
    videoUrls: job.url ? [job.url] : [],
    createdAt: null,
    completedAt: null,
    expiresAt: null,
    details: {},
    raw: job,
  }
  return job.done
    ? { ...common, status: 'succeeded', progress: 100, error: null }
    : { ...common, status: 'running', progress: null, error: null }
}

const definition: ProviderDefinition = {
  id: 'acme',
  baseURL: 'https://api.acme.test/base/',
  buildRequest: (taskId, { url }) => ({
    method: 'GET',
    url: url(`/jobs/${encodeTaskId(taskId)}`),
    headers: { authorization: 'Bearer acme-secret-key-123' },
  }),
  parseResponse: parseJob,
}

function response(body: string, status = 200): ProviderResponse {
  return {
    status,
    headers: {},
    body,
    url: 'https://api.acme.test/base/jobs/j1',
    provider: 'acme',
    taskId: 'j1',
    receivedAt: 0,
  }
}

describe('defineProvider', () => {
  const acme = defineProvider(definition)

  it('builds requests on the base URL, without its trailing slash', () => {
    expect(acme.baseURL).toBe('https://api.acme.test/base')
    expect(acme.buildRequest('a/b').url).toBe('https://api.acme.test/base/jobs/a%2Fb')
    expect(acme.pollDefaults).toEqual({ intervalMs: 5_000, maxIntervalMs: 10_000, adaptive: false })
  })

  it('returns the tasks its parser makes, validated', () => {
    const task = acme.parseResponse(
      response('{"id":"j1","done":true,"url":"https://cdn.test/j1.mp4"}'),
    )
    expect(task).toMatchObject({ status: 'succeeded', videoUrl: 'https://cdn.test/j1.mp4' })
  })

  it('passes typed errors through', () => {
    expect(() => acme.parseResponse(response('', 404))).toThrow(TaskNotFoundError)
  })

  it('turns an exception in the parser into a ResponseValidationError with the cause', () => {
    let caught: unknown
    try {
      acme.parseResponse(response('<html>', 200))
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ResponseValidationError)
    expect((caught as ResponseValidationError).cause).toBeInstanceOf(SyntaxError)
    expect((caught as ResponseValidationError).provider).toBe('acme')
  })

  it('refuses a task that breaks the model (a succeeded task without progress 100)', () => {
    const sloppy = defineProvider({
      ...definition,
      parseResponse: (value) => ({ ...parseJob(value), progress: 50 }) as VideoTask,
    })
    expect(() => sloppy.parseResponse(response('{"id":"j1","done":true}'))).toThrow(
      /not a valid VideoTask/,
    )
  })

  it.each<[string, (task: VideoTask) => unknown, string]>([
    ['a width of Infinity', (task) => ({ ...task, details: { width: Infinity } }), 'details.width'],
    ['a number among the video URLs', (task) => ({ ...task, videoUrls: ['a', 7] }), 'videoUrls.1'],
    [
      'a failed task with an empty message',
      (task) => ({ ...task, status: 'failed', error: { code: null, message: '' } }),
      'error.message',
    ],
    ['an invalid Date', (task) => ({ ...task, completedAt: new Date(Number.NaN) }), 'completedAt'],
    ['no `raw`', ({ raw: _raw, ...task }) => task, 'raw'],
  ])('refuses %s with a ResponseValidationError naming the path', (_what, spoil, path) => {
    const sloppy = defineProvider({
      ...definition,
      parseResponse: (value) => spoil(parseJob(value)) as VideoTask,
    })
    let caught: unknown
    try {
      sloppy.parseResponse(response('{"id":"j1","done":true,"url":"https://cdn.test/j1.mp4"}'))
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ResponseValidationError)
    const error = caught as ResponseValidationError
    expect(error.message).toMatch(/^Provider acme produced a task that is not a valid VideoTask: /)
    expect(error.message).toContain(` at ${path}`)
    expect(error.issues[0]?.path.join('.')).toBe(path)
    expect(error.provider).toBe('acme')
    expect(error.status).toBe(200)
    expect(error.retryable).toBe(false)
  })

  it('refuses a request for another origin, so credentials stay on the base URL', () => {
    const leaky = defineProvider({
      ...definition,
      buildRequest: () => ({ method: 'GET', url: 'https://evil.test/steal', headers: {} }),
    })
    expect(() => leaky.buildRequest('j1')).toThrow(/another origin/)
  })

  it('refuses look-alikes of its origin and accepts other spellings of it', () => {
    // The check reads `{origin}/` as a prefix before it parses: a host that merely starts with
    // the base URL's, credentials before it, another port or scheme must still be refused.
    const origin = new URL(definition.baseURL).origin
    const { host } = new URL(definition.baseURL)
    const buildingFor = (url: string) =>
      defineProvider({ ...definition, buildRequest: () => ({ method: 'GET', url, headers: {} }) })
    for (const url of [
      `${origin}.evil.test/steal`,
      `${origin}@evil.test/steal`,
      `${origin}:8443/steal`,
      `${origin.replace('https:', 'http:')}/steal`,
      `https://evil.test/${origin}/steal`,
    ]) {
      expect(() => buildingFor(url).buildRequest('j1'), url).toThrow(/another origin/)
    }
    for (const url of [
      `${origin}/jobs/j1`,
      `HTTPS://${host.toUpperCase()}/jobs/j1`,
      `https://${host}:443/jobs/j1`,
    ]) {
      expect(buildingFor(url).buildRequest('j1').url, url).toBe(url)
    }
  })

  it('keeps only finite, non-negative poll hints', () => {
    const hinted = defineProvider({ ...definition, pollHintMs: (value) => Number(value.body) })
    expect(hinted.pollHintMs?.(response('250'))).toBe(250)
    expect(hinted.pollHintMs?.(response('-1'))).toBeNull()
    expect(hinted.pollHintMs?.(response('NaN'))).toBeNull()
  })

  it.each([
    [{ id: 'Acme Corp' }, /id/],
    [{ baseURL: 'ftp://x.test' }, /http or https/],
    [{ baseURL: 'https://user:pass@x.test' }, /credentials/],
    [{ baseURL: 'https://x.test/?key=1' }, /query/],
    [{ baseURL: 'not-a-url' }, /absolute URL \(http or https\)/],
    [{ baseURL: 'not a url' }, /without whitespace/],
    [{ buildRequest: 'x' }, /buildRequest/],
    [{ parseResponse: undefined }, /parseResponse/],
    [{ pollDefaults: { intervalMs: -1 } }, /pollDefaults.intervalMs/],
    [{ pollDefaults: { intervalMs: 5_000, maxIntervalMs: 1_000 } }, /maxIntervalMs/],
    [{ pollDefaults: { adaptive: 'yes' } }, /adaptive/],
    [{ pollDefaults: { minIntervalMs: 0 } }, /pollDefaults.minIntervalMs/],
    [{ pollDefaults: { minIntervalMs: Number.NaN } }, /pollDefaults.minIntervalMs/],
    [{ pollDefaults: { intervalMs: 2_000, minIntervalMs: 3_000 } }, /pollDefaults.minIntervalMs/],
    [{ pollHintMs: 5 }, /pollHintMs/],
  ])('refuses %o with a TypeError naming the option', (change, message) => {
    expect(() =>
      defineProvider({ ...definition, ...(change as object) } as ProviderDefinition),
    ).toThrow(message)
  })

  it('normalizeBaseURL and encodeTaskId', () => {
    expect(normalizeBaseURL('https://x.test///')).toBe('https://x.test')
    expect(() => normalizeBaseURL(42)).toThrow(TypeError)
    expect(encodeTaskId('日本 ?#')).toBe('%E6%97%A5%E6%9C%AC%20%3F%23')
    expect(() => encodeTaskId('..')).toThrow(TypeError)
  })

  it('works with the client like the built-in providers', async () => {
    const clock = new VirtualClock()
    const transport = new FakeTransport([
      json({ id: 'j1', done: false }),
      json({ id: 'j1', done: true, url: 'https://cdn.test/j1.mp4' }),
    ])
    const client = createClient({ provider: acme, transport, clock })
    const task = await clock.run(client.waitFor('j1'))
    expect(task.videoUrl).toBe('https://cdn.test/j1.mp4')
    expect(transport.requests[0]?.url).toBe('https://api.acme.test/base/jobs/j1')
  })
})
