import { describe, expect, it } from 'vitest'
import type { VideoTask, VideoTaskStatus } from '../../src/model.js'
import {
  decideNext,
  initialPollState,
  type Observation,
  type PollState,
  predictRemainingMs,
  type ScheduleSettings,
} from '../../src/wait/schedule.js'

const settings: ScheduleSettings = {
  intervalMs: 4_000,
  maxIntervalMs: 15_000,
  minIntervalMs: 1_000,
  backoffFactor: 1.5,
  jitter: 0.1,
  maxRetryAfterMs: 60_000,
  adaptive: false,
  maxConsecutiveFailures: 3,
  maxConsecutiveUnknown: 2,
}
const T0 = 1_000_000

function task(status: VideoTaskStatus, progress: number | null = null): VideoTask {
  const common = {
    id: 't1',
    provider: 'test',
    vendorStatus: status,
    videoUrl: null,
    videoUrls: [],
    createdAt: null,
    completedAt: null,
    expiresAt: null,
    details: {},
    raw: {},
  }
  if (status === 'succeeded') return { ...common, status, progress: 100, error: null }
  if (status === 'failed')
    return { ...common, status, progress, error: { code: null, message: 'x' } }
  return { ...common, status, progress, error: null } as VideoTask
}

function seen(t: VideoTask, pollHintMs: number | null = null): Observation {
  return { kind: 'task', task: t, pollHintMs }
}

function failure(retryAfterMs: number | null = null): Observation {
  return { kind: 'error', error: new Error('boom'), transient: true, retryAfterMs }
}

/** Runs observations through the schedule at the times it asks for; returns the delays. */
function run(observations: Observation[], options = settings, random = 0) {
  let state: PollState = initialPollState({
    taskId: 't1',
    provider: 'test',
    now: T0,
    timeoutMs: 600_000,
  })
  let now = T0
  const delays: number[] = []
  const decisions = []
  for (const observation of observations) {
    const result = decideNext(state, observation, options, now, random)
    state = result.state
    decisions.push(result.decision)
    if (result.decision.action === 'read') {
      delays.push(result.decision.delayMs)
      now = state.nextReadAt
    }
  }
  return { delays, decisions, state }
}

