import type { core } from 'zod/mini'

/*
 * zod/mini loads no locale, so its issues say only "Invalid input". The schemas are built with
 * zod/mini to keep zod classic (and its locales) out of the import; the few messages users see
 * (a `ResponseValidationError`, `parsePollState`'s TypeError) are written here from the issue's
 * fields instead.
 */

/** One zod issue in words: `expected string`, `expected at least 0`, or the issue's message. */
export function describeIssue(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`
    case 'too_small':
      return `expected ${issue.origin === 'string' || issue.origin === 'array' ? 'a length of ' : ''}at least ${String(issue.minimum)}`
    case 'too_big':
      return `expected ${issue.origin === 'string' || issue.origin === 'array' ? 'a length of ' : ''}at most ${String(issue.maximum)}`
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`
    case 'invalid_union':
      return 'matches none of the accepted shapes'
    default:
      return issue.message
  }
}
