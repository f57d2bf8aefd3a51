import { describe, expect, it } from 'vitest'
import { AuthenticationError, TaskFailedError, WaitTimeoutError } from '../../src/errors.js'
import { outcomeOf } from '../../src/wait/outcome.js'
import { type PollState, parsePollState } from '../../src/wait/poll-state.js'
import { pollStep, stepOutcome } from '../../src/wait/poll-step.js'
import {
  initialPollState,
  type Observation,
  type ScheduleSettings,
} from '../../src/wait/schedule.js'
import { makeTask } from '../support/tasks.js'

const settings: ScheduleSettings = {
  intervalMs: 1_000,
  maxIntervalMs: 8_000,
  minIntervalMs: 1_000,
  backoffFactor: 2,
  jitter: 0,
  maxRetryAfterMs: 60_000,
  adaptive: false,
  maxConsecutiveFailures: 3,
  maxConsecutiveUnknown: 3,
}
const T0 = 1_000_000
const running: Observation = { kind: 'task', task: makeTask('running', 5), pollHintMs: null }

function fresh(timeoutMs = 10_000): PollState {
  return initialPollState({ taskId: 't1', provider: 'test', now: T0, timeoutMs })
}

describe('pollStep (one step of a durable driver)', () => {
  it('counts the read and chooses the next read time', () => {
    const first = pollStep(fresh(), running, settings, T0, 0)
    expect(first.decision).toEqual({ action: 'read', delayMs: 1_000, reason: 'backoff' })
    expect(first.state).toMatchObject({ reads: 1, nextReadAt: T0 + 1_000, startedAt: T0 })
    const second = pollStep(first.state, running, settings, T0 + 1_000, 0)
    expect(second.state).toMatchObject({ reads: 2, nextReadAt: T0 + 3_000 })
  })

  it('holds the deadline: a next read due at or after it is a time-out', () => {
    let state = fresh(4_000)
    let now = T0
    const decisions: string[] = []
    for (let step = 0; step < 5; step++) {
      const result = pollStep(state, running, settings, now, 0)
      decisions.push(result.decision.action)
      if (result.decision.action !== 'read') break
      state = result.state
      now = state.nextReadAt
    }
    // Reads at 0, 1 s, 3 s; the next would be at 7 s, past the 4 s deadline.
    expect(decisions).toEqual(['read', 'read', 'time-out'])
  })

  it('a final status ends, whatever the deadline', () => {
    const result = pollStep(
      fresh(1),
      { kind: 'task', task: makeTask('succeeded'), pollHintMs: null },
      settings,
      T0 + 5,
      0,
    )
    expect(result.decision.action).toBe('succeed')
  })

  it('survives a JSON round trip and does not mutate its input', () => {
    const state = fresh()
    const before = JSON.stringify(state)
    const first = pollStep(state, running, settings, T0, 0)
    expect(JSON.stringify(state)).toBe(before)
    const loaded = parsePollState(JSON.parse(JSON.stringify(first.state)))
    expect(pollStep(loaded, running, settings, T0 + 1_000, 0)).toEqual(
      pollStep(first.state, running, settings, T0 + 1_000, 0),
    )
  })
})