describe('decideNext', () => {
  it('starts with the first read due at once and grows the interval by backoffFactor to the max', () => {
    const state = initialPollState({ taskId: 't1', provider: 'test', now: T0, timeoutMs: 600_000 })
    expect(state.nextReadAt).toBe(T0)
    expect(state.deadlineAt).toBe(T0 + 600_000)
    const { delays } = run(Array.from({ length: 7 }, () => seen(task('running'))))
    expect(delays).toEqual([4_000, 6_000, 9_000, 13_500, 15_000, 15_000, 15_000])
  })

  it('resets the backoff when the status changes', () => {
    const { delays } = run([
      seen(task('queued')),
      seen(task('queued')),
      seen(task('queued')),
      seen(task('running')),
      seen(task('running')),
    ])
    expect(delays).toEqual([4_000, 6_000, 9_000, 4_000, 6_000])
  })

  it('keeps jitter within [1 - jitter, 1] of the interval, so maxIntervalMs holds', () => {
    const high = run([seen(task('running')), seen(task('running'))], settings, 0.999999).delays
    expect(high[0]).toBeCloseTo(4_000 * (1 - 0.1 * 0.999999), 3)
    expect(high[1]).toBeCloseTo(6_000 * (1 - 0.1 * 0.999999), 3)
    const capped = run(
      Array.from({ length: 8 }, () => seen(task('running'))),
      settings,
      0,
    ).delays
    expect(Math.max(...capped)).toBe(15_000)
  })

  it('has no interval with timeoutMs Infinity as a deadline', () => {
    const state = initialPollState({
      taskId: 't1',
      provider: 'test',
      now: T0,
      timeoutMs: Number.POSITIVE_INFINITY,
    })
    expect(state.deadlineAt).toBeNull()
    expect(JSON.parse(JSON.stringify(state))).toEqual(state)
  })

  it('follows a poll hint within [minIntervalMs, maxIntervalMs]', () => {
    expect(run([seen(task('running'), 2_500)]).delays).toEqual([2_500])
    expect(run([seen(task('running'), 0)]).delays).toEqual([1_000])
    expect(run([seen(task('running'), 120_000)]).delays).toEqual([15_000])
  })

  it('follows Retry-After on a transient failure, capped at maxRetryAfterMs and never below the minimum', () => {
    expect(run([failure(7_000)]).delays).toEqual([7_000])
    expect(run([failure(7_000)], settings, 0.5).delays).toEqual([7_000 * 1.05])
    expect(run([failure(10 * 60_000)]).delays).toEqual([60_000])
    expect(run([failure(0)]).delays).toEqual([1_000])
  })

  it('backs off on failures without a hint and gives up after maxConsecutiveFailures', () => {
    // maxConsecutiveFailures: 3 ends the wait at the third failed read in a row, not the fourth.
    const { delays, decisions } = run([failure(), failure(), failure()])
    expect(delays).toEqual([4_000, 8_000])
    expect(decisions[2]).toEqual({ action: 'give-up', reason: 'failures' })
  })

  it('resets the failure count after a good read', () => {
    const { decisions, state } = run([
      failure(),
      failure(),
      seen(task('running')),
      failure(),
      failure(),
    ])
    expect(decisions.every((decision) => decision.action === 'read')).toBe(true)
    expect(state.consecutiveFailures).toBe(2)
  })

  it.each([
    ['succeeded', 'succeed'],
    ['failed', 'fail'],
    ['cancelled', 'cancel'],
  ] as const)('ends on %s', (status, action) => {
    const { decisions } = run([seen(task('running')), seen(task(status))])
    expect(decisions[1]).toMatchObject({ action })
  })

  it('keeps polling on unknown and gives up after maxConsecutiveUnknown in a row', () => {
    const some = run([
      seen(task('unknown')),
      seen(task('running')),
      seen(task('unknown')),
      seen(task('running')),
    ])
    expect(some.decisions.map((decision) => decision.action)).toEqual([
      'read',
      'read',
      'read',
      'read',
    ])
    // maxConsecutiveUnknown: 2 ends the wait at the second unknown read in a row.
    const many = run([seen(task('unknown')), seen(task('unknown'))])
    expect(many.decisions[1]).toEqual({ action: 'give-up', reason: 'unknown' })
  })

  it('with adaptive, aims at the finish predicted from the progress rate', () => {
    const adaptive = { ...settings, adaptive: true, maxIntervalMs: 60_000 }
    // 10% at T0, 20% 4 s later: 2.5 %/s, so 80% more takes 32 s.
    const { delays } = run(
      [seen(task('running', 10)), seen(task('running', 20)), seen(task('running', 95))],
      adaptive,
    )
    expect(delays[0]).toBe(4_000)
    expect(delays[1]).toBe(32_000)
    // 10% -> 95% over 36 s: 5% left at 85/36 %/s.
    expect(delays[2]).toBeCloseTo((5 * 36_000) / 85, 6)
  })

  it('with adaptive, never exceeds maxIntervalMs nor goes below minIntervalMs', () => {
    const adaptive = { ...settings, adaptive: true }
    const slow = run([seen(task('running', 1)), seen(task('running', 2))], adaptive).delays
    expect(slow[1]).toBe(15_000)
    const done = run([seen(task('running', 1)), seen(task('running', 99.99))], adaptive).delays
    expect(done[1]).toBe(1_000)
  })

  it('with adaptive, starts over when progress goes backwards', () => {
    const adaptive = { ...settings, adaptive: true, maxIntervalMs: 60_000 }
    const { state, delays } = run(
      [seen(task('running', 40)), seen(task('running', 50)), seen(task('running', 10))],
      adaptive,
    )
    expect(state.samples).toHaveLength(1)
    expect(state.samples[0]?.progress).toBe(10)
    // No rate after a reset: back to backoff (step 2: 4 s * 1.5^2).
    expect(delays[2]).toBe(9_000)
  })

  it('without adaptive ignores progress', () => {
    const { delays } = run([seen(task('running', 10)), seen(task('running', 90))])
    expect(delays).toEqual([4_000, 6_000])
  })

  it('predictRemainingMs needs two samples with progress rising over time', () => {
    expect(predictRemainingMs([])).toBeNull()
    expect(predictRemainingMs([{ at: 0, progress: 10 }])).toBeNull()
    expect(
      predictRemainingMs([
        { at: 0, progress: 10 },
        { at: 1000, progress: 10 },
      ]),
    ).toBeNull()
    expect(
      predictRemainingMs([
        { at: 0, progress: 0 },
        { at: 1000, progress: 50 },
      ]),
    ).toBe(1000)
  })
})
