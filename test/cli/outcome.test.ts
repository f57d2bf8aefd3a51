import { describe, expect, it } from 'vitest'
import { retryNote } from '../../src/cli/outcome.js'
import { ConnectionError, RateLimitError, ServerError } from '../../src/errors.js'
import type { RetryEvent } from '../../src/logger.js'

/* What the bar says while a wait retries: the reason first, then when. */

const url = 'https://gateway.example.test/v1/videos/video_1'
const refused = new ConnectionError('Connection failed', {
  url,
  cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
})
const event = (fields: Partial<RetryEvent>): RetryEvent => ({
  taskId: 'video_1',
  attempt: 1,
  error: refused,
  delayMs: 250,
  scope: 'request',
  reason: 'backoff',
  ...fields,
})

describe('retryNote', () => {
  it.each([
    [event({}), 'retrying: ECONNREFUSED (attempt 1, next in 250 ms)'],
    [
      event({ scope: 'read', attempt: 2, delayMs: 5_000 }),
      'retrying: ECONNREFUSED (2 failed reads in a row, next in 5 s)',
    ],
    [
      event({ error: new ConnectionError('Timed out', { url, timedOut: true }), attempt: 2 }),
      'retrying: timed out (attempt 2, next in 250 ms)',
    ],
    [
      event({
        error: new RateLimitError({ status: 429, provider: 'openai', url, message: 'slow down' }),
        delayMs: 4_000,
        reason: 'retry-after',
      }),
      '429, retry in 4 s',
    ],
    [
      event({
        error: new ServerError({ status: 503, provider: 'openai', url, message: 'busy' }),
        scope: 'read',
      }),
      'retrying: 503 (1 failed read in a row, next in 250 ms)',
    ],
  ])('%#: %s', (retry, note) => {
    expect(retryNote(retry)).toBe(note)
  })
})
