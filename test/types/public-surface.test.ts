import { readFileSync } from 'node:fs'
import * as entry from 'video-tasks'
import { BUILT_IN_PROVIDERS, type BuiltInProvider } from 'video-tasks'
import * as engine from 'video-tasks/engine'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { BUILT_IN_PROVIDERS as REGISTRY } from '../../src/providers/registry.js'

/*
 * The package's public surface is a hand-picked list (src/index.ts): each name below is
 * documented and meant for users. A new export must be added here on purpose; an internal one
 * (the registry's test data, a helper) leaking out fails this test.
 */

const VALUES = [
  // The client, and callbacks that nudge its waits.
  'createClient',
  'preload',
  'createCallbackHandler',
  'toNodeListener',
  // Task references (what submit returns and every call accepts).
  'isTaskRef',
  'parseTaskRef',
  // The model.
  'isFinalStatus',
  // The errors.
  'ApiError',
  'AuthenticationError',
  'ConnectionError',
  'DownloadError',
  'DownloadExpiredError',
  'DownloadIntegrityError',
  'DownloadTooLargeError',
  'PermissionDeniedError',
  'RateLimitError',
  'ResponseValidationError',
  'ServerError',
  'SubmitUncertainError',
  'TaskCancelledError',
  'TaskFailedError',
  'TaskNotFoundError',
  'TaskNotReadyError',
  'UnknownStatusError',
  'UnsupportedOperationError',
  'VideoTaskError',
  'WaitTimeoutError',
  // The providers.
  'defineProvider',
  'encodeTaskId',
  'BUILT_IN_PROVIDERS',
  'BUILT_IN_PROVIDER_IDS',
  'isBuiltInProviderId',
  'ark',
  'checkResult',
  'dashscope',
  'doubao',
  'gemini',
  'genericTask',
  'kling',
  'minimax',
  'minimaxCallbackAnswer',
  'openai',
  'runway',
  // Downloads.
  'DOWNLOAD_DEFAULTS',
  'downloadToFile',
  'downloadToStream',
]

/*
 * `video-tasks/engine`: the parts under the client, for drivers that run the schedule themselves,
 * wrap the transport or check stored values. Not in the main entry, which stays small (issue 12).
 */
const ENGINE_VALUES = [
  // The transport.
  'createDownloadTransport',
  'createTransport',
  'STREAM_DEFAULTS',
  // The model's zod schemas.
  'VideoTaskSchema',
  'videoTaskDetailsSchema',
  'videoTaskFailureSchema',
  'videoTaskStatusSchema',
  // The wait engine's pure pieces.
  'resolvePollSettings',
  'backoffDelayMs',
  'classifyFailure',
  'isTransient',
  'retryAfterDelayMs',
  'outcomeOf',
  'taskToJson',
  'parsePollState',
  'pollStateSchema',
  'pollStep',
  'stepOutcome',
  'decideNext',
  'initialPollState',
  'observeTask',
  'observationOfFailure',
]

describe('the public surface', () => {
  it('exports exactly the documented values, no more', () => {
    expect(Object.keys(entry).sort()).toEqual([...VALUES].sort())
  })

  it('video-tasks/engine exports exactly its documented values, none of them in the main entry', () => {
    expect(Object.keys(engine).sort()).toEqual([...ENGINE_VALUES].sort())
    for (const name of ENGINE_VALUES) expect(Object.keys(entry), name).not.toContain(name)
  })

  it('exports a factory for every registry entry, under the name the entry gives', () => {
    const exports = new Map<string, unknown>(Object.entries(entry))
    for (const provider of BUILT_IN_PROVIDERS) {
      expect(exports.get(provider.exportName)).toBe(provider.factory)
    }
    expect(BUILT_IN_PROVIDERS.map((each) => each.id)).toEqual(REGISTRY.map((each) => each.id))
  })

  it("keeps the registry's adapter internals and the fault matrix's data inside the package", () => {
    for (const provider of BUILT_IN_PROVIDERS) {
      expect(Object.keys(provider).sort()).toEqual(
        [
          'displayName',
          'exportName',
          'factory',
          'forSimulator',
          'id',
          'keyRequired',
          'pollStyle',
          'progress',
        ].sort(),
      )
      expect(Object.isFrozen(provider)).toBe(true)
    }
    expect(Object.isFrozen(BUILT_IN_PROVIDERS)).toBe(true)
    // The internal registry does carry them: the public one is a projection, not a copy by luck.
    expect(REGISTRY.some((each) => 'faultMatrix' in each)).toBe(true)
    expectTypeOf<BuiltInProvider>().not.toHaveProperty('faultMatrix')
    expectTypeOf<BuiltInProvider>().not.toHaveProperty('description')
  })

  it('documents every export with TSDoc in src/index.ts groups (no wholesale re-export)', () => {
    const index = readFileSync(new URL('../../src/index.ts', import.meta.url), 'utf8')
    expect(index).not.toMatch(/export \*/)
  })

  it('the logger and onRetry types are public', () => {
    expectTypeOf<entry.RetryEvent>().toHaveProperty('attempt').toEqualTypeOf<number>()
    expectTypeOf<entry.RetryEvent>().toHaveProperty('delayMs').toEqualTypeOf<number>()
    expectTypeOf<entry.RetryEvent>().toHaveProperty('taskId').toEqualTypeOf<string>()
    expectTypeOf<entry.RetryEvent>().toHaveProperty('error').toEqualTypeOf<unknown>()
    expectTypeOf<entry.LogLevel>().toEqualTypeOf<'debug' | 'info' | 'warn' | 'error' | 'off'>()
    expectTypeOf(console).toExtend<entry.Logger>()
    expectTypeOf<entry.ClientOptions['logger']>().toEqualTypeOf<entry.Logger | undefined>()
    expectTypeOf<entry.ClientOptions['onRetry']>().toEqualTypeOf<entry.RetryListener | undefined>()
  })
})
