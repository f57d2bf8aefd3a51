import { adapterModule, lazyProvider } from '../kit/lazy-provider.js'
import { type ProviderOptions, providerCredentials } from '../kit/provider-options.js'
import type { Provider, ProviderPollDefaults } from '../kit/types.js'
import type { OpenAIVideoDetails } from '../openai.js'

/** What the `openai` adapter and its factory share: see {@link openai}. */
export const OPENAI_FACTS = {
  id: 'openai',
  route: { method: 'GET', path: '/v1/videos/{id}' },
  keyRequired: true,
  // vendor-docs/sora-openai-compatible-get-video.md "Polling Interval": every 3-5 s. `progress`
  // is a percentage, fine enough to aim at the predicted finish, at most 15 s apart.
  pollDefaults: { intervalMs: 4_000, maxIntervalMs: 15_000, adaptive: true },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

const adapter = /* @__PURE__ */ adapterModule<ProviderOptions, Provider<OpenAIVideoDetails>>(() =>
  import('../openai.js').then((module) => module.openai),
)

/**
 * The provider for OpenAI-compatible `/v1/videos` routes (`GET {baseURL}/v1/videos/{id}`), which
 * gateways serve for many models (Seedance, Kling, Veo, Wan, ...).
 *
 * The official OpenAI Videos API (`sora-2`, `sora-2-pro`) was retired on 2026-09-24 with no
 * replacement (vendor-notes.md "What the open-source gateways send"); its shape lives on at the
 * gateways, and this provider still reads it. `baseURL` is the gateway's root; one ending in
 * `/v1`, as openai-node users write it, works too.
 *
 * Polls every 4 s at first (the docs recommend 3-5 s), then aims at the finish predicted from
 * the progress rate, at most 15 s apart. Honours the `openai-poll-after-ms` header. Errors in
 * OpenAI's `{error: {...}}` and in the gateways' `{code, message, data}` are both read (a 400
 * `task_not_exist` is a `TaskNotFoundError`).
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({
 *   provider: openai({ baseURL: 'https://gateway.example.com/v1', apiKey: process.env.GATEWAY_KEY }),
 * })
 * const task = await client.waitFor('task_8Hq2mZpT4vXc9LrN3bKd7WfY1sGa6JeU')
 * const url = task.videoUrl ?? task.details.contentUrl // contentUrl needs the same bearer token
 * ```
 */
export function openai(options: ProviderOptions): Provider<OpenAIVideoDetails> {
  const { id, route, keyRequired, pollDefaults } = OPENAI_FACTS
  const { baseURL } = providerCredentials(id, options, keyRequired, route.path)
  return lazyProvider({ id, baseURL, pollDefaults }, options, adapter)
}
