/**
 * How long the server asked to wait: `retry-after-ms` first, then `Retry-After` in seconds or as
 * an HTTP date (relative to `now`). `null` when absent or unreadable.
 */
export function retryAfterMs(
  headers: Readonly<Record<string, string>>,
  now: number,
): number | null {
  const milliseconds = Number(headers['retry-after-ms'])
  if (
    headers['retry-after-ms'] !== undefined &&
    Number.isFinite(milliseconds) &&
    milliseconds >= 0
  ) {
    return milliseconds
  }
  const value = headers['retry-after']?.trim()
  if (!value) return null
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** The request id from the usual headers. */
export function requestIdOf(headers: Readonly<Record<string, string>>): string | null {
  return (
    headers['x-request-id'] ??
    headers['request-id'] ??
    // one-api / new-api relay gateways (Doubao and OpenAI-compatible routes).
    headers['x-oneapi-request-id'] ??
    // MiniMax's support id (vendor-notes.md "What the open-source gateways send").
    headers['trace-id'] ??
    null
  )
}
