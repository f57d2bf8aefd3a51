import { expect } from 'vitest'
import type { ProviderResponse } from '../../../src/providers/kit/types.js'
import { expectNoSecret } from '../../support/assertions.js'

/*
 * What a public (lazy) factory must share with its adapter's eager factory: the same refusals,
 * and once loaded the same provider. Used by test/providers/factories/<id>.test.ts.
 */

/** The error `make` throws synchronously; fails the test when it returns. */
export function thrownBy(make: () => unknown): unknown {
  try {
    make()
  } catch (error) {
    return error
  }
  throw new Error('expected a synchronous throw, got a provider')
}

/**
 * Asserts that both factories refuse `options` synchronously with a `TypeError` of the same
 * message, that the message matches `names` (it names the option) and repeats no `secret`.
 */
export function expectSameRefusal(
  publicFactory: (options: never) => unknown,
  eagerFactory: (options: never) => unknown,
  options: unknown,
  names: RegExp,
  secret: string,
): void {
  const lazy = thrownBy(() => publicFactory(options as never))
  const eager = thrownBy(() => eagerFactory(options as never))
  expect(lazy).toBeInstanceOf(TypeError)
  expect(eager).toBeInstanceOf(TypeError)
  expect((lazy as Error).message).toBe((eager as Error).message)
  expect((lazy as Error).message).toMatch(names)
  expectNoSecret(secret, lazy)
}

/** Asserts that a provider not loaded yet refuses to build or parse, naming `load()`. */
export function expectNotLoaded(provider: {
  id: string
  load?: unknown
  buildRequest(taskId: string): unknown
  parseResponse(response: ProviderResponse): unknown
}): void {
  expect(provider.load).toBeTypeOf('function')
  expect(() => provider.buildRequest('x')).toThrow(TypeError)
  expect(() => provider.buildRequest('x')).toThrow(/load\(\)/)
  expect(() =>
    provider.parseResponse({
      status: 200,
      headers: {},
      body: '{}',
      url: 'https://api.example.test/x',
      provider: provider.id,
      taskId: 'x',
      receivedAt: 0,
    }),
  ).toThrow(/load\(\)/)
  expect(Object.isFrozen(provider)).toBe(true)
}

/** The members a provider has, sorted (a loaded provider must have the eager one's). */
export function membersOf(provider: object): string[] {
  return Object.keys(provider).sort()
}
