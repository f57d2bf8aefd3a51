import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { type RunwayOptions, runway } from '../../../src/providers/factories.js'
import {
  runway as eager,
  RUNWAY,
  RUNWAY_API_VERSION,
  RUNWAY_DEFAULT_BASE_URL,
} from '../../../src/providers/runway.js'
import { expectNotLoaded, expectSameRefusal, membersOf } from './same-as-eager.js'

/*
 * The public `runway()` checks its options at once, with the adapter's own checks (the default
 * base URL and the `X-Runway-Version` header included), and loads the adapter on first use. The
 * tests before the first `load()` take the lazy path; after it, the public factory returns the
 * adapter's provider at once (the last tests).
 */

const SECRET = 'key_SECRET_runway_4f9a8b7c6d5e'
const ID = '17f20503-6c24-4c16-946b-35dbbce2af2f'

const REFUSED: Array<[string, unknown, RegExp]> = [
  ['no options', undefined, /options object/],
  ['null', null, /options object/],
  ['a key instead of options', SECRET, /options object/],
  ['no apiKey', {}, /apiKey/],
  ['an empty apiKey', { apiKey: '' }, /apiKey/],
  ['a number as apiKey', { apiKey: 42 }, /apiKey/],
  ['an apiKey with a line break', { apiKey: `${SECRET}\r\nX-Evil: 1` }, /apiKey/],
  ['an apiKey outside Latin-1', { apiKey: `${SECRET}€` }, /apiKey/],
  ['a misspelt apiKey', { apikey: SECRET }, /apikey.*apiKey/],
  ['a version as an option', { apiKey: SECRET, version: '2024-11-06' }, /version/],
  ['a misspelt baseURL', { apiKey: SECRET, baseUrl: 'https://x.test' }, /baseUrl.*baseURL/],
  ['a number as baseURL', { apiKey: SECRET, baseURL: 42 }, /baseURL/],
  ['an empty baseURL', { apiKey: SECRET, baseURL: '' }, /baseURL/],
  [
    'a baseURL with credentials',
    { apiKey: SECRET, baseURL: `https://u:${SECRET}@x.test` },
    /baseURL/,
  ],
  ['an ftp baseURL', { apiKey: SECRET, baseURL: 'ftp://api.dev.runwayml.com' }, /baseURL/],
  // A string used to spread into headers named 0, 1, ...: sent as garbage, not refused.
  ['headers as a string', { apiKey: SECRET, headers: 'x-a' }, /headers/],
  ['headers as a number', { apiKey: SECRET, headers: 5 }, /headers/],
  ['a header that is a number', { apiKey: SECRET, headers: { 'x-a': 1 } }, /headers\.x-a/],
  [
    'a version header that is no string',
    { apiKey: SECRET, headers: { 'X-Runway-Version': 2024 } },
    /X-Runway-Version/,
  ],
  ['a header name that is no token', { apiKey: SECRET, headers: { 'x a': '1' } }, /headers/],
  [
    'a header value with a line break',
    { apiKey: SECRET, headers: { 'x-a': `1\n${SECRET}` } },
    /headers\.x-a/,
  ],
]

const GOOD: Array<[string, RunwayOptions, string, string]> = [
  ['the default host', { apiKey: SECRET }, RUNWAY_DEFAULT_BASE_URL, RUNWAY_API_VERSION],
  [
    'a base URL ending in /v1',
    { apiKey: SECRET, baseURL: 'https://api.dev.runwayml.com/v1/' },
    RUNWAY_DEFAULT_BASE_URL,
    RUNWAY_API_VERSION,
  ],
  [
    'a gateway with a version of its own, spelt in capitals',
    {
      apiKey: SECRET,
      baseURL: 'https://gw.example.test/runway',
      headers: { 'X-Runway-Version': '2025-01-01' },
    },
    'https://gw.example.test/runway',
    '2025-01-01',
  ],
]

/** The values of every header named `name`, in any case. */
function headerValues(headers: Readonly<Record<string, string>>, name: string): string[] {
  return Object.entries(headers)
    .filter(([key]) => key.toLowerCase() === name)
    .map(([, value]) => value)
}

describe('runway(), the public factory', () => {
  it('before its adapter loads: builds nothing, leaks no key', () => {
    for (const [, options] of GOOD) {
      const provider = runway(options)
      expectNotLoaded(provider)
      expect(inspect(provider, { depth: 10, showHidden: true })).not.toContain(SECRET)
      expect(JSON.stringify(provider)).not.toContain(SECRET)
    }
  })

  it.each(REFUSED)('refuses %s at once, as the adapter does', (_, options, names) => {
    expectSameRefusal(runway, eager, options, names, SECRET)
  })

  it('once loaded, is the adapter’s provider for the same options', async () => {
    // Created before any load: each takes the lazy path.
    const lazies = GOOD.map(([, options]) => runway(options))
    const headers: Record<string, string> = { 'x-runway-version': '2025-01-01' }
    const changed: Record<string, unknown> = { apiKey: SECRET, headers }
    const beforeChange = runway(changed as unknown as RunwayOptions)
    changed.baseURL = 'https://elsewhere.example.test'
    headers['x-runway-version'] = 'changed'
    for (const [index, [what, options, baseURL, version]] of GOOD.entries()) {
      const lazy = lazies[index]
      const own = eager(options)
      expect(lazy?.load, what).toBeTypeOf('function')
      expect(lazy?.id).toBe('runway')
      expect(lazy?.baseURL, what).toBe(baseURL)
      expect(lazy?.baseURL, what).toBe(own.baseURL)
      expect(lazy?.pollDefaults).toBe(RUNWAY.pollDefaults)
      expect(lazy?.pollDefaults).toEqual(own.pollDefaults)
      const loaded = (await lazy?.load?.()) ?? lazy
      if (!loaded) throw new Error('no provider')
      expect(loaded.load).toBeUndefined()
      expect(membersOf(loaded)).toEqual(membersOf(own))
      const read = loaded.buildRequest('task_1')
      expect(read).toEqual(own.buildRequest('task_1'))
      expect(read.url).toBe(`${baseURL}/v1/tasks/task_1`)
      // One version header, the user's when given (doc §Host and auth: required on every call).
      expect(headerValues(read.headers, 'x-runway-version'), what).toEqual([version])
      expect(read.headers.authorization).toBe(`Bearer ${SECRET}`)
      const create = { prompt: 'a lighthouse', aspectRatio: '16:9' }
      const created = loaded.buildCreateRequest?.(create)
      expect(created).toEqual(own.buildCreateRequest?.(create))
      expect(headerValues(created?.headers ?? {}, 'x-runway-version')).toEqual([version])
      expect(loaded.buildCancelRequest?.(ID)).toEqual(own.buildCancelRequest?.(ID))
    }
    const checked = await beforeChange.load?.()
    expect(checked?.baseURL).toBe(RUNWAY_DEFAULT_BASE_URL)
    expect(checked?.buildRequest(ID).headers['x-runway-version']).toBe('2025-01-01')
  })

  it('once loaded, the factory returns the adapter’s provider at once', () => {
    const provider = runway({ apiKey: SECRET })
    expect(provider.load).toBeUndefined()
    expect(provider.buildRequest(ID)).toEqual(eager({ apiKey: SECRET }).buildRequest(ID))
  })

  it.each(REFUSED)('still refuses %s once the adapter is loaded', (_, options, names) => {
    expectSameRefusal(runway, eager, options, names, SECRET)
  })
})
