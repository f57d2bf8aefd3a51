import { describe, expect, it } from 'vitest'
import { authorizedRequest } from '../../src/client/authorize.js'
import { readTask } from '../../src/client/read-task.js'
import { createClient } from '../../src/client.js'
import { AuthenticationError, TaskNotFoundError } from '../../src/errors.js'
import type { ProviderRequest, ProviderResponse } from '../../src/providers/define-provider.js'
import { signHs256Token } from '../../src/providers/kit/hs256-token.js'
import { kling } from '../../src/providers/kling.js'
import { createTransport } from '../../src/transport.js'
import { fakeClock, useSimulators } from './helpers.js'

/*
 * Kling's legacy routes end to end: the SDK signs HS256 tokens with WebCrypto, the simulator
 * checks them with node:crypto (src/simulator/hs256.ts), over real sockets. The simulator's key
 * is Kling's secret key; a task is read on the route family it was created on.
 */

const ACCESS_KEY = 'ak-sim-kling-01'
const SECRET_KEY = 'sk-sim-kling-SECRET-2b7c9d'

/** The simulator's clock starts at the real time: the SDK signs with Date.now. */
async function setup(start: ReturnType<typeof useSimulators>) {
  const clock = fakeClock(Date.now())
  const sim = await start({ apiKey: SECRET_KEY, now: clock.now })
  const provider = kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, baseURL: sim.baseURL })
  return { clock, sim, provider }
}

async function send(
  request: Omit<ProviderRequest, 'body'> & { body?: string | Uint8Array | undefined },
  taskId = '',
) {
  const raw = await createTransport().send({ ...request, provider: 'kling' })
  const response: ProviderResponse = {
    status: raw.status,
    headers: raw.headers,
    body: raw.body,
    url: request.url,
    provider: 'kling',
    taskId,
    receivedAt: Date.now(),
  }
  return response
}

