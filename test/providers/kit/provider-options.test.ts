import { describe, expect, it } from 'vitest'
import { withoutRouteVersion } from '../../../src/providers/kit/base-url.js'
import { BUILT_IN_PROVIDERS } from '../../../src/providers/registry.js'

/*
 * The options every built-in factory takes: a misspelt key is a TypeError naming the key it
 * probably meant (never a silently ignored option), and a base URL written the way the vendor's
 * own SDK writes it (`https://host/v1`) does not double the version segment.
 */

const KEY = 'sk-options-secret-0123456789'
const BASE = 'https://api.example.test'

describe.each(BUILT_IN_PROVIDERS.map((entry) => [entry.id, entry] as const))(
  '%s()',
  (id, entry) => {
    const factory = entry.factory as (options: unknown) => ReturnType<typeof entry.factory>

    it.each([
      ['baseUrl', 'baseURL'],
      ['apikey', 'apiKey'],
      ['api_key', 'apiKey'],
      ['header', 'headers'],
    ])('refuses the misspelt option %s and suggests %s', (wrong, right) => {
      const options: Record<string, unknown> = { baseURL: BASE, apiKey: KEY, [wrong]: KEY }
      if (wrong === 'baseUrl') delete options.baseURL
      const build = () => factory(options)
      expect(build).toThrow(TypeError)
      expect(build).toThrow(`Unknown option \`${wrong}\` in ${id}() options`)
      expect(build).toThrow(`did you mean \`${right}\`?`)
      // The value (here the key) is never repeated.
      expect(() => build()).not.toThrow(KEY)
    })

    it('refuses an unknown option even when its value is undefined', () => {
      expect(() => factory({ baseURL: BASE, apiKey: KEY, timeoutMs: undefined })).toThrow(
        /Unknown option `timeoutMs`.*accepted: .*(apiKey.*baseURL|baseURL.*apiKey).*headers/,
      )
    })

    it('accepts exactly baseURL, apiKey and headers', () => {
      const provider = factory({ baseURL: BASE, apiKey: KEY, headers: { 'x-route': 'a' } })
      expect(provider.buildRequest('task_1').headers).toMatchObject({ 'x-route': 'a' })
    })

    const route = entry.description.route
    const version = /^\/((?:v\d+[a-z0-9]*)|api)\//i.exec(route.path)?.[1]

    it.runIf(version !== undefined)(
      `reads a base URL ending in /${version} as the API root, as the vendor's SDK writes it`,
      () => {
        const plain = factory({ baseURL: BASE, apiKey: KEY }).buildRequest('task_1').url
        for (const written of [`${BASE}/${version}`, `${BASE}/${version}/`]) {
          const provider = factory({ baseURL: written, apiKey: KEY })
          expect(provider.buildRequest('task_1').url, written).toBe(plain)
          expect(plain).not.toContain(`/${version}/${version}/`)
        }
        // A gateway mounted under a path keeps its mount.
        const mounted = factory({ baseURL: `${BASE}/proxy/${version}`, apiKey: KEY })
        expect(mounted.buildRequest('task_1').url).toBe(plain.replace(BASE, `${BASE}/proxy`))
      },
    )
  },
)

describe('withoutRouteVersion', () => {
  it.each([
    ['https://h.test/v1', '/v1/videos/{id}', 'https://h.test'],
    ['https://h.test/V1', '/v1/videos/{id}', 'https://h.test'],
    ['https://h.test/proxy/v1', '/v1/videos/{id}', 'https://h.test/proxy'],
    ['https://h.test/v1/x', '/v1/videos/{id}', 'https://h.test/v1/x'],
    ['https://h.test/v2', '/v1/videos/{id}', 'https://h.test/v2'],
    ['https://h.test/api', '/api/video-generations/check-result', 'https://h.test'],
    ['https://h.test/task', '/task/{id}', 'https://h.test/task'],
    ['https://h.test', '/v1/videos/{id}', 'https://h.test'],
    ['https://h.test/av1', '/v1/videos/{id}', 'https://h.test/av1'],
    ['https://h.test/api/v3', '/api/v3/contents/generations/tasks/{id}', 'https://h.test'],
    ['https://h.test/proxy/API/V1', '/api/v1/tasks/{id}', 'https://h.test/proxy'],
    ['https://h.test/api', '/api/v3/contents/generations/tasks/{id}', 'https://h.test'],
    ['https://h.test/v3', '/api/v3/contents/generations/tasks/{id}', 'https://h.test/v3'],
    ['https://h.test/api/v1', '/api/v3/contents/generations/tasks/{id}', 'https://h.test/api/v1'],
  ])('%s with %s is %s', (base, path, expected) => {
    expect(withoutRouteVersion(base, path)).toBe(expected)
  })
})
