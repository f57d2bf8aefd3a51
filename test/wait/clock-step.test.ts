import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/client.js'
import { WaitTimeoutError } from '../../src/errors.js'
import type { PollState } from '../../src/wait/poll-state.js'
import { FakeTransport } from '../support/fake-transport.js'
import { provider, video } from '../support/hostile-client.js'

/*
 * Deadlines and schedules run on a monotonic clock: a wall-clock step (NTP, a resumed VM, a user
 * changing the date) neither fires a deadline early, nor postpones it, nor freezes polling.
 * Timestamps handed to users (PollState) stay wall-clock. Vitest's fake timers move the
 * monotonic clock (`performance.now`) and the timers together; `setSystemTime` steps `Date`
 * alone, as NTP does.
 */

const HOUR = 3600_000

function start(timeoutMs: number) {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
    now: Date.UTC(2026, 0, 1),
  })
  const transport = new FakeTransport([video('in_progress', 10)])
  const client = createClient({
    provider,
    transport,
    random: () => 0,
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
  })
  const states: PollState[] = []
  let outcome: unknown
  const wait = client
    .waitFor('vid_1', {
      timeoutMs,
      adaptive: false,
      backoffFactor: 1,
      onPollState: (state) => states.push(state),
    })
    .then(
      () => {
        outcome = 'resolved'
      },
      (error: unknown) => {
        outcome = error
      },
    )
  return { transport, client, states, wait, outcome: () => outcome }
}

async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('a wall-clock step', () => {
  it('forward does not fire the deadline early', async () => {
    const run = start(60_000)
    await advance(10_000)
    vi.setSystemTime(Date.now() + 2 * HOUR)
    await advance(10_000)
    expect(run.outcome()).toBeUndefined()
    await advance(39_999)
    expect(run.outcome()).toBeUndefined()
    await advance(1)
    expect(run.outcome()).toBeInstanceOf(WaitTimeoutError)
    expect((run.outcome() as WaitTimeoutError).elapsedMs).toBe(60_000)
  })

  it('backward neither postpones the deadline nor freezes polling', async () => {
    const run = start(60_000)
    await advance(10_000)
    const before = run.transport.requests.length
    vi.setSystemTime(Date.now() - 2 * HOUR)
    await advance(20_000)
    // intervalMs 4 s: five more reads in 20 s.
    expect(run.transport.requests.length - before).toBe(5)
    await advance(30_000)
    expect(run.outcome()).toBeInstanceOf(WaitTimeoutError)
  })

  it('leaves the timestamps in PollState on the wall clock', async () => {
    const run = start(60_000)
    await advance(0)
    const first = run.states[0] as PollState
    expect(first.startedAt).toBe(Date.UTC(2026, 0, 1))
    expect(first.deadlineAt).toBe(Date.UTC(2026, 0, 1) + 60_000)
    vi.setSystemTime(Date.now() + HOUR)
    await advance(4_000)
    const second = run.states[1] as PollState
    // The wall clock now says an hour later: the state says so too, so a resume in another
    // process (whose monotonic clock started elsewhere) finds the same deadline on the wall.
    expect(second.nextReadAt - Date.now()).toBe(4_000)
    expect(second.deadlineAt).toBe(Date.now() + 56_000)
    await run.client.close()
  })
})
