/*
 * Reading a create request's body: JSON, or `multipart/form-data` when an image is sent as a file
 * (OpenAI-compatible `POST /v1/videos` with `input_reference`, vendor-notes.md).
 */
import { parseJson } from './delivery.js'
import type { CreateRequest } from './vendors/vendor.js'

/** The largest create body the simulator reads (an image sent as a file part). */
export const MAX_CREATE_BYTES = 32 << 20

/** Reads a create body, or says why it cannot. */
export function readCreateRequest(
  contentType: string | undefined,
  body: Buffer,
): CreateRequest | { error: string } {
  const type = (contentType ?? '').toLowerCase()
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '')
    const value = boundary?.[1] ?? boundary?.[2]
    if (value === undefined) return { error: 'multipart body without a boundary' }
    return parseMultipart(body, value)
  }
  const parsed = parseJson(body.toString('utf8'))
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
    return { error: 'the body must be a JSON object' }
  }
  if (Array.isArray(parsed.value)) return { error: 'the body must be a JSON object' }
  return { fields: parsed.value as Record<string, unknown>, files: {}, format: 'json' }
}

function parseMultipart(body: Buffer, boundary: string): CreateRequest | { error: string } {
  const delimiter = Buffer.from(`--${boundary}`)
  const fields: Record<string, unknown> = {}
  const files: Record<string, number> = {}
  let position = body.indexOf(delimiter)
  if (position < 0) return { error: 'multipart body without its boundary' }
  for (;;) {
    position += delimiter.length
    // `--` after a delimiter ends the body.
    if (body.subarray(position, position + 2).toString('latin1') === '--') break
    const headerEnd = body.indexOf('\r\n\r\n', position)
    if (headerEnd < 0) return { error: 'a multipart part without headers' }
    const next = body.indexOf(delimiter, headerEnd)
    if (next < 0) return { error: 'a multipart body that does not end' }
    const headers = body.subarray(position, headerEnd).toString('utf8')
    // The part's content ends before the CRLF that precedes the next delimiter.
    const content = body.subarray(headerEnd + 4, next - 2)
    const name = /name="([^"]*)"/i.exec(headers)?.[1]
    if (name === undefined) return { error: 'a multipart part without a name' }
    if (/filename="/i.test(headers)) files[name] = content.length
    else fields[name] = content.toString('utf8')
    position = next
  }
  return { fields, files, format: 'multipart' }
}
