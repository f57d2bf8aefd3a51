import type { CreateRequestInput, ProviderCreateRequest, ResolvedImage } from './lifecycle.js'

/*
 * Pure helpers the built-in adapters' create members share: a field the vendor cannot express
 * refused by name, the per-provider bag merged over the mapped fields, a JSON or multipart body.
 */

/** The shared input fields an adapter maps, by name. */
export type SharedField =
  | 'model'
  | 'durationSeconds'
  | 'size'
  | 'aspectRatio'
  | 'resolution'
  | 'seed'

/** A `TypeError` naming the field the vendor cannot take, and what to do instead. */
export function refuseField(provider: string, field: string, why: string): TypeError {
  return new TypeError(`${provider} cannot take \`${field}\` in a create: ${why}`)
}

/**
 * Throws for every shared field that is set but has no place in the vendor's create (`fields`
 * lists those it can take), with the way out (`providerInput`) in the message.
 */
export function refuseUnmapped(
  provider: string,
  input: CreateRequestInput<object>,
  fields: readonly SharedField[],
): void {
  for (const field of [
    'model',
    'durationSeconds',
    'size',
    'aspectRatio',
    'resolution',
    'seed',
  ] as const) {
    if (input[field] !== undefined && !fields.includes(field)) {
      throw refuseField(
        provider,
        field,
        'the vendor has no such field; put the vendor field in `providerInput` if it has one',
      )
    }
  }
}

/** The mapped fields without `undefined` ones, then the per-provider bag over them (it wins). */
export function withProviderInput(
  mapped: Record<string, unknown>,
  providerInput: object | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(mapped)) if (value !== undefined) body[key] = value
  return { ...body, ...(providerInput as Record<string, unknown> | undefined) }
}

/** A `POST` with a JSON body. */
export function jsonCreateRequest(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: Record<string, unknown>,
): ProviderCreateRequest {
  return {
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }
}

/** An image as a `data:` URL, for vendors that take base64 images in JSON (MiniMax, gateways). */
export function imageUrl(image: ResolvedImage): string {
  if (image.kind === 'url') return image.url
  return `data:${image.mediaType};base64,${base64(image.bytes)}`
}

function base64(bytes: Uint8Array): string {
  let binary = ''
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000))
  }
  return btoa(binary)
}

/**
 * A `multipart/form-data` body: text fields (numbers and booleans as text, objects as JSON),
 * then one file part. Built by hand so the adapter stays pure (no `FormData` round trip through
 * a `Request` to read it back as bytes).
 */
export function multipartBody(
  fields: Record<string, unknown>,
  file: { name: string; fileName: string; mediaType: string; bytes: Uint8Array },
): { body: Uint8Array; contentType: string } {
  const encoder = new TextEncoder()
  // A boundary that occurs nowhere in the content, found without randomness (adapters are pure):
  // the bytes read as one character a byte, searched for each candidate in turn.
  const content = `${new TextDecoder('latin1').decode(file.bytes)}${JSON.stringify(fields)}`
  let boundary = 'video-tasks-boundary-7Hq2mZpT4vXc9LrN'
  for (let suffix = 0; content.includes(boundary); suffix++) {
    boundary = `video-tasks-boundary-7Hq2mZpT4vXc9LrN-${suffix}`
  }
  const parts: Uint8Array[] = []
  const quote = (value: string) => value.replace(/["\r\n\\]/g, (char) => encodeURIComponent(char))
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue
    const content = typeof value === 'string' ? value : JSON.stringify(value)
    parts.push(
      encoder.encode(
        `--${boundary}\r\ncontent-disposition: form-data; name="${quote(name)}"\r\n\r\n${content}\r\n`,
      ),
    )
  }
  parts.push(
    encoder.encode(
      `--${boundary}\r\ncontent-disposition: form-data; name="${quote(file.name)}"; filename="${quote(file.fileName)}"\r\ncontent-type: ${file.mediaType}\r\n\r\n`,
    ),
    file.bytes,
    encoder.encode(`\r\n--${boundary}--\r\n`),
  )
  const body = new Uint8Array(parts.reduce((total, part) => total + part.length, 0))
  let offset = 0
  for (const part of parts) {
    body.set(part, offset)
    offset += part.length
  }
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}
