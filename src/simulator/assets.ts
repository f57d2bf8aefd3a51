/*
 * Fake assets: bytes with the right magic numbers (an MP4 `ftyp` box, a WebP, a JPEG), so a
 * client that sniffs the type is satisfied.
 */
import type { Wire } from './delivery.js'

/** The variants of the OpenAI content route (vendor-notes.md). */
export const VARIANTS = ['video', 'thumbnail', 'spritesheet'] as const

/** A variant of the content route. */
export type Variant = (typeof VARIANTS)[number]

/** A small placeholder asset of a task. */
export function fakeAsset(id: string, variant: Variant): Wire {
  const payload = Buffer.from(`video-tasks simulator ${variant} of ${id}`)
  if (variant === 'video') {
    const ftyp = Buffer.from('000000186674797069736f6d0000020069736f6d6d703431', 'hex')
    const mdat = Buffer.alloc(8)
    mdat.writeUInt32BE(8 + payload.length, 0)
    mdat.write('mdat', 4, 'latin1')
    return {
      status: 200,
      headers: { 'content-type': 'video/mp4' },
      body: Buffer.concat([ftyp, mdat, payload]),
    }
  }
  if (variant === 'thumbnail') {
    const header = Buffer.alloc(12)
    header.write('RIFF', 0, 'latin1')
    header.writeUInt32LE(4 + payload.length, 4)
    header.write('WEBP', 8, 'latin1')
    return {
      status: 200,
      headers: { 'content-type': 'image/webp' },
      body: Buffer.concat([header, payload]),
    }
  }
  return {
    status: 200,
    headers: { 'content-type': 'image/jpeg' },
    body: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), payload, Buffer.from([0xff, 0xd9])]),
  }
}

/** Whether `value` names a variant. */
export function isVariant(value: string): value is Variant {
  return (VARIANTS as readonly string[]).includes(value)
}
