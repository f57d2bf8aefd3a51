import type * as z from 'zod/mini'
import { describeIssue } from '../../internal/describe-issue.js'
import type { ProviderResponse } from './types.js'
import { validationError } from './validation-error.js'

/** Parses `value` with a zod schema, throwing a {@link ResponseValidationError} with its issues. */
export function parseShape<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  response: ProviderResponse,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => ({
    path: issue.path,
    message: describeIssue(issue),
  }))
  const first = issues[0]
  throw validationError(
    response,
    `${what} does not have the expected shape${first ? `: ${first.message} at ${first.path.join('.') || '(root)'}` : ''}`,
    issues,
  )
}
