import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { kling } from '../../../src/providers/factories.js'
import type { CreateRequestInput } from '../../../src/providers/kit/lifecycle.js'
import type { ProviderRequest } from '../../../src/providers/kit/types.js'
import {
  kling as eager,
  KLING,
  KLING_DEFAULT_BASE_URL,
  type KlingOptions,
  type KlingProviderInput,
} from '../../../src/providers/kling.js'
import { verifyHs256Token } from '../../../src/simulator/hs256.js'
import { expectNotLoaded, expectSameRefusal, membersOf } from './same-as-eager.js'

/*
 * The public `kling()` checks its options at once, with the adapter's own checks, and loads the
 * adapter on first use. The tests before the first `load()` run while the adapter module is
 * imported (by this file) but not loaded through the factory: the lazy path. After it, the
 * public factory returns the adapter's provider at once: the last test covers that path.
 */

const SECRET = 'kling-SECRET-key-7d8e9f0a1b2c'
const ACCESS_KEY = 'ak-kling-test-0a1b2c'
const CREATE: CreateRequestInput<KlingProviderInput> = {
  prompt: 'A calm sunrise over the ocean',
  durationSeconds: 5,
  aspectRatio: '16:9',
}

const REFUSED: Array<[string, unknown, RegExp]> = [
  ['no options', undefined, /options object/],
  ['null', null, /options object/],
  ['a key instead of options', SECRET, /options object/],
  ['no credential', {}, /apiKey/],
  ['an empty apiKey', { apiKey: '' }, /apiKey/],
  ['a blank apiKey', { apiKey: '   ' }, /apiKey/],
  ['a number as apiKey', { apiKey: 42 }, /apiKey/],
  ['an apiKey with a line break', { apiKey: `${SECRET}\r\nX-Evil: 1` }, /apiKey/],
  ['an apiKey outside Latin-1', { apiKey: `${SECRET}€` }, /apiKey/],
  ['an apiKey with trailing whitespace', { apiKey: `${SECRET}\t` }, /apiKey/],
  ['an access key alone', { accessKey: ACCESS_KEY }, /secretKey/],
  ['a secret key alone', { secretKey: SECRET }, /accessKey/],
  ['an empty secret key', { accessKey: ACCESS_KEY, secretKey: '' }, /secretKey/],
  ['an access key with a line break', { accessKey: 'ak\n', secretKey: SECRET }, /accessKey/],
  [
    'a secret key with a line break',
    { accessKey: ACCESS_KEY, secretKey: `${SECRET}\n` },
    /secretKey/,
  ],
  ['apiKey and both keys', { apiKey: SECRET, accessKey: ACCESS_KEY, secretKey: SECRET }, /either/],
  ['apiKey and an access key', { apiKey: SECRET, accessKey: ACCESS_KEY }, /either/],
  ['a misspelt apiKey', { apikey: SECRET }, /apikey.*apiKey/],
  ['a misspelt secretKey', { accessKey: ACCESS_KEY, secretkey: SECRET }, /secretkey.*secretKey/],
  ['a misspelt baseURL', { apiKey: SECRET, baseUrl: 'https://x.test' }, /baseUrl.*baseURL/],
  ['a route as an option', { apiKey: SECRET, route: 'tasks' }, /route/],
  ['a number as baseURL', { apiKey: SECRET, baseURL: 42 }, /baseURL/],
  ['a baseURL without scheme', { apiKey: SECRET, baseURL: 'api.klingai.com' }, /baseURL/],
  ['an ftp baseURL', { apiKey: SECRET, baseURL: 'ftp://api.klingai.com' }, /baseURL/],
  ['a baseURL with credentials', { apiKey: SECRET, baseURL: 'https://u:p@x.test' }, /baseURL/],
  ['a baseURL with a query', { apiKey: SECRET, baseURL: 'https://x.test/?a=1' }, /baseURL/],
  ['the key as baseURL', { apiKey: SECRET, baseURL: SECRET }, /baseURL/],
  ['headers as a string', { apiKey: SECRET, headers: 'x-a: 1' }, /headers/],
  ['headers as null', { apiKey: SECRET, headers: null }, /headers/],
  ['a header that is a number', { apiKey: SECRET, headers: { 'x-a': 1 } }, /headers\.x-a/],
  ['a header name with a space', { apiKey: SECRET, headers: { 'x a': '1' } }, /headers/],
  [
    'a header value with a line break',
    { apiKey: SECRET, headers: { 'x-a': `1\r\n${SECRET}` } },
    /headers\.x-a/,
  ],
  [
    'a signed kling with a bad header',
    { accessKey: ACCESS_KEY, secretKey: SECRET, headers: { 'x-a': 'é€' } },
    /headers\.x-a/,
  ],
]

