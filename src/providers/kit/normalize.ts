import type { VideoTaskStatus } from '../../model.js'

/*
 * Pure helpers the adapters share to turn vendor values into the common model.
 * The word table is vendor-notes.md, "Across vendors".
 */

const STATUS_WORDS: Readonly<Record<string, VideoTaskStatus>> = {
  queued: 'queued',
  pending: 'queued',
  submitted: 'queued',
  not_start: 'queued',
  created: 'queued',
  initializing: 'queued',
  preparing: 'queued',
  queueing: 'queued',
  in_queue: 'queued',
  waiting: 'queued',
  in_progress: 'running',
  running: 'running',
  processing: 'running',
  generating: 'running',
  starting: 'running',
  completed: 'succeeded',
  complete: 'succeeded',
  succeeded: 'succeeded',
  success: 'succeeded',
  done: 'succeeded',
  finished: 'succeeded',
  failed: 'failed',
  fail: 'failed',
  failure: 'failed',
  error: 'failed',
  expired: 'failed',
  not_found: 'failed',
  cancelled: 'cancelled',
  canceled: 'cancelled',
}

/**
 * Maps a vendor status word to a status, case-insensitively (`SUCCESS`, `Success`, `success`).
 * A word not in the table, or in `overrides`, is `unknown`: never a guessed final state.
 */
export function mapStatus(
  word: string,
  overrides?: Readonly<Record<string, VideoTaskStatus>>,
): VideoTaskStatus {
  const key = word.trim().toLowerCase()
  return (
    (overrides && Object.hasOwn(overrides, key) ? overrides[key] : undefined) ??
    (Object.hasOwn(STATUS_WORDS, key) ? STATUS_WORDS[key] : undefined) ??
    'unknown'
  )
}

function clampProgress(value: number): number | null {
  if (!Number.isFinite(value)) return null
  return Math.min(100, Math.max(0, value))
}

/**
 * Progress in any of the vendors' forms (`45`, `"30%"`, `"0.5"`, `0.5`) as 0-100, or `null`.
 * A non-integer strictly between 0 and 1 is read as a fraction; `fraction: true` says the field
 * is always a fraction (`progress_pct`).
 */
export function parseProgress(value: unknown, options?: { fraction?: boolean }): number | null {
  let number: number
  if (typeof value === 'number') number = value
  else if (typeof value === 'string') {
    const text = value.trim()
    if (text === '') return null
    const percent = text.endsWith('%')
    number = Number(percent ? text.slice(0, -1).trim() : text)
    if (percent) return clampProgress(number)
  } else return null
  if (!Number.isFinite(number)) return null
  if (options?.fraction || (number > 0 && number < 1 && !Number.isInteger(number))) {
    number *= 100
  }
  return clampProgress(Math.round(number * 100) / 100)
}

/** Above this a Unix timestamp is in milliseconds, not seconds (vendor-notes.md, OpenAI). */
const MILLISECONDS_THRESHOLD = 1e12

/**
 * A timestamp in seconds, milliseconds, a numeric string or an ISO date string, as a `Date`.
 * `0`, negative, missing and unparseable values are `null` (Doubao sends `0` for "not yet").
 */
export function parseTimestamp(value: unknown): Date | null {
  let milliseconds: number
  if (
    typeof value === 'number' ||
    (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value))
  ) {
    const number = Number(value)
    if (!Number.isFinite(number) || number <= 0) return null
    milliseconds = number > MILLISECONDS_THRESHOLD ? number : number * 1000
  } else if (typeof value === 'string' && value.trim() !== '') {
    milliseconds = Date.parse(value)
  } else return null
  const date = new Date(milliseconds)
  return Number.isNaN(date.getTime()) ? null : date
}

/** A non-empty trimmed string, or `null`. Numbers become strings (ids sent as numbers). */
export function text(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim()
    return trimmed === '' ? null : trimmed
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

/** A finite number from a number or numeric string, or `null`. */
export function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value)
    return Number.isFinite(number) ? number : null
  }
  return null
}

/** `"1920x1080"` as `{ width, height }`, or `null`. */
export function parseSize(value: unknown): { width: number; height: number } | null {
  if (typeof value !== 'string') return null
  const match = /^\s*(\d+)\s*[x×*]\s*(\d+)\s*$/i.exec(value)
  if (!match) return null
  return { width: Number(match[1]), height: Number(match[2]) }
}

/** Whether a string looks like an http(s) URL (Doubao's `fail_reason` holds a URL or an error text). */
export function isHttpUrl(value: string | null): value is string {
  return value !== null && /^https?:\/\/\S+$/i.test(value)
}

/** The distinct http(s) URLs among the values, in order. */
export function collectUrls(...values: unknown[]): string[] {
  const urls: string[] = []
  for (const value of values) {
    const list = Array.isArray(value) ? value : [value]
    for (const item of list) {
      const url = text(item)
      if (isHttpUrl(url) && !urls.includes(url)) urls.push(url)
    }
  }
  return urls
}

/** A plain object (not null, not an array), or `null`. */
export function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null
}

/**
 * An id as a string, whether the vendor sent a string or a number (MiniMax's `file_id` is a
 * string in one answer and an integer in another). A JSON number above 2^53 loses digits in
 * `JSON.parse`, so such an id is read back from the body text when `key` occurs exactly once
 * there with a numeric value.
 */
export function idText(value: unknown, key: string, body: string): string | null {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    const matches = [...body.matchAll(new RegExp(`"${key}"\\s*:\\s*(\\d+)`, 'g'))]
    const digits = matches.length === 1 ? matches[0]?.[1] : undefined
    if (digits) return digits
  }
  return text(value)
}
