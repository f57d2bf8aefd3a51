import type { DoubaoVideoDetails } from '../doubao.js'
import { adapterModule, lazyProvider } from '../kit/lazy-provider.js'
import { type ProviderOptions, providerCredentials } from '../kit/provider-options.js'
import type { Provider, ProviderPollDefaults } from '../kit/types.js'

/** What the `doubao` adapter and its factory share: see {@link doubao}. */
export const DOUBAO_FACTS = {
  id: 'doubao',
  route: { method: 'GET', path: '/v1/video/generations/{id}' },
  keyRequired: true,
  // vendor-notes.md "Doubao": progress moves in coarse steps (10, 20, 30, 50, 100) that say
  // little about time left, so the finish is not predicted from its rate.
  pollDefaults: { intervalMs: 5_000, maxIntervalMs: 10_000, adaptive: false },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

const adapter = /* @__PURE__ */ adapterModule<ProviderOptions, Provider<DoubaoVideoDetails>>(() =>
  import('../doubao.js').then((module) => module.doubao),
)

/**
 * Doubao (Volcengine Seedance) video tasks through relay gateways
 * (`GET {baseURL}/v1/video/generations/{id}`).
 *
 * Polls every 5 s at first, growing to 10 s (the doc recommends 5-10 s). Status words are compared
 * case-insensitively (gateways send `SUCCESS`, the doc `success`), and the video URL is read from
 * `result_url`, `url`, or, on success only, `fail_reason`.
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({
 *   provider: doubao({ baseURL: 'https://gateway.example.com', apiKey: process.env.GATEWAY_KEY }),
 * })
 * const task = await client.waitFor('task_abc123xyz456')
 * if (task.status === 'succeeded') console.log(task.videoUrl) // download soon: links expire
 * ```
 */
export function doubao(options: ProviderOptions): Provider<DoubaoVideoDetails> {
  const { id, route, keyRequired, pollDefaults } = DOUBAO_FACTS
  const { baseURL } = providerCredentials(id, options, keyRequired, route.path)
  return lazyProvider({ id, baseURL, pollDefaults }, options, adapter)
}
