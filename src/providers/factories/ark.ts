import { checkKnownKeys } from '../../options/check-known-keys.js'
import type { ArkProvider } from '../ark.js'
import { adapterModule, lazyProvider } from '../kit/lazy-provider.js'
import { type ProviderOptions, providerCredentials } from '../kit/provider-options.js'
import { pickRegion } from '../kit/region.js'
import type { ProviderPollDefaults } from '../kit/types.js'

/*
 * The public `ark` factory: it checks the options at once and loads the adapter (src/providers/
 * ark.ts) on first use. Facts: vendor-docs/native/ark-seedance.md (cited as "ark-seedance.md
 * §Section").
 */

/** What the `ark` adapter and its factory share: see {@link ark}. */
export const ARK_FACTS = {
  id: 'ark',
  // The adapter's TASKS_PATH item, written out: a template literal at the top level keeps this
  // object in bundles that never use it (kit/lazy.ts).
  route: { method: 'GET', path: '/api/v3/contents/generations/tasks/{id}' },
  keyRequired: true,
  // ark-seedance.md §Polling advice: no official interval; 3 s, 10-20 s and 15 s in use, runs of
  // 1-5 minutes, and GETs count against the request limits. No progress to predict from.
  pollDefaults: { intervalMs: 5_000, maxIntervalMs: 15_000, adaptive: false },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/** The clouds Ark runs on, by region: Volcengine Ark and BytePlus ModelArk. */
export type ArkRegion = 'ap-southeast-1' | 'cn-beijing'

/**
 * ark-seedance.md §Hosts and auth: same paths and JSON on both; keys and model ids are per cloud.
 * The base URLs are kept without `/api/v3`: the routes carry it.
 */
const REGIONS: Readonly<Record<ArkRegion, { baseURL: string; defaultModel: string }>> = {
  'ap-southeast-1': {
    baseURL: 'https://ark.ap-southeast.bytepluses.com',
    defaultModel: 'seedance-1-0-pro-250528',
  },
  'cn-beijing': {
    baseURL: 'https://ark.cn-beijing.volces.com',
    defaultModel: 'doubao-seedance-1-0-pro-250528',
  },
}

/** The options of {@link ark}. */
export interface ArkOptions {
  /**
   * The Ark API key (`ARK_API_KEY`), sent as `Authorization: Bearer <apiKey>` to the base URL's
   * origin only. Keys are per cloud: a Volcengine key answers 401 on BytePlus and back.
   */
  apiKey: string
  /**
   * Which cloud: `ap-southeast-1` is BytePlus ModelArk (`https://ark.ap-southeast.bytepluses.com`),
   * `cn-beijing` is Volcengine Ark (`https://ark.cn-beijing.volces.com`). It also picks the
   * default model, whose id differs per cloud. `baseURL`, when given, wins for the host.
   * @default 'ap-southeast-1'
   */
  region?: ArkRegion | undefined
  /**
   * Another host (a proxy, a gateway, the simulator). `https://host/api/v3`, as the vendor's SDKs
   * write it, works too: `/api/v3` is not repeated.
   * @default the region's base URL
   */
  baseURL?: string | undefined
  /** Extra headers for every request. */
  headers?: Record<string, string> | undefined
}

// The shared provider options first, as every built-in factory lists them.
const OPTION_KEYS = ['baseURL', 'apiKey', 'headers', 'region'] as const

/** What {@link checkArkOptions} found: the options for the shared provider kit, and the cloud. */
export interface CheckedArkOptions {
  /** `baseURL` (the region's when not given), `apiKey` and `headers`, for `builtInProvider`. */
  providerOptions: ProviderOptions
  /** The base URL the provider has: checked, without a trailing slash or `/api/v3`. */
  baseURL: string
  /** The cloud's model when the input names none (model ids differ per cloud). */
  defaultModel: string
}

/**
 * Checks `ark()`'s options, for both factories (this file's and the adapter's eager one), so
 * that they throw the same `TypeError`s: an options object, known keys, the region, then the
 * shared checks of the base URL, the key and the headers.
 */
export function checkArkOptions(options: ArkOptions): CheckedArkOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected ark() to receive an options object with `apiKey`')
  }
  checkKnownKeys(options, OPTION_KEYS, 'ark() options')
  const cloud = REGIONS[pickRegion(ARK_FACTS.id, options.region, REGIONS, 'ap-southeast-1')]
  const providerOptions = {
    baseURL: options.baseURL ?? cloud.baseURL,
    apiKey: options.apiKey,
    headers: options.headers,
  }
  // A base URL ending in `/api/v3`, as Ark's SDKs write it, loses it here (as in builtInProvider).
  const { baseURL } = providerCredentials(
    ARK_FACTS.id,
    providerOptions,
    ARK_FACTS.keyRequired,
    ARK_FACTS.route.path,
  )
  return { providerOptions, baseURL, defaultModel: cloud.defaultModel }
}

const adapter = /* @__PURE__ */ adapterModule<ArkOptions, ArkProvider>(() =>
  import('../ark.js').then((module) => module.ark),
)

/**
 * Seedance on Volcengine Ark / BytePlus ModelArk, natively
 * (`{baseURL}/api/v3/contents/generations/tasks[/{id}]`).
 *
 * - Reads: `queued`, `running`, `succeeded`, `failed`, `cancelled` and `expired` (a final
 *   failure with code `expired`); gateways' `pending` / `processing` too, in any case. No
 *   progress field: `progress` is `null`.
 * - `expiresAt`: 24 h after the terminal `updated_at` (the documented URL lifetime; derived, Ark
 *   does not send it).
 * - Polls every 5 s at first, backing off to 15 s (no official advice; runs take 1-5 minutes).
 * - Create: `POST`, the shared input mapped to `content` and top-level fields, `providerInput`
 *   for the rest (`ArkProviderInput`). No idempotency header exists: a lost create answer
 *   is never resent.
 * - Cancel: `DELETE`, **only while queued**. Ark refuses it on a running task, and on a finished
 *   task the same `DELETE` deletes the record (ark-seedance.md §Cancel / delete): check the status
 *   first.
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({ provider: ark({ apiKey: process.env.ARK_API_KEY }) })
 * const task = await client.waitFor('cgt-20250331175019-68d9t')
 * if (task.status === 'succeeded') console.log(task.videoUrl, task.expiresAt) // 24 h link
 * ```
 */
export function ark(options: ArkOptions): ArkProvider {
  const { baseURL } = checkArkOptions(options)
  const { id, pollDefaults } = ARK_FACTS
  return lazyProvider({ id, baseURL, pollDefaults }, options, adapter)
}
