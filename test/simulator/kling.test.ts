import { mkdtemp, rm, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { authorizedRequest } from '../../src/client/authorize.js'
import { readTask } from '../../src/client/read-task.js'
import { createClient } from '../../src/client.js'
import { AuthenticationError, TaskNotFoundError } from '../../src/errors.js'
import type { ProviderRequest, ProviderResponse } from '../../src/providers/define-provider.js'
import { signHs256Token } from '../../src/providers/kit/hs256-token.js'
import { kling, parseKlingCallback } from '../../src/providers/kling.js'
import { createTransport } from '../../src/transport.js'
import { fakeClock, until, useSimulators } from './helpers.js'

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

  it("download of an image2video TaskRef reads the task on image2video (the ref's route), then fetches it", async () => {
    const { clock, sim, provider } = await setup(start)
    const task = sim.createTask({
      provider: 'kling',
      dialect: 'image2video',
      outcome: 'succeeded',
      queuedMs: 1,
      runningMs: 1,
    })
    clock.tick(10_000)
    const client = createClient({ provider })
    const dir = await mkdtemp(join(tmpdir(), 'video-tasks-kling-'))
    try {
      const ref = {
        version: 1 as const,
        provider: 'kling',
        origin: new URL(sim.baseURL).origin,
        taskId: task.id,
        route: 'image2video',
        submittedAt: new Date().toISOString(),
      }
      const [result] = await client.download(ref, { to: join(dir, 'video.mp4') })
      expect(result?.bytes).toBeGreaterThan(0)
      expect((await stat(join(dir, 'video.mp4'))).size).toBe(result?.bytes)
      // Read once, on its own route: text2video answers 404 for it.
      expect(sim.requests(task.id)).toBe(1)
    } finally {
      await client.close()
      await rm(dir, { recursive: true, force: true })
    }
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

describe('kling callbacks (vendor-docs/native/kling.md "Callbacks")', () => {
  const start = useSimulators()

  async function receiver() {
    const bodies: string[] = []
    const server = createServer(async (req, res) => {
      let text = ''
      for await (const chunk of req) text += String(chunk)
      bodies.push(text)
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kling`
    return { bodies, url, close: () => new Promise((resolve) => server.close(resolve)) }
  }

  it.each([
    ['legacy text2video (callback_url in the body, the legacy task object)', 'legacy'],
    ['API-key routes (options.callback_url, the new task object)', 'keyed'],
  ] as const)(
    '%s: a POST per status change, no handshake, read by parseKlingCallback',
    async (_, family) => {
      const { clock, sim, provider: legacy } = await setup(start)
      const provider =
        family === 'legacy' ? legacy : kling({ apiKey: SECRET_KEY, baseURL: sim.baseURL })
      const hook = await receiver()
      try {
        const built = provider.buildCreateRequest?.({
          prompt: 'a fox in snow',
          callbackUrl: hook.url,
        })
        if (!built) throw new Error('kling has no create')
        const sent = JSON.parse(String(built.body)) as Record<string, unknown>
        if (family === 'legacy') expect(sent.callback_url).toBe(hook.url)
        else expect(sent.options).toMatchObject({ callback_url: hook.url })
        const created = provider.parseCreateResponse?.(
          await send(await authorizedRequest(provider, built)),
        )
        const id = created?.taskId ?? ''
        // No handshake: nothing is POSTed while the task is queued.
        await new Promise((resolve) => setTimeout(resolve, 50))
        expect(hook.bodies).toEqual([])
        clock.tick(5_000) // running (the default script: queued 2 s, running 10 s)
        await until(() => hook.bodies.length === 1)
        clock.tick(20_000) // done
        await until(() => sim.task(id)?.callbacks === 2)
        const tasks = hook.bodies.map((body) => parseKlingCallback(body))
        expect(tasks.map((task) => [task.id, task.status])).toEqual([
          [id, 'running'],
          [id, 'succeeded'],
        ])
        expect(tasks[1]?.videoUrl).toMatch(/^http/)
        const words = hook.bodies.map((body) => {
          const parsed = JSON.parse(body) as { task_status?: string; status?: string }
          return parsed.task_status ?? parsed.status
        })
        // vendor-docs/native/kling.md: `succeed` on the legacy routes, `succeeded` on the new.
        expect(words).toEqual(['processing', family === 'legacy' ? 'succeed' : 'succeeded'])
      } finally {
        await hook.close()
      }
    },
  )

  it('refuses a callback_url that is not a URL, in either family', async () => {
    const { sim, provider } = await setup(start)
    const legacyRequest = await authorizedRequest(provider, {
      method: 'POST',
      url: `${sim.baseURL}/v1/videos/text2video`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x', callback_url: 'not a url' }),
    })
    const legacyAnswer = await send(legacyRequest)
    expect(legacyAnswer.status).toBe(400)
    expect(JSON.parse(String(legacyAnswer.body))).toMatchObject({ code: 1201 })
    const keyed = await fetch(`${sim.baseURL}/text-to-video/kling-v2-6`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x', options: { callback_url: 42 } }),
    })
    expect(keyed.status).toBe(400)
    expect(sim.billed()).toBe(0)
  })
})
