import { inspect } from 'node:util'
import { expect } from 'vitest'
import { ResponseValidationError } from '../../src/errors.js'

/** Asserts that `secret` shows in none of the ways a value is printed or logged. */
export function expectNoSecret(secret: string, ...values: unknown[]): void {
  for (const value of values) {
    const views = [
      value instanceof Error ? value.message : '',
      JSON.stringify(value) ?? '',
      inspect(value, { depth: 10, showHidden: true }),
    ]
    for (const view of views) expect(view).not.toContain(secret)
  }
}

/** Asserts a non-retryable ResponseValidationError for a body received with HTTP 200. */
export function expectInvalidOn200(error: unknown): void {
  expect(error).toBeInstanceOf(ResponseValidationError)
  expect((error as ResponseValidationError).status).toBe(200)
  expect((error as ResponseValidationError).retryable).toBe(false)
}
