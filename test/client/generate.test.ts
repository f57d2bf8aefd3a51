/**
 * client.generate (submit + wait) and client.cancel over real sockets: `onSubmitted` runs and is
 * awaited before the first read, a throwing `onSubmitted` stops everything, options are checked
 * before the create, and the result says what the job cost.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type ClientOptions, createClient, type VideoTaskClient } from '../../src/client.js'
import { ApiError, UnsupportedOperationError } from '../../src/errors.js'
import { defineProvider, type Provider } from '../../src/providers/define-provider.js'
import { openai } from '../../src/providers/openai.js'
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/simulator/index.js'
import type { TaskRef } from '../../src/task-ref.js'

const started: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((each) => each.close()))
})

async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator(options)
  started.push(sim)
  return sim
}

function client(provider: Provider, options: Partial<ClientOptions> = {}): VideoTaskClient {
  const made = createClient({
    provider,
    minIntervalMs: 1,
    intervalMs: 2,
    maxIntervalMs: 2,
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
    ...options,
  } as ClientOptions)
  started.push(made)
  return made
}

/** A simulator whose tasks finish after three reads (its clock moves 500 ms a read). */
async function threeReadSimulator() {
  let now = Date.UTC(2026, 0, 1)
  const sim = await simulator({
    now: () => now,
    advancePerReadMs: 500,
    createScript: { queuedMs: 500, runningMs: 1_000 },
  })
  return {
    sim,
    tick: (ms: number) => {
      now += ms
    },
  }
}

const macrotask = () => new Promise((resolve) => setImmediate(resolve))

describe('generate', () => {
  it('awaits onSubmitted before the first read, then waits; the result says what it cost', async () => {
    const { sim } = await threeReadSimulator()
    const made = client(openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }))
    const events: string[] = []
    let stored: TaskRef | null = null
    const result = await made.generate(
      { prompt: 'A red fox in snow' },
      {
        onSubmitted: async (ref) => {
          events.push('submitted')
          // Several turns of the event loop pass while the app stores the ref: no read yet.
          for (let turn = 0; turn < 5; turn++) await macrotask()
          expect(sim.requests(ref.taskId)).toBe(0)
          stored = JSON.parse(JSON.stringify(ref))
          events.push('stored')
        },
        onUpdate: (task) => events.push(`read:${task.status}`),
      },
    )
    expect(events.slice(0, 3)).toEqual(['submitted', 'stored', expect.stringMatching(/^read:/)])
    expect(events.at(-1)).toBe('read:succeeded')
    expect(result.ref).toEqual(stored)
    expect(result.task.status).toBe('succeeded')
    expect(result.task.id).toBe(result.ref.taskId)
    expect(result.task.videoUrl ?? result.task.details.contentUrl).toBeTruthy()
    expect(result.reads).toBe(sim.requests(result.ref.taskId))
    expect(result.reads).toBeGreaterThanOrEqual(2)
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0)
    expect(sim.billed()).toBe(1)
  })

  it('an onSubmitted that throws rejects generate with its error, and nothing is read', async () => {
    const sim = await simulator()
    const made = client(openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }))
    const failure = new Error('database down')
    let ref: TaskRef | null = null
    await expect(
      made.generate(
        { prompt: 'A red fox' },
        {
          onSubmitted: (submitted) => {
            ref = submitted
            throw failure
          },
        },
      ),
    ).rejects.toBe(failure)
    await macrotask()
    expect(ref).not.toBeNull()
    expect(sim.requests((ref as unknown as TaskRef).taskId)).toBe(0)
    expect(sim.billed()).toBe(1)
  })

  it('wrong wait options are refused before the create is sent (nothing billed)', async () => {
    const sim = await simulator()
    const made = client(openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }))
    await expect(made.generate({ prompt: 'a' }, { timeoutMs: -5 })).rejects.toThrow(/timeoutMs/)
    await expect(made.generate({ prompt: 'a' }, { onSubmited: () => {} } as never)).rejects.toThrow(
      TypeError,
    )
    await expect(made.generate({ prompt: 'a' }, { onSubmitted: 'yes' } as never)).rejects.toThrow(
      /`onSubmitted`/,
    )
    await expect(made.generate({ prompt: '' })).rejects.toThrow(/`prompt`/)
    expect(sim.stats().totalRequests).toBe(0)
    expect(sim.billed()).toBe(0)
  })

  it('a wait that times out after the submit still left the ref with onSubmitted, to resume from', async () => {
    const { sim, tick } = await threeReadSimulator()
    const made = client(openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }), {
      intervalMs: 20,
      maxIntervalMs: 20,
    })
    let stored: TaskRef | null = null
    await expect(
      made.generate(
        { prompt: 'slow' },
        {
          timeoutMs: 1,
          onSubmitted: (ref) => {
            stored = ref
          },
        },
      ),
    ).rejects.toMatchObject({ name: 'WaitTimeoutError' })
    tick(10_000)
    const resumed = await client(openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })).waitFor(
      stored as unknown as TaskRef,
    )
    expect(resumed.status).toBe('succeeded')
    expect(sim.billed()).toBe(1)
  })
})

describe('cancel', () => {
  it('openai has no documented cancel: UnsupportedOperationError', async () => {
    const sim = await simulator()
    const made = client(openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }))
    const error = await made.cancel('video_1').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UnsupportedOperationError)
    expect(error).toMatchObject({ operation: 'cancel', provider: 'openai' })
    expect(sim.stats().totalRequests).toBe(0)
  })

  it('a defined cancel route is sent to the provider origin; a refusal is an ApiError', async () => {
    const seen: { method?: string; url?: string; auth?: string }[] = []
    const server = createServer((req: IncomingMessage, res) => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization })
      const refused = req.url?.includes('running')
      res.writeHead(refused ? 409 : 200, { 'content-type': 'application/json' })
      res.end(refused ? '{"error":"task is running"}' : '{}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    started.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) })
    const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const provider = defineProvider({
      id: 'acme',
      baseURL,
      buildRequest: (taskId, { url }) => ({
        method: 'GET',
        url: url(`/jobs/${taskId}`),
        headers: {},
      }),
      parseResponse: () => {
        throw new Error('unused')
      },
      buildCancelRequest: (taskId, { url }) => ({
        method: 'POST',
        url: url(`/jobs/${taskId}/cancel`),
        headers: { authorization: 'Bearer acme-key' },
      }),
    })
    const made = client(provider, { retries: 0 })
    await made.cancel({
      version: 1,
      provider: 'acme',
      origin: baseURL,
      taskId: 'job_1',
      submittedAt: new Date().toISOString(),
    })
    expect(seen).toEqual([{ method: 'POST', url: '/jobs/job_1/cancel', auth: 'Bearer acme-key' }])
    await expect(made.cancel('running_2')).rejects.toBeInstanceOf(ApiError)
    await expect(made.cancel('job_3', { signal: 'no' } as never)).rejects.toThrow(/`signal`/)
  })
})
