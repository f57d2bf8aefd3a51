/*
 * The entry loads nothing but what `createClient` and the factories check: a client loads its
 * core (src/client/core.ts) and the provider's adapter on its first call (issue 12, "Cost of
 * importing it"). These tests start cold: `vi.resetModules()` and a fresh import of the entry, so
 * the setup's preload (test/support/preload.ts) does not apply to the modules they use.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type * as Entry from '../../src/index.js'
import { type Simulator, startSimulator } from '../../src/simulator/index.js'
import { FakeTransport, json } from '../support/fake-transport.js'
import { VirtualClock } from '../support/virtual-clock.js'

let entry: typeof Entry
let simulator: Simulator

beforeAll(async () => {
  simulator = await startSimulator()
})
afterAll(async () => {
  await simulator.close()
})
beforeEach(async () => {
  vi.resetModules()
  entry = await import('../../src/index.js')
})

const BASE = 'https://api.openai.test'
const video = (status: string, progress: number) =>
  json({ id: 'vid_1', object: 'video', status, progress, created_at: 1_700_000_000 })

/** A provider whose `load` the test resolves: a hand-made provider may load lazily too. */
async function heldProvider() {
  let release!: () => void
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  const defined = entry.defineProvider({
    id: 'held',
    baseURL: BASE,
    buildRequest: (taskId, { url }) => ({
      method: 'GET',
      url: url(`/v1/videos/${taskId}`),
      headers: {},
    }),
    parseResponse: (response) => {
      const body = JSON.parse(response.body) as { status: string; progress: number }
      return {
        id: response.taskId,
        provider: 'held',
        status: body.status === 'completed' ? 'succeeded' : 'running',
        vendorStatus: body.status,
        progress: body.status === 'completed' ? 100 : body.progress,
        videoUrl: null,
        videoUrls: [],
        error: null,
        createdAt: null,
        completedAt: null,
        expiresAt: null,
        details: {},
        raw: body,
      } as Entry.VideoTask
    },
  })
  // defineProvider's own providers load their code on first use too: load it here.
  const ready = (await defined.load?.()) ?? defined
  let loads = 0
  const provider: Entry.Provider = {
    ...ready,
    load: async () => {
      loads++
      await released
      return ready
    },
  }
  return { provider, release, loads: () => loads }
}

describe('a built-in provider before its adapter is loaded', () => {
  it('has its id, base URL and poll defaults, and says to load it before its members run', async () => {
    const provider = entry.doubao({ baseURL: `${BASE}/v1`, apiKey: 'sk-test-0123456789' })
    expect(provider.load).toBeTypeOf('function')
    expect(provider.id).toBe('doubao')
    expect(provider.baseURL).toBe(BASE)
    expect(provider.pollDefaults).toMatchObject({ intervalMs: 5_000, maxIntervalMs: 10_000 })
    expect(() => provider.buildRequest('task_1')).toThrow(/await provider\.load\(\)/)
    expect(() => provider.parseResponse({} as Entry.ProviderResponse)).toThrow(TypeError)
    const loaded = await provider.load?.()
    expect(loaded?.load).toBeUndefined()
    expect(loaded?.buildRequest('task_1').url).toBe(`${BASE}/v1/video/generations/task_1`)
    expect(await provider.load?.()).toBe(loaded)
    // Loaded once in this module graph: a provider created now is ready at once.
    const next = entry.doubao({ baseURL: BASE, apiKey: 'sk-test-0123456789' })
    expect(next.load).toBeUndefined()
    expect(next.buildRequest('task_2').url).toBe(`${BASE}/v1/video/generations/task_2`)
  })

  it('checks its options at once: a wrong option throws before anything loads', () => {
    expect(() => entry.doubao({ baseURL: 'ftp://x', apiKey: 'k' })).toThrow(TypeError)
    expect(() => entry.doubao({ baseURL: BASE, apiKey: '' })).toThrow(/apiKey/)
    expect(() =>
      entry.doubao({ baseURL: BASE, apiKey: 'k', timeout: 5 } as unknown as Entry.ProviderOptions),
    ).toThrow(/timeout/)
  })

  it('does not keep the key in what inspection shows', async () => {
    const { inspect } = await import('node:util')
    const provider = entry.doubao({ baseURL: BASE, apiKey: 'sk-secret-value-123' })
    expect(inspect(provider, { depth: 5, showHidden: true })).not.toContain('sk-secret-value-123')
    expect(JSON.stringify(provider)).not.toContain('sk-secret-value-123')
  })
})

