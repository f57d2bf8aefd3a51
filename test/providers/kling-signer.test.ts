import { afterEach, describe, expect, it, vi } from 'vitest'
import { verifyHs256Token } from '../../src/simulator/hs256.js'

/*
 * Kling's HS256 signer loads with import() on the first signed request (src/providers/kling.ts):
 * a bundle with kling() does not carry it on import (issue 12, "Cost of importing it"). A file of
 * its own: the signer's module is mocked here, before kling.ts is imported.
 */
const SIGNER = '../../src/providers/kit/hs256-token.js'
const ACCESS_KEY = 'ak-kling-test-0a1b2c'
const SECRET_KEY = 'sk-kling-SECRET-do-not-leak-7d8e9f'

afterEach(() => {
  vi.doUnmock(SIGNER)
  vi.resetModules()
})

describe('kling: the token signer loads on first use', () => {
  it('is not loaded by kling() or buildRequest, and a failed load is tried again', async () => {
    let loads = 0
    vi.doMock(SIGNER, async (importOriginal) => {
      loads += 1
      // The first load fails as a chunk that cannot be fetched does in a browser.
      if (loads === 1) throw new Error('Failed to fetch dynamically imported module')
      return importOriginal()
    })
    const { kling } = await import('../../src/providers/kling.js')
    const provider = kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
    const request = provider.buildRequest('866889456698785798')
    expect(loads).toBe(0)
    // (vitest wraps the factory's error in its own.)
    await expect(provider.authorize?.(request)).rejects.toThrow(Error)
    expect(loads).toBe(1)
    const signed = await provider.authorize?.(request)
    expect(loads).toBe(2)
    const token = /^Bearer (\S+)$/.exec(signed?.headers.authorization ?? '')?.[1] ?? ''
    const verified = verifyHs256Token(token, SECRET_KEY, {
      nowMs: Date.now(),
      expectedIssuer: ACCESS_KEY,
    })
    expect(verified.ok).toBe(true)
    // Loaded once: the next request reuses the source (and its token).
    const again = await provider.authorize?.(request)
    expect(loads).toBe(2)
    expect(again?.headers).toBe(signed?.headers)
  })

  it('concurrent first requests share one load and one token', async () => {
    let loads = 0
    vi.doMock(SIGNER, async (importOriginal) => {
      loads += 1
      return importOriginal()
    })
    const { kling } = await import('../../src/providers/kling.js')
    const provider = kling({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY })
    const request = provider.buildRequest('866889456698785798')
    const [first, second] = await Promise.all([
      provider.authorize?.(request),
      provider.authorize?.(request),
    ])
    expect(loads).toBe(1)
    expect(first?.headers.authorization).toBe(second?.headers.authorization)
  })
})
