import type {
  CheckResultCreateOptions,
  CheckResultOptions,
  CheckResultVideoDetails,
} from '../check-result.js'
import { isHeaderName } from '../kit/header-value.js'
import { adapterModule, lazyProvider } from '../kit/lazy-provider.js'
import { type ProviderOptions, providerCredentials } from '../kit/provider-options.js'
import type { Provider, ProviderPollDefaults } from '../kit/types.js'

/** What the `check-result` adapter and its factory share: see {@link checkResult}. */
export const CHECK_RESULT_FACTS = {
  id: 'check-result',
  // The provider has already refused an empty, `.` or `..` id; in a JSON body nothing else
  // needs escaping beyond what JSON.stringify does.
  route: {
    method: 'POST',
    path: '/api/video-generations/check-result',
    body: (taskId: string) => ({ taskId }),
  },
  // The endpoint's OpenAPI declares no security (`security: []`).
  keyRequired: false,
  // `progress` is an integer 0-100 (the schema), fine-grained enough to predict the finish.
  pollDefaults: { intervalMs: 5_000, maxIntervalMs: 15_000, adaptive: true },
} as const satisfies {
  id: string
  route: { method: 'POST'; path: `/${string}`; body(taskId: string): unknown }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/** The user's create API, checked: both halves, and the idempotency header when given. */
export interface CheckResultCreate {
  /** The user's `buildCreateRequest`. */
  buildCreateRequest: NonNullable<CheckResultCreateOptions['buildCreateRequest']>
  /** The user's `parseCreateResponse`. */
  parseCreateResponse: NonNullable<CheckResultCreateOptions['parseCreateResponse']>
  /** The user's `idempotencyHeader`, a header name. */
  idempotencyHeader: string | undefined
}

/**
 * `checkResult`'s options split into the common provider options and the checked create API
 * (`undefined` when not given). Both factories call it, so a half create or a bad
 * `idempotencyHeader` is the same `TypeError` from either; the common options are left to
 * `providerCredentials`, which a value that is not an object reaches as it is.
 */
export function checkResultOptions(options: CheckResultOptions): {
  providerOptions: Partial<ProviderOptions>
  create: CheckResultCreate | undefined
} {
  if (typeof options !== 'object' || options === null) {
    return { providerOptions: options, create: undefined }
  }
  const { buildCreateRequest, parseCreateResponse, idempotencyHeader, ...providerOptions } = options
  if (buildCreateRequest === undefined && parseCreateResponse === undefined) {
    if (idempotencyHeader !== undefined) {
      throw new TypeError('Expected `idempotencyHeader` only with `buildCreateRequest`')
    }
    return { providerOptions, create: undefined }
  }
  if (typeof buildCreateRequest !== 'function' || typeof parseCreateResponse !== 'function') {
    throw new TypeError(
      'Expected `buildCreateRequest` and `parseCreateResponse` as functions, together',
    )
  }
  // The message user-defined providers give (kit/create-lifecycle.ts), which also checks it
  // when the adapter builds the provider: here it is checked before the adapter loads.
  if (
    idempotencyHeader !== undefined &&
    (typeof idempotencyHeader !== 'string' || !isHeaderName(idempotencyHeader))
  ) {
    throw new TypeError('Expected `idempotencyHeader` to be a header name')
  }
  return { providerOptions, create: { buildCreateRequest, parseCreateResponse, idempotencyHeader } }
}

const adapter = /* @__PURE__ */ adapterModule<
  CheckResultOptions,
  Provider<CheckResultVideoDetails>
>(() => import('../check-result.js').then((module) => module.checkResult))

/**
 * A `POST {baseURL}/api/video-generations/check-result` API (Sora 2 resellers): the task id goes
 * in the JSON body as `{"taskId": id}`, and the server fetches the task's result in real time.
 *
 * Polls every 5 s at first, then aims at the finish predicted from the progress rate, at most
 * 15 s apart. `result_url` can be filled while the task still runs:
 * `task.status`, not `task.videoUrl`, says when it is done. The vendor allows about 20
 * concurrent tasks per account.
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({
 *   provider: checkResult({ baseURL: 'https://freesoragenerator.com' }),
 * })
 * const task = await client.waitFor('task_1234567890')
 * console.log(task.videoUrls) // every result_url(s)
 * ```
 */
export function checkResult(options: CheckResultOptions): Provider<CheckResultVideoDetails> {
  const { id, route, keyRequired, pollDefaults } = CHECK_RESULT_FACTS
  const { providerOptions } = checkResultOptions(options)
  const { baseURL } = providerCredentials(id, providerOptions, keyRequired, route.path)
  return lazyProvider({ id, baseURL, pollDefaults }, options, adapter)
}
