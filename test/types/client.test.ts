/**
 * Type tests of the client: the provider's details type flows through every method, `waitFor`
 * resolves with the succeeded task, and each callback sees the type it should.
 */

import {
  type CheckResultVideoDetails,
  type ClientOptions,
  checkResult,
  createClient,
  type DoubaoVideoDetails,
  doubao,
  type FetchFunction,
  type GenericTaskVideoDetails,
  type GetTaskOptions,
  genericTask,
  type OpenAIVideoDetails,
  openai,
  type PollState,
  type Provider,
  type ScheduleOptions,
  type StatusHandlers,
  type TaskIdOrRef,
  type VideoTask,
  type VideoTaskClient,
  type VideoTaskDetails,
  type VideoTaskFailure,
  type VideoTaskOf,
  type WaitCallbacks,
  type WaitOptions,
} from 'video-tasks'
import { describe, expectTypeOf, it } from 'vitest'

const key = { baseURL: 'https://api.example.com', apiKey: 'key' }

describe('createClient', () => {
  it('infers the details type from the provider', () => {
    expectTypeOf(createClient({ provider: openai(key) })).toEqualTypeOf<
      VideoTaskClient<OpenAIVideoDetails>
    >()
    expectTypeOf(createClient({ provider: doubao(key) })).toEqualTypeOf<
      VideoTaskClient<DoubaoVideoDetails>
    >()
    expectTypeOf(createClient({ provider: genericTask(key) })).toEqualTypeOf<
      VideoTaskClient<GenericTaskVideoDetails>
    >()
    expectTypeOf(createClient({ provider: checkResult(key) })).toEqualTypeOf<
      VideoTaskClient<CheckResultVideoDetails>
    >()
  })

  it('provider factories return typed providers', () => {
    expectTypeOf(openai).returns.toEqualTypeOf<Provider<OpenAIVideoDetails>>()
    expectTypeOf(doubao).returns.toEqualTypeOf<Provider<DoubaoVideoDetails>>()
    expectTypeOf(genericTask).returns.toEqualTypeOf<Provider<GenericTaskVideoDetails>>()
    expectTypeOf(checkResult).returns.toEqualTypeOf<Provider<CheckResultVideoDetails>>()
  })

  it('needs an apiKey except for checkResult', () => {
    // @ts-expect-error: openai() needs an apiKey
    expectTypeOf(openai).toBeCallableWith({ baseURL: 'https://api.openai.com' })
    // @ts-expect-error: doubao() needs an apiKey
    expectTypeOf(doubao).toBeCallableWith({ baseURL: 'https://gw.example.com' })
    expectTypeOf(checkResult).toBeCallableWith({ baseURL: 'https://example.com' })
    expectTypeOf(openai).toBeCallableWith({ ...key, headers: { 'x-route': 'a' } })
  })

  it('ClientOptions', () => {
    expectTypeOf<ClientOptions<OpenAIVideoDetails>['provider']>().toEqualTypeOf<
      Provider<OpenAIVideoDetails>
    >()
    expectTypeOf<ClientOptions['fetch']>().toEqualTypeOf<FetchFunction | undefined>()
    expectTypeOf<ClientOptions['maxRequestsPerSecond']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<ClientOptions>().toExtend<ScheduleOptions>()
    // @ts-expect-error: provider is required
    expectTypeOf(createClient).toBeCallableWith({})
  })
})

describe('VideoTaskClient methods', () => {
  type Client = VideoTaskClient<OpenAIVideoDetails>
  type Succeeded = VideoTaskOf<'succeeded', OpenAIVideoDetails>

  it('waitFor resolves with the succeeded task of the provider', () => {
    expectTypeOf<Client['waitFor']>().returns.resolves.toEqualTypeOf<Succeeded>()
    expectTypeOf<Client['waitFor']>().parameters.toEqualTypeOf<
      [taskId: TaskIdOrRef, options?: WaitOptions<OpenAIVideoDetails>]
    >()
    const use = async (client: Client) => {
      const task = await client.waitFor('video_123')
      expectTypeOf(task.status).toEqualTypeOf<'succeeded'>()
      expectTypeOf(task.progress).toEqualTypeOf<100>()
      expectTypeOf(task.error).toEqualTypeOf<null>()
      expectTypeOf(task.videoUrl).toEqualTypeOf<string | null>()
      expectTypeOf(task.details.contentUrl).toEqualTypeOf<string | undefined>()
      // @ts-expect-error: not a detail the openai provider fills
      task.details.fileId
    }
    expectTypeOf(use).toBeFunction()
  })

  it('the details type is the provider’s, not the wide one', () => {
    const use = async () => {
      const generic = createClient({ provider: genericTask(key) })
      const task = await generic.waitFor('1')
      expectTypeOf(task.details.fileId).toEqualTypeOf<string | undefined>()
      // @ts-expect-error: contentUrl is OpenAI's
      task.details.contentUrl
      const refunds = createClient({ provider: checkResult({ baseURL: key.baseURL }) })
      const failed = await refunds.getTask('t')
      expectTypeOf(failed.details.creditsRefunded).toEqualTypeOf<boolean | undefined>()
    }
    expectTypeOf(use).toBeFunction()
  })

  it('the other methods', () => {
    expectTypeOf<Client['getTask']>().returns.resolves.toEqualTypeOf<
      VideoTask<OpenAIVideoDetails>
    >()
    expectTypeOf<Client['getTask']>().parameter(1).toEqualTypeOf<GetTaskOptions | undefined>()
    expectTypeOf<Client['watch']>().returns.toEqualTypeOf<
      AsyncIterableIterator<VideoTask<OpenAIVideoDetails>>
    >()
    expectTypeOf<Client['waitForAll']>().returns.resolves.toEqualTypeOf<Succeeded[]>()
    expectTypeOf<Client['waitForAll']>().parameter(0).toEqualTypeOf<readonly string[]>()
    expectTypeOf<Client['waitForAny']>().returns.resolves.toEqualTypeOf<Succeeded>()
    expectTypeOf<Client['resume']>().returns.resolves.toEqualTypeOf<Succeeded>()
    expectTypeOf<Client['resume']>().parameter(0).toEqualTypeOf<PollState>()
    expectTypeOf<Client['close']>().returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf<Client['provider']>().toEqualTypeOf<Provider<OpenAIVideoDetails>>()
    expectTypeOf<Client>().toHaveProperty(Symbol.asyncDispose)
  })
})

