import { describe, expect, it } from 'vitest'
import { readTask } from '../../src/client/read-task.js'
import { createClient } from '../../src/client.js'
import { AuthenticationError, TaskFailedError } from '../../src/errors.js'
import type { ProviderRequest, ProviderResponse } from '../../src/providers/define-provider.js'
import { gemini } from '../../src/providers/gemini.js'
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
      const video = await fetch(location.request.url, { headers: location.request.headers })
      expect(video.status).toBe(200)
      expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(0)
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