const GOOD: Array<[string, KlingOptions, string, string]> = [
  ['an API key on the default host', { apiKey: SECRET }, KLING_DEFAULT_BASE_URL, 'tasks'],
  [
    'an API key, a base URL ending in /v1 and a header',
    { apiKey: SECRET, baseURL: 'https://api-beijing.klingai.com/v1/', headers: { 'x-relay': '1' } },
    'https://api-beijing.klingai.com',
    'tasks',
  ],
  [
    'the access and secret keys',
    { accessKey: ACCESS_KEY, secretKey: SECRET },
    KLING_DEFAULT_BASE_URL,
    'image2video',
  ],
  [
    'the access and secret keys through a relay mounted under a path',
    { accessKey: ACCESS_KEY, secretKey: SECRET, baseURL: 'https://relay.example.test/kling/v1' },
    'https://relay.example.test/kling',
    'text2video',
  ],
]

async function tokenOf(
  provider: { authorize?: (request: ProviderRequest) => Promise<ProviderRequest> },
  request: ProviderRequest,
) {
  const authorized = await provider.authorize?.(request)
  return authorized?.headers.authorization?.replace(/^Bearer /, '')
}

describe('kling(), the public factory', () => {
  it('before its adapter loads: refuses nothing it accepts, builds nothing, leaks no key', () => {
    for (const [, options] of GOOD) {
      const provider = kling(options)
      expectNotLoaded(provider)
      expect(inspect(provider, { depth: 10, showHidden: true })).not.toContain(SECRET)
      expect(JSON.stringify(provider)).not.toContain(SECRET)
    }
  })

  it.each(REFUSED)('refuses %s at once, as the adapter does', (_, options, names) => {
    expectSameRefusal(kling, eager, options, names, SECRET)
  })

  it('once loaded, is the adapter’s provider for the same options', async () => {
    // Created before any load: each takes the lazy path.
    const lazies = GOOD.map(([, options]) => kling(options))
    // The caller changes its objects after the factory checked them: the adapter gets them as
    // they were checked (a later change could otherwise slip an unchecked key past).
    const headers: Record<string, string> = { 'x-relay': 'one' }
    const changed: Record<string, unknown> = { apiKey: SECRET, headers }
    const beforeChange = kling(changed as KlingOptions)
    changed.apiKey = 'bad\r\nkey'
    changed.accessKey = ACCESS_KEY
    headers['x-relay'] = 'two\r\n'
    for (const [index, [what, options, baseURL, route]] of GOOD.entries()) {
      const lazy = lazies[index]
      const own = eager(options)
      expect(lazy?.load, what).toBeTypeOf('function')
      expect(lazy?.id).toBe('kling')
      expect(lazy?.baseURL, what).toBe(baseURL)
      expect(lazy?.baseURL, what).toBe(own.baseURL)
      expect(lazy?.pollDefaults).toEqual(own.pollDefaults)
      expect(lazy?.pollDefaults).toBe(KLING.pollDefaults)
      const loaded = (await lazy?.load?.()) ?? lazy
      if (!loaded) throw new Error('no provider')
      expect(loaded.load, 'a loaded provider loads nothing more').toBeUndefined()
      expect(membersOf(loaded)).toEqual(membersOf(own))
      expect(loaded.baseURL).toBe(own.baseURL)
      expect(loaded.buildRequest('task_1')).toEqual(own.buildRequest('task_1'))
      expect(loaded.buildRequest('task_1', route)).toEqual(own.buildRequest('task_1', route))
      expect(loaded.buildCreateRequest?.(CREATE)).toEqual(own.buildCreateRequest?.(CREATE))
      // The same credential: the same bearer key, or a token signed with the same keys.
      const request = loaded.buildRequest('task_1')
      if ('apiKey' in options) {
        expect(request.headers.authorization).toBe(`Bearer ${SECRET}`)
        expect(loaded.authorize).toBeUndefined()
      } else {
        const token = await tokenOf(loaded, request)
        expect(token).toBeTypeOf('string')
        const verified = verifyHs256Token(token ?? '', SECRET, {
          nowMs: Date.now(),
          expectedIssuer: ACCESS_KEY,
        })
        expect(verified.ok).toBe(true)
      }
      // A second load is the same provider.
      expect(await lazy?.load?.()).toBe(loaded)
    }
    const checked = await beforeChange.load?.()
    expect(checked?.buildRequest('task_1').headers).toMatchObject({
      authorization: `Bearer ${SECRET}`,
      'x-relay': 'one',
    })
  })

  it('once loaded, the factory returns the adapter’s provider at once', () => {
    const provider = kling({ apiKey: SECRET })
    expect(provider.load).toBeUndefined()
    expect(provider.buildRequest('task_1')).toEqual(
      eager({ apiKey: SECRET }).buildRequest('task_1'),
    )
  })

  it.each(REFUSED)('still refuses %s once the adapter is loaded', (_, options, names) => {
    expectSameRefusal(kling, eager, options, names, SECRET)
  })
})
