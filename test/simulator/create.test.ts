import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { Simulator } from '../../src/simulator/index.js'
import { authed, fakeClock, read, toRead, until, useSimulators } from './helpers.js'

const start = useSimulators()

function create(sim: Simulator, path: string, body: unknown, headers: Record<string, string> = {}) {
  return authed(sim, path, { method: 'POST', body: JSON.stringify(body), headers })
}

describe('OpenAI-compatible POST /v1/videos', () => {
  it('answers with the queued video object, prompt included, and the task reads back', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const created = await toRead(
      await create(sim, '/v1/videos', { prompt: 'A red fox in snow', model: 'sora-2-pro' }),
    )
    expect(created.status).toBe(200)
    expect(created.headers.get('x-request-id')).toMatch(/^req_/)
    expect(created.json).toMatchObject({
      id: expect.stringMatching(/^video_[0-9a-f]{48}$/),
      object: 'video',
      status: 'queued',
      progress: 0,
      prompt: 'A red fox in snow',
      model: 'sora-2-pro',
      seconds: '4',
      size: '720x1280',
    })
    const task = { provider: 'openai' as const, id: created.json.id as string }
    expect((await read(sim, task)).json).toMatchObject({
      status: 'queued',
      prompt: 'A red fox in snow',
    })
    clock.tick(12_000)
    expect((await read(sim, task)).json.status).toBe('completed')
    expect(sim.billed()).toBe(1)
    expect(sim.task(task.id)?.script.prompt).toBe('A red fox in snow')
  })

  it('takes multipart/form-data with the image as a file part', async () => {
    const sim = await start()
    const form = new FormData()
    form.set('prompt', 'Animate this drawing')
    form.set('seconds', '8')
    form.set('input_reference', new Blob([new Uint8Array(2048)], { type: 'image/png' }), 'a.png')
    const response = await fetch(`${sim.baseURL}/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}` },
      body: form,
    })
    const created = await toRead(response)
    expect(created.status).toBe(200)
    expect(created.json).toMatchObject({
      status: 'queued',
      prompt: 'Animate this drawing',
      seconds: '8',
    })
    expect(sim.billed()).toBe(1)
  })

  it('refuses a create without a prompt or with a wrong field with the vendor 400, and bills nothing', async () => {
    const sim = await start()
    const answer = await toRead(await create(sim, '/v1/videos', { model: 'sora-2' }))
    expect(answer.status).toBe(400)
    expect(answer.json.error.type).toBe('invalid_request_error')
    const badSize = await create(sim, '/v1/videos', { prompt: 'a', size: { w: 1 } })
    expect(badSize.status).toBe(400)
    const sized = await toRead(
      await create(sim, '/v1/videos', { prompt: 'a', seconds: 12, size: '1792x1024' }),
    )
    expect(sized.json).toMatchObject({ seconds: '12', size: '1792x1024' })
    expect(sim.billed()).toBe(1)
    const before = sim.billed()
    const notJson = await toRead(
      await authed(sim, '/v1/videos', { method: 'POST', body: '{"prompt": "unterminated' }),
    )
    expect(notJson.status).toBe(400)
    expect(sim.billed()).toBe(before)
    expect(sim.stats().tasks).toBe(1)
  })

  it('answers a missing or wrong key with the vendor 401 and bills nothing', async () => {
    const sim = await start()
    const response = await fetch(`${sim.baseURL}/v1/videos`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x' }),
    })
    expect(response.status).toBe(401)
    expect((await toRead(response)).json.error.code).toBe('invalid_api_key')
    expect(sim.billed()).toBe(0)
  })
})

describe('gateway POST /v1/video/generations', () => {
  it('answers in the current shape by default', async () => {
    const sim = await start()
    const created = await toRead(await create(sim, '/v1/video/generations', { prompt: 'waves' }))
    expect(created.json).toEqual({
      id: expect.stringMatching(/^cgt-/),
      task_id: created.json.id,
      object: 'video',
      model: 'doubao-seedance-1-0-pro-250528',
      status: 'queued',
      progress: 0,
      created_at: expect.any(Number),
    })
    const read1 = await read(sim, { provider: 'doubao', id: created.json.id })
    expect(read1.json.data.status).toBe('NOT_START')
  })

  it('answers {task_id} only with x-simulator-create-shape: task-id-only (older releases)', async () => {
    const sim = await start()
    const created = await toRead(
      await create(
        sim,
        '/v1/video/generations',
        { prompt: 'waves' },
        { 'x-simulator-create-shape': 'task-id-only' },
      ),
    )
    expect(Object.keys(created.json)).toEqual(['task_id'])
    expect(sim.task(created.json.task_id)?.provider).toBe('doubao')
  })
})

