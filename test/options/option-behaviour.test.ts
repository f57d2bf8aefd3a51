import { describe, expect, it } from 'vitest'
import {
  ConnectionError,
  ServerError,
  UnknownStatusError,
  WaitTimeoutError,
} from '../../src/errors.js'
import { json } from '../support/fake-transport.js'
import { done, reset, setup, video } from '../support/hostile-client.js'

/* Each option does what README's options table says, exactly. */

const unavailable = { status: 503, headers: {}, body: '<html>503</html>' }

describe('the limits end a wait after that many in a row, not one more', () => {
  it.each([1, 2, 3])('maxConsecutiveUnknown: %i', async (limit) => {
    const { clock, client, transport } = setup([video('mystery')])
    const error = await clock
      .run(client.waitFor('vid_1', { maxConsecutiveUnknown: limit }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UnknownStatusError)
    expect(transport.requests).toHaveLength(limit)
  })

  it.each([1, 2, 3])('maxConsecutiveFailures: %i (retries: 0)', async (limit) => {
    const { clock, client, transport } = setup([unavailable])
    const error = await clock
      .run(client.waitFor('vid_1', { maxConsecutiveFailures: limit, retries: 0 }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ServerError)
    expect(transport.requests).toHaveLength(limit)
  })

  it('a good read in between starts the count again', async () => {
    const { clock, client, transport } = setup([
      unavailable,
      video('in_progress', 5),
      unavailable,
      video('in_progress', 6),
      unavailable,
      unavailable,
    ])
    const error = await clock
      .run(client.waitFor('vid_1', { maxConsecutiveFailures: 2, retries: 0 }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ServerError)
    expect(transport.requests).toHaveLength(6)
  })
})

describe('WaitTimeoutError.cause holds the last failure', () => {
  it('when the deadline comes during a read’s own retries', async () => {
    const { clock, client, transport } = setup([reset()])
    const error = await clock
      .run(client.waitFor('vid_1', { timeoutMs: 500, retries: 3 }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(transport.requests).toHaveLength(1)
    expect((error as WaitTimeoutError).cause).toBeInstanceOf(ConnectionError)
  })

  it('when the deadline comes during a later retry that hangs', async () => {
    const { clock, client } = setup([json({ error: { message: 'busy' } }, 503), { hang: true }])
    const error = await clock
      .run(client.waitFor('vid_1', { timeoutMs: 5_000, retries: 3 }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError).cause).toBeInstanceOf(ServerError)
  })
})

describe('no delay is shorter than minIntervalMs', () => {
  function gaps(times: number[]): number[] {
    return times.slice(1).map((time, index) => time - (times[index] as number))
  }

  it('retries inside a read, when maxRetryAfterMs is below the floor', async () => {
    const limited = (seconds: string) =>
      json({ error: { message: 'slow down' } }, 429, { 'retry-after': seconds })
    const { clock, client, times } = setup([
      limited('0'),
      limited('0.05'),
      json({ error: { message: 'slow' } }, 429, { 'retry-after-ms': '1' }),
      reset(),
      done,
    ])
    await clock.run(
      client.waitFor('vid_1', {
        minIntervalMs: 2_000,
        intervalMs: 4_000,
        maxRetryAfterMs: 100,
        retries: 10,
      }),
    )
    expect(times.length).toBe(5)
    for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(2_000)
  })

  it('between reads, whatever the poll hint, jitter and progress rate say', async () => {
    const hinted = (progress: number) =>
      json({ id: 'vid_1', object: 'video', status: 'in_progress', progress, created_at: 1 }, 200, {
        'openai-poll-after-ms': '0',
      })
    const { clock, client, times } = setup(
      [hinted(1), hinted(50), video('in_progress', 99), video('in_progress', 99.9), done],
      { random: () => 0.999_999 },
    )
    await clock.run(client.waitFor('vid_1', { minIntervalMs: 1_500, jitter: 1, adaptive: true }))
    for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(1_500)
  })
})

describe('retries and timeoutMs', () => {
  it('retries: 0 makes one request per read', async () => {
    const { clock, client, transport } = setup([reset()])
    await clock
      .run(client.waitFor('vid_1', { retries: 0, maxConsecutiveFailures: 3 }))
      .catch(() => {})
    expect(transport.requests).toHaveLength(3)
  })

  it('timeoutMs: Infinity never times out', async () => {
    const { clock, client } = setup([video('in_progress', 1)])
    let settled = false
    // close() below rejects the wait: handled here, so it is no unhandled rejection.
    const waiting = client.waitFor('vid_1', { timeoutMs: Number.POSITIVE_INFINITY }).then(
      () => {
        settled = true
      },
      () => {
        settled = true
      },
    )
    await clock.advance(2 * 3600_000)
    expect(settled).toBe(false)
    await client.close()
    await waiting
  })
})
