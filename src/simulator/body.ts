/*
 * Downloadable bodies of any size, generated, never held in memory: an MP4 `ftyp` box and an
 * `mdat` header, then AES-256-CTR keystream bytes under a key derived from a seed. CTR mode reaches
 * any offset directly, so a `Range` costs what it returns, and a test can compute the body's
 * sha256 from the seed alone.
 */
import { createCipheriv, createHash } from 'node:crypto'

/** The bytes generated per step. */
const CHUNK_BYTES = 64 * 1024

/** The fixed start of every body of 32 bytes or more: `ftyp` (isom) and an `mdat` header. */
function header(bytes: number): Buffer {
  const ftyp = Buffer.from('000000186674797069736f6d0000020069736f6d6d703431', 'hex')
  const mdat = Buffer.alloc(8)
  mdat.writeUInt32BE(Math.min(0xffffffff, bytes - ftyp.length), 0)
  mdat.write('mdat', 4, 'latin1')
  return Buffer.concat([ftyp, mdat])
}

/**
 * The bytes `start` (inclusive) to `end` (exclusive) of the simulated body of `bytes` bytes
 * generated from `seed`, in chunks of at most 64 KiB: what the simulator serves for a task whose
 * script has `download: { bytes, seed }`, so a test can check a download without keeping a copy.
 *
 * @param seed - the task's `script.download.seed` (see `sim.task(id)`).
 * @param bytes - the body's size.
 * @param start - the first byte, for a range. @default 0
 * @param end - one past the last byte. @default bytes
 * @example
 * ```ts
 * import { createHash } from 'node:crypto'
 * import { simulatedBody } from 'video-tasks/simulator'
 *
 * const hash = createHash('sha256')
 * for (const chunk of simulatedBody(42, 200 * 1024 * 1024)) hash.update(chunk)
 * const expected = hash.digest('hex') // the sha256 of the downloaded file
 * ```
 */
export function* simulatedBody(
  seed: number,
  bytes: number,
  start = 0,
  end = bytes,
): Generator<Buffer> {
  const key = createHash('sha256').update(`video-tasks simulator body ${seed}`).digest()
  const iv = Buffer.alloc(16)
  // The counter block of `start`: CTR mode encrypts block n with the counter iv + n.
  iv.writeBigUInt64BE(BigInt(Math.floor(start / 16)), 8)
  const cipher = createCipheriv('aes-256-ctr', key, iv)
  let skip = start % 16
  const head = bytes >= 32 ? header(bytes) : Buffer.alloc(0)
  let position = start
  while (position < end) {
    const length = Math.min(CHUNK_BYTES, end - position)
    const chunk = cipher.update(Buffer.alloc(length + skip)).subarray(skip)
    skip = 0
    if (position < head.length) {
      head.copy(chunk, 0, position, Math.min(head.length, position + length))
    }
    position += length
    yield chunk
  }
}

/** The seed of a task's body when its script gives none: a hash of its id. */
export function seedOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0)
}

/** A parsed `Range` header: the bytes to send, or why none can be. */
export type RangeAnswer =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' }

/** Reads a single-range `Range: bytes=...` header (several ranges get the whole body). */
export function parseRange(value: string | undefined, bytes: number): RangeAnswer {
  if (value === undefined) return { kind: 'full' }
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim())
  if (match === null) return { kind: 'full' }
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return { kind: 'full' }
  if (first === '') {
    const suffix = Number(last)
    if (suffix === 0) return { kind: 'unsatisfiable' }
    return { kind: 'partial', start: Math.max(0, bytes - suffix), end: bytes }
  }
  const start = Number(first)
  const end = last === '' ? bytes : Math.min(bytes, Number(last) + 1)
  if (start >= bytes || end <= start) return { kind: 'unsatisfiable' }
  return { kind: 'partial', start, end }
}
