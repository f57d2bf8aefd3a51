import { openai } from 'video-tasks'
import { createTaskQueue, createTaskWorker, jobIdOf, type QueueConnection } from 'video-tasks/queue'
import { describe, expect, it } from 'vitest'

/*
 * Wrong options are a TypeError naming them, thrown before any connection is opened (the
 * connection here points at a closed port: opening it would hang or log, not throw).
 */

const provider = openai({ baseURL: 'http://127.0.0.1:9', apiKey: 'sk-options-123456789' })
const connection: QueueConnection = { redis: { host: '127.0.0.1', port: 9 } }
const onOutcome = () => {}

describe('createTaskQueue and createTaskWorker options', () => {
  it.each([
    ['no options', undefined, /options object/],
    ['no provider', { connection }, /`provider`/],
    ['a provider that is not one', { provider: { id: 'x' }, connection }, /`provider`/],
    ['no connection', { provider }, /`connection`/],
    [
      'both backends',
      { provider, connection: { redis: {}, postgres: 'postgres://x' } },
      /exactly one/,
    ],
    ['a negative keepFinishedMs', { provider, connection, keepFinishedMs: -1 }, /`keepFinishedMs`/],
    ['a timeoutMs of 0', { provider, connection, timeoutMs: 0 }, /`timeoutMs`/],
  ])('createTaskQueue rejects %s', (_label, options, message) => {
    expect(() => createTaskQueue(options as never)).toThrow(TypeError)
    expect(() => createTaskQueue(options as never)).toThrow(message)
  })

  it.each([
    ['no onOutcome', { provider, connection }, /`onOutcome`/],
    [
      'a cap of 0',
      { provider, connection, onOutcome, maxRequestsPerSecond: 0 },
      /maxRequestsPerSecond/,
    ],
    [
      'an infinite cap',
      { provider, connection, onOutcome, maxRequestsPerSecond: Infinity },
      /maxRequestsPerSecond/,
    ],
    ['a string interval', { provider, connection, onOutcome, intervalMs: '5' }, /`intervalMs`/],
    ['jitter above 1', { provider, connection, onOutcome, jitter: 2 }, /`jitter`/],
    [
      'maxIntervalMs under intervalMs',
      { provider, connection, onOutcome, intervalMs: 500, maxIntervalMs: 100 },
      /`maxIntervalMs`/,
    ],
  ])('createTaskWorker rejects %s', (_label, options, message) => {
    expect(() => createTaskWorker(options as never)).toThrow(TypeError)
    expect(() => createTaskWorker(options as never)).toThrow(message)
  })

  it('derives one job id per provider and task, never an integer and never with a colon', () => {
    expect(jobIdOf('openai', 'video_1')).toBe('openai/video_1')
    // Distinct pairs stay distinct even when the parts contain the separator.
    expect(jobIdOf('a/b', 'c')).not.toBe(jobIdOf('a', 'b/c'))
    expect(jobIdOf('openai', 'task:1:2')).not.toContain(':')
    expect(jobIdOf('openai', '123')).not.toMatch(/^\d+$/)
  })
})
