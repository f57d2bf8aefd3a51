import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import {
  isNullishId,
  isNullishString,
  isPlainRecord,
} from '../../../src/providers/kit/shape-guards.js'
import { expectGuardExact, trickyObject } from '../../support/shape-guards.js'

describe('kit shape guards', () => {
  it('isNullishId is z.nullish(string | number), NaN and infinities refused', () => {
    expectGuardExact(isNullishId, z.nullish(z.union([z.string(), z.number()])), fc.double())
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1n, {}]) {
      expect(isNullishId(bad)).toBe(false)
    }
    expect(isNullishId(-0)).toBe(true)
  })

  it('isNullishString is z.nullish(z.string())', () => {
    expectGuardExact(isNullishString, z.nullish(z.string()), fc.string())
    expect(isNullishString(undefined) && isNullishString(null) && isNullishString('')).toBe(true)
    expect(isNullishString(0) || isNullishString(['a'])).toBe(false)
  })

  it('isPlainRecord passes only objects that a zod object returns unchanged', () => {
    expect(isPlainRecord({ a: 1 })).toBe(true)
    expect(isPlainRecord(JSON.parse('{"a":{"b":[1]}}'))).toBe(true)
    for (const tricky of [null, undefined, 'x', [], ...trickyObject({ status: 'x' })]) {
      expect(isPlainRecord(tricky)).toBe(false)
    }
  })
})
