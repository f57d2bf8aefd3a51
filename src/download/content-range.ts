/*
 * Resuming a body: what to ask for and whether the answer continues the bytes already stored.
 * RFC 9110 §14.4 (Content-Range) and §13.1.5 (If-Range, which takes a strong validator only).
 */

/** A parsed `Content-Range: bytes first-last/complete`. */
export interface ContentRange {
  /** The first byte's offset. */
  first: number
  /** The last byte's offset (inclusive). */
  last: number
  /** The complete length, or `null` for `*`. */
  complete: number | null
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/

/** Parses a `Content-Range` header; `null` when it is missing or malformed. */
export function parseContentRange(header: string | undefined): ContentRange | null {
  const match = CONTENT_RANGE.exec(header?.trim() ?? '')
  if (!match) return null
  const first = Number(match[1])
  const last = Number(match[2])
  const complete = match[3] === '*' ? null : Number(match[3])
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last < first) return null
  if (complete !== null && (!Number.isSafeInteger(complete) || last >= complete)) return null
  return { first, last, complete }
}

/**
 * The validator to send as `If-Range`: a strong ETag, else `Last-Modified`; `null` when the
 * response had neither (a weak ETag may not be used there).
 */
export function rangeValidator(headers: Readonly<Record<string, string>>): string | null {
  const etag = headers.etag?.trim()
  if (etag && !etag.startsWith('W/')) return etag
  return headers['last-modified']?.trim() || null
}

/** The announced length of a 200 body: `Content-Length`, unless an encoding changes the bytes. */
export function announcedLength(headers: Readonly<Record<string, string>>): number | null {
  const encoding = headers['content-encoding']?.trim().toLowerCase()
  if (encoding && encoding !== 'identity') return null
  const raw = headers['content-length']?.trim()
  if (!raw || !/^\d+$/.test(raw)) return null
  const length = Number(raw)
  return Number.isSafeInteger(length) ? length : null
}