describe('pollStep: failures and outcomes', () => {
  const denied = new AuthenticationError({
    status: 401,
    message: 'bad key',
    provider: 'p',
    url: 'u',
  })

  it('a permanent failure ends at once with its error; a transient one backs off', () => {
    const permanent: Observation = {
      kind: 'error',
      error: denied,
      transient: false,
      retryAfterMs: null,
    }
    const ended = pollStep(fresh(), permanent, settings, T0, 0)
    expect(ended.decision).toEqual({ action: 'error', error: denied })
    expect(ended.state.reads).toBe(1)
    expect(stepOutcome(ended.decision, permanent, ended.state, null)).toEqual({
      status: 'error',
      error: { name: 'AuthenticationError', message: 'bad key', httpStatus: 401 },
    })
    const transient: Observation = { ...permanent, transient: true }
    const later = pollStep(fresh(), transient, settings, T0, 0)
    expect(later.decision).toEqual({ action: 'read', delayMs: 1_000, reason: 'failure-backoff' })
    expect(stepOutcome(later.decision, transient, later.state, null)).toBeNull()
  })

  it('too many transient failures give up with the last error', () => {
    let state = fresh(Number.POSITIVE_INFINITY)
    const observation: Observation = {
      kind: 'error',
      error: denied,
      transient: true,
      retryAfterMs: null,
    }
    let result = pollStep(state, observation, settings, T0, 0)
    for (let step = 0; step < 3; step++) {
      state = result.state
      result = pollStep(state, observation, settings, state.nextReadAt, 0)
    }
    expect(result.decision).toEqual({ action: 'give-up', reason: 'failures' })
    expect(stepOutcome(result.decision, observation, result.state, null)).toMatchObject({
      status: 'error',
      error: { name: 'AuthenticationError' },
    })
  })

  it('a time-out outcome carries the last task read', () => {
    const result = pollStep(fresh(500), running, settings, T0, 0)
    expect(result.decision.action).toBe('time-out')
    expect(stepOutcome(result.decision, running, result.state, null)).toMatchObject({
      status: 'timed-out',
      lastTask: { status: 'running', progress: 5 },
    })
  })
})

describe('parsePollState (untrusted JSON)', () => {
  it('accepts a stored state and drops unknown keys', () => {
    const stored = { ...fresh(), extra: 'x' }
    expect(parsePollState(stored)).toEqual(fresh())
  })

  it.each([
    ['null', null],
    ['a string', '{"version":1}'],
    ['a wrong version', { ...fresh(), version: 2 }],
    ['negative reads', { ...fresh(), reads: -1 }],
    ['an unknown status', { ...fresh(), lastStatus: 'done' }],
    ['three samples', { ...fresh(), samples: [0, 1, 2].map((at) => ({ at, progress: 1 })) }],
    ['an infinite deadline', { ...fresh(), deadlineAt: Number.POSITIVE_INFINITY }],
    ['an empty task id', { ...fresh(), taskId: '' }],
  ])('refuses %s with a TypeError', (_name, value) => {
    expect(() => parsePollState(value)).toThrow(TypeError)
    expect(() => parsePollState(value)).toThrow(/PollState/)
  })
})

describe('outcomeOf (JSON-safe outcome)', () => {
  it('succeeded, failed and cancelled carry the task with ISO dates', () => {
    const task = { ...makeTask('succeeded'), createdAt: new Date(Date.UTC(2026, 0, 1)) }
    const outcome = outcomeOf.succeeded(task)
    expect(outcome).toMatchObject({
      status: 'succeeded',
      task: { id: 't1', createdAt: '2026-01-01T00:00:00.000Z', completedAt: null },
    })
    expect(JSON.parse(JSON.stringify(outcome))).toEqual(outcome)
    expect(outcomeOf.rejected(new TaskFailedError(makeTask('failed')))).toMatchObject({
      status: 'failed',
      task: { status: 'failed' },
    })
  })

  it('a timeout carries the last task (or null)', () => {
    const timeout = (lastTask: ReturnType<typeof makeTask> | null) =>
      new WaitTimeoutError({ taskId: 't1', lastTask, elapsedMs: 5, reads: 2, timeoutMs: 5 })
    expect(outcomeOf.rejected(timeout(makeTask('queued')))).toMatchObject({
      status: 'timed-out',
      lastTask: { status: 'queued' },
    })
    expect(outcomeOf.rejected(timeout(null))).toEqual({ status: 'timed-out', lastTask: null })
  })

  it('an error keeps its class name, message and HTTP status, and nothing else', () => {
    const denied = new AuthenticationError({
      status: 401,
      message: 'bad key',
      provider: 'p',
      url: 'u',
    })
    expect(outcomeOf.rejected(denied)).toEqual({
      status: 'error',
      error: { name: 'AuthenticationError', message: 'bad key', httpStatus: 401 },
    })
    expect(outcomeOf.rejected(new RangeError('r'))).toEqual({
      status: 'error',
      error: { name: 'RangeError', message: 'r', httpStatus: null },
    })
  })
})
