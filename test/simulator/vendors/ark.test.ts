import { describe, expect, it } from 'vitest'
import { createClient } from '../../../src/client.js'
import { TaskCancelledError, TaskNotFoundError } from '../../../src/errors.js'
import { ark } from '../../../src/providers/ark.js'
import type { ProviderRequest, ProviderResponse } from '../../../src/providers/define-provider.js'
import { fakeClock, read, useSimulators } from '../helpers.js'

/*
 * The Ark vendor of the simulator (ark-seedance.md), and the `ark` adapter's lifecycle members
 * against it over real sockets: the create body it builds is accepted, its answer read, the task
 * waited for, and the DELETE cancels a queued task and is refused on a running one.
 */

const start = useSimulators()

async function send(
  request: Omit<ProviderRequest, 'body'> & { body?: string | Uint8Array | undefined },
): Promise<ProviderResponse> {
  const answer = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  })
  return {
    status: answer.status,
    headers: Object.fromEntries(answer.headers),
    body: await answer.text(),
    url: request.url,
    provider: 'ark',
    taskId: '',
    receivedAt: Date.now(),
  }
}

describe('the simulator speaks Ark', () => {
  it('bare task objects with Unix-second timestamps, no progress, the error on failure', async () => {
    const clock = fakeClock(Date.UTC(2026, 7, 28, 6, 27, 11))
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'ark',
      outcome: 'failed',
      queuedMs: 1_000,
      runningMs: 1_000,
      failureReason: 'moderated',
    })
    expect(task.id).toMatch(/^cgt-\d{14}-[0-9a-f]{5}$/)
    const queued = await read(sim, task)
    expect(queued.headers.get('x-request-id')).toMatch(/^req_/)
    expect(queued.json).toEqual({
      id: task.id,
      model: 'seedance-1-0-pro-250528',
      status: 'queued',
      created_at: 1787898431,
      updated_at: 1787898431,
      service_tier: 'default',
      execution_expires_after: 172800,
    })
    clock.tick(1_500)
    expect((await read(sim, task)).json).toMatchObject({
      status: 'running',
      updated_at: 1787898432,
    })
    clock.tick(1_000)
    expect((await read(sim, task)).json).toMatchObject({
      status: 'failed',
      error: { code: 'OutputVideoSensitiveContentDetected', message: 'moderated' },
    })
  })

  it('the relay dialect says pending and processing', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'ark',
      dialect: 'ark-relay',
      queuedMs: 1_000,
      runningMs: 1_000,
    })
    expect((await read(sim, task)).json.status).toBe('pending')
    clock.tick(1_500)
    expect((await read(sim, task)).json.status).toBe('processing')
    clock.tick(1_000)
    const done = await read(sim, task)
    expect(done.json).toMatchObject({ status: 'succeeded', content: { video_url: task.videoUrl } })
  })

  it("answers errors in Ark's {error: {code, message, type}} with the request id in the text", async () => {
    const sim = await start()
    const missing = await read(sim, { provider: 'ark', id: 'cgt-nope' })
    expect(missing.status).toBe(404)
    expect(missing.json.error).toMatchObject({ code: 'ResourceNotFound', type: 'NotFound' })
    expect(missing.json.error.message).toContain(
      `Request id: ${missing.headers.get('x-request-id')}`,
    )
    const unauthorized = await read(sim, { provider: 'ark', id: 'cgt-nope' }, { key: 'bad' })
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.json.error.code).toBe('AuthenticationError')
  })

  it.each<[string, unknown]>([
    ['no model', { content: [{ type: 'text', text: 'x' }] }],
    ['no text item', { model: 'm', content: [] }],
    [
      'two text items',
      {
        model: 'm',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ],
    [
      'an image without a role',
      {
        model: 'm',
        content: [
          { type: 'text', text: 'a' },
          { type: 'image_url', image_url: { url: 'https://x.test/a.png' } },
        ],
      },
    ],
    ['a string duration', { model: 'm', content: [{ type: 'text', text: 'a' }], duration: '5' }],
  ])('refuses a create with %s (400 InvalidParameter)', async (_what, body) => {
    const sim = await start()
    const answer = await fetch(`${sim.baseURL}/api/v3/contents/generations/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(answer.status).toBe(400)
    expect(sim.billed()).toBe(0)
  })
})

describe('the ark adapter against the simulator', () => {
  it('creates from the shared input, then waits for the video', async () => {
    const sim = await start({
      timeScale: 1_000,
      createScript: { queuedMs: 2_000, runningMs: 5_000 },
    })
    const provider = ark({ apiKey: sim.apiKey, baseURL: `${sim.baseURL}/api/v3` })
    const request = provider.buildCreateRequest?.({
      prompt: 'A kitten runs across a sunny garden',
      image: { kind: 'url', url: 'https://example.com/first.png' },
      durationSeconds: 5,
      size: '1280x720',
    })
    if (!request) throw new Error('no create')
    const created = provider.parseCreateResponse?.(await send(request))
    expect(created?.taskId).toMatch(/^cgt-/)
    expect(sim.billed()).toBe(1)
    expect(sim.task(created?.taskId ?? '')?.script.prompt).toBe(
      'A kitten runs across a sunny garden',
    )
    const client = createClient({ provider, intervalMs: 5, maxIntervalMs: 10 })
    try {
      const task = await client.waitFor(created?.taskId ?? '')
      expect(task.status).toBe('succeeded')
      expect(provider.outputs?.(task)).toEqual([
        [{ kind: 'url', url: sim.task(task.id)?.videoUrl, expiresAt: task.expiresAt }],
      ])
    } finally {
      await client.close()
    }
  })

  it('cancels a queued task, which then reads cancelled; a running one is refused', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const provider = ark({ apiKey: sim.apiKey, baseURL: sim.baseURL })
    const queued = sim.createTask({ provider: 'ark', queuedMs: 5_000, runningMs: 5_000 })
    const cancel = (id: string) => {
      const request = provider.buildCancelRequest?.(id)
      if (!request) throw new Error('no cancel')
      return send(request)
    }
    const accepted = await cancel(queued.id)
    expect(() => provider.parseCancelResponse?.(accepted)).not.toThrow()
    expect(sim.task(queued.id)?.phase).toBe('cancelled')
    // Long after the script would have finished, it stays cancelled.
    clock.tick(60_000)
    const client = createClient({ provider, intervalMs: 5, maxIntervalMs: 10 })
    try {
      const error = await client.waitFor(queued.id).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(TaskCancelledError)

      const running = sim.createTask({ provider: 'ark', queuedMs: 0, runningMs: 60_000 })
      const refused = await cancel(running.id)
      expect(refused.status).toBe(400)
      expect(() => provider.parseCancelResponse?.(refused)).toThrow(/cannot be cancelled/)
      expect(sim.task(running.id)?.phase).toBe('running')

      // A DELETE of a finished task deletes it (ark-seedance.md §Cancel / delete).
      const finished = sim.createTask({ provider: 'ark', queuedMs: 0, runningMs: 1 })
      clock.tick(10)
      const deleted = await cancel(finished.id)
      expect(deleted.status).toBe(200)
      const gone = await client.getTask(finished.id).catch((caught: unknown) => caught)
      expect(gone).toBeInstanceOf(TaskNotFoundError)
    } finally {
      await client.close()
    }
  })
})
