import { describe, expect, it } from 'vitest'
import { compactTask, expandTask, type StoredTask } from '../../src/queue/engine.js'
import {
  checkWorkerInternals,
  jobIdOf,
  stateOfStored,
  storedStateOf,
  taskOfJobId,
} from '../../src/queue/shared.js'
import { type PollState, parsePollState } from '../../src/wait/poll-state.js'
import { initialPollState } from '../../src/wait/schedule.js'

/*
 * What a tracking job stores (issue 14's Redis bytes per tracked task): the state without the
 * provider and task id, the last task without what the job id and empty values restore. Each
 * stored form must give back exactly what it left out, or an outcome would be silently wrong.
 */

const emptyTask: StoredTask = {
  id: 'video_1',
  provider: 'openai',
  status: 'running',
  vendorStatus: 'in_progress',
  progress: 40,
  videoUrl: null,
  videoUrls: [],
  error: null,
  createdAt: '2026-12-06T01:00:00.000Z',
  completedAt: null,
  expiresAt: null,
  details: { model: 'sora-2', requestId: 'req_1' },
}

const fullTask: StoredTask = {
  ...emptyTask,
  status: 'failed',
  vendorStatus: 'failed',
  progress: null,
  videoUrl: 'https://cdn.example/a.mp4',
  videoUrls: ['https://cdn.example/a.mp4', 'https://cdn.example/b.mp4'],
  error: { code: 'moderation', message: 'blocked' },
  completedAt: '2026-12-06T01:01:00.000Z',
  expiresAt: '2026-12-07T01:01:00.000Z',
} as StoredTask

describe('the stored form of a tracking job', () => {
  it('gives back a task with empty fields, through JSON', () => {
    const stored = JSON.parse(JSON.stringify(compactTask(emptyTask)))
    expect(stored).toEqual({
      status: 'running',
      vendorStatus: 'in_progress',
      progress: 40,
      createdAt: '2026-12-06T01:00:00.000Z',
      details: { model: 'sora-2', requestId: 'req_1' },
    })
    expect(expandTask(stored, 'openai', 'video_1')).toEqual(emptyTask)
  })

  it('keeps every field that is set, a null progress included', () => {
    const stored = JSON.parse(JSON.stringify(compactTask(fullTask)))
    expect(stored).not.toHaveProperty('id')
    expect(stored).not.toHaveProperty('provider')
    expect(stored).toHaveProperty('progress', null)
    expect(expandTask(stored, 'openai', 'video_1')).toEqual(fullTask)
  })

  it('does not change the task it compacts', () => {
    const copy = structuredClone(fullTask)
    compactTask(fullTask)
    expect(fullTask).toEqual(copy)
  })

  it('stores a fresh state in a few fields and gives it back, the next read in whole ms', () => {
    const state = {
      ...initialPollState({ taskId: 't/1', provider: 'openai', now: 1_000, timeoutMs: Infinity }),
      nextReadAt: 1_234.2,
    }
    const stored = JSON.parse(JSON.stringify(storedStateOf(state)))
    expect(stored).toEqual({ version: 1, reads: 0, startedAt: 1_000, nextReadAt: 1_235 })
    expect(state.nextReadAt).toBe(1_234.2)
    expect(parsePollState(stateOfStored(stored, 'openai', 't/1'))).toEqual({
      ...state,
      nextReadAt: 1_235,
    })
  })

  it('keeps every field away from its usual value', () => {
    const state: PollState = {
      version: 1,
      taskId: 't',
      provider: 'openai',
      startedAt: 1_000,
      deadlineAt: 9_000,
      reads: 7,
      consecutiveFailures: 2,
      consecutiveUnknown: 1,
      backoffStep: 3,
      lastStatus: 'running',
      samples: [
        { at: 2_000, progress: 10 },
        { at: 3_000, progress: 30 },
      ],
      nextReadAt: 4_000,
    }
    const stored = JSON.parse(JSON.stringify(storedStateOf(state)))
    expect(Object.keys(stored).sort()).toEqual(
      Object.keys(state)
        .filter((key) => key !== 'taskId' && key !== 'provider')
        .sort(),
    )
    expect(parsePollState(stateOfStored(stored, 'openai', 't'))).toEqual(state)
  })

  it('reads a state stored whole by an earlier version, and refuses one that is not an object', () => {
    const state = initialPollState({ taskId: 't', provider: 'openai', now: 5, timeoutMs: 10 })
    const whole = JSON.parse(JSON.stringify(state))
    expect(parsePollState(stateOfStored(whole, 'openai', 't'))).toEqual(state)
    for (const bad of ['x', null, [1], 42]) {
      expect(() => parsePollState(stateOfStored(bad, 'openai', 't'))).toThrow(TypeError)
    }
  })

  it('reads the provider and task id back from any job id it made', () => {
    for (const [provider, taskId] of [
      ['openai', 'video_68d7'],
      ['generic-task', 'a/b/c'],
      ['doubao', '100%:sure?#x'],
      ['p', ' spaces and ünïcode '],
    ] as const) {
      expect(taskOfJobId(jobIdOf(provider, taskId))).toEqual({ provider, taskId })
    }
  })

  it('refuses job ids it did not make', () => {
    for (const jobId of [undefined, '', 'corrupt', '/x', 'x/', 'a/b/c', 'openai/%E0%A4%A', '42']) {
      expect(taskOfJobId(jobId)).toBeNull()
    }
  })
})

describe('the BullMQ internals the one-call re-delay relies on', () => {
  it('are present in the installed bullmq', () => {
    expect(() => checkWorkerInternals()).not.toThrow()
  })

  it('a bullmq without one is refused when a worker opens, naming it', () => {
    class Changed {
      handleFailed() {}
      nextJobFromJobData() {}
    }
    expect(() => checkWorkerInternals(Changed.prototype)).toThrow(
      /needs bullmq's Worker\.updateDelays, which this bullmq lacks/,
    )
  })
})
