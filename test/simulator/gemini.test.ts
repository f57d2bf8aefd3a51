import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readTask } from '../../src/client/read-task.js'
import { createClient } from '../../src/client.js'
import { AuthenticationError, TaskFailedError } from '../../src/errors.js'
import type { ProviderRequest, ProviderResponse } from '../../src/providers/define-provider.js'
import { gemini } from '../../src/providers/gemini.js'
import { simulatedBody } from '../../src/simulator/index.js'
import { createTransport } from '../../src/transport.js'
import { fakeClock, useSimulators } from './helpers.js'

/*
 * Veo on the Gemini API against the simulator, over real sockets: the key in x-goog-api-key,
 * operations whose name is the path, RAI failures, and file URIs that need the key.
 */

const KEY = 'AIza-sim-gemini-0123456789'

async function send(
  request: Omit<ProviderRequest, 'body'> & { body?: string | Uint8Array | undefined },
  taskId = '',
): Promise<ProviderResponse> {
  const raw = await createTransport().send({ ...request, provider: 'gemini' })
  return {
    status: raw.status,
    headers: raw.headers,
    body: raw.body,
    url: request.url,
    provider: 'gemini',
    taskId,
    receivedAt: Date.now(),
  }
}

describe('gemini against the simulator', () => {
  const start = useSimulators()

  it('create, wait, and fetch the video only with the key', async () => {
    const clock = fakeClock()
    const sim = await start({ apiKey: KEY, now: clock.now })
    const provider = gemini({ apiKey: KEY, baseURL: `${sim.baseURL}/v1beta` })
    const built = provider.buildCreateRequest?.({
      prompt: 'a fox in snow',
      model: 'veo-3.0-generate-001',
    })
    if (!built) throw new Error('gemini has no create')
    expect(built.url).toBe(`${sim.baseURL}/v1beta/models/veo-3.0-generate-001:predictLongRunning`)
    const created = provider.parseCreateResponse?.(await send(built))
    const name = created?.taskId ?? ''
    expect(name).toMatch(/^models\/veo-3\.1-generate-preview\/operations\/[0-9a-f]+$/)
    expect(sim.task(name)?.script.model).toBe('veo-3.0-generate-001')

    const client = createClient({ provider, intervalMs: 10, maxIntervalMs: 20 })
    try {
      const statuses: string[] = []
      const task = await client.waitFor(name, {
        onUpdate: (update) => {
          statuses.push(update.status)
          clock.tick(5_000)
        },
      })
      // An operation cannot tell queued from running.
      expect(statuses.every((status) => status === 'running' || status === 'succeeded')).toBe(true)
      expect(task.videoUrl).toBeNull()
      const contentUrl = task.details.contentUrl ?? ''
      expect(new URL(contentUrl).origin).toBe(sim.baseURL)

      const [[location] = []] = provider.outputs?.(task) ?? []
      if (location?.kind !== 'authenticated') throw new Error('expected an authenticated output')
      // The file URI answers with the key only, and then with a redirect to storage.
      const video = await fetch(location.request.url, {
        headers: location.request.headers,
        redirect: 'manual',
      })
      expect(video.status).toBe(302)
      expect(new URL(video.headers.get('location') ?? '').origin).toBe(sim.cdnURL)
      const without = await fetch(contentUrl)
      expect(without.status).toBe(400)
      expect(await without.json()).toMatchObject({
        error: { details: [{ reason: 'API_KEY_INVALID' }] },
      })
    } finally {
      await client.close()
    }
  })

  it('a wrong key is a 400 API_KEY_INVALID: an AuthenticationError', async () => {
    const sim = await start({ apiKey: KEY })
    const task = sim.createTask({ provider: 'gemini' })
    const wrong = gemini({ apiKey: 'AIza-wrong', baseURL: sim.baseURL })
    const error = await readTask(wrong, createTransport(), task.id).catch(
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ status: 400, code: 'API_KEY_INVALID' })
  })

  it('a safety-filtered operation fails with the filter reason as the message', async () => {
    const clock = fakeClock()
    const sim = await start({ apiKey: KEY, now: clock.now })
    const task = sim.createTask({
      provider: 'gemini',
      outcome: 'failed',
      queuedMs: 0,
      runningMs: 0,
      failureReason: 'We encountered an issue with the audio for your prompt.',
    })
    const client = createClient({ provider: gemini({ apiKey: KEY, baseURL: sim.baseURL }) })
    try {
      const error = await client.waitFor(task.id).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(TaskFailedError)
      expect((error as TaskFailedError).task.error).toEqual({
        code: 'rai_filtered',
        message: 'We encountered an issue with the audio for your prompt.',
      })
      expect(sim.requests(task.id)).toBe(1)
    } finally {
      await client.close()
    }
  })
})

