import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createCallbackHandler, toNodeListener } from '../../src/client/callback-handler.js'
import { createClient, type VideoTaskClient } from '../../src/client.js'
import { WaitTimeoutError } from '../../src/errors.js'
import { kling } from '../../src/providers/kling.js'
import { BUILT_IN_PROVIDERS } from '../../src/providers/registry.js'
import { type Simulator, startSimulator } from '../../src/simulator/index.js'
import { vendorOf } from '../../src/simulator/vendors/index.js'

/*
 * Vendors that call back, end to end over real sockets: for every registry entry whose simulator
 * vendor POSTs status callbacks (MiniMax with its handshake, Ark and Kling without), a task
 * submitted with `callbackUrl` pointing at `createCallbackHandler` in a node:http server is found
 * finished by the nudge, not by the schedule: the wait's interval is 10 min and its deadline
 * 5 s, so without the callback it could only time out (the control case shows it does).
 */

const CALLING_BACK = BUILT_IN_PROVIDERS.filter(
  (entry) =>
    vendorOf(entry.id).create?.callback !== undefined &&
    entry.forSimulator('http://127.0.0.1:1', 'k').buildCreateRequest !== undefined,
)

let cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => server.close(resolve)))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
}

async function setup(id: string, timeoutMs: number) {
  const entry = BUILT_IN_PROVIDERS.find((each) => each.id === id)
  if (!entry) throw new Error(`no entry ${id}`)
  // Real time: queued 100 ms, running 200 ms.
  const sim: Simulator = await startSimulator({ createScript: { queuedMs: 100, runningMs: 200 } })
  cleanups.push(() => sim.close())
  const client: VideoTaskClient = createClient({
    provider: entry.forSimulator(sim.baseURL, sim.apiKey),
    // A safety net only: the callbacks drive the reads.
    intervalMs: 600_000,
    maxIntervalMs: 600_000,
    jitter: 0,
    adaptive: false,
    timeoutMs,
  })
  cleanups.push(() => client.close())
  const nudges: string[] = []
  const handler = createCallbackHandler({
    nudge(taskId) {
      nudges.push(taskId)
      return client.nudge(taskId)
    },
  })
  const url = await listen(createServer(toNodeListener(handler)))
  return { sim, client, url, nudges }
}

describe('vendors that call back, through createCallbackHandler', () => {
  it('covers every vendor whose simulator calls back (kling, minimax, ark at least)', () => {
    const ids = CALLING_BACK.map((entry) => entry.id)
    expect(ids).toEqual(expect.arrayContaining(['kling', 'minimax', 'ark']))
  })

  it.each(CALLING_BACK.map((entry) => [entry.id]))(
    '%s: the callback nudges the wait; two reads, long before the next scheduled one',
    async (id) => {
      const { sim, client, url, nudges } = await setup(id, 5_000)
      const started = performance.now()
      const { task, reads } = await client.generate(
        { prompt: 'a fox in snow' },
        { callbackUrl: url },
      )
      const elapsedMs = performance.now() - started
      expect(task.status).toBe('succeeded')
      // The first read after the submit, then the one the final callback asked for.
      expect(sim.requests(task.id)).toBe(2)
      expect(reads).toBe(2)
      expect(nudges).toContain(task.id)
      expect(sim.task(task.id)?.callbacks).toBeGreaterThanOrEqual(1)
      // Far from the 10 min interval: the task takes 300 ms.
      expect(elapsedMs).toBeLessThan(4_000)
    },
  )

  it.each(CALLING_BACK.map((entry) => [entry.id]))(
    '%s: without a callback URL the same wait only polls, and times out (1 s) before its next read',
    async (id) => {
      const { sim, client } = await setup(id, 1_000)
      const ref = await client.submit({ prompt: 'a fox in snow' })
      const error = await client.waitFor(ref).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(WaitTimeoutError)
      expect(sim.task(ref.taskId)?.callbacks).toBe(0)
      expect(sim.requests(ref.taskId)).toBe(1)
    },
  )
})

describe('kling legacy routes (signed tokens) calling back', () => {
  it('the legacy body (`task_status`) nudges only when final: two reads', async () => {
    const sim = await startSimulator({
      apiKey: 'sk-kling-secret',
      createScript: { queuedMs: 100, runningMs: 200 },
    })
    cleanups.push(() => sim.close())
    const client = createClient({
      provider: kling({
        accessKey: 'ak-kling',
        secretKey: 'sk-kling-secret',
        baseURL: sim.baseURL,
      }),
      intervalMs: 600_000,
      maxIntervalMs: 600_000,
      jitter: 0,
      adaptive: false,
      timeoutMs: 5_000,
    })
    cleanups.push(() => client.close())
    const nudges: string[] = []
    const url = await listen(
      createServer(
        toNodeListener(
          createCallbackHandler({
            nudge(taskId) {
              nudges.push(taskId)
              return client.nudge(taskId)
            },
          }),
        ),
      ),
    )
    const { task, reads } = await client.generate({ prompt: 'a fox in snow' }, { callbackUrl: url })
    expect(task).toMatchObject({ status: 'succeeded', details: { route: 'text2video' } })
    expect(sim.task(task.id)?.dialect).toBe('text2video')
    // Two callbacks (processing, succeed); only the final one nudged.
    expect(sim.task(task.id)?.callbacks).toBe(2)
    expect(nudges).toEqual([task.id])
    expect(reads).toBe(2)
  })
})
