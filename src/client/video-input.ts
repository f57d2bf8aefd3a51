import { checkKnownKeys } from '../options/check-known-keys.js'
import type { ImageInput, ResolvedImage, VideoInput } from '../providers/kit/lifecycle.js'

/*
 * The client's half of a create's input: the shared fields checked before anything is sent
 * (a `TypeError` naming the field), and the image read into bytes when it is a file or a Blob
 * (the only I/O, kept out of the adapters, which stay pure).
 */

const INPUT_KEYS = [
  'prompt',
  'model',
  'durationSeconds',
  'size',
  'aspectRatio',
  'resolution',
  'image',
  'seed',
] as const

/** Checks a {@link VideoInput}; returns it without `undefined` fields. */
export function checkVideoInput(input: unknown): VideoInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('Expected `input` to be an object with a `prompt`')
  }
  checkKnownKeys(input, INPUT_KEYS, 'the create input')
  const value = input as Record<string, unknown>
  if (typeof value.prompt !== 'string' || value.prompt.trim() === '') {
    throw new TypeError('Expected `prompt` to be a non-empty string')
  }
  const optionalText = (name: string, pattern?: RegExp, shape?: string) => {
    const field = value[name]
    if (field === undefined) return
    if (typeof field !== 'string' || field.trim() === '' || (pattern && !pattern.test(field))) {
      throw new TypeError(
        `Expected \`${name}\` to be ${shape ?? 'a non-empty string'}, got ${describe(field)}`,
      )
    }
  }
  optionalText('model')
  optionalText('size', /^[1-9]\d{0,4}x[1-9]\d{0,4}$/, 'WIDTHxHEIGHT such as "1280x720"')
  optionalText('aspectRatio', /^[1-9]\d{0,3}:[1-9]\d{0,3}$/, 'W:H such as "16:9"')
  optionalText('resolution', /^[0-9a-zA-Z]{1,16}$/, 'such as "720p" or "1080p"')
  if (value.size !== undefined && value.aspectRatio !== undefined) {
    throw new TypeError('Expected `size` or `aspectRatio`, not both')
  }
  const duration = value.durationSeconds
  if (
    duration !== undefined &&
    (typeof duration !== 'number' || !Number.isFinite(duration) || duration <= 0)
  ) {
    throw new TypeError(
      `Expected \`durationSeconds\` to be a positive number, got ${describe(duration)}`,
    )
  }
  const seed = value.seed
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0)) {
    throw new TypeError(`Expected \`seed\` to be a non-negative integer, got ${describe(seed)}`)
  }
  if (value.image !== undefined) checkImage(value.image)
  const checked: Record<string, unknown> = {}
  for (const key of INPUT_KEYS) if (value[key] !== undefined) checked[key] = value[key]
  return checked as unknown as VideoInput
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:/i

function checkImage(image: unknown): asserts image is ImageInput {
  if (image instanceof URL) {
    checkImageUrl(image.href)
    return
  }
  if (typeof image === 'string') {
    if (image === '') throw new TypeError('Expected `image` to be a URL or a file path, got ""')
    // `C:\...` is a Windows path, not a URL.
    if (URL_LIKE.test(image) && !/^[a-z]:[\\/]/i.test(image)) checkImageUrl(image)
    return
  }
  if (image instanceof Uint8Array) {
    if (image.length === 0) throw new TypeError('Expected `image` bytes not to be empty')
    return
  }
  if (typeof Blob !== 'undefined' && image instanceof Blob) return
  if (typeof image === 'object' && image !== null && !Array.isArray(image)) {
    checkKnownKeys(image, ['path', 'mediaType'], '`image`')
    const { path, mediaType } = image as { path?: unknown; mediaType?: unknown }
    if (typeof path !== 'string' || path === '') {
      throw new TypeError('Expected `image.path` to be a non-empty string')
    }
    if (
      mediaType !== undefined &&
      (typeof mediaType !== 'string' || !/^image\/[\w.+-]+$/.test(mediaType))
    ) {
      throw new TypeError(
        `Expected \`image.mediaType\` to be an image type, got ${describe(mediaType)}`,
      )
    }
    return
  }
  throw new TypeError(
    `Expected \`image\` to be a URL, a file path, a Blob or a Uint8Array, got ${describe(image)}`,
  )
}

function checkImageUrl(url: string): void {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase()
  if ((scheme !== 'https' && scheme !== 'http' && scheme !== 'data') || !URL.canParse(url)) {
    throw new TypeError('Expected `image` as a URL to be an http(s) or data: URL')
  }
}

/**
 * The image as an adapter takes it: a URL kept as a URL, a file or a Blob read into bytes.
 * A file that cannot be read is a `TypeError` naming `image` (nothing has been sent yet).
 */
export async function resolveImage(image: ImageInput): Promise<ResolvedImage> {
  if (image instanceof URL) return { kind: 'url', url: image.href }
  if (typeof image === 'string') {
    if (URL_LIKE.test(image) && !/^[a-z]:[\\/]/i.test(image)) return { kind: 'url', url: image }
    return readImageFile(image, undefined)
  }
  if (image instanceof Uint8Array) {
    const mediaType = sniffImageType(image) ?? 'application/octet-stream'
    return { kind: 'bytes', bytes: image, mediaType, fileName: `image${extensionOf(mediaType)}` }
  }
  if (typeof Blob !== 'undefined' && image instanceof Blob) {
    const bytes = new Uint8Array(await image.arrayBuffer())
    const mediaType = image.type || sniffImageType(bytes) || 'application/octet-stream'
    const name = (image as { name?: unknown }).name
    const fileName =
      typeof name === 'string' && name !== '' ? name : `image${extensionOf(mediaType)}`
    return { kind: 'bytes', bytes, mediaType, fileName }
  }
  const file = image as { path: string; mediaType?: string | undefined }
  return readImageFile(file.path, file.mediaType)
}

async function readImageFile(path: string, mediaType: string | undefined): Promise<ResolvedImage> {
  // Loaded when an image path is given, through a specifier bundlers leave alone: the main
  // entry must not import `node:` modules (browsers, edge runtimes).
  const specifier = 'node:fs/promises'
  let bytes: Uint8Array
  try {
    const fs = (await import(/* @vite-ignore */ specifier)) as typeof import('node:fs/promises')
    bytes = new Uint8Array(await fs.readFile(path))
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new TypeError(
      `Could not read the \`image\` file ${JSON.stringify(path)}${typeof code === 'string' ? ` (${code})` : ''}`,
      { cause: error },
    )
  }
  if (bytes.length === 0) throw new TypeError(`The \`image\` file ${JSON.stringify(path)} is empty`)
  const type = mediaType ?? sniffImageType(bytes) ?? 'application/octet-stream'
  const base = path.split(/[\\/]/).pop() || 'image'
  return { kind: 'bytes', bytes, mediaType: type, fileName: base }
}

/** The image type from the file's first bytes (PNG, JPEG, GIF, WebP), or `null`. */
export function sniffImageType(bytes: Uint8Array): string | null {
  const starts = (...values: number[]) => values.every((value, index) => bytes[index] === value)
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif'
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4))
  if (tag(0) === 'RIFF' && tag(8) === 'WEBP') return 'image/webp'
  return null
}

function extensionOf(mediaType: string): string {
  const subtype = /^image\/([a-z]+)$/.exec(mediaType)?.[1]
  return subtype ? `.${subtype === 'jpeg' ? 'jpg' : subtype}` : ''
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 60))
  if (value === null || typeof value !== 'object') return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}
