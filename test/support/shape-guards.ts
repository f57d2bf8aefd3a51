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
 * Objects a hostile or clumsy caller may hand a guard, with the fields `status` and `task_id`:
 * a null prototype, fields inherited from the prototype, an own `__proto__` key (JSON.parse
 * makes one, zod drops it from its copy), an array carrying the fields, a class instance.
 */
export function trickyObject(fields: Record<string, unknown>): unknown[] {
  const nullPrototype = Object.assign(Object.create(null), fields)
  const inherited = Object.create(fields)
  const ownProto = JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(fields).slice(1)}`)
  const array = Object.assign([], fields)
  const instance = Object.assign(new (class Shape {})(), fields)
  const date = Object.assign(new Date(0), fields)
  return [nullPrototype, inherited, ownProto, array, instance, date]
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

/**
 * {@link expectGuardWithinSchema}, and more: what the guard passes is what the schema would have
 * returned (parseShape returns the value itself), strictly deep-equal, prototype included. The
 * generated values are `values`, the edge values, any JSON (fast-check makes null-prototype
 * objects too) and `hostile`.
 */
export function expectGuardExact(
  guard: (value: unknown) => boolean,
  schema: { safeParse(value: unknown): { success: boolean; data?: unknown } },
  values: fc.Arbitrary<unknown>,
  hostile: readonly unknown[] = [],
): void {
  const check = (value: unknown) => {
    if (!guard(value)) return
    const result = schema.safeParse(value)
    expect(result.success).toBe(true)
    expect(result.data).toStrictEqual(value)
  }
  for (const value of hostile) check(value)
  fc.assert(fc.property(fc.oneof(values, edgeValue, fc.jsonValue()), check), { numRuns: 5_000 })
}
