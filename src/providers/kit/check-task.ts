import { ResponseValidationError, type ValidationIssue } from '../../errors.js'
import type { VideoTask, VideoTaskDetails } from '../../model.js'
import { VIDEO_TASK_STATUSES } from '../../model-statuses.js'
import type { ProviderResponse } from './types.js'

/**
 * A check of each task a provider's `parseResponse` returns; it throws a
 * `ResponseValidationError` for a task that is not a valid `VideoTask`.
 */
export type TaskCheck = (
  task: VideoTask<VideoTaskDetails>,
  response: ProviderResponse,
  providerId: string,
) => void

/**
 * Checks a task as `VideoTaskSchema` does: what `defineProvider` does for user adapters, so a
 * mapping mistake is a `ResponseValidationError`, not a silent wrong answer.
 *
 * Written out rather than `VideoTaskSchema.safeParse`: `defineProvider` is in the main entry, and
 * the schema would bring zod's core (about 8 kB min+gzip) into every import (issue 12, "Cost of
 * importing it"). test/providers/check-task.test.ts holds it to the schema: on generated tasks,
 * valid and broken one field at a time, both accept the same tasks and name the same first path.
 */
export const checkVideoTask: TaskCheck = (task, response, providerId) => {
  const issues = videoTaskIssues(task)
  if (issues.length === 0) return
  const [first] = issues as [ValidationIssue]
  throw new ResponseValidationError({
    message: `Provider ${providerId} produced a task that is not a valid VideoTask: ${first.message} at ${first.path.join('.')}`,
    status: response.status,
    issues,
    body: response.body,
    provider: providerId,
    url: response.url,
  })
}

const DETAIL_TYPES: Readonly<Record<string, 'string' | 'number' | 'boolean' | 'date'>> = {
  model: 'string',
  width: 'number',
  height: 'number',
  durationSeconds: 'number',
  thumbnailUrl: 'string',
  contentUrl: 'string',
  fileId: 'string',
  creditsRefunded: 'boolean',
  refundTransactionNumber: 'string',
  requestId: 'string',
  startedAt: 'date',
}

/** What is wrong with `value` as a `VideoTask`, in the schema's field order; empty if nothing. */
export function videoTaskIssues(value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const add = (path: (string | number)[], message: string) => issues.push({ path, message })
  if (!isObject(value)) {
    add([], `Expected an object, got ${kind(value)}`)
    return issues
  }
  const status = value.status
  if (!VIDEO_TASK_STATUSES.includes(status as VideoTask['status'])) {
    add(['status'], `Expected one of ${VIDEO_TASK_STATUSES.join(', ')}, got ${kind(status)}`)
    return issues
  }
  const text = (name: string, nonEmpty: boolean) => {
    const field = value[name]
    if (typeof field !== 'string') add([name], `Expected a string, got ${kind(field)}`)
    else if (nonEmpty && field === '') add([name], 'Expected a non-empty string')
  }
  const nullable = (name: string, check: (field: unknown) => boolean, expected: string) => {
    const field = value[name]
    if (field !== null && !check(field))
      add([name], `Expected ${expected} or null, got ${kind(field)}`)
  }
  text('id', true)
  text('provider', true)
  text('vendorStatus', false)
  const progress = value.progress
  if (status === 'succeeded') {
    if (progress !== 100) add(['progress'], `Expected 100, got ${kind(progress)}`)
  } else if (
    progress !== null &&
    !(typeof progress === 'number' && progress >= 0 && progress <= 100)
  ) {
    add(['progress'], `Expected a number from 0 to 100 or null, got ${kind(progress)}`)
  }
  nullable('videoUrl', (field) => typeof field === 'string', 'a string')
  const urls = value.videoUrls
  if (!Array.isArray(urls)) add(['videoUrls'], `Expected an array, got ${kind(urls)}`)
  else {
    // Every index, as the schema reads them: `forEach` skips the holes of a sparse array.
    for (let index = 0; index < urls.length; index++) {
      const url: unknown = urls[index]
      if (typeof url !== 'string') add(['videoUrls', index], `Expected a string, got ${kind(url)}`)
    }
  }
  const error = value.error
  if (status === 'failed' || status === 'cancelled' || status === 'unknown') {
    if (error !== null || status === 'failed') {
      if (!isObject(error)) {
        add(
          ['error'],
          `Expected a failure object${status === 'failed' ? '' : ' or null'}, got ${kind(error)}`,
        )
      } else {
        if (error.code !== null && typeof error.code !== 'string') {
          add(['error', 'code'], `Expected a string or null, got ${kind(error.code)}`)
        }
        if (typeof error.message !== 'string') {
          add(['error', 'message'], `Expected a string, got ${kind(error.message)}`)
        } else if (error.message === '') add(['error', 'message'], 'Expected a non-empty string')
      }
    }
  } else if (error !== null) {
    add(['error'], `Expected null, got ${kind(error)}`)
  }
  for (const name of ['createdAt', 'completedAt', 'expiresAt']) {
    nullable(name, (field) => field instanceof Date && !Number.isNaN(field.getTime()), 'a Date')
  }
  const details = value.details
  if (!isObject(details)) add(['details'], `Expected an object, got ${kind(details)}`)
  else {
    for (const [name, type] of Object.entries(DETAIL_TYPES)) {
      const field = details[name]
      if (field === undefined) continue
      const ok =
        type === 'date'
          ? field instanceof Date && !Number.isNaN(field.getTime())
          : type === 'number'
            ? // zod 4's z.number() refuses NaN and both infinities.
              typeof field === 'number' && Number.isFinite(field)
            : typeof field === type
      const expected =
        type === 'date' ? 'a Date' : type === 'number' ? 'a finite number' : `a ${type}`
      if (!ok) add(['details', name], `Expected ${expected}, got ${kind(field)}`)
    }
  }
  // `raw: z.unknown()` takes any value, `undefined` too, but the key must be there (own or
  // inherited, as the schema reads it with `in`).
  if (!('raw' in value)) {
    add(
      ['raw'],
      'Expected `raw` (the payload as received; `null` when there is none), got no such key',
    )
  }
  return issues
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function kind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date'
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value)
  return typeof value
}
