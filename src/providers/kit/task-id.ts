/**
 * Puts a task id in a URL path as one segment: percent-encoded, so `a/b`, `x?y=1` or `#` never
 * change the path or query. `.` and `..` are refused, because URL parsers resolve them (even
 * encoded as `%2e`) to the parent path.
 */
export function encodeTaskId(taskId: unknown): string {
  assertTaskId(taskId)
  return encodeURIComponent(taskId)
}

/** Throws a `TypeError` unless `taskId` is a usable task id. */
export function assertTaskId(taskId: unknown): asserts taskId is string {
  if (typeof taskId !== 'string' || taskId === '') {
    throw new TypeError(`Expected \`taskId\` to be a non-empty string, got ${describe(taskId)}`)
  }
  if (taskId === '.' || taskId === '..') {
    throw new TypeError(`Expected \`taskId\` not to be "${taskId}"`)
  }
  // Half a surrogate pair cannot be sent: encodeURIComponent and UTF-8 refuse it.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(taskId)) {
    throw new TypeError(
      'Expected `taskId` to be well-formed text, got one with half a surrogate pair',
    )
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}