describe('MiniMax POST /v1/video_generation', () => {
  it.each([
    ['/v1/video_generation', 'minimax', 'Preparing'],
    ['/task/minimax/v1/video_generation', 'generic-task', 'Preparing'],
  ] as const)(
    '%s answers {task_id, base_resp} and the task reads as %s',
    async (path, provider, word) => {
      const sim = await start()
      const created = await toRead(
        await create(sim, path, { model: 'MiniMax-Hailuo-02', prompt: 'x' }),
      )
      expect(created.json).toEqual({
        task_id: expect.stringMatching(/^\d{15}$/),
        base_resp: { status_code: 0, status_msg: 'success' },
      })
      expect(sim.task(created.json.task_id)?.provider).toBe(provider)
      const status = await read(sim, { provider, id: created.json.task_id })
      expect(status.json.status).toBe(word)
    },
  )

  it('the native route refuses bad input with HTTP 200 and base_resp 2013, and bills nothing', async () => {
    const sim = await start()
    const answer = await toRead(
      await create(sim, '/v1/video_generation', { prompt: 'x'.repeat(2001) }),
    )
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual({
      task_id: '',
      base_resp: { status_code: 2013, status_msg: 'invalid params' },
    })
    expect(sim.billed()).toBe(0)
  })
})

describe('scripts for created tasks', () => {
  it('follows x-simulator-script over createScript over the defaults', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now, createScript: { queuedMs: 0, runningMs: 1_000 } })
    const plain = await toRead(await create(sim, '/v1/videos', { prompt: 'a' }))
    const failing = await toRead(
      await create(
        sim,
        '/v1/videos',
        { prompt: 'b' },
        { 'x-simulator-script': JSON.stringify({ outcome: 'failed', failureReason: 'No.' }) },
      ),
    )
    clock.tick(1_000)
    const done = await read(sim, { provider: 'openai', id: plain.json.id })
    const failed = await read(sim, { provider: 'openai', id: failing.json.id })
    expect(done.json.status).toBe('completed')
    expect(failed.json).toMatchObject({ status: 'failed', error: { message: 'No.' } })
  })

  it('refuses a wrong script header with a 400 naming it, and bills nothing', async () => {
    const sim = await start()
    const bad = await toRead(
      await create(
        sim,
        '/v1/videos',
        { prompt: 'a' },
        { 'x-simulator-script': '{"outcome":"maybe"}' },
      ),
    )
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toContain('outcome')
    const notJson = await toRead(
      await create(sim, '/v1/videos', { prompt: 'a' }, { 'x-simulator-script': 'nope' }),
    )
    expect(notJson.status).toBe(400)
    expect(sim.billed()).toBe(0)
  })

  it('rejects a wrong createScript option with a TypeError naming it', async () => {
    await expect(start({ createScript: { queuedMs: -1 } })).rejects.toThrow(
      /options\.createScript\.queuedMs/,
    )
    await expect(
      start({ createScript: { provider: 'openai' } as unknown as { queuedMs: number } }),
    ).rejects.toThrow(/options\.createScript/)
  })
})

