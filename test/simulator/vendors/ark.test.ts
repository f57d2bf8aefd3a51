import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createClient } from '../../../src/client.js'
import {
  TaskCancelledError,
  TaskFailedError,
  TaskNotFoundError,
  UnsupportedOperationError,
} from '../../../src/errors.js'
import { ark, parseArkResponse } from '../../../src/providers/ark.js'
import type { ProviderRequest, ProviderResponse } from '../../../src/providers/define-provider.js'
import { fakeClock, read, toRead, useSimulators } from '../helpers.js'

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

describe('client.cancel on Ark', () => {
  const start = useSimulators()

  it('reads first and sends no DELETE to a finished task, which Ark would delete', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const client = createClient({ provider: ark({ apiKey: sim.apiKey, baseURL: sim.baseURL }) })
    try {
      const finished = sim.createTask({ provider: 'ark', queuedMs: 0, runningMs: 1 })
      clock.tick(10)
      const error = await client.cancel(finished.id).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(UnsupportedOperationError)
      expect((error as Error).message).toMatch(/succeeded.*nothing was sent/)
      // One read, no DELETE: the finished task and its video are still there.
      expect(sim.requests(finished.id)).toBe(1)
      expect((await client.getTask(finished.id)).status).toBe('succeeded')

      const queued = sim.createTask({ provider: 'ark', queuedMs: 60_000, runningMs: 5_000 })
      await client.cancel(queued.id)
      expect(sim.task(queued.id)?.phase).toBe('cancelled')
    } finally {
      await client.close()
    }
  })
})

describe('Ark callbacks', () => {
  it('POSTs the query body on each status change, with no handshake; the adapter reads it', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now, createScript: { queuedMs: 1_000, runningMs: 5_000 } })
    const bodies: string[] = []
    const hook = createServer(async (req, res) => {
      let text = ''
      for await (const chunk of req) text += String(chunk)
      bodies.push(text)
      res.end()
    })
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve))
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/ark`
    const until = async (condition: () => boolean) => {
      const deadline = Date.now() + 3_000
      while (!condition()) {
        if (Date.now() > deadline) throw new Error('condition not met within 3 s')
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
    try {
      const provider = ark({ apiKey: sim.apiKey, baseURL: sim.baseURL })
      const request = provider.buildCreateRequest?.({ prompt: 'p', callbackUrl: hookUrl })
      if (!request) throw new Error('no create')
      const created = await toRead(
        await fetch(request.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body ?? '',
        }),
      )
      const id = created.json.id as string
      clock.tick(2_000)
      await until(() => bodies.length === 1)
      clock.tick(10_000)
      await until(() => sim.task(id)?.callbacks === 2)
      const tasks = bodies.map((body) =>
        parseArkResponse({
          status: 200,
          headers: {},
          body,
          url: hookUrl,
          provider: 'ark',
          taskId: id,
          receivedAt: 0,
        }),
      )
      expect(tasks.map((task) => [task.id, task.status])).toEqual([
        [id, 'running'],
        [id, 'succeeded'],
      ])
    } finally {
      await new Promise((resolve) => hook.close(resolve))
    }
  })
})

describe('through the client (submit, generate, cancel)', () => {
  it('generate: submit from the shared input, then wait for the video', async () => {
    const sim = await start({
      timeScale: 1_000,
      createScript: { queuedMs: 2_000, runningMs: 5_000 },
    })
    const client = createClient({
      provider: ark({ apiKey: sim.apiKey, baseURL: sim.baseURL }),
      intervalMs: 5,
      maxIntervalMs: 10,
    })
    try {
      const { task } = await client.generate({ prompt: 'A kitten', aspectRatio: '16:9' })
      expect(task.status).toBe('succeeded')
      expect(sim.billed()).toBe(1)
    } finally {
      await client.close()
    }
  })

  it('cancel of a submitted (queued) task; the wait then ends cancelled', async () => {
    const clock = fakeClock()
    const sim = await start({
      now: clock.now,
      createScript: { queuedMs: 60_000, runningMs: 5_000 },
    })
    const client = createClient({
      provider: ark({ apiKey: sim.apiKey, baseURL: sim.baseURL }),
      intervalMs: 5,
      maxIntervalMs: 10,
    })
    try {
      const ref = await client.submit({ prompt: 'A kitten' })
      await client.cancel(ref)
      expect(sim.task(ref.taskId)?.phase).toBe('cancelled')
      const error = await client.waitFor(ref).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(TaskCancelledError)
    } finally {
      await client.close()
    }
  })
})

describe('an expired Ark task (ark-seedance.md §Status words: `expired` is a final failure)', () => {
  it('a task that reads `expired` ends the wait at once as failed, code `expired`', async () => {
    const sim = await start()
    // From the second read on the task says `expired` (past its `execution_expires_after`).
    const task = sim.createTask({
      provider: 'ark',
      queuedMs: 600_000,
      faults: [{ kind: 'unknown-status', statusWord: 'expired', afterReads: 1 }],
    })
    const client = createClient({
      provider: ark({ apiKey: sim.apiKey, baseURL: sim.baseURL }),
      intervalMs: 10,
      maxIntervalMs: 20,
      timeoutMs: 5_000,
    })
    try {
      const error = await client.waitFor(task.id).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(TaskFailedError)
      expect((error as TaskFailedError).task).toMatchObject({
        status: 'failed',
        vendorStatus: 'expired',
        error: { code: 'expired' },
      })
      // Final on the read that saw it: no spinning to the deadline.
      expect(sim.requests(task.id)).toBe(2)
    } finally {
      await client.close()
    }
  })
})
