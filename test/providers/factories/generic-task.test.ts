import { describe, expect, it } from 'vitest'
import {
  GENERIC_TASK_FACTS,
  genericTask,
  genericTaskOptions,
} from '../../../src/providers/factories.js'
import { genericTask as eager, GENERIC_TASK } from '../../../src/providers/generic-task.js'
import {
  bundledInputs,
  expectLoadsTheSame,
  expectSameRefusal,
  expectSameRequests,
} from './compare-factories.js'

const KEY = 'sk-generic-factory-0123456789'
const BASE = 'https://relay.example.test'
const RELAY_CREATE = '/task/minimax/v1/video_generation'
const INPUT = { prompt: 'a cat', model: 'MiniMax-Hailuo-02', durationSeconds: 6 }

const GOOD = [
  { baseURL: BASE, apiKey: KEY },
  { baseURL: `${BASE}/`, apiKey: KEY, createPath: RELAY_CREATE },
  // The route has no version segment: a base URL's own `/v1` is the gateway's mount and stays.
  { baseURL: `${BASE}/v1`, apiKey: KEY, createPath: '/v1/video_generation' },
  { baseURL: `${BASE}/proxy`, apiKey: KEY, createPath: undefined },
  { baseURL: 'http://127.0.0.1:9000', apiKey: KEY, headers: { 'x-relay': 'mm' }, createPath: '/' },
]

// First in the file: the factory file's own checks are what refuses here, before anything has
// loaded the adapter in this file's module graph (after, the factory returns the adapter's
// provider, whose checks are the same code). The last test of the block holds that.
describe('refuses what the eager factory refuses, with the same TypeError, at once', () => {
  const cases: [string, unknown][] = [
    ['no options', undefined],
    ['null', null],
    ['a string', BASE],
    ['an empty object', {}],
    ['only a createPath', { createPath: RELAY_CREATE }],
    ['no apiKey', { baseURL: BASE }],
    ['an empty apiKey', { baseURL: BASE, apiKey: '' }],
    ['a misspelt baseURL', { baseUrl: BASE, apiKey: KEY }],
    ['a misspelt createPath', { baseURL: BASE, apiKey: KEY, createpath: RELAY_CREATE }],
    ['an unknown option', { baseURL: BASE, apiKey: KEY, region: 'cn' }],
    ['apiKey and accessKey', { baseURL: BASE, apiKey: KEY, accessKey: 'ak' }],
    ['an ftp baseURL', { baseURL: 'ftp://relay.example.test', apiKey: KEY }],
    ['a baseURL with a query', { baseURL: `${BASE}?a=1`, apiKey: KEY }],
    ['a header with a line break', { baseURL: BASE, apiKey: KEY, headers: { 'x-a': 'a\nb' } }],
    ['a relative createPath', { baseURL: BASE, apiKey: KEY, createPath: 'v1/video_generation' }],
    ['an empty createPath', { baseURL: BASE, apiKey: KEY, createPath: '' }],
    ['a createPath with a query', { baseURL: BASE, apiKey: KEY, createPath: '/create?x=1' }],
    ['a createPath with a fragment', { baseURL: BASE, apiKey: KEY, createPath: '/create#x' }],
    ['a createPath with a space', { baseURL: BASE, apiKey: KEY, createPath: '/a b' }],
    ['a createPath with a line break', { baseURL: BASE, apiKey: KEY, createPath: '/a\n' }],
    ['a number createPath', { baseURL: BASE, apiKey: KEY, createPath: 42 }],
    ['a null createPath', { baseURL: BASE, apiKey: KEY, createPath: null }],
    ['an object createPath', { baseURL: BASE, apiKey: KEY, createPath: { path: '/a' } }],
    ['a bigint createPath', { baseURL: BASE, apiKey: KEY, createPath: 1n }],
    ['a function createPath', { baseURL: BASE, apiKey: KEY, createPath: () => '/a' }],
    ['a bad createPath and a bad baseURL', { baseURL: 'x', apiKey: KEY, createPath: 'x' }],
  ]
  it.each(cases)('%s', (_, options) => expectSameRefusal(genericTask, eager, options, KEY))

  it('names `createPath` and shows only what is safe of a wrong one', () => {
    const message = (createPath: unknown) => {
      try {
        genericTask({ baseURL: BASE, apiKey: KEY, createPath: createPath as string })
      } catch (error) {
        return (error as Error).message
      }
      return 'accepted'
    }
    expect(message('v1/x')).toBe('Expected `createPath` to be a path starting with /, got "v1/x"')
    expect(message(42)).toMatch(/`createPath`.*got 42$/)
    // Not JSON.stringify's own TypeError about a bigint, and no function's source.
    expect(message(1n)).toMatch(/`createPath`.*got a value of type bigint$/)
    expect(message(() => KEY)).toMatch(/`createPath`.*got a value of type function$/)
  })
  it('ran before the adapter loaded: the public factory still returns a lazy provider', () => {
    expect(genericTask({ baseURL: BASE, apiKey: KEY }).load).toBeTypeOf('function')
  })
})

it('before load: the eager provider facts, members that ask for load(), then the same requests', async () => {
  const loaded = await expectLoadsTheSame(genericTask, eager, GOOD, KEY, () => INPUT)
  // The create route the options chose, after the load as before it.
  expect(loaded[1]?.buildCreateRequest?.(INPUT).url).toBe(`${BASE}${RELAY_CREATE}`)
  expect(loaded[0]?.buildCreateRequest?.(INPUT).url).toBe(`${BASE}/v1/video_generation`)
  expect(GENERIC_TASK.route).toBe(GENERIC_TASK_FACTS.route)
  expect(GENERIC_TASK.pollDefaults).toBe(GENERIC_TASK_FACTS.pollDefaults)
  expect(GENERIC_TASK.keyRequired).toBe(GENERIC_TASK_FACTS.keyRequired)
})

it('once the adapter is loaded, the factory returns its provider, ready at once', () => {
  for (const options of GOOD) expectSameRequests(genericTask(options), eager(options), INPUT)
})

it('takes `createPath: undefined` as not given (a config value left empty), not as a typo', () => {
  expect(genericTaskOptions({ baseURL: BASE, apiKey: KEY, createPath: undefined })).toEqual({
    providerOptions: { baseURL: BASE, apiKey: KEY },
    createPath: undefined,
  })
  expect(eager({ baseURL: BASE, apiKey: KEY, createPath: undefined }).baseURL).toBe(BASE)
})

it('loads neither its adapter nor zod until a provider is used (esbuild, browser, split)', async () => {
  const { atOnce, later } = await bundledInputs('src/providers/factories.ts')
  expect(atOnce).toContain('src/providers/factories.ts')
  expect(
    atOnce.filter(
      (path) => path === 'src/providers/generic-task.ts' || path.includes('node_modules/zod'),
    ),
  ).toEqual([])
  expect(later).toContain('src/providers/generic-task.ts')
})
