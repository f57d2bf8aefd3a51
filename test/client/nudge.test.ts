import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/client.js'
import { openai } from '../../src/providers/registry.js'
import type { Transport } from '../../src/transport.js'
import { FakeTransport, json } from '../support/fake-transport.js'

/*
 * client.nudge: a wait reads now instead of at its next scheduled time, nudges that arrive
 * together collapse into one read, the client's rate cap holds, and a nudge for a task nobody
 * waits on does nothing. Fake timers: every time below is exact.
 */

const provider = openai({ baseURL: 'https://api.test', apiKey: 'sk-test-1234567890' })
const queued = (id: string) => json({ id, status: 'queued' })
const done = (id: string) => json({ id, status: 'completed', url: 'https://cdn.test/v.mp4' })

/** A 60 s fixed interval: without a nudge, the second read is at t = 60 s. */
const slow = {
  intervalMs: 60_000,
  maxIntervalMs: 60_000,
  minIntervalMs: 1_000,
  backoffFactor: 1,
  jitter: 0,
  adaptive: false,
} as const

beforeEach(() => {
  vi.useFakeTimers({ now: 0 })
})
afterEach(() => {
  vi.useRealTimers()
})

function readTimes(times: number[]) {
  return (request: { url: string }) => {
    times.push(Date.now())
    return request.url.endsWith('/t2') ? queued('t2') : queued('t1')
  }
}

describe('client.nudge', () => {
  it('a wait with a 60 s interval nudged at t = 1 s reads at t = 1 s', async () => {
    const times: number[] = []
    const transport = new FakeTransport([])
    transport.script([readTimes(times)])
    const client = createClient({ provider, transport, ...slow })
    const wait = client.waitFor('t1')
    await vi.advanceTimersByTimeAsync(1_000)
    expect(times).toEqual([0])
    expect(client.nudge('t1')).toBe(true)
    await vi.advanceTimersByTimeAsync(0)
    expect(times).toEqual([0, 1_000])
    // The schedule goes on from the nudged read: the next one is 60 s after it, not at 60 s.
    await vi.advanceTimersByTimeAsync(59_999)
    expect(times).toEqual([0, 1_000])
    transport.script([
      () => {
        times.push(Date.now())
        return done('t1')
      },
    ])
    await vi.advanceTimersByTimeAsync(1)
    expect(times).toEqual([0, 1_000, 61_000])
    await expect(wait).resolves.toMatchObject({ status: 'succeeded' })
    await client.close()
  })

  it('ten nudges in one tick make one read', async () => {
    const times: number[] = []
    const transport = new FakeTransport([])
    transport.script([readTimes(times)])
    const client = createClient({ provider, transport, ...slow })
    const wait = client.waitFor('t1').catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(5_000)
    for (let index = 0; index < 10; index++) expect(client.nudge('t1')).toBe(true)
    await vi.advanceTimersByTimeAsync(100)
    expect(times).toEqual([0, 5_000])
    await client.close()
    await wait
  })

  it('a nudge while a read is in flight is followed by one more read when it ends', async () => {
    const times: number[] = []
    let release: (() => void) | undefined
    // The second read answers only when released; the others at once.
    const transport: Transport = {
      send() {
        times.push(Date.now())
        if (times.length !== 2) return Promise.resolve(queued('t1'))
        return new Promise((resolve) => {
          release = () => resolve(queued('t1'))
        })
      },
      close: async () => {},
    }
    const client = createClient({ provider, transport, ...slow })
    const wait = client.waitFor('t1').catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(2_000)
    client.nudge('t1') // read 2 starts, and hangs
    await vi.advanceTimersByTimeAsync(10)
    expect(times).toEqual([0, 2_000])
    // Read 2 was sent before these: it may miss what they announce, so one more read follows.
    client.nudge('t1')
    client.nudge('t1')
    await vi.advanceTimersByTimeAsync(2_990)
    expect(times).toEqual([0, 2_000])
    release?.()
    await vi.advanceTimersByTimeAsync(0)
    expect(times).toEqual([0, 2_000, 5_000])
    await vi.advanceTimersByTimeAsync(30_000)
    expect(times).toHaveLength(3)
    await client.close()
    await wait
  })

  it('nudged reads keep to the client rate cap', async () => {
    const times: number[] = []
    const transport = new FakeTransport([])
    transport.script([readTimes(times)])
    const client = createClient({ provider, transport, ...slow, maxRequestsPerSecond: 1 })
    const waits = [client.waitFor('t1'), client.waitFor('t2')].map((wait) =>
      wait.catch((error: unknown) => error),
    )
    await vi.advanceTimersByTimeAsync(10_000)
    expect(times).toEqual([0, 1_000])
    client.nudge('t1')
    client.nudge('t2')
    await vi.advanceTimersByTimeAsync(999)
    expect(times).toEqual([0, 1_000, 10_000])
    await vi.advanceTimersByTimeAsync(1)
    expect(times).toEqual([0, 1_000, 10_000, 11_000])
    await client.close()
    await Promise.all(waits)
  })

  it('a nudge for a task nobody waits on is a no-op; so is one after the wait ended', async () => {
    const transport = new FakeTransport([done('t1')])
    const client = createClient({ provider, transport, ...slow })
    expect(client.nudge('t1')).toBe(false)
    expect(transport.requests).toHaveLength(0)
    await client.waitFor('t1')
    expect(client.nudge('t1')).toBe(false)
    await vi.advanceTimersByTimeAsync(120_000)
    expect(transport.requests).toHaveLength(1)
    expect(() => client.nudge({ version: 1 } as never)).toThrow(TypeError)
    await client.close()
  })
})
