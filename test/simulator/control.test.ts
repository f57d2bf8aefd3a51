import { describe, expect, it } from 'vitest'
import { authed, fakeClock, noRequests, read, toRead, useSimulators } from './helpers.js'

const start = useSimulators()

describe('control endpoint', () => {
  it('POST /__simulator/tasks creates a task from a JSON script', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const created = await toRead(
      await authed(sim, '/__simulator/tasks', {
        method: 'POST',
        body: JSON.stringify({
          provider: 'doubao',
          dialect: 'legacy',
          id: 'ctl_1',
          queuedMs: 100,
          runningMs: 100,
          faults: [{ kind: 'rate-limit', times: 1 }],
        }),
      }),
    )
    expect(created.status).toBe(201)
    expect(created.json).toEqual({
      id: 'ctl_1',
      provider: 'doubao',
      dialect: 'legacy',
      createdAt: clock.now(),
      statusUrl: `${sim.baseURL}/v1/video/generations/ctl_1`,
      videoUrl: `${sim.baseURL}/files/ctl_1.mp4`,
    })
    expect((await read(sim, { provider: 'doubao', id: 'ctl_1' })).status).toBe(429)
    expect((await read(sim, { provider: 'doubao', id: 'ctl_1' })).status).toBe(200)

    const info = await toRead(await authed(sim, '/__simulator/tasks/ctl_1'))
    expect(info.status).toBe(200)
    expect(info.json).toMatchObject({
      id: 'ctl_1',
      phase: 'queued',
      progress: 10,
      reads: 2,
      contentReads: 0,
      faultsLeft: [0],
      script: { provider: 'doubao', dialect: 'legacy', queuedMs: 100, progress: 'coarse' },
    })

    const list = await toRead(await authed(sim, '/__simulator/tasks'))
    expect(list.json.tasks).toHaveLength(1)
  })

  it('rejects a bad script with 400 naming the field, and a taken id', async () => {
    const sim = await start()
    const bad = await toRead(
      await authed(sim, '/__simulator/tasks', {
        method: 'POST',
        body: JSON.stringify({ provider: 'openai', queuedMs: -1 }),
      }),
    )
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toMatch(/script\.queuedMs/)
    const notJson = await authed(sim, '/__simulator/tasks', { method: 'POST', body: '{' })
    expect(notJson.status).toBe(400)
    await notJson.arrayBuffer()
    sim.createTask({ provider: 'openai', id: 'taken' })
    const taken = await authed(sim, '/__simulator/tasks', {
      method: 'POST',
      body: JSON.stringify({ provider: 'doubao', id: 'taken' }),
    })
    expect(taken.status).toBe(400)
    await taken.arrayBuffer()
  })

  it('GET /__simulator/stats counts requests and faults', async () => {
    const sim = await start()
    const task = sim.createTask({
      provider: 'generic-task',
      faults: [{ kind: 'wrong-shape', times: 1 }],
    })
    await read(sim, task)
    await read(sim, task)
    await read(sim, task, { key: 'bad' })
    const stats = await toRead(await authed(sim, '/__simulator/stats'))
    expect(stats.json).toEqual({
      totalRequests: 3,
      requestsByProvider: { ...noRequests(), 'generic-task': 3 },
      unauthorized: 1,
      tasks: 1,
      faults: { 'wrong-shape': 1 },
    })
    expect(sim.stats()).toEqual(stats.json)
  })

  it('POST /__simulator/faults sets random faults; null clears them', async () => {
    const sim = await start()
    const task = sim.createTask({ provider: 'openai' })
    const set = await toRead(
      await authed(sim, '/__simulator/faults', {
        method: 'POST',
        body: JSON.stringify({ rate: 1, kinds: ['forbidden'], seed: 5 }),
      }),
    )
    expect(set.status).toBe(200)
    expect(set.json.faults).toEqual({ rate: 1, kinds: [{ kind: 'forbidden' }], seed: 5 })
    expect((await read(sim, task)).status).toBe(403)
    const cleared = await authed(sim, '/__simulator/faults', { method: 'POST', body: 'null' })
    expect(cleared.status).toBe(200)
    await cleared.arrayBuffer()
    expect((await read(sim, task)).status).toBe(200)
    const bad = await toRead(
      await authed(sim, '/__simulator/faults', {
        method: 'POST',
        body: JSON.stringify({ rate: 0.1, kinds: ['meteor'] }),
      }),
    )
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toMatch(/faults\.kinds\[0\]/)
  })

  it('POST /__simulator/clock advances virtual time', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now, timeScale: 10 })
    const task = sim.createTask({ provider: 'openai', queuedMs: 5000, runningMs: 0 })
    const advanced = await toRead(
      await authed(sim, '/__simulator/clock', {
        method: 'POST',
        body: JSON.stringify({ advanceMs: 5000 }),
      }),
    )
    expect(advanced.json).toEqual({ now: clock.now() + 500 })
    expect((await read(sim, task)).json.status).toBe('completed')
  })

  it('needs the bearer key', async () => {
    const sim = await start()
    for (const path of ['/__simulator/stats', '/__simulator/tasks/x']) {
      const r = await toRead(await fetch(`${sim.baseURL}${path}`))
      expect(r.status).toBe(401)
    }
    const post = await fetch(`${sim.baseURL}/__simulator/tasks`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong' },
      body: JSON.stringify({ provider: 'openai' }),
    })
    expect(post.status).toBe(401)
    await post.arrayBuffer()
    expect(sim.stats().tasks).toBe(0)
    expect(sim.totalRequests()).toBe(0)
  })

  it('unknown control routes and tasks -> 404', async () => {
    const sim = await start()
    expect((await toRead(await authed(sim, '/__simulator/nope'))).status).toBe(404)
    expect((await toRead(await authed(sim, '/__simulator/tasks/none'))).status).toBe(404)
  })
})