describe('billing and idempotency', () => {
  it('by default bills every create, a resent key included: a second task, as the real routes do', async () => {
    const sim = await start()
    const headers = { 'idempotency-key': 'job-1' }
    const first = await toRead(await create(sim, '/v1/videos', { prompt: 'a' }, headers))
    const second = await toRead(await create(sim, '/v1/videos', { prompt: 'a' }, headers))
    expect(second.json.id).not.toBe(first.json.id)
    expect(sim.billed('job-1')).toBe(2)
    expect(sim.billed()).toBe(2)
  })

  it('honours the idempotency header when configured: same key, same task, billed once', async () => {
    const sim = await start({ idempotencyHeader: 'Idempotency-Key' })
    const headers = { 'idempotency-key': 'job-1' }
    const first = await toRead(await create(sim, '/v1/videos', { prompt: 'a' }, headers))
    const again = await toRead(await create(sim, '/v1/videos', { prompt: 'a' }, headers))
    const other = await toRead(
      await create(sim, '/v1/videos', { prompt: 'a' }, { 'idempotency-key': 'job-2' }),
    )
    expect(again.json.id).toBe(first.json.id)
    expect(other.json.id).not.toBe(first.json.id)
    expect(sim.billed('job-1')).toBe(1)
    expect(sim.billed()).toBe(2)
    const billing = await toRead(await authed(sim, '/__simulator/billing'))
    expect(billing.json).toEqual({ total: 2, byKey: { 'job-1': 1, 'job-2': 1 } })
  })

  it('a reset after the create arrived: the client sees no answer, but the task exists and is billed', async () => {
    const sim = await start()
    const outcome = await create(
      sim,
      '/v1/videos',
      { prompt: 'a' },
      { 'x-simulator-fault': 'reset' },
    )
      .then(() => 'answered')
      .catch((error: unknown) => error)
    expect(outcome).toBeInstanceOf(Error)
    expect(sim.billed()).toBe(1)
    expect(sim.stats()).toMatchObject({ tasks: 1, faults: { reset: 1 } })
  })

  it('a 502 after the create arrived still bills it', async () => {
    const sim = await start()
    const answer = await create(
      sim,
      '/v1/video/generations',
      { prompt: 'a' },
      { 'x-simulator-fault': JSON.stringify({ kind: 'server-error', status: 502 }) },
    )
    expect(answer.status).toBe(502)
    expect(sim.billed()).toBe(1)
  })
})

describe('MiniMax callbacks', () => {
  async function receiver(echo: boolean) {
    const bodies: unknown[] = []
    const server = createServer(async (req: IncomingMessage, res) => {
      let text = ''
      for await (const chunk of req) text += String(chunk)
      const body = JSON.parse(text) as { challenge?: string }
      bodies.push(body)
      res.setHeader('content-type', 'application/json')
      res.end(
        JSON.stringify(echo && body.challenge !== undefined ? { challenge: body.challenge } : {}),
      )
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    return { bodies, url, close: () => new Promise((resolve) => server.close(resolve)) }
  }

  it('handshakes with a challenge, then POSTs each status change', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const hook = await receiver(true)
    try {
      const created = await toRead(
        await create(sim, '/v1/video_generation', { prompt: 'x', callback_url: hook.url }),
      )
      const id = created.json.task_id as string
      await until(() => hook.bodies.length === 1)
      expect(hook.bodies[0]).toEqual({ challenge: expect.stringMatching(/^[0-9a-f]{32}$/) })
      clock.tick(2_000) // running
      await until(() => hook.bodies.length === 2)
      clock.tick(10_000) // done
      await until(() => sim.task(id)?.callbacks === 2)
      expect(hook.bodies.slice(1)).toEqual([
        { task_id: id, status: 'processing', file_id: '', base_resp: expect.any(Object) },
        {
          task_id: id,
          status: 'success',
          file_id: expect.stringMatching(/^\d+$/),
          base_resp: { status_code: 0, status_msg: 'success' },
        },
      ])
    } finally {
      await hook.close()
    }
  })

  it('sends nothing more to a receiver that fails the handshake', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const hook = await receiver(false)
    try {
      const created = await toRead(
        await create(sim, '/v1/video_generation', { prompt: 'x', callback_url: hook.url }),
      )
      await until(() => hook.bodies.length === 1)
      clock.tick(20_000)
      // The handshake's answer is in; a callback would follow within a few checks.
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(hook.bodies).toHaveLength(1)
      expect(sim.task(created.json.task_id)?.callbacks).toBe(0)
    } finally {
      await hook.close()
    }
  })

  it('refuses a callback_url that is not a URL', async () => {
    const sim = await start()
    const answer = await toRead(
      await create(sim, '/task/minimax/v1/video_generation', {
        prompt: 'x',
        callback_url: 'not a url',
      }),
    )
    expect(answer.status).toBe(400)
    expect(answer.json.base_resp.status_code).toBe(2013)
  })
})