describe('defineProvider before its code is loaded', () => {
  const definition = () => ({
    id: 'acme',
    baseURL: `${BASE}/`,
    buildRequest: (taskId: string, { url }: { url(path: string): string }) => ({
      method: 'GET' as const,
      url: url(`/jobs/${taskId}`),
      headers: {},
    }),
    parseResponse: () => ({ status: 'running' }) as unknown as Entry.VideoTask,
  })

  it('checks the definition at once, then loads the code that wraps it', async () => {
    expect(() => entry.defineProvider({ ...definition(), id: 'Acme' })).toThrow(/`id`/)
    expect(() =>
      entry.defineProvider({ ...definition(), pollDefaults: { intervalMs: -1 } }),
    ).toThrow(/pollDefaults\.intervalMs/)
    expect(() =>
      entry.defineProvider({
        ...definition(),
        parseCreateResponse: () => ({ taskId: 'x', task: null }),
      }),
    ).toThrow(/together/)
    const provider = entry.defineProvider(definition())
    expect(provider).toMatchObject({ id: 'acme', baseURL: BASE })
    expect(() => provider.buildRequest('job_1')).toThrow(/await provider\.load\(\)/)
    const ready = await provider.load?.()
    expect(ready?.buildRequest('job_1').url).toBe(`${BASE}/jobs/job_1`)
    // The wrapped parser checks the task as VideoTaskSchema does.
    expect(() => ready?.parseResponse({} as Entry.ProviderResponse)).toThrow(
      entry.ResponseValidationError,
    )
    // Loaded: a provider defined now is ready at once.
    expect(entry.defineProvider(definition()).load).toBeUndefined()
  })
})

