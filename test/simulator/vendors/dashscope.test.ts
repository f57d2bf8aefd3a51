import { describe, expect, it } from 'vitest'
import { createClient } from '../../../src/client.js'
import { TaskCancelledError, TaskNotFoundError } from '../../../src/errors.js'
import { dashscope } from '../../../src/providers/dashscope.js'
import type { ProviderRequest, ProviderResponse } from '../../../src/providers/define-provider.js'
import { fakeClock, read, useSimulators } from '../helpers.js'

/*
 * The DashScope vendor of the simulator (dashscope-wan.md), and the `dashscope` adapter's
 * lifecycle members against it over real sockets.
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
    provider: 'dashscope',
    taskId: '',
    receivedAt: Date.now(),
  }
}

describe('the simulator speaks DashScope', () => {
  it('output.task_status words, UTC+8 time strings, CANCELED with one L', async () => {
    const clock = fakeClock(Date.UTC(2025, 6, 27, 13, 5, 15, 212))
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'dashscope',
      outcome: 'cancelled',
      queuedMs: 1_000,
      runningMs: 1_000,
    })
    expect(task.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    const pending = await read(sim, task)
    expect(pending.json).toEqual({
      request_id: expect.any(String),
      output: { task_id: task.id, task_status: 'PENDING', submit_time: '2025-07-27 21:05:15.212' },
    })
    clock.tick(1_500)
    expect((await read(sim, task)).json.output).toMatchObject({
      task_status: 'RUNNING',
      scheduled_time: '2025-07-27 21:05:16.212',
    })
    clock.tick(1_000)
    expect((await read(sim, task)).json.output).toMatchObject({
      task_status: 'CANCELED',
      end_time: '2025-07-27 21:05:17.212',
    })
  })

  it('answers an unknown id with HTTP 200 UNKNOWN, and errors as {request_id, code, message}', async () => {
    const sim = await start()
    const unknown = await read(sim, { provider: 'dashscope', id: 'does-not-exist' })
    expect(unknown.status).toBe(200)
    expect(unknown.json.output).toEqual({ task_status: 'UNKNOWN' })
    const unauthorized = await read(sim, { provider: 'dashscope', id: 'x' }, { key: 'bad' })
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.json).toMatchObject({
      code: 'InvalidApiKey',
      request_id: expect.any(String),
    })
  })

  it.each<[string, Record<string, string>, unknown, number]>([
    ['no async header', {}, { model: 'm', input: { prompt: 'p' } }, 403],
    ['no prompt', { 'x-dashscope-async': 'enable' }, { model: 'm', input: {} }, 400],
    [
      'a string duration, x in size, lower-case resolution',
      { 'x-dashscope-async': 'enable' },
      {
        model: 'm',
        input: { prompt: 'x' },
        parameters: { size: '1280x720', duration: '5', resolution: '720p' },
      },
      400,
    ],
  ])('refuses a create with %s', async (_what, extra, body, status) => {
    const sim = await start()
    const answer = await fetch(
      `${sim.baseURL}/api/v1/services/aigc/video-generation/video-synthesis`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${sim.apiKey}`,
          'content-type': 'application/json',
          ...extra,
        },
        body: JSON.stringify(body),
      },
    )
    expect(answer.status).toBe(status)
    expect(sim.billed()).toBe(0)
  })
})

describe('the dashscope adapter against the simulator', () => {
  it('creates from the shared input (the simulator checks the async header), then waits', async () => {
    const sim = await start({
      timeScale: 1_000,
      createScript: { queuedMs: 2_000, runningMs: 5_000 },
    })
    const provider = dashscope({ apiKey: sim.apiKey, baseURL: `${sim.baseURL}/api/v1` })
    const request = provider.buildCreateRequest?.({
      prompt: 'A kitten running in the moonlight',
      size: '1280x720',
      durationSeconds: 5,
      resolution: '720p',
    })
    if (!request) throw new Error('no create')
    const created = provider.parseCreateResponse?.(await send(request))
    expect(sim.billed()).toBe(1)
    const client = createClient({ provider, intervalMs: 5, maxIntervalMs: 10 })
    try {
      const task = await client.waitFor(created?.taskId ?? '')
      expect(task.status).toBe('succeeded')
      expect(task.videoUrl).toBe(sim.task(task.id)?.videoUrl)
      // No Expires in the simulator's URL: end_time + 24 h.
      expect((task.expiresAt?.getTime() ?? 0) - (task.completedAt?.getTime() ?? 0)).toBe(86_400_000)
    } finally {
      await client.close()
    }
  })

  it('a wait on an unknown id ends at once with TaskNotFoundError, after one read', async () => {
    const sim = await start()
    const client = createClient({
      provider: dashscope({ apiKey: sim.apiKey, baseURL: sim.baseURL }),
      intervalMs: 5,
      maxIntervalMs: 10,
    })
    try {
      const error = await client
        .waitFor('0385dc79-0000-4000-8000-000000000000', { timeoutMs: 60_000 })
        .catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(TaskNotFoundError)
      expect(sim.totalRequests()).toBe(1)
    } finally {
      await client.close()
    }
  })

  it('cancels a pending task; a running or finished one answers UnsupportedOperation', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const provider = dashscope({ apiKey: sim.apiKey, baseURL: sim.baseURL })
    const cancel = (id: string) => {
      const request = provider.buildCancelRequest?.(id)
      if (!request) throw new Error('no cancel')
      return send(request)
    }
    const pending = sim.createTask({ provider: 'dashscope', queuedMs: 5_000, runningMs: 5_000 })
    const accepted = await cancel(pending.id)
    expect(() => provider.parseCancelResponse?.(accepted)).not.toThrow()
    clock.tick(60_000)
    const client = createClient({ provider, intervalMs: 5, maxIntervalMs: 10 })
    try {
      expect(await client.waitFor(pending.id).catch((caught: unknown) => caught)).toBeInstanceOf(
        TaskCancelledError,
      )
    } finally {
      await client.close()
    }
    const running = sim.createTask({ provider: 'dashscope', queuedMs: 0, runningMs: 600_000 })
    const refused = await cancel(running.id)
    expect(refused.status).toBe(400)
    expect(() => provider.parseCancelResponse?.(refused)).toThrow(/not supported/)
    // A cancelled task is final and refuses another cancel (no deletion, unlike Ark).
    expect((await cancel(pending.id)).status).toBe(400)
    expect(sim.task(pending.id)?.phase).toBe('cancelled')
  })
})
