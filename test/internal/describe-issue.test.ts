import { describe, expect, it } from 'vitest'
import { ResponseValidationError } from '../../src/errors.js'
import { openai } from '../../src/providers/openai.js'
import { parsePollState } from '../../src/wait/poll-state.js'
import { initialPollState } from '../../src/wait/schedule.js'

/*
 * The schemas are zod/mini, which loads no locale: without describeIssue every message a user
 * sees would read "Invalid input". These check the words that reach users.
 */

const state = initialPollState({ taskId: 'video_1', provider: 'openai', now: 0, timeoutMs: 1_000 })

describe('messages from zod/mini issues', () => {
  it.each([
    [{ reads: -1 }, 'expected at least 0 at reads'],
    [{ reads: 1.5 }, 'expected int at reads'],
    [{ taskId: '' }, 'expected a length of at least 1 at taskId'],
    [{ version: 2 }, 'expected one of 1 at version'],
    [
      { lastStatus: 'done' },
      'expected one of "queued", "running", "succeeded", "failed", "cancelled", "unknown" at lastStatus',
    ],
    [{ deadlineAt: Number.POSITIVE_INFINITY }, 'expected number at deadlineAt'],
    [
      {
        samples: [
          { at: 1, progress: 1 },
          { at: 2, progress: 2 },
          { at: 3, progress: 3 },
        ],
      },
      'expected a length of at most 2 at samples',
    ],
    [{ samples: [{ at: 1, progress: 101 }] }, 'expected at most 100 at samples.0.progress'],
  ])('parsePollState names the problem: %j', (change, message) => {
    expect(() => parsePollState({ ...state, ...change })).toThrow(
      new TypeError(`Expected \`state\` to be a PollState from onPollState: ${message}`),
    )
  })

  it('a ResponseValidationError says what the body lacks, field by field', () => {
    const provider = openai({
      baseURL: 'https://gateway.example.test/v1',
      apiKey: 'sk-test-key-1234',
    })
    let caught: unknown
    try {
      provider.parseResponse({
        status: 200,
        headers: {},
        body: JSON.stringify({ id: ['video_1'], status: 7 }),
        url: 'https://gateway.example.test/v1/videos/video_1',
        provider: 'openai',
        taskId: 'video_1',
        receivedAt: 0,
      })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ResponseValidationError)
    const error = caught as ResponseValidationError
    expect(error.message).toContain('matches none of the accepted shapes at id')
    expect(error.issues).toEqual([
      { path: ['id'], message: 'matches none of the accepted shapes' },
      { path: ['status'], message: 'expected string' },
    ])
  })
})