describe('a client before its first call', () => {
  it('loads its code and the adapter on the first call, then reads over real sockets', async () => {
    const task = simulator.createTask({ provider: 'doubao', queuedMs: 0, runningMs: 300 })
    const provider = entry.doubao({ baseURL: simulator.baseURL, apiKey: simulator.apiKey })
    expect(provider.load).toBeTypeOf('function')
    const client = entry.createClient({ provider })
    try {
      const read = await client.getTask(task.id)
      expect(read.id).toBe(task.id)
      expect(read.provider).toBe('doubao')
      const done = await client.waitFor(task.id, { timeoutMs: 60_000, intervalMs: 100 })
      expect(done.status).toBe('succeeded')
    } finally {
      await client.close()
    }
  })

  it('watch before the load yields the reads once it is loaded', async () => {
    const task = simulator.createTask({ provider: 'doubao', queuedMs: 0, runningMs: 300 })
    const client = entry.createClient({
      provider: entry.doubao({ baseURL: simulator.baseURL, apiKey: simulator.apiKey }),
    })
    const statuses: string[] = []
    try {
      for await (const read of client.watch(task.id, { timeoutMs: 60_000, intervalMs: 100 }))
        statuses.push(read.status)
      expect(statuses.at(-1)).toBe('succeeded')
    } finally {
      await client.close()
    }
  })

  it('closed before the load: sends nothing, loads nothing, and rejects every call as closed', async () => {
    const { provider, loads } = await heldProvider()
    const transport = new FakeTransport([video('completed', 100)])
    const client = entry.createClient({ provider, transport })
    await client.close()
    await expect(client.getTask('vid_1')).rejects.toThrow(/client is closed/)
    await expect(client.waitFor('vid_1')).rejects.toBeInstanceOf(entry.VideoTaskError)
    expect(loads()).toBe(0)
    expect(transport.requests).toHaveLength(0)
  })

  it('closed during the load: the calls waiting for it reject as closed and nothing is sent', async () => {
    const { provider, release } = await heldProvider()
    const transport = new FakeTransport([video('completed', 100)])
    const client = entry.createClient({ provider, transport })
    const read = client.getTask('vid_1')
    const closing = client.close()
    release()
    await closing
    await expect(read).rejects.toThrow(/client is closed/)
    expect(transport.requests).toHaveLength(0)
  })

  it('a failed load rejects the call with its error, and the next call tries again', async () => {
    const { provider: held, release } = await heldProvider()
    release()
    let failures = 1
    const provider: Entry.Provider = {
      ...held,
      load: () =>
        failures-- > 0
          ? Promise.reject(new Error('chunk failed to load'))
          : (held.load?.() ?? Promise.resolve(held)),
    }
    const transport = new FakeTransport([video('completed', 100)])
    const client = entry.createClient({ provider, transport })
    await expect(client.getTask('vid_1')).rejects.toThrow('chunk failed to load')
    await expect(client.getTask('vid_1')).resolves.toMatchObject({ status: 'succeeded' })
    expect(transport.requests).toHaveLength(1)
  })

  it('a wait’s deadline counts from the call, the load included', async () => {
    const clock = new VirtualClock()
    const { provider, release } = await heldProvider()
    const transport = new FakeTransport([video('in_progress', 10)])
    const client = entry.createClient({ provider, transport, clock, random: () => 0 })
    const start = clock.now()
    const waiting = client.waitFor('vid_1', { timeoutMs: 10_000, intervalMs: 1_000 })
    const outcome = waiting.then(
      () => 'resolved',
      (error: unknown) => error,
    )
    await clock.advance(4_000) // the load takes 4 s of the wait's 10
    release()
    await clock.advance(5_999)
    expect(await Promise.race([outcome, Promise.resolve('pending')])).toBe('pending')
    await clock.advance(1)
    const error = await outcome
    expect(error).toBeInstanceOf(entry.WaitTimeoutError)
    expect(clock.now() - start).toBe(10_000)
    await client.close()
  })

  it('a signal that aborts during the load rejects with its reason and sends nothing', async () => {
    const { provider, release } = await heldProvider()
    const transport = new FakeTransport([video('completed', 100)])
    const client = entry.createClient({ provider, transport })
    const controller = new AbortController()
    const read = client.getTask('vid_1', { signal: controller.signal })
    controller.abort(new Error('user left'))
    release()
    await expect(read).rejects.toThrow('user left')
    expect(transport.requests).toHaveLength(0)
    await client.close()
  })

  it('nudge before the load checks the id and reports no wait', async () => {
    const { provider } = await heldProvider()
    const client = entry.createClient({ provider, transport: new FakeTransport([]) })
    expect(client.nudge('vid_1')).toBe(false)
    expect(() => client.nudge('' as string)).toThrow(TypeError)
  })

  it('preload loads the code now: the first call then sends in the same tick, with no I/O', async () => {
    const microtasks = async () => {
      for (let turn = 0; turn < 50; turn++) await Promise.resolve()
    }
    const reply = json({ code: 'success', data: { task_id: 't1', status: 'IN_PROGRESS' } })
    const cold = new FakeTransport([reply])
    const coldClient = entry.createClient({
      provider: entry.doubao({ baseURL: BASE, apiKey: 'sk-test-0123456789' }),
      transport: cold,
    })
    const coldRead = coldClient.getTask('t1')
    await microtasks()
    // Not loaded yet: the core module and the adapter are still being read from disk.
    expect(cold.requests).toHaveLength(0)
    await coldRead
    await coldClient.close()

    vi.resetModules()
    entry = await import('../../src/index.js')
    const provider = entry.doubao({ baseURL: BASE, apiKey: 'sk-test-0123456789' })
    await entry.preload(provider)
    const warm = new FakeTransport([reply])
    const client = entry.createClient({ provider, transport: warm })
    const read = client.getTask('t1')
    await microtasks()
    expect(warm.requests).toHaveLength(1)
    await expect(read).resolves.toMatchObject({ status: 'running' })
    await client.close()
  })

  it('a load that never ends: the signal still aborts the call, and nothing is left', async () => {
    const { provider } = await heldProvider()
    const transport = new FakeTransport([video('completed', 100)])
    const client = entry.createClient({ provider, transport })
    const controller = new AbortController()
    const read = client.getTask('vid_1', { signal: controller.signal })
    controller.abort(new Error('user left'))
    await expect(read).rejects.toThrow('user left')
    const watched = client.download('vid_1', {
      to: '/tmp/never-written.mp4',
      signal: AbortSignal.abort(new Error('gone')),
    })
    await expect(watched).rejects.toThrow('gone')
    expect(transport.requests).toHaveLength(0)
  })

  it('a load that never ends: a wait’s deadline still holds, with a WaitTimeoutError', async () => {
    const clock = new VirtualClock()
    const { provider } = await heldProvider()
    const client = entry.createClient({
      provider,
      transport: new FakeTransport([]),
      clock,
      timeoutMs: 60_000,
    })
    const start = clock.now()
    const outcomes = [
      client.waitFor('vid_1', { timeoutMs: 5_000 }),
      client.waitForAll(['vid_1', 'vid_2']),
    ].map((wait) =>
      wait.then(
        () => 'resolved',
        (error: unknown) => error,
      ),
    )
    await clock.advance(4_999)
    expect(await Promise.race([outcomes[0], Promise.resolve('pending')])).toBe('pending')
    await clock.advance(1)
    const first = await outcomes[0]
    expect(first).toBeInstanceOf(entry.WaitTimeoutError)
    expect(first).toMatchObject({ taskId: 'vid_1', reads: 0, lastTask: null, elapsedMs: 5_000 })
    expect(clock.now() - start).toBe(5_000)
    // The client's own default (60 s) for the wait that gave none.
    await clock.advance(55_000)
    expect(await outcomes[1]).toMatchObject({ taskId: 'vid_1,vid_2', elapsedMs: 60_000 })
    expect(clock.pending).toBe(0)
  })
})
