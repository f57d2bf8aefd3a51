import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { verifyHs256Token } from '../../src/simulator/hs256.js'

const SECRET_KEY = 'sk-simulator-secret-41aa'
const NOW_MS = 1_774_711_071_284
const NOW_S = Math.floor(NOW_MS / 1000)

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function sign(
  claims: object,
  secret = SECRET_KEY,
  header: object = { alg: 'HS256', typ: 'JWT' },
): string {
  const input = `${encode(header)}.${encode(claims)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

const valid = { iss: 'ak-1', exp: NOW_S + 1800, nbf: NOW_S - 5 }

describe('verifyHs256Token', () => {
  it('accepts a well-signed token in its validity window and returns its claims', () => {
    const result = verifyHs256Token(sign(valid), SECRET_KEY, {
      nowMs: NOW_MS,
      expectedIssuer: 'ak-1',
    })
    expect(result).toEqual({ ok: true, claims: valid })
  })

  it('refuses a token whose payload was changed after signing', () => {
    const [header, , signature] = sign(valid).split('.')
    const forged = `${header}.${encode({ ...valid, exp: valid.exp + 86_400 })}.${signature}`
    expect(verifyHs256Token(forged, SECRET_KEY, { nowMs: NOW_MS })).toMatchObject({
      ok: false,
      reason: 'bad-signature',
      code: 1002,
    })
  })

  it('refuses a flipped signature character, a wrong secret, and alg none', () => {
    const token = sign(valid)
    const last = token.at(-2) === 'A' ? 'B' : 'A'
    const flipped = `${token.slice(0, -2)}${last}${token.at(-1)}`
    expect(verifyHs256Token(flipped, SECRET_KEY, { nowMs: NOW_MS }).ok).toBe(false)
    expect(verifyHs256Token(sign(valid, 'other'), SECRET_KEY, { nowMs: NOW_MS })).toMatchObject({
      reason: 'bad-signature',
    })
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(valid)}.`
    expect(verifyHs256Token(unsigned, SECRET_KEY, { nowMs: NOW_MS })).toMatchObject({
      reason: 'malformed',
    })
  })

  it('answers Kling codes 1004 for expired and 1003 for not-yet-valid tokens, at the boundary', () => {
    const token = sign(valid)
    expect(verifyHs256Token(token, SECRET_KEY, { nowMs: valid.exp * 1000 - 1 }).ok).toBe(true)
    expect(verifyHs256Token(token, SECRET_KEY, { nowMs: valid.exp * 1000 })).toMatchObject({
      reason: 'expired',
      code: 1004,
    })
    expect(verifyHs256Token(token, SECRET_KEY, { nowMs: valid.nbf * 1000 })).toMatchObject({
      ok: true,
    })
    expect(verifyHs256Token(token, SECRET_KEY, { nowMs: valid.nbf * 1000 - 1 })).toMatchObject({
      reason: 'not-yet-valid',
      code: 1003,
    })
    expect(
      verifyHs256Token(token, SECRET_KEY, { nowMs: valid.nbf * 1000 - 1, clockToleranceMs: 1 }).ok,
    ).toBe(true)
  })

  it('refuses another issuer when one is expected', () => {
    expect(
      verifyHs256Token(sign(valid), SECRET_KEY, { nowMs: NOW_MS, expectedIssuer: 'ak-2' }),
    ).toMatchObject({ reason: 'wrong-issuer', code: 1002 })
  })

  it('calls garbage malformed without throwing and without echoing the secret', () => {
    const inputs: unknown[] = [
      '',
      'a.b',
      'a.b.c.d',
      '...',
      `${encode({ alg: 'HS256' })}.${encode('just a string')}.AAAA`,
      `${encode({ alg: 'HS256' })}.${encode({ iss: 1, exp: 2 })}.AAAA`,
      `${encode({ alg: 'HS256' })}.${encode({ iss: 'a', exp: '2' })}.AAAA`,
      `${encode({ alg: 'HS256' })}.not+base64url.AAAA`,
      `${sign(valid)}=`,
      undefined,
      42,
    ]
    for (const input of inputs) {
      const result = verifyHs256Token(input as string, SECRET_KEY, { nowMs: NOW_MS })
      expect(result.ok).toBe(false)
      expect(JSON.stringify(result)).not.toContain(SECRET_KEY)
    }
  })
})
