import { describe, expect, it } from 'vitest'
import { dashscope as eager } from '../../../src/providers/dashscope.js'
import { dashscope } from '../../../src/providers/factories.js'
import { expectNoSecret } from '../../support/assertions.js'

/*
 * The public `dashscope` factory (src/providers/factories.ts, its dashscope section): it checks the options at once with the
 * adapter's own checks (the same TypeErrors as the eager factory in src/providers/dashscope.ts),
 * and its provider loads the adapter on first use and then builds exactly what the eager
 * provider builds.
 */

const KEY = 'sk-dashscope-test-0123456789abcdef'

/** What `run` throws (it must throw). */
function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

const GOOD: [string, Parameters<typeof dashscope>[0]][] = [
  ['the default region', { apiKey: KEY }],
  ['region cn-beijing', { apiKey: KEY, region: 'cn-beijing' }],
  ['region ap-southeast-1 (Singapore)', { apiKey: KEY, region: 'ap-southeast-1' }],
  ['a region left undefined', { apiKey: KEY, region: undefined }],
  [
    'a base URL ending in /api/v1/',
    { apiKey: KEY, baseURL: 'https://dashscope-intl.aliyuncs.com/api/v1/' },
  ],
  ['a workspace domain', { apiKey: KEY, baseURL: 'https://ws-123.cn-beijing.maas.aliyuncs.com' }],
  ['a gateway under a mount', { apiKey: KEY, baseURL: 'http://127.0.0.1:8080/proxy/api/v1' }],
  [
    'a base URL with a region and headers',
    {
      apiKey: KEY,
      region: 'ap-southeast-1',
      baseURL: 'https://gw.example.test',
      headers: { 'x-route': 'a' },
    },
  ],
]

/** Asserts that `provider`, once loaded, builds what the eager provider of `options` builds. */
async function expectSameAsEager(
  options: Parameters<typeof dashscope>[0],
  provider: ReturnType<typeof dashscope>,
) {
  const reference = eager(options)
  expect(provider.id).toBe(reference.id)
  expect(provider.baseURL).toBe(reference.baseURL)
  expect(provider.pollDefaults).toEqual(reference.pollDefaults)
  const loaded = await (provider.load?.() ?? provider)
  expect(loaded.baseURL).toBe(reference.baseURL)
  expect(loaded.buildRequest('task_1')).toEqual(reference.buildRequest('task_1'))
  const input = { prompt: 'a red fox in the snow', durationSeconds: 5 }
  expect(loaded.buildCreateRequest?.(input)).toEqual(reference.buildCreateRequest?.(input))
  expect(loaded.buildCancelRequest?.('task_1')).toEqual(reference.buildCancelRequest?.('task_1'))
}

// The first test: no provider of this file has loaded the adapter yet (vitest runs each file in
// its own module graph; the static import of the eager factory does not count as a load). The
// later tests run with the adapter loaded, when the factory returns the adapter's own provider.
it('before the adapter loads: the facts are there, building says to load(), load() builds the same', async () => {
  const providers = GOOD.map(([, options]) => dashscope(options))
  for (const provider of providers) {
    expect(typeof provider.load).toBe('function')
    for (const run of [
      () => provider.buildRequest('x'),
      () => provider.parseResponse({} as never),
    ]) {
      const error = thrown(run)
      expect(error).toBeInstanceOf(TypeError)
      expect((error as TypeError).message).toMatch(/Provider dashscope: .*load\(\)/)
    }
    expectNoSecret(KEY, provider)
  }
  // A caller changing its options afterwards does not change what the adapter gets.
  const options = { apiKey: KEY, headers: { 'x-route': 'first' } }
  const late = dashscope(options)
  options.headers['x-route'] = 'second'
  options.apiKey = 'another-key'

  for (const [index, [, given]] of GOOD.entries()) {
    await expectSameAsEager(given, providers[index] as ReturnType<typeof dashscope>)
  }
  const loaded = await late.load?.()
  expect(loaded?.buildRequest('task_1').headers).toEqual(
    eager({ apiKey: KEY, headers: { 'x-route': 'first' } }).buildRequest('task_1').headers,
  )
  // Once loaded, a new provider is the adapter's own, ready at once.
  const after = dashscope({ apiKey: KEY })
  expect(after.load).toBeUndefined()
  expect(after.buildRequest('task_1')).toEqual(eager({ apiKey: KEY }).buildRequest('task_1'))
})

