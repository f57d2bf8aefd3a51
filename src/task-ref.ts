/*
 * A `TaskRef` is what an app stores the moment a create returns, before anything else can fail:
 * with it, another process (or the durable queue) can read, wait for, download or cancel the task
 * again. It is plain JSON and never holds the key: the provider instance supplies that.
 */

/**
 * A stored reference to a created task. JSON-safe (`JSON.stringify` and {@link parseTaskRef}
 * round-trip it); holds no credential. Every client call that takes a task id also takes one.
 *
 * @example
 * ```ts
 * const ref = await client.submit({ prompt: 'a red fox in snow' })
 * await db.save(job.id, JSON.stringify(ref)) // before anything else can fail
 * const task = await client.waitFor(ref)
 * ```
 */
export interface TaskRef {
  /** The format version. */
  readonly version: 1
  /** The provider id (`task.provider`). */
  readonly provider: string
  /** The origin of the provider's base URL (`https://api.example.com`), never a path or key. */
  readonly origin: string
  /** The vendor's task id. */
  readonly taskId: string
  /** When the create was answered, as an ISO 8601 string. */
  readonly submittedAt: string
  /**
   * The route family the task was created on, for vendors whose route families cannot read each
   * other's tasks (Kling); absent otherwise.
   */
  readonly route?: string | undefined
  /** The idempotency key the create was sent with, when there was one. */
  readonly idempotencyKey?: string | undefined
}

/** A task id, or a {@link TaskRef} to it. */
export type TaskIdOrRef = string | TaskRef

const KEYS = new Set([
  'version',
  'provider',
  'origin',
  'taskId',
  'submittedAt',
  'route',
  'idempotencyKey',
])

/**
 * Checks a value loaded from storage (untrusted JSON, or a string of it) and returns it as a
 * {@link TaskRef}. Throws a `TypeError` naming the first field that is wrong.
 */
export function parseTaskRef(value: unknown): TaskRef {
  const input = typeof value === 'string' ? parseJson(value) : value
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('Expected a TaskRef object')
  }
  const record = input as Record<string, unknown>
  for (const key of Object.keys(record)) {
    if (!KEYS.has(key)) throw new TypeError(`Unexpected field \`${key.slice(0, 40)}\` in TaskRef`)
  }
  if (record.version !== 1) throw new TypeError('Expected TaskRef `version` to be 1')
  const provider = text(record, 'provider', 100)
  const origin = text(record, 'origin', 2_048)
  let parsed: URL
  try {
    parsed = new URL(origin)
  } catch {
    throw new TypeError('Expected TaskRef `origin` to be an http(s) origin')
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) {
    throw new TypeError('Expected TaskRef `origin` to be an http(s) origin')
  }
  const taskId = text(record, 'taskId', 4_096)
  const submittedAt = text(record, 'submittedAt', 64)
  if (Number.isNaN(Date.parse(submittedAt))) {
    throw new TypeError('Expected TaskRef `submittedAt` to be an ISO 8601 date')
  }
  const ref: TaskRef = { version: 1, provider, origin, taskId, submittedAt }
  const route = record.route === undefined ? undefined : text(record, 'route', 100)
  const idempotencyKey =
    record.idempotencyKey === undefined ? undefined : text(record, 'idempotencyKey', 512)
  return {
    ...ref,
    ...(route === undefined ? {} : { route }),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  }
}

/** Whether `value` is a {@link TaskRef} (by shape; use {@link parseTaskRef} on stored data). */
export function isTaskRef(value: unknown): value is TaskRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { version?: unknown }).version === 1 &&
    typeof (value as { taskId?: unknown }).taskId === 'string' &&
    typeof (value as { provider?: unknown }).provider === 'string'
  )
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    throw new TypeError('Expected a TaskRef as JSON, got text that is not JSON')
  }
}

function text(record: Record<string, unknown>, key: string, maxLength: number): string {
  const value = record[key]
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new TypeError(`Expected TaskRef \`${key}\` to be a non-empty string`)
  }
  return value
}
