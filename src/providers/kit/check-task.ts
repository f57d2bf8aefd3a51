import { ResponseValidationError } from '../../errors.js'
import { type VideoTask, type VideoTaskDetails, VideoTaskSchema } from '../../model.js'
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
 * Checks a task against `VideoTaskSchema`: what `defineProvider` does for user adapters, so a
 * mapping mistake is a `ResponseValidationError`, not a silent wrong answer. A module of its own,
 * passed to `createProvider` by `defineProvider` only: a program that uses built-in providers alone
 * (which skip the check, see `builtInProvider`) does not reach `VideoTaskSchema` through here.
 */
export const checkVideoTask: TaskCheck = (task, response, providerId) => {
  const result = VideoTaskSchema.safeParse(task)
  if (result.success) return
  throw new ResponseValidationError({
    message: `Provider ${providerId} produced a task that is not a valid VideoTask: ${result.error.issues[0]?.message ?? 'invalid'} at ${result.error.issues[0]?.path.join('.') ?? ''}`,
    status: response.status,
    issues: result.error.issues.map((issue) => ({
      path: issue.path,
      message: issue.message,
    })),
    body: response.body,
    provider: providerId,
    url: response.url,
  })
}
