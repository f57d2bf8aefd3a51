/**
 * Type tests of the task model. `tsc --noEmit` (npm run typecheck) checks them; vitest runs them
 * as no-ops. `toEqualTypeOf` is exact: a type that gets looser (or tighter) fails here.
 */

import {
  type CancelledVideoTask,
  type CheckResultVideoDetails,
  type DoubaoVideoDetails,
  type FailedVideoTask,
  type FinalVideoTaskStatus,
  type GenericTaskVideoDetails,
  isFinalStatus,
  type OpenAIVideoDetails,
  type QueuedVideoTask,
  type RunningVideoTask,
  type SucceededVideoTask,
  type UnknownVideoTask,
  type VideoTask,
  type VideoTaskDetails,
  type VideoTaskFailure,
  type VideoTaskFields,
  type VideoTaskOf,
  type VideoTaskStatus,
} from 'video-tasks'
import type {
  VideoTaskSchema,
  videoTaskDetailsSchema,
  videoTaskFailureSchema,
  videoTaskStatusSchema,
} from 'video-tasks/engine'
import { describe, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'

describe('VideoTaskStatus', () => {
  it('is the six statuses', () => {
    expectTypeOf<VideoTaskStatus>().toEqualTypeOf<
      'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'unknown'
    >()
    expectTypeOf<FinalVideoTaskStatus>().toEqualTypeOf<'succeeded' | 'failed' | 'cancelled'>()
    expectTypeOf<VideoTask['status']>().toEqualTypeOf<VideoTaskStatus>()
  })

  it('isFinalStatus is a type guard for the final statuses', () => {
    expectTypeOf(isFinalStatus).guards.toEqualTypeOf<FinalVideoTaskStatus>()
    expectTypeOf(isFinalStatus).parameter(0).toEqualTypeOf<VideoTaskStatus>()
  })
})

describe('VideoTask', () => {
  it('has the common fields', () => {
    expectTypeOf<VideoTask['id']>().toEqualTypeOf<string>()
    expectTypeOf<VideoTask['provider']>().toEqualTypeOf<string>()
    expectTypeOf<VideoTask['vendorStatus']>().toEqualTypeOf<string>()
    expectTypeOf<VideoTask['videoUrl']>().toEqualTypeOf<string | null>()
    expectTypeOf<VideoTask['videoUrls']>().toEqualTypeOf<string[]>()
    expectTypeOf<VideoTask['createdAt']>().toEqualTypeOf<Date | null>()
    expectTypeOf<VideoTask['completedAt']>().toEqualTypeOf<Date | null>()
    expectTypeOf<VideoTask['expiresAt']>().toEqualTypeOf<Date | null>()
    expectTypeOf<VideoTask['raw']>().toEqualTypeOf<unknown>()
    expectTypeOf<VideoTask['details']>().toEqualTypeOf<VideoTaskDetails>()
    expectTypeOf<VideoTask['error']>().toEqualTypeOf<VideoTaskFailure | null>()
    expectTypeOf<VideoTask['progress']>().toEqualTypeOf<number | null>()
  })

  it('VideoTaskFailure is a code and a message', () => {
    expectTypeOf<VideoTaskFailure>().toEqualTypeOf<{ code: string | null; message: string }>()
  })

  it('narrows on status', () => {
    const describe = (task: VideoTask) => {
      if (task.status === 'succeeded') {
        expectTypeOf(task.progress).toEqualTypeOf<100>()
        expectTypeOf(task.error).toEqualTypeOf<null>()
      } else if (task.status === 'failed') {
        expectTypeOf(task.error).toEqualTypeOf<VideoTaskFailure>()
        expectTypeOf(task.error.message).toEqualTypeOf<string>()
        expectTypeOf(task.progress).toEqualTypeOf<number | null>()
      } else if (task.status === 'queued' || task.status === 'running') {
        expectTypeOf(task.error).toEqualTypeOf<null>()
      } else {
        expectTypeOf(task.status).toEqualTypeOf<'cancelled' | 'unknown'>()
        expectTypeOf(task.error).toEqualTypeOf<VideoTaskFailure | null>()
      }
    }
    expectTypeOf(describe).toBeFunction()
  })

  it('VideoTaskOf picks one status', () => {
    expectTypeOf<VideoTaskOf<'succeeded'>['status']>().toEqualTypeOf<'succeeded'>()
    expectTypeOf<VideoTaskOf<'succeeded'>['progress']>().toEqualTypeOf<100>()
    expectTypeOf<VideoTaskOf<'succeeded'>['error']>().toEqualTypeOf<null>()
    expectTypeOf<VideoTaskOf<'failed'>['error']>().toEqualTypeOf<VideoTaskFailure>()
    expectTypeOf<VideoTaskOf<'running'>['progress']>().toEqualTypeOf<number | null>()
    expectTypeOf<VideoTaskOf<'running'>['error']>().toEqualTypeOf<null>()
    expectTypeOf<VideoTaskOf<'cancelled'>['error']>().toEqualTypeOf<VideoTaskFailure | null>()
    expectTypeOf<VideoTaskOf<'queued' | 'running'>['status']>().toEqualTypeOf<
      'queued' | 'running'
    >()
    // Every member of the union is some VideoTaskOf.
    expectTypeOf<VideoTaskOf<VideoTaskStatus>>().toEqualTypeOf<VideoTask>()
  })

  it('carries the details type it is given', () => {
    expectTypeOf<VideoTask<OpenAIVideoDetails>['details']>().toEqualTypeOf<OpenAIVideoDetails>()
    expectTypeOf<
      VideoTaskOf<'succeeded', DoubaoVideoDetails>['details']
    >().toEqualTypeOf<DoubaoVideoDetails>()
  })

  it('VideoTaskSchema parses into a VideoTask', () => {
    expectTypeOf<z.infer<typeof VideoTaskSchema>>().toEqualTypeOf<VideoTask>()
    expectTypeOf<z.infer<typeof videoTaskFailureSchema>>().toEqualTypeOf<VideoTaskFailure>()
    expectTypeOf<z.infer<typeof videoTaskDetailsSchema>>().toEqualTypeOf<VideoTaskDetails>()
    expectTypeOf<z.infer<typeof videoTaskStatusSchema>>().toEqualTypeOf<VideoTaskStatus>()
  })

  it('the schemas are Standard Schemas and zod schemas', () => {
    expectTypeOf<
      NonNullable<(typeof VideoTaskSchema)['~standard']['types']>['output']
    >().toEqualTypeOf<VideoTask>()
    expectTypeOf<ReturnType<(typeof VideoTaskSchema)['parse']>>().toEqualTypeOf<VideoTask>()
  })
})

/*
 * One named interface per status (an editor shows `FailedVideoTask` and its documented fields,
 * not an expanded `Omit<...>`): VideoTask is exactly their union, and VideoTaskOf picks them.
 */
describe('VideoTask per status', () => {
  it('VideoTask is the union of the six interfaces', () => {
    expectTypeOf<VideoTask>().toEqualTypeOf<
      | QueuedVideoTask
      | RunningVideoTask
      | SucceededVideoTask
      | FailedVideoTask
      | CancelledVideoTask
      | UnknownVideoTask
    >()
    expectTypeOf<VideoTask<OpenAIVideoDetails>>().toEqualTypeOf<
      | QueuedVideoTask<OpenAIVideoDetails>
      | RunningVideoTask<OpenAIVideoDetails>
      | SucceededVideoTask<OpenAIVideoDetails>
      | FailedVideoTask<OpenAIVideoDetails>
      | CancelledVideoTask<OpenAIVideoDetails>
      | UnknownVideoTask<OpenAIVideoDetails>
    >()
  })

  it('VideoTaskOf<status> is that status interface', () => {
    expectTypeOf<VideoTaskOf<'queued'>>().toEqualTypeOf<QueuedVideoTask>()
    expectTypeOf<VideoTaskOf<'running'>>().toEqualTypeOf<RunningVideoTask>()
    expectTypeOf<VideoTaskOf<'succeeded'>>().toEqualTypeOf<SucceededVideoTask>()
    expectTypeOf<VideoTaskOf<'failed'>>().toEqualTypeOf<FailedVideoTask>()
    expectTypeOf<VideoTaskOf<'cancelled'>>().toEqualTypeOf<CancelledVideoTask>()
    expectTypeOf<VideoTaskOf<'unknown'>>().toEqualTypeOf<UnknownVideoTask>()
    expectTypeOf<VideoTaskOf<'failed', DoubaoVideoDetails>>().toEqualTypeOf<
      FailedVideoTask<DoubaoVideoDetails>
    >()
  })

  it('each status interface pins its own fields', () => {
    expectTypeOf<QueuedVideoTask['error']>().toEqualTypeOf<null>()
    expectTypeOf<RunningVideoTask['error']>().toEqualTypeOf<null>()
    expectTypeOf<SucceededVideoTask['progress']>().toEqualTypeOf<100>()
    expectTypeOf<SucceededVideoTask['error']>().toEqualTypeOf<null>()
    expectTypeOf<FailedVideoTask['error']>().toEqualTypeOf<VideoTaskFailure>()
    expectTypeOf<FailedVideoTask['progress']>().toEqualTypeOf<number | null>()
    expectTypeOf<CancelledVideoTask['error']>().toEqualTypeOf<VideoTaskFailure | null>()
    expectTypeOf<UnknownVideoTask['status']>().toEqualTypeOf<'unknown'>()
  })

  it('every status interface has the common fields', () => {
    expectTypeOf<QueuedVideoTask>().toExtend<VideoTaskFields>()
    expectTypeOf<FailedVideoTask<OpenAIVideoDetails>>().toExtend<
      VideoTaskFields<OpenAIVideoDetails>
    >()
    expectTypeOf<keyof VideoTaskFields>().toEqualTypeOf<
      | 'id'
      | 'provider'
      | 'status'
      | 'vendorStatus'
      | 'progress'
      | 'videoUrl'
      | 'videoUrls'
      | 'error'
      | 'createdAt'
      | 'completedAt'
      | 'expiresAt'
      | 'details'
      | 'raw'
    >()
  })
})

describe('details per provider', () => {
  it('VideoTaskDetails: every key optional, typed', () => {
    expectTypeOf<VideoTaskDetails['model']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<VideoTaskDetails['width']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<VideoTaskDetails['startedAt']>().toEqualTypeOf<Date | undefined>()
    expectTypeOf<VideoTaskDetails['creditsRefunded']>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf({}).toExtend<VideoTaskDetails>()
  })

  it('OpenAIVideoDetails', () => {
    expectTypeOf<keyof OpenAIVideoDetails>().toEqualTypeOf<
      'model' | 'width' | 'height' | 'durationSeconds' | 'contentUrl' | 'thumbnailUrl' | 'requestId'
    >()
    expectTypeOf<OpenAIVideoDetails['contentUrl']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<OpenAIVideoDetails['durationSeconds']>().toEqualTypeOf<number | undefined>()
  })

  it('DoubaoVideoDetails', () => {
    expectTypeOf<keyof DoubaoVideoDetails>().toEqualTypeOf<'startedAt' | 'model' | 'requestId'>()
    expectTypeOf<DoubaoVideoDetails['startedAt']>().toEqualTypeOf<Date | undefined>()
  })

  it('GenericTaskVideoDetails', () => {
    expectTypeOf<keyof GenericTaskVideoDetails>().toEqualTypeOf<
      'width' | 'height' | 'fileId' | 'requestId' | 'binaryDataCount'
    >()
    expectTypeOf<GenericTaskVideoDetails['fileId']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<GenericTaskVideoDetails['binaryDataCount']>().toEqualTypeOf<number | undefined>()
  })

  it('CheckResultVideoDetails', () => {
    expectTypeOf<keyof CheckResultVideoDetails>().toEqualTypeOf<
      'creditsRefunded' | 'refundTransactionNumber' | 'requestId'
    >()
    expectTypeOf<CheckResultVideoDetails['creditsRefunded']>().toEqualTypeOf<boolean | undefined>()
  })
})
