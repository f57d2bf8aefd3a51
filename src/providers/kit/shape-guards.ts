/*
 * The building blocks of parseShape's `accepts` guards (parse-shape.ts): cheap checks that pass
 * only what the matching zod/mini schema passes unchanged. When in doubt they refuse, since a
 * refused value only goes through the schema as before.
 */

/**
 * An object as `JSON.parse` makes it: not null, not an array, its prototype `Object.prototype`,
 * and no own `__proto__` key. A zod/mini object copies what it parses into a fresh `{}` and drops
 * an own `__proto__` key (assigning it would replace the copy's prototype), and it reads
 * inherited fields; a value that is not such a plain object would come out of the schema changed,
 * so the guards refuse it and let the schema copy it.
 */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    !Object.hasOwn(value, '__proto__')
  )
}

/** What `z.nullish(z.string())` accepts. */
export function isNullishString(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || typeof value === 'string'
}

/** What `z.nullish(z.union([z.string(), z.number()]))` accepts: zod's number is finite. */
export function isNullishId(value: unknown): value is string | number | null | undefined {
  return (
    value === undefined ||
    value === null ||
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isFinite(value))
  )
}
