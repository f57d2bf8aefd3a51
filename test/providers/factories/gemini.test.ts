import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { gemini } from '../../../src/providers/factories.js'
import {
  gemini as eager,
  GEMINI,
  GEMINI_DEFAULT_BASE_URL,
  type GeminiOptions,
} from '../../../src/providers/gemini.js'
import { expectNotLoaded, expectSameRefusal, membersOf } from './same-as-eager.js'

/*
 * The public `gemini()` checks its options at once, with the adapter's own checks, and loads the
 * adapter on first use. The tests before the first `load()` take the lazy path; after it, the
 * public factory returns the adapter's provider at once (the last tests).
 */

const SECRET = 'AIzaSy-SECRET-gemini-4f9a8b7c6d5e'
const OPERATION = 'models/veo-3.1-generate-preview/operations/abc123xyz'

const REFUSED: Array<[string, unknown, RegExp]> = [
  ['no options', undefined, /options object/],
  ['null', null, /options object/],
  ['a key instead of options', SECRET, /options object/],
  ['no apiKey', {}, /apiKey/],
  ['an empty apiKey', { apiKey: '' }, /apiKey/],
  ['a blank apiKey', { apiKey: ' \t' }, /apiKey/],
  ['a number as apiKey', { apiKey: 42 }, /apiKey/],
  ['an apiKey with a line break', { apiKey: `${SECRET}\r\nX-Evil: 1` }, /apiKey/],
  ['an apiKey with a NUL', { apiKey: `${SECRET}\0` }, /apiKey/],
  ['an apiKey outside Latin-1', { apiKey: `${SECRET}🔑` }, /apiKey/],
  ['an apiKey with leading whitespace', { apiKey: ` ${SECRET}` }, /apiKey/],
  ['a misspelt apiKey', { apikey: SECRET }, /apikey.*apiKey/],
  ['a key under another name', { key: SECRET }, /key/],
  ['a misspelt baseURL', { apiKey: SECRET, baseUrl: 'https://x.test' }, /baseUrl.*baseURL/],
  ['a number as baseURL', { apiKey: SECRET, baseURL: 42 }, /baseURL/],
  [
    'a baseURL without scheme',
    { apiKey: SECRET, baseURL: 'generativelanguage.googleapis.com' },
    /baseURL/,
  ],
  [
    'a baseURL with a key in its query',
    { apiKey: SECRET, baseURL: `https://x.test/?key=${SECRET}` },
    /baseURL/,
  ],
  [
    'a baseURL with a line break',
    { apiKey: SECRET, baseURL: 'https://x.test/\r\nv1beta' },
    /baseURL/,
  ],
  ['headers as a string', { apiKey: SECRET, headers: 'x-a: 1' }, /headers/],
  ['a header that is a number', { apiKey: SECRET, headers: { 'x-a': 1 } }, /headers\.x-a/],
  ['a header name that is no token', { apiKey: SECRET, headers: { 'x:a': '1' } }, /headers/],
  [
    'a header value with a line break',
    { apiKey: SECRET, headers: { 'x-a': `1\r\n${SECRET}` } },
    /headers\.x-a/,
  ],
]

const GOOD: Array<[string, GeminiOptions, string]> = [
  ['the default host', { apiKey: SECRET }, GEMINI_DEFAULT_BASE_URL],
  [
    'a base URL ending in /v1beta, as Google’s SDKs write it',
    { apiKey: SECRET, baseURL: 'https://generativelanguage.googleapis.com/v1beta' },
    GEMINI_DEFAULT_BASE_URL,
  ],
  [
    'a proxy under a path, with a header of its own',
    {
      apiKey: SECRET,
      baseURL: 'https://proxy.example.test/gemini/',
      headers: { 'x-goog-user-project': 'p1' },
    },
    'https://proxy.example.test/gemini',
  ],
]

describe('gemini(), the public factory', () => {
  it('before its adapter loads: builds nothing, leaks no key', () => {
    for (const [, options] of GOOD) {
      const provider = gemini(options)
      expectNotLoaded(provider)
      expect(inspect(provider, { depth: 10, showHidden: true })).not.toContain(SECRET)
      expect(JSON.stringify(provider)).not.toContain(SECRET)
    }
  })

  it.each(REFUSED)('refuses %s at once, as the adapter does', (_, options, names) => {
    expectSameRefusal(gemini, eager, options, names, SECRET)
  })

  it('once loaded, is the adapter’s provider for the same options', async () => {
    // Created before any load: each takes the lazy path.
    const lazies = GOOD.map(([, options]) => gemini(options))
    const headers: Record<string, string> = { 'x-goog-user-project': 'p1' }
    const changed: Record<string, unknown> = { apiKey: SECRET, headers }
    const beforeChange = gemini(changed as unknown as GeminiOptions)
    changed.apiKey = 'changed\r\n'
    headers['x-goog-user-project'] = 'p2'
    for (const [index, [what, options, baseURL]] of GOOD.entries()) {
      const lazy = lazies[index]
      const own = eager(options)
      expect(lazy?.load, what).toBeTypeOf('function')
      expect(lazy?.id).toBe('gemini')
      expect(lazy?.baseURL, what).toBe(baseURL)
      expect(lazy?.baseURL, what).toBe(own.baseURL)
      expect(lazy?.pollDefaults).toBe(GEMINI.pollDefaults)
      expect(lazy?.pollDefaults).toEqual(own.pollDefaults)
      const loaded = (await lazy?.load?.()) ?? lazy
      if (!loaded) throw new Error('no provider')
      expect(loaded.load).toBeUndefined()
      expect(membersOf(loaded)).toEqual(membersOf(own))
      expect(loaded.buildRequest('task_1')).toEqual(own.buildRequest('task_1'))
      expect(loaded.buildRequest(OPERATION)).toEqual(own.buildRequest(OPERATION))
      expect(loaded.buildRequest(OPERATION).url).toBe(`${baseURL}/v1beta/${OPERATION}`)
      expect(loaded.buildRequest(OPERATION).headers['x-goog-api-key']).toBe(SECRET)
      const create = { prompt: 'a lighthouse at dawn', aspectRatio: '16:9' }
      expect(loaded.buildCreateRequest?.(create)).toEqual(own.buildCreateRequest?.(create))
      expect(loaded.buildCancelRequest?.(OPERATION)).toEqual(own.buildCancelRequest?.(OPERATION))
    }
    const checked = await beforeChange.load?.()
    expect(checked?.buildRequest(OPERATION).headers).toMatchObject({
      'x-goog-api-key': SECRET,
      'x-goog-user-project': 'p1',
    })
  })

  it('once loaded, the factory returns the adapter’s provider at once', () => {
    const provider = gemini({ apiKey: SECRET })
    expect(provider.load).toBeUndefined()
    expect(provider.buildRequest(OPERATION)).toEqual(
      eager({ apiKey: SECRET }).buildRequest(OPERATION),
    )
  })

  it.each(REFUSED)('still refuses %s once the adapter is loaded', (_, options, names) => {
    expectSameRefusal(gemini, eager, options, names, SECRET)
  })
})
