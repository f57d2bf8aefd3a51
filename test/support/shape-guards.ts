import fc from 'fast-check'
import { expect } from 'vitest'

/**
 * Values at the edge of a zod shape: missing, null, the wrong primitive, NaN and infinities
 * (JSON never has them, a guard must still refuse what zod refuses), arrays, objects.
 */
export const edgeValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string(), { maxKeys: 2 }),
)

/** An object whose listed fields are each an edge value or `nested`, any of them missing. */
export function objectOf(
  fields: readonly string[],
  nested: fc.Arbitrary<unknown> = edgeValue,
): fc.Arbitrary<unknown> {
  return fc.record(
    Object.fromEntries(fields.map((field) => [field, fc.oneof(edgeValue, nested)])),
    { requiredKeys: [] },
  )
}

/**
 * A parseShape guard (`accepts`) only skips the schema's copy: it must never pass a value the
 * schema refuses, or a malformed answer would become a task. Checked on `values` and any JSON.
 */
export function expectGuardWithinSchema(
  guard: (value: unknown) => boolean,
  schema: { safeParse(value: unknown): { success: boolean } },
  values: fc.Arbitrary<unknown>,
): void {
  fc.assert(
    fc.property(fc.oneof(values, edgeValue, fc.jsonValue()), (value) => {
      if (guard(value)) expect(schema.safeParse(value).success).toBe(true)
    }),
    { numRuns: 5_000 },
  )
}
