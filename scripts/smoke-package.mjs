#!/usr/bin/env node
import assert from 'node:assert/strict'
/*
 * Imports the built package by its name, as ESM and as CommonJS, the way users do, and checks
 * that errors from one copy are recognised by the other's classes.
 */
import { createRequire } from 'node:module'

const esm = await import('video-tasks')
const cjs = createRequire(import.meta.url)('video-tasks')

const names = [
  'createClient',
  'openai',
  'doubao',
  'genericTask',
  'checkResult',
  'defineProvider',
  'VideoTaskSchema',
  'VideoTaskError',
  'ApiError',
  'AuthenticationError',
  'PermissionDeniedError',
  'TaskNotFoundError',
  'RateLimitError',
  'ServerError',
  'ConnectionError',
  'ResponseValidationError',
  'TaskFailedError',
  'TaskCancelledError',
  'WaitTimeoutError',
]
for (const name of names) {
  assert.equal(typeof esm[name], typeof cjs[name], name)
  assert.ok(esm[name], `ESM export ${name}`)
  assert.ok(cjs[name], `CJS export ${name}`)
}
assert.notEqual(esm.ApiError, cjs.ApiError, 'two copies')
const fromCjs = new cjs.RateLimitError({
  status: 429,
  message: 'slow',
  provider: 'x',
  url: 'https://x.test',
})
assert.ok(
  fromCjs instanceof esm.RateLimitError &&
    fromCjs instanceof esm.ApiError &&
    fromCjs instanceof esm.VideoTaskError,
)
assert.ok(!(fromCjs instanceof esm.ServerError))
assert.ok(esm.RateLimitError.is(fromCjs))
console.log(`smoke: ${names.length} exports from ESM and CJS; errors recognised across copies`)
