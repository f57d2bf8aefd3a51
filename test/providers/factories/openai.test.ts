import { describe, expect, it } from 'vitest'
import { OPENAI_FACTS, openai } from '../../../src/providers/factories.js'
import { openai as eager, OPENAI } from '../../../src/providers/openai.js'
import {
  bundledInputs,
  expectLoadsTheSame,
  expectSameRefusal,
  expectSameRequests,
} from './compare-factories.js'

const KEY = 'sk-openai-factory-0123456789'
const BASE = 'https://gateway.example.test'

// Good options, each a reading of the base URL the eager provider must agree with.
const GOOD = [
  { baseURL: BASE, apiKey: KEY },
  { baseURL: `${BASE}/v1`, apiKey: KEY },
  { baseURL: `${BASE}/V1/`, apiKey: KEY },
  { baseURL: `${BASE}/proxy/v1`, apiKey: KEY },
  { baseURL: 'http://127.0.0.1:8080', apiKey: KEY, headers: { 'x-route': 'sora' } },
  { baseURL: 'HTTPS://Gateway.Example.Test:443/openai', apiKey: KEY, headers: undefined },
]

// The first test: nothing has loaded the adapter in this file's module graph yet.
// First in the file: the factory file's own checks are what refuses here, before anything has
// loaded the adapter in this file's module graph (after, the factory returns the adapter's
// provider, whose checks are the same code). The last test of the block holds that.
describe('refuses what the eager factory refuses, with the same TypeError, at once', () => {
  const cases: [string, unknown][] = [
    ['no options', undefined],
    ['null', null],
    ['a string', BASE],
    ['a number', 42],
    ['an empty object', {}],
    ['no apiKey', { baseURL: BASE }],
    ['an empty apiKey', { baseURL: BASE, apiKey: '' }],
    ['a blank apiKey', { baseURL: BASE, apiKey: '   ' }],
    ['a number apiKey', { baseURL: BASE, apiKey: 42 }],
    ['a misspelt baseURL', { baseUrl: BASE, apiKey: KEY }],
    ['a misspelt apiKey', { baseURL: BASE, apikey: KEY }],
    ['an unknown option', { baseURL: BASE, apiKey: KEY, organization: 'org_1' }],
    ['apiKey and accessKey', { baseURL: BASE, apiKey: KEY, accessKey: 'ak' }],
    ['a prototype key', JSON.parse(`{"baseURL":"${BASE}","apiKey":"${KEY}","__proto__":1}`)],
    ['an ftp baseURL', { baseURL: 'ftp://gateway.example.test', apiKey: KEY }],
    ['a baseURL without a scheme', { baseURL: 'gateway.example.test', apiKey: KEY }],
    ['a baseURL with credentials', { baseURL: 'https://u:p@gateway.example.test', apiKey: KEY }],
    ['a baseURL with a query', { baseURL: `${BASE}?a=1`, apiKey: KEY }],
    ['a baseURL with a fragment', { baseURL: `${BASE}#v1`, apiKey: KEY }],
    ['a baseURL with a line break', { baseURL: `${BASE}\n`, apiKey: KEY }],
    ['a number baseURL', { baseURL: 443, apiKey: KEY }],
    ['headers as a string', { baseURL: BASE, apiKey: KEY, headers: 'x-route: a' }],
    ['a header name with a space', { baseURL: BASE, apiKey: KEY, headers: { 'x route': 'a' } }],
    ['a number header', { baseURL: BASE, apiKey: KEY, headers: { 'x-route': 1 } }],
    ['a header with a line break', { baseURL: BASE, apiKey: KEY, headers: { 'x-a': 'a\r\nb' } }],
  ]
  it.each(cases)('%s', (_, options) => expectSameRefusal(openai, eager, options, KEY))

  it('an apiKey that cannot be a header, without repeating it', () => {
    const key = 'sk-line\nbreak-0123456789'
    expectSameRefusal(openai, eager, { baseURL: BASE, apiKey: key }, key)
    expectSameRefusal(openai, eager, { baseURL: BASE, apiKey: `${KEY}€` }, KEY)
  })
  it('ran before the adapter loaded: the public factory still returns a lazy provider', () => {
    expect(openai({ baseURL: BASE, apiKey: KEY }).load).toBeTypeOf('function')
  })
})

it('before load: the eager provider facts, members that ask for load(), then the same requests', async () => {
  // The options as given at the call: a later change to the caller's object does not reach the
  // adapter when it loads.
  const headers: Record<string, string> = { 'x-route': 'a' }
  const mutable = { baseURL: BASE, apiKey: KEY, headers }
  const kept = openai(mutable)
  headers['x-route'] = 'b'
  mutable.apiKey = 'sk-other-0000000000'
  await expectLoadsTheSame(openai, eager, GOOD, KEY, () => ({ prompt: 'a cat', model: 'sora-2' }))
  const keptRequest = (await kept.load?.())?.buildRequest('task_1')
  expect(keptRequest?.headers['x-route']).toBe('a')
  expect(keptRequest?.headers.authorization).toBe(`Bearer ${KEY}`)
  // The adapter's description is built on the same facts, not on copies that could drift.
  expect(OPENAI.route).toBe(OPENAI_FACTS.route)
  expect(OPENAI.pollDefaults).toBe(OPENAI_FACTS.pollDefaults)
  expect(OPENAI.keyRequired).toBe(OPENAI_FACTS.keyRequired)
})

it('once the adapter is loaded, the factory returns its provider, ready at once', () => {
  for (const options of GOOD) expectSameRequests(openai(options), eager(options))
})

it('loads neither its adapter nor zod until a provider is used (esbuild, browser, split)', async () => {
  const { atOnce, later } = await bundledInputs('src/providers/factories.ts')
  expect(atOnce).toContain('src/providers/factories.ts')
  expect(
    atOnce.filter(
      (path) => path === 'src/providers/openai.ts' || path.includes('node_modules/zod'),
    ),
  ).toEqual([])
  expect(later).toContain('src/providers/openai.ts')
})
