import { describe, expect, it } from 'vitest'
import type { SimulatedDialect, SimulatedProvider } from '../../src/simulator/index.js'
import { authed, fakeClock, noRequests, read, toRead, useSimulators } from './helpers.js'

const start = useSimulators()

describe('authentication', () => {
  const cases: {
    provider: SimulatedProvider
    dialect: SimulatedDialect
    check(body: unknown): void
  }[] = [
    {
      provider: 'openai',
      dialect: 'official',
      check: (body) =>
        expect(body).toEqual({
          error: {
            message: expect.stringContaining('Incorrect API key'),
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        }),
    },
    {
      provider: 'doubao',
      dialect: 'gateway-upper',
      check: (body) =>
        expect(body).toEqual({ code: 'unauthorized', message: expect.any(String), data: null }),
    },
    {
      provider: 'generic-task',
      dialect: 'envelope',
      check: (body) =>
        expect(body).toMatchObject({ code: 50401, status: 50401, data: null, request_id: /^req_/ }),
    },
    {
      provider: 'generic-task',
      dialect: 'envelope-doc',
      check: (body) => expect(body).toMatchObject({ code: 401, data: null }),
    },
    {
      provider: 'generic-task',
      dialect: 'minimax',
      check: (body) =>
        expect(body).toMatchObject({ base_resp: { status_code: 1004, status_msg: /login fail/ } }),
    },
    {
      provider: 'check-result',
      dialect: 'documented',
      check: (body) => expect(body).toEqual({ code: 401, message: 'Unauthorized' }),
    },
  ]

  it.each(cases)(
    '$provider $dialect: missing or wrong key -> 401 in the vendor shape',
    async ({ provider, dialect, check }) => {
      const sim = await start({ apiKey: 'right-key' })
      const task = sim.createTask({ provider, dialect })
      const missing = await read(sim, task, { key: null })
      expect(missing.status).toBe(401)
      check(missing.json)
      const wrong = await read(sim, task, { key: 'wrong-key' })
      expect(wrong.status).toBe(401)
      check(wrong.json)
      const right = await read(sim, task, { key: 'right-key' })
      expect(right.status).toBe(200)
      expect(sim.requests(task.id)).toBe(3)
      expect(sim.stats().unauthorized).toBe(2)
    },
  )

  it('an unknown id with a wrong key is a 401 in the default dialect', async () => {
    const sim = await start({ dialects: { 'generic-task': 'minimax' } })
    const r = await read(sim, { provider: 'generic-task', id: 'nope' }, { key: 'x' })
    expect(r.status).toBe(401)
    expect(r.json.base_resp.status_code).toBe(1004)
  })
})

describe('not found', () => {
  it.each([
    [
      'openai',
      'official',
      404,
      { error: { code: 'task_not_found', message: 'Video task not found' } },
    ],
    ['openai', 'gateway', 404, { error: { code: 'task_not_found' } }],
    ['doubao', 'gateway-upper', 400, { code: 'task_not_exist', data: null }],
    ['doubao', 'legacy', 404, { code: 'not_found', data: null }],
    ['doubao', 'second-shape', 404, { code: 'not_found', data: null }],
    ['generic-task', 'envelope', 404, { code: 50404, status: 50404, data: null }],
    ['generic-task', 'envelope-doc', 404, { code: 404, data: null }],
    ['generic-task', 'minimax', 404, { base_resp: { status_code: 2013 } }],
    ['check-result', 'documented', 404, { code: 404, message: 'Task not found' }],
    ['minimax', 'v1', 200, { base_resp: { status_code: 2013, status_msg: 'invalid task_id' } }],
  ] as const)('%s %s: unknown id -> %i', async (provider, dialect, status, body) => {
    const sim = await start({ dialects: { [provider]: dialect } })
    const r = await read(sim, { provider, id: 'no_such_task' })
    expect(r.status).toBe(status)
    expect(r.json).toMatchObject(body)
    expect(sim.requests('no_such_task')).toBe(0)
    expect(sim.totalRequests()).toBe(1)
  })

  it("a task is visible on its own provider's route only", async () => {
    const sim = await start()
    const task = sim.createTask({ provider: 'openai', id: 'shared_id' })
    expect((await read(sim, { provider: 'openai', id: 'shared_id' })).status).toBe(200)
    expect((await read(sim, { provider: 'doubao', id: 'shared_id' })).status).toBe(400)
    expect((await read(sim, { provider: 'generic-task', id: 'shared_id' })).status).toBe(404)
    expect((await read(sim, { provider: 'check-result', id: 'shared_id' })).status).toBe(404)
    expect(sim.requests(task.id)).toBe(1)
    expect(sim.totalRequests()).toBe(4)
    expect(sim.stats().requestsByProvider).toEqual({
      ...noRequests(),
      openai: 1,
      doubao: 1,
      'generic-task': 1,
      'check-result': 1,
    })
  })

  it('check-result without a taskId -> 400 {code, message}', async () => {
    const sim = await start()
    for (const body of ['{}', 'not json', '{"taskId": 5}']) {
      const r = await toRead(
        await authed(sim, '/api/video-generations/check-result', { method: 'POST', body }),
      )
      expect(r.status).toBe(400)
      expect(r.json).toEqual({ code: 400, message: 'taskId is required' })
    }
  })

  it('unknown routes -> 404, wrong methods -> 405', async () => {
    const sim = await start()
    const unknown = await authed(sim, '/v2/whatever')
    expect(unknown.status).toBe(404)
    await unknown.arrayBuffer()
    const wrong = await authed(sim, '/v1/videos/abc', { method: 'DELETE' })
    expect(wrong.status).toBe(405)
    await wrong.arrayBuffer()
    expect(sim.totalRequests()).toBe(0)
  })

  it('ids are URL-decoded from the path', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({ provider: 'generic-task', id: 'a:b@c' })
    const r = await read(sim, task)
    expect(r.status).toBe(200)
    expect(sim.requests('a:b@c')).toBe(1)
  })
})
