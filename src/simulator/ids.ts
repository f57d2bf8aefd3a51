import { randomBytes } from 'node:crypto'

/** `bytes` random bytes as lower-case hex. */
export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

/** A random number of `count` digits without a leading zero. */
export function digits(count: number): string {
  const bytes = randomBytes(count)
  let text = String(((bytes[0] ?? 0) % 9) + 1)
  for (let index = 1; index < count; index++) text += String((bytes[index] ?? 0) % 10)
  return text
}
