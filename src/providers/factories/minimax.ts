import { adapterModule, lazyProvider } from '../kit/lazy-provider.js'
import { type ProviderOptions, providerCredentials } from '../kit/provider-options.js'
import type { Provider, ProviderPollDefaults } from '../kit/types.js'
import type { MiniMaxInput, MiniMaxVideoDetails } from '../minimax.js'

/** What the `minimax` adapter and its factory share: see {@link minimax}. */
export const MINIMAX_FACTS = {
  id: 'minimax',
  route: { method: 'GET', path: '/v1/query/video_generation?task_id={id}' },
  keyRequired: true,
  // vendor-docs/native/minimax.md "Polling advice": the official MCP polls every 20 s; the
  // first read comes sooner for short tasks. No progress, so nothing to predict the finish from.
  pollDefaults: { intervalMs: 10_000, maxIntervalMs: 20_000, adaptive: false },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/** The global host; mainland accounts use `https://api.minimaxi.com` (keys are per region). */
export const MINIMAX_DEFAULT_BASE_URL = 'https://api.minimax.io'

// The options of `minimax`: the common ones, with `baseURL` optional. The public signature
// spells it out, as it did before the factory moved here (src/index.ts lists the named types).
type MiniMaxOptions = Omit<ProviderOptions, 'baseURL'> & { baseURL?: string | undefined }

/**
 * `minimax`'s options with the default base URL filled in when none is given. Both factories
 * call it before `providerCredentials` checks the rest, so they agree on the base URL and on
 * every message; a value that is not an object goes through as it is, for that check to refuse.
 */
export function minimaxOptions(options: MiniMaxOptions): ProviderOptions {
  return typeof options === 'object' && options !== null && options.baseURL === undefined
    ? { ...options, baseURL: MINIMAX_DEFAULT_BASE_URL }
    : (options as ProviderOptions)
}

const adapter = /* @__PURE__ */ adapterModule<
  MiniMaxOptions,
  Provider<MiniMaxVideoDetails, MiniMaxInput>
>(() => import('../minimax.js').then((module) => module.minimax))

/**
 * MiniMax (Hailuo) video generation through MiniMax's own API: create with
 * `POST /v1/video_generation`, read with `GET /v1/query/video_generation?task_id=`, and fetch
 * the output through the file API (`GET /v1/files/retrieve?file_id=`), all with
 * `Authorization: Bearer <apiKey>`.
 *
 * - Errors arrive as HTTP 200 with a non-zero `base_resp.status_code`: 1000/1001/1024/1033 are
 *   retried (`ServerError`), 1002/1039/1041/2045/2056 are rate limits, 1004/2049 a bad key (or a
 *   key of the other region's host), 1008/2038 `PermissionDeniedError`, 2013 `invalid task_id` a
 *   `TaskNotFoundError`. A `Fail` with 1026/1027 is a failed task (moderation).
 * - Statuses `Preparing` and `Queueing` are queued, `Processing` running, `Success` succeeded,
 *   `Fail` failed, compared case-insensitively (callbacks send `processing`, `success`,
 *   `failed`). No progress and no timestamps.
 * - A succeeded task has no URL, only `details.fileId`: `outputs(task)` resolves it at download
 *   time; the link is taken to live 9 hours (unconfirmed for video generation).
 * - MiniMax documents no cancel: `buildCancelRequest` is absent.
 * - Polls every 10 s at first, then every 20 s (the official MCP server polls every 20 s).
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({ provider: minimax({ apiKey: process.env.MINIMAX_API_KEY }) })
 * const task = await client.waitFor('106916112212032')
 * console.log(task.details.fileId) // resolved into a download URL by client.download
 * ```
 */
export function minimax(
  options: Omit<ProviderOptions, 'baseURL'> & { baseURL?: string | undefined },
): Provider<MiniMaxVideoDetails, MiniMaxInput> {
  const { id, route, keyRequired, pollDefaults } = MINIMAX_FACTS
  const { baseURL } = providerCredentials(id, minimaxOptions(options), keyRequired, route.path)
  return lazyProvider({ id, baseURL, pollDefaults }, options, adapter)
}

/**
 * The answer a `callback_url` receiver sends to a MiniMax callback body: the verification
 * request's `{ challenge }` echoed (within 3 s, vendor-docs/native/minimax.md "Callbacks"),
 * `null` for a status callback (answer it with any 200, then confirm by reading the task:
 * callbacks are not signed). It needs no adapter: importing it loads none.
 *
 * @example
 * ```ts
 * const reply = minimaxCallbackAnswer(await request.json())
 * return Response.json(reply ?? { ok: true })
 * ```
 */
export function minimaxCallbackAnswer(body: unknown): { challenge: string } | null {
  const challenge =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as { challenge?: unknown }).challenge
      : undefined
  return typeof challenge === 'string' && challenge !== '' ? { challenge } : null
}
