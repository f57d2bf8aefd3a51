import { describe, expect, it } from 'vitest'
import {
  CHECK_RESULT,
  type CheckResultOptions,
  checkResult as eager,
} from '../../../src/providers/check-result.js'
import { CHECK_RESULT_FACTS, checkResult } from '../../../src/providers/factories.js'
import type { ProviderCreateRequest } from '../../../src/providers/kit/lifecycle.js'
import {
  bundledInputs,
  expectLoadsTheSame,
  expectSameRefusal,
  expectSameRequests,
} from './compare-factories.js'

const KEY = 'sk-check-result-factory-0123456789'
const BASE = 'https://reseller.example.test'
const INPUT = { prompt: 'a cat', model: 'sora-2' }

const buildCreateRequest: NonNullable<CheckResultOptions['buildCreateRequest']> = (
  input,
  { url, headers },
): ProviderCreateRequest => ({
  method: 'POST',
  url: url('/api/v1/video/sora-video'),
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify({ model: input.model, prompt: input.prompt }),
})
const parseCreateResponse = () => ({ taskId: 'task_1', task: null })
const create = { buildCreateRequest, parseCreateResponse }

const GOOD: CheckResultOptions[] = [
  // The endpoint declares no security: no key is fine.
  { baseURL: BASE },
  { baseURL: `${BASE}/`, apiKey: KEY },
  // The route starts with `/api/`: a base URL ending in `/api` loses it, as the eager one does.
  { baseURL: `${BASE}/api`, apiKey: KEY, ...create },
  { baseURL: `${BASE}/relay/api/`, ...create, idempotencyHeader: 'Idempotency-Key' },
  { baseURL: 'http://127.0.0.1:7000', headers: { 'x-team': 't1' }, ...create },
  { baseURL: BASE, apiKey: undefined, idempotencyHeader: undefined, ...create },
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
    ['an empty apiKey', { baseURL: BASE, apiKey: '' }],
    ['a number apiKey', { baseURL: BASE, apiKey: 7 }],
    ['a misspelt baseURL', { baseUrl: BASE }],
    ['an unknown option', { baseURL: BASE, timeoutMs: 1000 }],
    ['apiKey and accessKey', { baseURL: BASE, apiKey: KEY, accessKey: 'ak' }],
    ['a misspelt buildCreateRequest', { baseURL: BASE, buildCreaterequest: buildCreateRequest }],
    ['a baseURL with credentials', { baseURL: 'https://a:b@reseller.example.test' }],
    ['a header name with a colon', { baseURL: BASE, headers: { 'x:a': 'b' } }],
    ['idempotencyHeader without a create', { baseURL: BASE, idempotencyHeader: 'Idem-Key' }],
    ['only buildCreateRequest', { baseURL: BASE, buildCreateRequest }],
    ['only parseCreateResponse', { baseURL: BASE, parseCreateResponse }],
    ['a string buildCreateRequest', { baseURL: BASE, ...create, buildCreateRequest: 'post' }],
    ['a null parseCreateResponse', { baseURL: BASE, ...create, parseCreateResponse: null }],
    ['an idempotencyHeader with a space', { baseURL: BASE, ...create, idempotencyHeader: 'A B' }],
    ['an empty idempotencyHeader', { baseURL: BASE, ...create, idempotencyHeader: '' }],
    ['a number idempotencyHeader', { baseURL: BASE, ...create, idempotencyHeader: 42 }],
    [
      'an idempotencyHeader with a line break',
      { baseURL: BASE, ...create, idempotencyHeader: 'a\n' },
    ],
    ['a bad create and a bad baseURL', { baseURL: 'ftp://x', buildCreateRequest }],
  ]
  it.each(cases)('%s', (_, options) => expectSameRefusal(checkResult, eager, options, KEY))

  it('refuses a bad idempotencyHeader with the message user-defined providers give', () => {
    expect(() =>
      checkResult({ baseURL: BASE, ...create, idempotencyHeader: 'Bad Header' }),
    ).toThrow(new TypeError('Expected `idempotencyHeader` to be a header name'))
  })
  it('ran before the adapter loaded: the public factory still returns a lazy provider', () => {
    expect(checkResult({ baseURL: BASE }).load).toBeTypeOf('function')
  })
})

it('before load: the eager provider facts, members that ask for load(), then the same requests', async () => {
  const loaded = await expectLoadsTheSame(checkResult, eager, GOOD, KEY, (options) =>
    options.buildCreateRequest ? INPUT : undefined,
  )
  // The user's create API came through the load: its request, its parser, its header.
  expect(loaded[2]?.buildCreateRequest?.(INPUT).url).toBe(`${BASE}/api/v1/video/sora-video`)
  expect(loaded[3]?.idempotencyHeader).toBe('Idempotency-Key')
  expect(loaded[4]?.parseCreateResponse).toBeTypeOf('function')
  expect(loaded[0]?.buildCreateRequest).toBeUndefined()
  expect(CHECK_RESULT.route).toBe(CHECK_RESULT_FACTS.route)
  expect(CHECK_RESULT.pollDefaults).toBe(CHECK_RESULT_FACTS.pollDefaults)
  expect(CHECK_RESULT.keyRequired).toBe(CHECK_RESULT_FACTS.keyRequired)
})

it('once the adapter is loaded, the factory returns its provider, ready at once', () => {
  for (const options of GOOD) {
    expectSameRequests(checkResult(options), eager(options), options.buildCreateRequest && INPUT)
  }
})

it('loads neither its adapter nor zod until a provider is used (esbuild, browser, split)', async () => {
  const { atOnce, later } = await bundledInputs('src/providers/factories.ts')
  expect(atOnce).toContain('src/providers/factories.ts')
  expect(
    atOnce.filter(
      (path) => path === 'src/providers/check-result.ts' || path.includes('node_modules/zod'),
    ),
  ).toEqual([])
  expect(later).toContain('src/providers/check-result.ts')
})
