import { checkKnownKeys } from '../../options/check-known-keys.js'
import type { DashScopeProvider } from '../dashscope.js'
import { adapterModule, lazyProvider } from '../kit/lazy-provider.js'
import { type ProviderOptions, providerCredentials } from '../kit/provider-options.js'
import { pickRegion } from '../kit/region.js'
import type { ProviderPollDefaults } from '../kit/types.js'

/*
 * The public `dashscope` factory: it checks the options at once and loads the adapter
 * (src/providers/dashscope.ts) on first use. Facts: vendor-docs/native/dashscope-wan.md (cited as
 * "dashscope-wan.md §Section").
 */

/** What the `dashscope` adapter and its factory share: see {@link dashscope}. */
export const DASHSCOPE_FACTS = {
  id: 'dashscope',
  // The adapter's TASKS_PATH item, written out: a template literal at the top level keeps this
  // object in bundles that never use it (kit/lazy.ts).
  route: { method: 'GET', path: '/api/v1/tasks/{id}' },
  keyRequired: true,
  // dashscope-wan.md §Polling advice: 5-10 s advised, 15 s common in samples; §Rate limits: task
  // queries are limited to 20 per second per account. No progress field to predict from.
  pollDefaults: { intervalMs: 10_000, maxIntervalMs: 15_000, adaptive: false },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/** The Model Studio regions with a documented host. */
export type DashScopeRegion = 'cn-beijing' | 'ap-southeast-1'

/** dashscope-wan.md §Hosts and auth: model, host and key must be in the same region. */
const REGIONS: Readonly<Record<DashScopeRegion, string>> = {
  'cn-beijing': 'https://dashscope.aliyuncs.com',
  'ap-southeast-1': 'https://dashscope-intl.aliyuncs.com',
}

/** The options of {@link dashscope}. */
export interface DashScopeOptions {
  /**
   * The DashScope API key (`sk-...`), sent as `Authorization: Bearer <apiKey>` to the base URL's
   * origin only. A key from another region reads as an invalid key (401).
   */
  apiKey: string
  /**
   * `cn-beijing` (`https://dashscope.aliyuncs.com`) or `ap-southeast-1`, Singapore
   * (`https://dashscope-intl.aliyuncs.com`). The US host is not documented yet: give it as
   * `baseURL`. `baseURL`, when given, wins.
   * @default 'cn-beijing'
   */
  region?: DashScopeRegion | undefined
  /**
   * Another host: a workspace domain (`https://{WorkspaceId}.cn-beijing.maas.aliyuncs.com`), a
   * proxy, the simulator. `https://host/api/v1`, as the DashScope SDKs write it, works too.
   * @default the region's base URL
   */
  baseURL?: string | undefined
  /** Extra headers for every request. */
  headers?: Record<string, string> | undefined
}

// The shared provider options first, as every built-in factory lists them.
const OPTION_KEYS = ['baseURL', 'apiKey', 'headers', 'region'] as const

/** What {@link checkDashScopeOptions} found. */
export interface CheckedDashScopeOptions {
  /** `baseURL` (the region's when not given), `apiKey` and `headers`, for `builtInProvider`. */
  providerOptions: ProviderOptions
  /** The base URL the provider has: checked, without a trailing slash or `/api/v1`. */
  baseURL: string
}

/**
 * Checks `dashscope()`'s options, for both factories (this file's and the adapter's eager one),
 * so that they throw the same `TypeError`s: an options object, known keys, the region, then the
 * shared checks of the base URL, the key and the headers.
 */
export function checkDashScopeOptions(options: DashScopeOptions): CheckedDashScopeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected dashscope() to receive an options object with `apiKey`')
  }
  checkKnownKeys(options, OPTION_KEYS, 'dashscope() options')
  const region = pickRegion(DASHSCOPE_FACTS.id, options.region, REGIONS, 'cn-beijing')
  const providerOptions = {
    baseURL: options.baseURL ?? REGIONS[region],
    apiKey: options.apiKey,
    headers: options.headers,
  }
  // A base URL ending in `/api/v1`, as the DashScope SDKs write it, loses it here (as in
  // builtInProvider).
  const { baseURL } = providerCredentials(
    DASHSCOPE_FACTS.id,
    providerOptions,
    DASHSCOPE_FACTS.keyRequired,
    DASHSCOPE_FACTS.route.path,
  )
  return { providerOptions, baseURL }
}

const adapter = /* @__PURE__ */ adapterModule<DashScopeOptions, DashScopeProvider>(() =>
  import('../dashscope.js').then((module) => module.dashscope),
)

/**
 * Wan on Alibaba Cloud Model Studio (DashScope), natively (`GET {baseURL}/api/v1/tasks/{id}`).
 *
 * - Reads `PENDING`, `RUNNING`, `SUCCEEDED`, `FAILED`, `CANCELED` (one L). `UNKNOWN`, which
 *   DashScope answers with HTTP 200 for an id it does not know or no longer keeps (tasks live
 *   about 24 h) and which never changes, is a `TaskNotFoundError`: a wait ends at once instead of
 *   spinning to its deadline. (The fixtures' README suggests a grace period after a submit; an
 *   adapter reads one response and knows no submit time, and the create answer already names the
 *   task, so there is none.)
 * - No progress field. Timestamps are zone-less strings read as UTC+8 (unconfirmed).
 * - `expiresAt`: the video URL's `Expires` parameter, else `end_time` + 24 h.
 * - Polls every 10 s at first, backing off to 15 s (the docs advise 5-10 s; queries are limited
 *   to 20 per second per account).
 * - Create: `POST .../video-synthesis` with `X-DashScope-Async: enable` (without it DashScope
 *   refuses the call). Cancel: `POST /api/v1/tasks/{id}/cancel`, only while `PENDING`.
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({
 *   provider: dashscope({ apiKey: process.env.DASHSCOPE_API_KEY, region: 'ap-southeast-1' }),
 * })
 * const task = await client.waitFor('0385dc79-5ff8-4d82-bcb6-0a1b2c3d4e5f')
 * if (task.status === 'succeeded') console.log(task.videoUrl, task.expiresAt)
 * ```
 */
export function dashscope(options: DashScopeOptions): DashScopeProvider {
  const { baseURL } = checkDashScopeOptions(options)
  const { id, pollDefaults } = DASHSCOPE_FACTS
  return lazyProvider({ id, baseURL, pollDefaults }, options, adapter)
}
