import { describe, expect, it } from 'vitest'
import { WaitTimeoutError } from '../../src/errors.js'
import type { PollState } from '../../src/wait/poll-state.js'
import { done, setup, video } from '../support/hostile-client.js'

/* resume(state) trusts nothing in the state it is given. */

const T0 = Date.UTC(2026, 0, 1)
const YEAR = 365 * 24 * 3600_000

function state(overrides: Record<string, unknown> = {}): PollState {
  return {
    version: 1,
    taskId: 'vid_1',
    provider: 'openai',
    reads: 3,
    consecutiveFailures: 0,
    consecutiveUnknown: 0,
    backoffStep: 1,
    lastStatus: 'running',
    samples: [],
    nextReadAt: T0 + 2_000,
    startedAt: T0 - 30_000,
    deadlineAt: T0 + 600_000,
    ...overrides,
  } as PollState
}

describe('resume: nextReadAt is brought within maxIntervalMs', () => {
  it.each([
    ['ten years ahead', T0 + 10 * YEAR],
    ['just past maxIntervalMs', T0 + 15_001],
    ['the largest finite number', Number.MAX_VALUE],
  ])('%s: the first read comes within maxIntervalMs', async (_, nextReadAt) => {
    const { clock, client, times } = setup([done])
    const task = await clock.run(
      client.resume(state({ nextReadAt, deadlineAt: null }), { maxIntervalMs: 15_000 }),
    )
    expect(task.status).toBe('succeeded')
    expect(times[0]).toBeLessThanOrEqual(15_000)
  })

  it('keeps a nextReadAt the schedule allows', async () => {
    const { clock, client, times } = setup([done])
    await clock.run(client.resume(state({ nextReadAt: T0 + 2_000 })))
    expect(times).toEqual([2_000])
  })

  it('a start in the future and samples from the future are not trusted', async () => {
    const { clock, client } = setup([video('in_progress', 50)])
    const error = await clock
      .run(
        client.resume(
          state({
            startedAt: T0 + YEAR,
            deadlineAt: T0 + 10_000,
            samples: [
              { at: T0 + YEAR, progress: 10 },
              { at: T0 + YEAR + 1, progress: 90 },
            ],
          }),
          { adaptive: true },
        ),
      )
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError).elapsedMs).toBeGreaterThanOrEqual(0)
    expect((error as WaitTimeoutError).elapsedMs).toBeLessThanOrEqual(10_000)
  })
})

describe('resume: a state that is not a PollState is a TypeError, and nothing is sent', () => {
  const throwing = new Proxy(state(), {
    get(target, key, receiver) {
      if (key === 'reads') throw new Error('getter exploded')
      return Reflect.get(target, key, receiver)
    },
  })
  it.each([
    ['null', null],
    ['a string', 'state'],
    ['an array', []],
    ['version 2', state({ version: 2 })],
    ['negative reads', state({ reads: -1 })],
    ['fractional failures', state({ consecutiveFailures: 1.5 })],
    ['an unknown status', state({ lastStatus: 'exploded' })],
    ['three samples', state({ samples: [1, 2, 3].map((at) => ({ at, progress: 1 })) })],
    ['progress above 100', state({ samples: [{ at: T0, progress: 101 }] })],
    ['a task id of ..', state({ taskId: '..' })],
    ['an empty task id', state({ taskId: '' })],
    ['nextReadAt as a string', state({ nextReadAt: '2026-01-01' })],
    ['a getter that throws', throwing],
  ])('%s', async (_, value) => {
    const { clock, client, transport } = setup([done])
    const error = await clock
      .run(client.resume(value as PollState))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(/state|taskId|task id/i)
    expect(transport.requests).toHaveLength(0)
  })

  it('ignores unknown keys, __proto__ included', async () => {
    const { clock, client } = setup([done])
    const hostile = JSON.parse(
      `{"__proto__":{"polluted":true},"extra":1,${JSON.stringify(state()).slice(1)}`,
    )
    await expect(clock.run(client.resume(hostile))).resolves.toMatchObject({ status: 'succeeded' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