describe('gemini downloads: the file URI redirects to storage (vendor-docs/native/gemini-veo.md)', () => {
  const start = useSimulators()
  const BYTES = 300_000
  const SEED = 7

  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
  function expectedSha(): string {
    const hash = createHash('sha256')
    for (const chunk of simulatedBody(SEED, BYTES)) hash.update(chunk)
    return hash.digest('hex')
  }

  async function finished() {
    const clock = fakeClock()
    const sim = await start({ apiKey: KEY, now: clock.now })
    const task = sim.createTask({
      provider: 'gemini',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes: BYTES, seed: SEED },
    })
    clock.tick(1_000)
    const contentUrl = task.contentUrl ?? ''
    return { sim, task, contentUrl }
  }

  /** Whether any CDN request carried the key, in a header or in the URL. */
  const keyReachedCdn = (sim: Awaited<ReturnType<typeof finished>>['sim']) =>
    sim
      .cdnRequests()
      .some(
        (request) =>
          request.authorization ||
          request.headerNames.includes('x-goog-api-key') ||
          request.path.includes(KEY) ||
          new URL(request.path, 'http://cdn.invalid').searchParams.has('key'),
      )

  it('client.download: the key goes to the API origin only, the bytes arrive from storage', async () => {
    const { sim, task } = await finished()
    const dir = await mkdtemp(join(tmpdir(), 'gemini-download-'))
    const client = createClient({ provider: gemini({ apiKey: KEY, baseURL: sim.baseURL }) })
    try {
      const [result] = await client.download(task.id, { to: join(dir, 'v.mp4') })
      expect(result?.bytes).toBe(BYTES)
      expect(sha256(await readFile(join(dir, 'v.mp4')))).toBe(expectedSha())
      // Through the redirect: the storage origin served the bytes, and never saw the key.
      expect(sim.cdnRequests().length).toBeGreaterThan(0)
      expect(keyReachedCdn(sim)).toBe(false)
      expect(sim.task(task.id)?.contentReads).toBe(1)
    } finally {
      await client.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('the key as ?key= is accepted, and the redirect does not carry it on', async () => {
    const { sim, contentUrl } = await finished()
    const first = await fetch(`${contentUrl}&key=${KEY}`, { redirect: 'manual' })
    expect(first.status).toBe(302)
    const location = first.headers.get('location') ?? ''
    expect(new URL(location).origin).toBe(sim.cdnURL)
    expect(location).not.toContain(KEY)
    // Followed (no header to leak): the bytes, and no key at storage.
    const followed = await fetch(`${contentUrl}&key=${KEY}`)
    expect(followed.status).toBe(200)
    expect(sha256(new Uint8Array(await followed.arrayBuffer()))).toBe(expectedSha())
    expect(keyReachedCdn(sim)).toBe(false)
    // A wrong key in the query is still refused.
    expect((await fetch(`${contentUrl}&key=AIza-wrong`, { redirect: 'manual' })).status).toBe(400)
  })

  it('the CDN log does see a key a naive client carries across the redirect (the check can fail)', async () => {
    const { sim, contentUrl } = await finished()
    // fetch keeps custom headers on a cross-origin redirect: exactly what the SDK must not do.
    const naive = await fetch(contentUrl, { headers: { 'x-goog-api-key': KEY } })
    expect(naive.status).toBe(200)
    await naive.arrayBuffer()
    expect(keyReachedCdn(sim)).toBe(true)
  })
})

describe('gemini cancel (vendor-docs/native/gemini-veo.md "Cancel", unconfirmed: simulated as supported)', () => {
  const start = useSimulators()

  it('a running operation is cancelled (done, error code 1); a finished one is left as it ended', async () => {
    const clock = fakeClock()
    const sim = await start({ apiKey: KEY, now: clock.now })
    const client = createClient({ provider: gemini({ apiKey: KEY, baseURL: sim.baseURL }) })
    try {
      const running = sim.createTask({ provider: 'gemini', queuedMs: 0, runningMs: 60_000 })
      await client.cancel(running.id)
      expect(sim.task(running.id)?.phase).toBe('cancelled')
      const error = await client.waitFor(running.id).catch((caught: unknown) => caught)
      // No cancelled state on the Gemini API: a failure carrying gRPC code 1 (CANCELLED).
      expect(error).toBeInstanceOf(TaskFailedError)
      expect((error as TaskFailedError).task.error).toMatchObject({ code: '1' })

      const finished = sim.createTask({ provider: 'gemini', queuedMs: 0, runningMs: 0 })
      await client.cancel(finished.id)
      expect(sim.task(finished.id)?.phase).toBe('succeeded')
      expect((await client.waitFor(finished.id)).status).toBe('succeeded')
    } finally {
      await client.close()
    }
  })
})
