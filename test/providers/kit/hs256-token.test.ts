import { createHmac } from 'node:crypto'
import { inspect } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import { VideoTaskError } from '../../../src/errors.js'
import {
  base64UrlEncode,
  createHs256TokenSource,
  signHs256Token,
} from '../../../src/providers/kit/hs256-token.js'
import { verifyHs256Token } from '../../../src/simulator/hs256.js'

const ACCESS_KEY = 'ak-test-7f3e'
const SECRET_KEY = 'sk-SECRET-do-not-leak-9c1d'

/** An independent signer: node:crypto, Buffer base64url, fixed key order as Kling's sample. */
function referenceToken(claims: object, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}

function decodePart(token: string, index: number): unknown {
  const part = token.split('.')[index]
  if (part === undefined) throw new Error('token has too few parts')
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
}

describe('base64UrlEncode', () => {
  it('matches Buffer base64url for every byte value and for lengths needing padding', () => {
    const all = Uint8Array.from({ length: 256 }, (_, index) => index)
    for (const length of [0, 1, 2, 3, 4, 5, 255, 256]) {
      const bytes = all.slice(256 - length)
      expect(base64UrlEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'))
    }
  })
})

describe('signHs256Token', () => {
  it('equals a token computed independently with node:crypto (known answer)', async () => {
    const claims = { iss: ACCESS_KEY, exp: 1_774_712_871, nbf: 1_774_711_066 }
    const expected = referenceToken(claims, SECRET_KEY)
    expect(await signHs256Token(claims, SECRET_KEY)).toBe(expected)
    // A pinned vector guards the reference signer too: computed with the shell, outside Node:
    // printf '%s' "$H.$P" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64 (then url-safe).
    expect(expected).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJhay10ZXN0LTdmM2UiLCJleHAiOjE3NzQ3MTI4NzEsIm5iZiI6MTc3NDcxMTA2Nn0.wtE-9tK20KfB0gX2jFkt0FDo80mYk8Ywc_tYkx-dWRQ',
    )
  })

  it('signs non-ASCII secrets as UTF-8 bytes, as node:crypto does', async () => {
    const claims = { iss: 'ключ', exp: 10, nbf: 1 }
    expect(await signHs256Token(claims, 'секрет-🔑')).toBe(referenceToken(claims, 'секрет-🔑'))
  })

  it('refuses an empty secret or non-integer claims with a TypeError that names no secret', async () => {
    await expect(signHs256Token({ iss: ACCESS_KEY, exp: 1, nbf: 0 }, '')).rejects.toThrow(TypeError)
    const error = await signHs256Token({ iss: ACCESS_KEY, exp: 1.5, nbf: 0 }, SECRET_KEY).catch(
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(TypeError)
    expect(String(error)).toContain('claims.exp')
    expect(inspect(error)).not.toContain(SECRET_KEY)
  })
})

describe('createHs256TokenSource', () => {
  function clockAt(startMs: number) {
    const clock = { nowMs: startMs, now: () => clock.nowMs }
    return clock
  }

  it('carries Kling claims: iss = access key, exp = now + 1800 s, nbf = now - 5 s', async () => {
    const clock = clockAt(1_774_711_071_284)
    const token = await createHs256TokenSource({
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      now: clock.now,
    }).token()
    expect(decodePart(token, 0)).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(decodePart(token, 1)).toEqual({
      iss: ACCESS_KEY,
      exp: 1_774_711_071 + 1800,
      nbf: 1_774_711_071 - 5,
    })
    expect(token).toBe(
      referenceToken({ iss: ACCESS_KEY, exp: 1_774_712_871, nbf: 1_774_711_066 }, SECRET_KEY),
    )
  })

  it('reuses a token until 5 minutes before expiry, then signs a new one', async () => {
    const clock = clockAt(1_000_000_000_000)
    const source = createHs256TokenSource({
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      now: clock.now,
    })
    const first = await source.token()
    clock.nowMs += 1_500_000 - 1 // 1 ms before exp - 300 s
    expect(await source.token()).toBe(first)
    clock.nowMs += 1
    const second = await source.token()
    expect(second).not.toBe(first)
    expect((decodePart(second, 1) as { exp: number }).exp).toBe(1_000_000_000 + 1500 + 1800)
  })

  it('never hands out a token the verifier would call expired or not yet valid', async () => {
    const clock = clockAt(1_700_000_000_000)
    const source = createHs256TokenSource({
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      now: clock.now,
    })
    for (let step = 0; step < 200; step += 1) {
      clock.nowMs += 37_123 // not a divisor of anything relevant
      const result = verifyHs256Token(await source.token(), SECRET_KEY, {
        nowMs: clock.nowMs + 299_000, // a request still in flight almost 5 minutes later
        expectedIssuer: ACCESS_KEY,
      })
      expect(result.ok).toBe(true)
    }
  })

  it('re-signs when the clock goes back before the cached token was signed', async () => {
    const clock = clockAt(1_700_000_600_000)
    const source = createHs256TokenSource({
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      now: clock.now,
    })
    const first = await source.token()
    clock.nowMs -= 600_000
    const second = await source.token()
    expect(second).not.toBe(first)
    expect(verifyHs256Token(second, SECRET_KEY, { nowMs: clock.nowMs }).ok).toBe(true)
  })

  it('shares one signing between concurrent callers and imports the key once', async () => {
    const subtle = globalThis.crypto.subtle
    const sign = vi.spyOn(subtle, 'sign')
    const importKey = vi.spyOn(subtle, 'importKey')
    try {
      const clock = clockAt(1_700_000_000_000)
      const source = createHs256TokenSource({
        accessKey: ACCESS_KEY,
        secretKey: SECRET_KEY,
        now: clock.now,
      })
      const tokens = await Promise.all([source.token(), source.token(), source.token()])
      expect(new Set(tokens).size).toBe(1)
      expect(sign).toHaveBeenCalledTimes(1)
      clock.nowMs += 1_500_000 // into the refresh window
      await source.token()
      expect(sign).toHaveBeenCalledTimes(2)
      expect(importKey).toHaveBeenCalledTimes(1)
    } finally {
      sign.mockRestore()
      importKey.mockRestore()
    }
  })

  it('wraps a WebCrypto failure in a VideoTaskError that carries no secret, and recovers', async () => {
    const sign = vi
      .spyOn(globalThis.crypto.subtle, 'sign')
      .mockRejectedValueOnce(new Error(`bad key material ${SECRET_KEY}`))
    try {
      const source = createHs256TokenSource({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
      const error = await source.token().catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(VideoTaskError)
      expect(`${String(error)} ${inspect(error, { depth: 5 })}`).not.toContain(SECRET_KEY)
      expect(verifyHs256Token(await source.token(), SECRET_KEY, { nowMs: Date.now() }).ok).toBe(
        true,
      )
    } finally {
      sign.mockRestore()
    }
  })

  it('says WebCrypto is missing instead of failing deep inside, and works once it is back', async () => {
    const source = createHs256TokenSource({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
    vi.stubGlobal('crypto', undefined)
    try {
      await expect(source.token()).rejects.toThrow(/WebCrypto/)
      await expect(source.token()).rejects.toBeInstanceOf(VideoTaskError)
    } finally {
      vi.unstubAllGlobals()
    }
    expect((await source.token()).split('.')).toHaveLength(3)
  })

  it('refuses a clock that returns NaN with a TypeError, not a token with null claims', async () => {
    const source = createHs256TokenSource({
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      now: () => Number.NaN,
    })
    await expect(source.token()).rejects.toThrow(TypeError)
  })

  it('keeps the secret out of tokens, inspect output and option errors', async () => {
    const source = createHs256TokenSource({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
    const token = await source.token()
    const decoded = token
      .split('.')
      .slice(0, 2)
      .map((part) => Buffer.from(part, 'base64url').toString('utf8'))
      .join('')
    expect(`${token}${decoded}`).not.toContain(SECRET_KEY)
    expect(inspect(source, { depth: 10, showHidden: true })).not.toContain(SECRET_KEY)
    expect(JSON.stringify(source)).not.toContain(SECRET_KEY)

    const errors = [
      () => createHs256TokenSource({ accessKey: '', secretKey: SECRET_KEY }),
      () =>
        createHs256TokenSource({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, lifetimeMs: -1 }),
      () =>
        createHs256TokenSource({
          accessKey: ACCESS_KEY,
          secretKey: SECRET_KEY,
          refreshBeforeExpiryMs: 1_800_000,
        }),
      () => createHs256TokenSource({ accessKey: ACCESS_KEY, secretKey: 42 as unknown as string }),
      () => createHs256TokenSource(undefined as never),
    ]
    for (const make of errors) {
      let caught: unknown
      try {
        make()
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(TypeError)
      expect(`${String(caught)} ${inspect(caught)}`).not.toContain(SECRET_KEY)
    }
  })

  it('refuses a refresh window as long as the lifetime (a token would never be reused)', () => {
    expect(() =>
      createHs256TokenSource({
        accessKey: ACCESS_KEY,
        secretKey: SECRET_KEY,
        lifetimeMs: 60_000,
        refreshBeforeExpiryMs: 60_000,
      }),
    ).toThrow(/refreshBeforeExpiryMs/)
  })
})
