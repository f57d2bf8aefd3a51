/** Type tests of the error classes: their fields, their hierarchy and their guards. */

import {
  ApiError,
  type AuthenticationError,
  ConnectionError,
  type FailedVideoTask,
  type OpenAIVideoDetails,
  type PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  type ServerError,
  TaskCancelledError,
  TaskFailedError,
  type TaskNotFoundError,
  UnknownStatusError,
  type ValidationIssue,
  type VideoTask,
  VideoTaskError,
  WaitTimeoutError,
} from 'video-tasks'
import { describe, expectTypeOf, it } from 'vitest'

describe('error classes', () => {
  it('all extend VideoTaskError, which extends Error', () => {
    expectTypeOf<VideoTaskError>().toExtend<Error>()
    expectTypeOf(ApiError).instance.toExtend<VideoTaskError>()
    expectTypeOf(ConnectionError).instance.toExtend<VideoTaskError>()
    expectTypeOf(ResponseValidationError).instance.toExtend<VideoTaskError>()
    expectTypeOf(TaskFailedError).instance.toExtend<VideoTaskError>()
    expectTypeOf(TaskCancelledError).instance.toExtend<VideoTaskError>()
    expectTypeOf(UnknownStatusError).instance.toExtend<VideoTaskError>()
    expectTypeOf(WaitTimeoutError).instance.toExtend<VideoTaskError>()
  })

  it('the HTTP ones extend ApiError', () => {
    expectTypeOf<AuthenticationError>().toExtend<ApiError>()
    expectTypeOf<PermissionDeniedError>().toExtend<ApiError>()
    expectTypeOf<TaskNotFoundError>().toExtend<ApiError>()
    expectTypeOf<RateLimitError>().toExtend<ApiError>()
    expectTypeOf<ServerError>().toExtend<ApiError>()
    expectTypeOf<ConnectionError>().not.toExtend<ApiError>()
  })

  it('ApiError fields', () => {
    expectTypeOf<ApiError['status']>().toEqualTypeOf<number>()
    expectTypeOf<ApiError['code']>().toEqualTypeOf<string | null>()
    expectTypeOf<ApiError['requestId']>().toEqualTypeOf<string | null>()
    expectTypeOf<ApiError['bodyExcerpt']>().toEqualTypeOf<string>()
    expectTypeOf<ApiError['provider']>().toEqualTypeOf<string>()
    expectTypeOf<ApiError['url']>().toEqualTypeOf<string>()
    expectTypeOf<ApiError['retryable']>().toEqualTypeOf<boolean>()
    expectTypeOf<RateLimitError['retryAfterMs']>().toEqualTypeOf<number | null>()
    expectTypeOf<ServerError['retryAfterMs']>().toEqualTypeOf<number | null>()
  })

  it('ConnectionError and ResponseValidationError fields', () => {
    expectTypeOf<ConnectionError['url']>().toEqualTypeOf<string>()
    expectTypeOf<ConnectionError['timedOut']>().toEqualTypeOf<boolean>()
    expectTypeOf<ResponseValidationError['status']>().toEqualTypeOf<number>()
    expectTypeOf<ResponseValidationError['issues']>().toEqualTypeOf<readonly ValidationIssue[]>()
    expectTypeOf<ResponseValidationError['bodyExcerpt']>().toEqualTypeOf<string>()
    expectTypeOf<ValidationIssue['path']>().toEqualTypeOf<readonly PropertyKey[]>()
  })

  it('the wait outcomes carry the task', () => {
    // The failed task: `error.task.error.message` needs no `?.`.
    expectTypeOf<TaskFailedError['task']>().toEqualTypeOf<FailedVideoTask>()
    expectTypeOf<TaskFailedError['task']['status']>().toEqualTypeOf<'failed'>()
    expectTypeOf<TaskFailedError['task']['error']['message']>().toEqualTypeOf<string>()
    expectTypeOf<
      TaskFailedError<OpenAIVideoDetails>['task']['details']
    >().toEqualTypeOf<OpenAIVideoDetails>()
    expectTypeOf<TaskFailedError['task']>().toExtend<VideoTask>()
    expectTypeOf<TaskCancelledError['task']>().toEqualTypeOf<VideoTask>()
    expectTypeOf<UnknownStatusError['task']>().toEqualTypeOf<VideoTask>()
    expectTypeOf<WaitTimeoutError['lastTask']>().toEqualTypeOf<VideoTask | null>()
    expectTypeOf<WaitTimeoutError['taskId']>().toEqualTypeOf<string>()
    expectTypeOf<WaitTimeoutError['elapsedMs']>().toEqualTypeOf<number>()
    expectTypeOf<WaitTimeoutError['reads']>().toEqualTypeOf<number>()
  })

  it('the fields are read-only', () => {
    const mutate = (error: ApiError, timeout: WaitTimeoutError) => {
      // @ts-expect-error: readonly
      error.status = 500
      // @ts-expect-error: readonly
      timeout.lastTask = null
    }
    expectTypeOf(mutate).toBeFunction()
  })

  it('static is() narrows to its own class', () => {
    const check = (error: unknown) => {
      if (RateLimitError.is(error)) {
        expectTypeOf(error).toEqualTypeOf<RateLimitError>()
        expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | null>()
      }
      if (VideoTaskError.is(error)) expectTypeOf(error).toEqualTypeOf<VideoTaskError>()
      if (TaskFailedError.is(error)) expectTypeOf(error.task).toEqualTypeOf<FailedVideoTask>()
      if (error instanceof ApiError) expectTypeOf(error.status).toEqualTypeOf<number>()
    }
    expectTypeOf(check).toBeFunction()
  })
})