describe('kling legacy routes against the simulator', () => {
  const start = useSimulators()

  it.each([
    ['succeeded', 'succeed'],
    ['failed', 'failed'],
  ] as const)('waitFor reads a %s text2video task with signed tokens', async (outcome, word) => {
    const { clock, sim, provider } = await setup(start)
    const task = sim.createTask({
      provider: 'kling',
      dialect: 'text2video',
      outcome,
      queuedMs: 1_500,
      runningMs: 3_000,
      failureReason: 'Failure to pass the risk control system',
    })
    expect(task.statusUrl).toBe(`${sim.baseURL}/v1/videos/text2video/${task.id}`)
    const client = createClient({ provider, intervalMs: 10, maxIntervalMs: 20 })
    const statuses: string[] = []
    try {
      const result = await client
        .waitFor(task.id, {
          onUpdate: (update) => {
            statuses.push(update.status)
            clock.tick(1_000)
          },
        })
        .catch((error: unknown) => error)
      expect(statuses).toEqual(['queued', 'queued', 'running', 'running', 'running', outcome])
      expect(sim.requests(task.id)).toBe(6)
      expect(sim.stats().unauthorized).toBe(0)
      if (outcome === 'succeeded') {
        expect(result).toMatchObject({ status: 'succeeded', vendorStatus: word })
        expect((result as { videoUrl: string }).videoUrl).toBe(task.videoUrl)
      } else {
        expect((result as { task: { error: { message: string } } }).task.error.message).toBe(
          'Failure to pass the risk control system',
        )
      }
    } finally {
      await client.close()
    }
  })

  it('a token the simulator finds expired (its clock 31 min ahead) ends the wait: 401 1004', async () => {
    const { clock, sim, provider } = await setup(start)
    clock.tick(31 * 60_000)
    const task = sim.createTask({ provider: 'kling', dialect: 'text2video' })
    const client = createClient({ provider, intervalMs: 10, maxIntervalMs: 20 })
    try {
      const error = await client.waitFor(task.id).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(AuthenticationError)
      expect(error).toMatchObject({ code: '1004', status: 401 })
      expect(sim.stats().unauthorized).toBe(1)
    } finally {
      await client.close()
    }
  })

  it('a token signed with another secret is refused (1002); a plain key on a legacy route too', async () => {
    const { sim } = await setup(start)
    const task = sim.createTask({ provider: 'kling', dialect: 'text2video' })
    const forged = kling({
      accessKey: ACCESS_KEY,
      secretKey: 'not-the-secret',
      baseURL: sim.baseURL,
    })
    const error = await readTask(forged, createTransport(), task.id).catch(
      (caught: unknown) => caught,
    )
    expect(error).toMatchObject({ code: '1002' })
    expect(error).toBeInstanceOf(AuthenticationError)
    const plain = await fetch(task.statusUrl, {
      headers: { authorization: `Bearer ${SECRET_KEY}` },
    })
    expect(plain.status).toBe(401)
    expect(await plain.json()).toMatchObject({ code: 1002 })
    const none = await fetch(task.statusUrl)
    expect(await none.json()).toMatchObject({ code: 1001 })
    expect(sim.stats().unauthorized).toBe(3)
  })

  it('a token not yet valid (nbf ahead of the simulator) is 1003', async () => {
    const { sim } = await setup(start)
    const task = sim.createTask({ provider: 'kling', dialect: 'text2video' })
    const now = Math.floor(Date.now() / 1000)
    const token = await signHs256Token(
      { iss: ACCESS_KEY, exp: now + 3_600, nbf: now + 600 },
      SECRET_KEY,
    )
    const answer = await fetch(task.statusUrl, { headers: { authorization: `Bearer ${token}` } })
    expect(answer.status).toBe(401)
    expect(await answer.json()).toMatchObject({ code: 1003 })
  })

  it('an image2video create is read on image2video, and not found on text2video', async () => {
    const { sim, provider } = await setup(start)
    const built = provider.buildCreateRequest?.({
      prompt: 'a fox in snow',
      image: {
        kind: 'bytes',
        bytes: new Uint8Array([137, 80, 78, 71]),
        mediaType: 'image/png',
        fileName: 'a.png',
      },
    })
    if (!built) throw new Error('kling has no create')
    const created = provider.parseCreateResponse?.(
      await send(await authorizedRequest(provider, built)),
    )
    expect(created?.route).toBe('image2video')
    const id = created?.taskId ?? ''
    expect(id).toMatch(/^\d{18}$/)
    expect(sim.task(id)?.dialect).toBe('image2video')

    const own = provider.buildRequest(id, created?.route)
    const task = provider.parseResponse(await send(await authorizedRequest(provider, own), id))
    expect(task).toMatchObject({ id, status: 'queued', details: { route: 'image2video' } })

    const wrong = provider.buildRequest(id, 'text2video')
    const wrongAnswer = await send(await authorizedRequest(provider, wrong), id)
    expect(wrongAnswer.status).toBe(404)
    expect(() => provider.parseResponse(wrongAnswer)).toThrow(TaskNotFoundError)
  })

  it('the API-key routes take the key, not a token, and create with the model in the path', async () => {
    const { sim } = await setup(start)
    const keyed = kling({ apiKey: SECRET_KEY, baseURL: sim.baseURL })
    const built = keyed.buildCreateRequest?.({
      prompt: 'a fox in snow',
      model: 'kling-3.0',
      durationSeconds: 5,
    })
    if (!built) throw new Error('kling has no create')
    expect(built.url).toBe(`${sim.baseURL}/text-to-video/kling-3.0`)
    const created = keyed.parseCreateResponse?.(await send(built))
    expect(created?.route).toBe('tasks')
    const id = created?.taskId ?? ''
    expect(sim.task(id)).toMatchObject({ dialect: 'tasks', script: { model: 'kling-3.0' } })
    const task = keyed.parseResponse(await send(keyed.buildRequest(id, 'tasks'), id))
    expect(task.status).toBe('queued')
    // A legacy token on the API-key route is refused.
    const legacy = kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, baseURL: sim.baseURL })
    const signed = await authorizedRequest(legacy, legacy.buildRequest(id, 'text2video'))
    const answer = await fetch(`${sim.baseURL}/tasks?task_ids=${id}`, { headers: signed.headers })
    expect(answer.status).toBe(401)
  })
})
