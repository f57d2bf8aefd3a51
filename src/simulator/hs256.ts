/**
 * Checks the HS256 tokens a Kling client sends to the simulator's legacy routes (vendor note
 * `native/kling.md`, "Auth (legacy)"; 401 codes 1002 invalid, 1003 not yet valid, 1004 expired).
 *
 * Deliberately a second, minimal copy of JWT handling rather than an import of
 * `src/providers/kit/hs256-token.ts`: the simulator imports nothing of the SDK, so a bug in the
 * SDK's signer cannot hide itself by being shared with the checker. It runs only on Node (the
 * simulator is a Node HTTP server), so it uses synchronous `node:crypto`.
 *
 * @module
 */

import { createHmac, timingSafeEqual } from 'node:crypto'

/** Why a token was refused, with the Kling error code the simulator answers for it. */
export type Hs256Rejection =
  | { ok: false; reason: 'malformed'; code: 1002 }
  | { ok: false; reason: 'bad-signature'; code: 1002 }
  | { ok: false; reason: 'wrong-issuer'; code: 1002 }
  | { ok: false; reason: 'not-yet-valid'; code: 1003 }
  | { ok: false; reason: 'expired'; code: 1004 }

/** The outcome of {@link verifyHs256Token}. */
export type Hs256Verification =
  | { ok: true; claims: { iss: string; exp: number; nbf?: number } & Record<string, unknown> }
  | Hs256Rejection

/** Options of {@link verifyHs256Token}. */
export interface VerifyHs256Options {
  /** The simulator's clock, milliseconds since the epoch. */
  nowMs: number
  /** When given, `iss` must equal it (Kling: the access key). */
  expectedIssuer?: string
  /**
   * Leeway for `exp` and `nbf`.
   *
   * @default 0 (Kling's own skew allowance is the 5 s the client subtracts from `nbf`)
   */
  clockToleranceMs?: number
}

const SEGMENT = /^[A-Za-z0-9_-]+$/

function decodeJson(segment: string): unknown {
  if (!SEGMENT.test(segment)) return undefined
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

/**
 * Verifies an HS256 JWT's header, signature, `exp` and `nbf`. Never throws for a bad token, and
 * never includes the secret in what it returns.
 *
 * @example
 * ```ts
 * const result = verifyHs256Token(bearer, secretKey, { nowMs: clock.now() })
 * if (!result.ok) return reply(401, { code: result.code, message: result.reason })
 * ```
 */
export function verifyHs256Token(
  token: string,
  secretKey: string,
  options: VerifyHs256Options,
): Hs256Verification {
  const malformed = { ok: false, reason: 'malformed', code: 1002 } as const
  if (typeof token !== 'string') return malformed
  const parts = token.split('.')
  if (parts.length !== 3) return malformed
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  const header = decodeJson(headerPart)
  if (
    typeof header !== 'object' ||
    header === null ||
    (header as { alg?: unknown }).alg !== 'HS256'
  ) {
    return malformed
  }
  const claims = decodeJson(payloadPart)
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return malformed
  const { iss, exp, nbf } = claims as { iss?: unknown; exp?: unknown; nbf?: unknown }
  if (typeof iss !== 'string' || typeof exp !== 'number') return malformed
  if (nbf !== undefined && typeof nbf !== 'number') return malformed
  if (!SEGMENT.test(signaturePart)) return malformed

  const expected = createHmac('sha256', secretKey).update(`${headerPart}.${payloadPart}`).digest()
  const given = Buffer.from(signaturePart, 'base64url')
  // Re-encoding catches non-canonical base64url that decodes to the same bytes.
  if (
    given.length !== expected.length ||
    given.toString('base64url') !== signaturePart ||
    !timingSafeEqual(given, expected)
  ) {
    return { ok: false, reason: 'bad-signature', code: 1002 }
  }
  if (options.expectedIssuer !== undefined && iss !== options.expectedIssuer) {
    return { ok: false, reason: 'wrong-issuer', code: 1002 }
  }
  const tolerance = options.clockToleranceMs ?? 0
  if (typeof nbf === 'number' && options.nowMs + tolerance < nbf * 1000) {
    return { ok: false, reason: 'not-yet-valid', code: 1003 }
  }
  if (options.nowMs - tolerance >= exp * 1000) {
    return { ok: false, reason: 'expired', code: 1004 }
  }
  return { ok: true, claims: claims as { iss: string; exp: number; nbf?: number } }
}