describe('the options are refused at once, as the eager factory refuses them', () => {
  it.each<[string, unknown]>([
    ['no options', undefined],
    ['null', null],
    ['a key instead of options', KEY],
    ['a number', 42],
    ['no key', {}],
    ['no key but a region', { region: 'cn-beijing' }],
    ['an empty key', { apiKey: '' }],
    ['a blank key', { apiKey: '   ' }],
    ['a number as key', { apiKey: 42 }],
    ['a key with a line break', { apiKey: `${KEY}\r\nx-injected: 1` }],
    ['an unknown region', { apiKey: KEY, region: 'eu-central-1' }],
    ['a region in another case', { apiKey: KEY, region: 'CN-BEIJING' }],
    ['the undocumented US region', { apiKey: KEY, region: 'us-east-1' }],
    ['a region as a number', { apiKey: KEY, region: 1 }],
    ['an inherited region name', { apiKey: KEY, region: 'toString' }],
    ['a misspelt region key', { apiKey: KEY, regoin: 'cn-beijing' }],
    ['a misspelt base URL key', { apiKey: KEY, baseUrl: 'https://gw.example.test' }],
    ['a misspelt key option', { apikey: KEY }],
    ['an access key (Kling has one, DashScope has not)', { apiKey: KEY, accessKey: 'ak' }],
    ['a secret key', { apiKey: KEY, secretKey: 'sk' }],
    ['an empty base URL', { apiKey: KEY, baseURL: '' }],
    ['a base URL that is a number', { apiKey: KEY, baseURL: 443 }],
    ['a base URL without a scheme', { apiKey: KEY, baseURL: 'dashscope.aliyuncs.com' }],
    ['an ftp base URL', { apiKey: KEY, baseURL: 'ftp://dashscope.example.test' }],
    [
      'a base URL with credentials',
      { apiKey: KEY, baseURL: 'https://user:pass@dashscope.example.test' },
    ],
    ['a base URL with a query', { apiKey: KEY, baseURL: 'https://dashscope.example.test/?a=1' }],
    ['a base URL with a fragment', { apiKey: KEY, baseURL: 'https://dashscope.example.test/#x' }],
    ['a base URL with a tab', { apiKey: KEY, baseURL: 'https://dashscope.example.test/\tx' }],
    ['headers as a string', { apiKey: KEY, headers: 'x-route: a' }],
    ['a header value that is a number', { apiKey: KEY, headers: { 'x-route': 1 } }],
    ['a header value with a line break', { apiKey: KEY, headers: { 'x-route': 'a\r\nb: c' } }],
    ['a header name with a space', { apiKey: KEY, headers: { 'x route': 'a' } }],
  ])('%s', (_what, options) => {
    const expected = thrown(() => eager(options as never))
    expect(expected).toBeInstanceOf(TypeError)
    const error = thrown(() => dashscope(options as never))
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe((expected as TypeError).message)
  })

  it('does not repeat a key given as the base URL', () => {
    const error = thrown(() => dashscope({ apiKey: KEY, baseURL: KEY }))
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toMatch(/`baseURL`/)
    expectNoSecret(KEY, error)
  })
})

describe("good options, once the adapter is loaded: the adapter's own provider", () => {
  it.each(GOOD)('%s', async (_what, options) => {
    const provider = dashscope(options)
    expect(provider.load).toBeUndefined()
    await expectSameAsEager(options, provider)
  })
})