describe('callbacks', () => {
  type D = OpenAIVideoDetails

  it('each onStatus handler sees its own status', () => {
    expectTypeOf<StatusHandlers<D>['failed']>().toEqualTypeOf<
      ((task: VideoTaskOf<'failed', D>) => void) | undefined
    >()
    expectTypeOf<StatusHandlers<D>['succeeded']>().toEqualTypeOf<
      ((task: VideoTaskOf<'succeeded', D>) => void) | undefined
    >()
    expectTypeOf<keyof StatusHandlers>().toEqualTypeOf<
      'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'unknown'
    >()
    const handlers: StatusHandlers<D> = {
      failed: (task) => {
        expectTypeOf(task.status).toEqualTypeOf<'failed'>()
        expectTypeOf(task.error).toEqualTypeOf<VideoTaskFailure>()
        expectTypeOf(task.error.message).toEqualTypeOf<string>()
        expectTypeOf(task.details).toEqualTypeOf<D>()
      },
      succeeded: (task) => {
        expectTypeOf(task.progress).toEqualTypeOf<100>()
        expectTypeOf(task.details.contentUrl).toEqualTypeOf<string | undefined>()
      },
      running: (task) => expectTypeOf(task.progress).toEqualTypeOf<number | null>(),
      cancelled: (task) => expectTypeOf(task.error).toEqualTypeOf<VideoTaskFailure | null>(),
    }
    expectTypeOf(handlers).toEqualTypeOf<StatusHandlers<D>>()
  })

  it('inline in waitFor, handlers are typed by the client’s provider', () => {
    const use = (client: VideoTaskClient<D>) =>
      client.waitFor('video_1', {
        onStatus: {
          failed: (task) => expectTypeOf(task.error.message).toEqualTypeOf<string>(),
          queued: (task) => expectTypeOf(task.status).toEqualTypeOf<'queued'>(),
        },
        onUpdate: (task) => expectTypeOf(task).toEqualTypeOf<VideoTask<D>>(),
        onStatusChange: (task, previous) => {
          expectTypeOf(task).toEqualTypeOf<VideoTask<D>>()
          expectTypeOf(previous).toEqualTypeOf<VideoTask<D> | null>()
        },
        onProgress: (progress, task) => {
          expectTypeOf(progress).toEqualTypeOf<number>()
          expectTypeOf(task).toEqualTypeOf<VideoTask<D>>()
        },
        onPollState: (state) => expectTypeOf(state).toEqualTypeOf<PollState>(),
      })
    expectTypeOf(use).toBeFunction()
  })

  it('a handler of the wrong status does not type-check', () => {
    const handlers: StatusHandlers = {
      // @ts-expect-error: a running task's error is null, it has no message
      running: (task: VideoTaskOf<'failed'>) => task.error.message,
    }
    expectTypeOf(handlers).not.toBeAny()
  })

  it('WaitCallbacks and WaitOptions', () => {
    expectTypeOf<WaitCallbacks<D>['onUpdate']>().toEqualTypeOf<
      ((task: VideoTask<D>) => void) | undefined
    >()
    expectTypeOf<WaitCallbacks<D>['onStatusChange']>().toEqualTypeOf<
      ((task: VideoTask<D>, previous: VideoTask<D> | null) => void) | undefined
    >()
    expectTypeOf<WaitCallbacks<D>['onProgress']>().toEqualTypeOf<
      ((progress: number, task: VideoTask<D>) => void) | undefined
    >()
    expectTypeOf<WaitCallbacks<D>['onPollState']>().toEqualTypeOf<
      ((state: PollState) => void) | undefined
    >()
    expectTypeOf<WaitOptions<D>>().toExtend<WaitCallbacks<D>>()
    expectTypeOf<WaitOptions<D>>().toExtend<ScheduleOptions>()
    expectTypeOf<WaitOptions['signal']>().toEqualTypeOf<AbortSignal | undefined>()
    expectTypeOf<WaitOptions['timeoutMs']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<WaitOptions['intervalMs']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<WaitOptions['maxConsecutiveUnknown']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<WaitOptions['adaptive']>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<GetTaskOptions>().toEqualTypeOf<{
      signal?: AbortSignal | undefined
      retries?: number | undefined
    }>()
    // Every option is optional.
    expectTypeOf({}).toExtend<WaitOptions<VideoTaskDetails>>()
  })
})
