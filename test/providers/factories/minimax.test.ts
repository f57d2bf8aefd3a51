import { describe, expect, it } from 'vitest'
import {
  MINIMAX_DEFAULT_BASE_URL,
  MINIMAX_FACTS,
  minimax,
  minimaxCallbackAnswer,
} from '../../../src/providers/factories.js'
import * as adapter from '../../../src/providers/minimax.js'
import { fixtureJson } from '../../support/fixtures.js'
import {
  bundledInputs,
  expectLoadsTheSame,
  expectSameRefusal,
  expectSameRequests,
} from './compare-factories.js'

const eager = adapter.minimax
const KEY = 'mm-factory-key-0123456789abcdef'
const INPUT = { prompt: 'a cat on a piano', durationSeconds: 6, resolution: '768p' }

const GOOD = [
  // No base URL: the global host, before the load as after it.
  { apiKey: KEY },
  { apiKey: KEY, baseURL: undefined },
  { apiKey: KEY, baseURL: 'https://api.minimaxi.com' },
  // As MiniMax's own examples write it: the route's `/v1` is not repeated.
  { apiKey: KEY, baseURL: 'https://api.minimaxi.com/v1' },
  { apiKey: KEY, baseURL: 'https://api.minimax.io/v1/', headers: { 'x-team': 'video' } },
  { apiKey: KEY, baseURL: 'http://127.0.0.1:8123/mm' },
]

// First in the file: the factory file's own checks are what refuses here, before anything has
// loaded the adapter in this file's module graph (after, the factory returns the adapter's
// provider, whose checks are the same code). The last test of the block holds that.
describe('refuses what the eager factory refuses, with the same TypeError, at once', () => {
  const cases: [string, unknown][] = [
    ['no options', undefined],
    ['null', null],
    ['a key as the options', KEY],
    ['an empty object', {}],
    ['no apiKey with a base URL', { baseURL: 'https://api.minimaxi.com' }],
    ['an empty apiKey', { apiKey: '' }],
    ['a blank apiKey', { apiKey: ' \t' }],
    ['an array apiKey', { apiKey: [KEY] }],
    ['a misspelt apiKey', { apiKEY: KEY }],
    ['a misspelt baseURL', { apiKey: KEY, baseUrl: 'https://api.minimaxi.com' }],
    ['a region option it does not have', { apiKey: KEY, region: 'cn' }],
    ['a group id it does not take', { apiKey: KEY, groupId: '1234' }],
    ['apiKey and accessKey', { apiKey: KEY, accessKey: 'ak' }],
    ['a null baseURL', { apiKey: KEY, baseURL: null }],
    ['an empty baseURL', { apiKey: KEY, baseURL: '' }],
    ['a baseURL without a scheme', { apiKey: KEY, baseURL: 'api.minimaxi.com' }],
    ['a baseURL with a query', { apiKey: KEY, baseURL: 'https://api.minimaxi.com?GroupId=1' }],
    ['headers as a string', { apiKey: KEY, headers: 'x-a: b' }],
    ['a header value outside Latin-1', { apiKey: KEY, headers: { 'x-a': '视频' } }],
  ]
  it.each(cases)('%s', (_, options) => expectSameRefusal(minimax, eager, options, KEY))

  it('an apiKey that cannot be a header, without repeating it', () => {
    const key = 'mm-line\r\nbreak-0123456789'
    expectSameRefusal(minimax, eager, { apiKey: key }, key)
  })
  it('ran before the adapter loaded: the public factory still returns a lazy provider', () => {
    expect(minimax({ apiKey: KEY }).load).toBeTypeOf('function')
  })
})

it('before load: the eager provider facts, members that ask for load(), then the same requests', async () => {
  // Before the load, from the factory file alone.
  expect(minimax({ apiKey: KEY }).baseURL).toBe(MINIMAX_DEFAULT_BASE_URL)
  expect(minimax({ apiKey: KEY, baseURL: 'https://api.minimaxi.com/v1' }).baseURL).toBe(
    'https://api.minimaxi.com',
  )
  const loaded = await expectLoadsTheSame(minimax, eager, GOOD, KEY, () => INPUT)
  expect(loaded[0]?.buildRequest('task_1').url).toBe(
    `${MINIMAX_DEFAULT_BASE_URL}/v1/query/video_generation?task_id=task_1`,
  )
  expect(adapter.MINIMAX.route).toBe(MINIMAX_FACTS.route)
  expect(adapter.MINIMAX.pollDefaults).toBe(MINIMAX_FACTS.pollDefaults)
  expect(adapter.MINIMAX.keyRequired).toBe(MINIMAX_FACTS.keyRequired)
})

it('once the adapter is loaded, the factory returns its provider, ready at once', () => {
  for (const options of GOOD) expectSameRequests(minimax(options), eager(options), INPUT)
})

describe('minimaxCallbackAnswer, exported without the adapter', () => {
  it('is the function the adapter exports', () => {
    expect(adapter.minimaxCallbackAnswer).toBe(minimaxCallbackAnswer)
    expect(adapter.MINIMAX_DEFAULT_BASE_URL).toBe(MINIMAX_DEFAULT_BASE_URL)
  })

  it("echoes the verification request's challenge, and only a non-empty string", () => {
    const challenge = fixtureJson('minimax', 'callback-challenge.json') as { challenge: string }
    expect(minimaxCallbackAnswer(challenge)).toEqual({ challenge: challenge.challenge })
    // Only the challenge goes back, not whatever else the body holds.
    expect(minimaxCallbackAnswer({ challenge: 'c1', extra: KEY })).toEqual({ challenge: 'c1' })
    expect(minimaxCallbackAnswer(fixtureJson('minimax', 'callback-success.json'))).toBeNull()
    for (const body of [
      null,
      undefined,
      'challenge',
      42,
      [],
      ['c1'],
      Object.assign(['x'], { challenge: 'c1' }),
      {},
      { challenge: '' },
      { challenge: 42 },
      { challenge: { value: 'c1' } },
      { challenge: ['c1'] },
    ]) {
      expect(minimaxCallbackAnswer(body), JSON.stringify(body)).toBeNull()
    }
  })
})

it('loads neither its adapter nor zod until a provider is used (esbuild, browser, split)', async () => {
  const { atOnce, later } = await bundledInputs('src/providers/factories.ts')
  expect(atOnce).toContain('src/providers/factories.ts')
  expect(
    atOnce.filter(
      (path) => path === 'src/providers/minimax.ts' || path.includes('node_modules/zod'),
    ),
  ).toEqual([])
  expect(later).toContain('src/providers/minimax.ts')
})
