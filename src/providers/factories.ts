import { checkKnownKeys } from '../options/check-known-keys.js'
import type { ArkProvider } from './ark.js'
import type {
  CheckResultCreateOptions,
  CheckResultOptions,
  CheckResultVideoDetails,
} from './check-result.js'
import type { DashScopeProvider } from './dashscope.js'
import type { DoubaoVideoDetails } from './doubao.js'
import type { GeminiOptions, GeminiProviderInput, GeminiVideoDetails } from './gemini.js'
import type { GenericTaskOptions, GenericTaskVideoDetails } from './generic-task.js'
import { normalizeBaseURL, withoutRouteVersion } from './kit/base-url.js'
import { checkHeaderValue, checkRequestHeaders, isHeaderName } from './kit/header-value.js'
import { adapterModule, lazyProvider } from './kit/lazy-provider.js'
import { type ProviderOptions, providerCredentials } from './kit/provider-options.js'
import { pickRegion } from './kit/region.js'
import type { Provider, ProviderPollDefaults } from './kit/types.js'
import type { KlingOptions, KlingProviderInput, KlingVideoDetails } from './kling.js'
import type { MiniMaxInput, MiniMaxVideoDetails } from './minimax.js'
import type { OpenAIVideoDetails } from './openai.js'
import type { RunwayInput, RunwayVideoDetails } from './runway.js'

/*
 * The built-in providers' factories, as `import 'video-tasks'` loads them: per vendor, the facts
 * its adapter shares (`<X>_FACTS`: id, route, key rule, poll timing), its option checks (which the
 * adapter's own factory runs too, so both throw the same TypeErrors), and the public factory,
 * which checks the options at once and returns a provider whose adapter loads with `import()` on
 * first use (kit/lazy-provider.ts, `Provider.load`; issue 12, "Cost of importing it").
 *
 * One module for all vendors, a section each: the adapters import their facts from here, and a
 * module an adapter imports becomes a chunk of its own in a bundle (esbuild, Rollup and webpack
 * split by module). Ten factory modules made ten chunks, whose import glue cost about 0.4 kB
 * min+gzip of the entry (bench figure 5); one module is one chunk. A bundler still drops the
 * factories a program does not use, statement by statement (each `adapterModule` call is
 * annotated pure; scripts/smoke-package.mjs checks a one-provider bundle).
 */

// ---- openai ----

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

const openaiAdapter = /* @__PURE__ */ adapterModule<ProviderOptions, Provider<OpenAIVideoDetails>>(
  () => import('./openai.js').then((module) => module.openai),
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
  return lazyProvider({ id, baseURL, pollDefaults }, options, openaiAdapter)
}

// ---- doubao ----

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

const doubaoAdapter = /* @__PURE__ */ adapterModule<ProviderOptions, Provider<DoubaoVideoDetails>>(
  () => import('./doubao.js').then((module) => module.doubao),
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
  return lazyProvider({ id, baseURL, pollDefaults }, options, doubaoAdapter)
}

// ---- generic-task ----

/** What the `generic-task` adapter and its factory share: see {@link genericTask}. */
export const GENERIC_TASK_FACTS = {
  id: 'generic-task',
  route: { method: 'GET', path: '/task/{id}' },
  keyRequired: true,
  // Neither shape reports progress, so there is no rate to predict the finish from.
  pollDefaults: { intervalMs: 5_000, maxIntervalMs: 10_000, adaptive: false },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/**
 * `genericTask`'s options split into the common provider options and the checked `createPath`
 * (`undefined` when not given: the adapter's default route). Both factories call it, so a bad
 * `createPath` is the same `TypeError` from either; the common options are left to
 * `providerCredentials`, which a value that is not an object reaches as it is.
 */
export function genericTaskOptions(options: GenericTaskOptions): {
  providerOptions: ProviderOptions
  createPath: string | undefined
} {
  if (typeof options !== 'object' || options === null) {
    return { providerOptions: options, createPath: undefined }
  }
  // Taken out even when `undefined` (`createPath: config.createPath`): it is a known option, not
  // a typo for the common ones' check to refuse.
  const { createPath, ...providerOptions } = options
  if (
    createPath !== undefined &&
    (typeof createPath !== 'string' || !/^\/[^?#\s]*$/.test(createPath))
  ) {
    throw new TypeError(
      `Expected \`createPath\` to be a path starting with /, got ${shown(createPath)}`,
    )
  }
  return { providerOptions, createPath }
}

/** A wrong `createPath` for the message: a string quoted, a number as is, else its type only. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value)
  }
  // A bigint would make JSON.stringify throw, and an object or a function may be anything.
  return `a value of type ${typeof value}`
}

const genericTaskAdapter = /* @__PURE__ */ adapterModule<
  GenericTaskOptions,
  Provider<GenericTaskVideoDetails>
>(() => import('./generic-task.js').then((module) => module.genericTask))

/**
 * Generic task APIs (`GET {baseURL}/task/{id}`): the documented `{code, data, ...}` envelope
 * and the bare MiniMax-style object the same route may answer with.
 *
 * Polls every 5 s at first, growing to 10 s. A succeeded MiniMax-style task often has no URL, only
 * `details.fileId`: see {@link GenericTaskVideoDetails} for how to resolve it.
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({
 *   provider: genericTask({ baseURL: 'https://api.example.com', apiKey: process.env.TASK_API_KEY }),
 * })
 * const task = await client.waitFor('314052875571396')
 * if (!task.videoUrl && task.details.fileId) {
 *   // MiniMax: GET /v1/files/retrieve?file_id=${task.details.fileId} -> file.download_url
 * }
 * ```
 */
export function genericTask(options: GenericTaskOptions): Provider<GenericTaskVideoDetails> {
  const { id, route, keyRequired, pollDefaults } = GENERIC_TASK_FACTS
  const { providerOptions } = genericTaskOptions(options)
  const { baseURL } = providerCredentials(id, providerOptions, keyRequired, route.path)
  return lazyProvider({ id, baseURL, pollDefaults }, options, genericTaskAdapter)
}

// ---- check-result ----

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

const checkResultAdapter = /* @__PURE__ */ adapterModule<
  CheckResultOptions,
  Provider<CheckResultVideoDetails>
>(() => import('./check-result.js').then((module) => module.checkResult))

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
  return lazyProvider({ id, baseURL, pollDefaults }, options, checkResultAdapter)
}

// ---- minimax ----

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

const minimaxAdapter = /* @__PURE__ */ adapterModule<
  MiniMaxOptions,
  Provider<MiniMaxVideoDetails, MiniMaxInput>
>(() => import('./minimax.js').then((module) => module.minimax))

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
  return lazyProvider({ id, baseURL, pollDefaults }, options, minimaxAdapter)
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

// ---- kling ----

/** What the `kling` adapter and its factory share: see {@link kling}. */
export const KLING_FACTS = {
  id: 'kling',
  // The API-key route; the legacy ones are `/v1/videos/{text2video|image2video}/{id}`.
  route: { method: 'GET', path: '/tasks?task_ids={id}' },
  keyRequired: true,
  // vendor-docs/native/kling.md "Polling advice": none official; community tools poll every
  // 10 s and tasks take 30-300 s. Reads do not count against concurrency. No progress to aim by.
  pollDefaults: { intervalMs: 10_000, maxIntervalMs: 20_000, adaptive: false },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/** vendor-docs/native/kling.md "Hosts": the docs moved the endpoint to the Singapore host. */
export const KLING_DEFAULT_BASE_URL = 'https://api-singapore.klingai.com'

/** Every key `kling()`'s options accept. */
const KLING_OPTION_KEYS = ['baseURL', 'apiKey', 'headers', 'accessKey', 'secretKey'] as const

/*
 * The version prefix a base URL may already end in: the legacy routes are `/v1/videos/...`
 * (the API-key routes have none), so `https://api-singapore.klingai.com/v1` loses its `/v1`.
 */
const VERSIONED_ROUTE = '/v1/videos/{id}'

/** `kling()`'s options once checked: what the adapter's factory builds its provider from. */
export interface CheckedKlingOptions {
  /** The base URL, normalized, without a version segment the routes add. */
  baseURL: string
  /** The user's extra headers (checked: HTTP tokens, sendable values). */
  headers: Record<string, string>
  /** The credential: the legacy routes' keys (an HS256 token is signed from them) or an API key. */
  credential:
    | { kind: 'signed'; accessKey: string; secretKey: string }
    | { kind: 'api-key'; apiKey: string }
}

/**
 * A non-empty key. The API key is sent as a header value, so it must be one (a line break, a
 * character outside Latin-1, ...); the access and secret keys only go into the signed token (the
 * secret key is never sent), where a line break is still surely a pasting mistake.
 */
function requireKey(value: unknown, name: string, sentAsHeader: boolean): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`Expected \`${name}\` to be a non-empty string for kling()`)
  }
  if (sentAsHeader) checkHeaderValue(name, value)
  else if (/[\r\n]/.test(value)) throw new TypeError(`Expected \`${name}\` without line breaks`)
  return value
}

/**
 * Checks `kling()`'s options, for both the public factory and the adapter's own, so that the two
 * throw the same `TypeError`s: an options object with known keys only, either `apiKey` or
 * `accessKey` and `secretKey` (vendor-docs/native/kling.md "Two API generations": whether either
 * route accepts the other's credential is unconfirmed, so they are not mixed), a base URL, headers.
 */
export function checkKlingOptions(options: KlingOptions): CheckedKlingOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'Expected kling() to receive an options object with `apiKey`, or `accessKey` and `secretKey`',
    )
  }
  checkKnownKeys(options, KLING_OPTION_KEYS, 'kling() options')
  const given = options as Record<string, unknown>
  const signed = given.accessKey !== undefined || given.secretKey !== undefined
  if (signed && given.apiKey !== undefined) {
    throw new TypeError(
      'Expected kling() to receive either `apiKey` or `accessKey` and `secretKey`, not both',
    )
  }
  if (!signed && given.apiKey === undefined) {
    throw new TypeError(
      'Expected `apiKey` (or `accessKey` and `secretKey`) to be a non-empty string for kling()',
    )
  }
  const baseURL = withoutRouteVersion(
    normalizeBaseURL(given.baseURL ?? KLING_DEFAULT_BASE_URL),
    VERSIONED_ROUTE,
  )
  // `null` is refused, as before the factory moved here: only a missing `headers` means none.
  const headers = given.headers === undefined ? {} : given.headers
  checkRequestHeaders(headers, 'headers.')
  const credential: CheckedKlingOptions['credential'] = signed
    ? {
        kind: 'signed',
        accessKey: requireKey(given.accessKey, 'accessKey', false),
        secretKey: requireKey(given.secretKey, 'secretKey', false),
      }
    : { kind: 'api-key', apiKey: requireKey(given.apiKey, 'apiKey', true) }
  return { baseURL, headers: headers as Record<string, string>, credential }
}

const klingAdapter = /* @__PURE__ */ adapterModule<
  KlingOptions,
  Provider<KlingVideoDetails, KlingProviderInput>
>(() => import('./kling.js').then((module) => module.kling))

/**
 * Kling's own API (Kuaishou), as `kling({ accessKey, secretKey })` for the legacy routes or
 * `kling({ apiKey })` for the newer API-key routes (vendor-docs/native/kling.md "Two API
 * generations"). The two are not mixed: whether either route accepts the other's credential is
 * unconfirmed.
 *
 * - **Legacy** (`accessKey` + `secretKey`): creates on `POST /v1/videos/text2video` (or
 *   `image2video` when an image is given) and reads on the same family,
 *   `GET /v1/videos/{family}/{id}`. Every request carries `Authorization: Bearer <token>`, an
 *   HS256 JWT (`iss` = access key, 30 min) signed with WebCrypto and re-signed 5 min before it
 *   expires (see `src/providers/kit/hs256-token.ts`). Because WebCrypto signs asynchronously and
 *   a request builder is pure and synchronous, the token is added by the provider's async
 *   {@link Provider.authorize} hook, which the client awaits before it sends; requests built
 *   by `buildRequest` alone carry no credential.
 * - **API key**: creates on `POST /text-to-video/{model}` (or `image-to-video`), reads on
 *   `GET /tasks?task_ids={id}` with `Authorization: Bearer <apiKey>`.
 *
 * A task is read on the route family it was created on: `submit` stores it as the `TaskRef`'s
 * `route` (`text2video`, `image2video` or `tasks`) and `buildRequest(id, route)` uses it; a bare
 * id is read on `text2video` (legacy) or `tasks` (API key). No progress is reported; polls every
 * 10 s, growing to 20 s. Kling cannot cancel a task. Videos are public links, deleted after 30
 * days (`expiresAt`).
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({
 *   provider: kling({ accessKey: process.env.KLING_ACCESS_KEY, secretKey: process.env.KLING_SECRET_KEY }),
 * })
 * const task = await client.waitFor('866889456698785798')
 * ```
 */
export function kling(options: KlingOptions): Provider<KlingVideoDetails, KlingProviderInput> {
  const { baseURL } = checkKlingOptions(options)
  const { id, pollDefaults } = KLING_FACTS
  return lazyProvider({ id, baseURL, pollDefaults }, options, klingAdapter)
}

// ---- ark ----

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
const ARK_REGIONS: Readonly<Record<ArkRegion, { baseURL: string; defaultModel: string }>> = {
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
const ARK_OPTION_KEYS = ['baseURL', 'apiKey', 'headers', 'region'] as const

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
  checkKnownKeys(options, ARK_OPTION_KEYS, 'ark() options')
  const cloud = ARK_REGIONS[pickRegion(ARK_FACTS.id, options.region, ARK_REGIONS, 'ap-southeast-1')]
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

const arkAdapter = /* @__PURE__ */ adapterModule<ArkOptions, ArkProvider>(() =>
  import('./ark.js').then((module) => module.ark),
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
  return lazyProvider({ id, baseURL, pollDefaults }, options, arkAdapter)
}

// ---- dashscope ----

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
const DASHSCOPE_REGIONS: Readonly<Record<DashScopeRegion, string>> = {
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
const DASHSCOPE_OPTION_KEYS = ['baseURL', 'apiKey', 'headers', 'region'] as const

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
  checkKnownKeys(options, DASHSCOPE_OPTION_KEYS, 'dashscope() options')
  const region = pickRegion(DASHSCOPE_FACTS.id, options.region, DASHSCOPE_REGIONS, 'cn-beijing')
  const providerOptions = {
    baseURL: options.baseURL ?? DASHSCOPE_REGIONS[region],
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

const dashscopeAdapter = /* @__PURE__ */ adapterModule<DashScopeOptions, DashScopeProvider>(() =>
  import('./dashscope.js').then((module) => module.dashscope),
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
  return lazyProvider({ id, baseURL, pollDefaults }, options, dashscopeAdapter)
}

// ---- gemini ----

/** What the `gemini` adapter and its factory share: see {@link gemini}. */
export const GEMINI_FACTS = {
  id: 'gemini',
  route: { method: 'GET', path: '/v1beta/{id}' },
  keyRequired: true,
  // vendor-docs/native/gemini-veo.md "Polling advice": the official samples poll every 10 s;
  // runs take 1-6 min; no progress to aim by.
  pollDefaults: { intervalMs: 10_000, maxIntervalMs: 20_000, adaptive: false },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/** vendor-docs/native/gemini-veo.md "Auth and host". */
export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com'

/** Every key `gemini()`'s options accept. */
const GEMINI_OPTION_KEYS = ['baseURL', 'apiKey', 'headers'] as const

/** `gemini()`'s options once checked: what the adapter's factory builds its provider from. */
export interface CheckedGeminiOptions {
  /** The base URL, normalized, without a `/v1beta` the route adds. */
  baseURL: string
  /** The API key, sent as `x-goog-api-key`. */
  apiKey: string
  /** The user's extra headers (checked: HTTP tokens, sendable values). */
  headers: Record<string, string>
}

/**
 * Checks `gemini()`'s options, for both the public factory and the adapter's own, so that the
 * two throw the same `TypeError`s: an options object with known keys only, an API key that can
 * be sent as a header value (it goes in `x-goog-api-key`), a base URL, headers.
 */
export function checkGeminiOptions(options: GeminiOptions): CheckedGeminiOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected gemini() to receive an options object with `apiKey`')
  }
  checkKnownKeys(options, GEMINI_OPTION_KEYS, 'gemini() options')
  const apiKey = options.apiKey as unknown
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new TypeError('Expected `apiKey` to be a non-empty string for gemini()')
  }
  checkHeaderValue('apiKey', apiKey)
  const baseURL = withoutRouteVersion(
    normalizeBaseURL(options.baseURL ?? GEMINI_DEFAULT_BASE_URL),
    GEMINI_FACTS.route.path,
  )
  const headers: unknown = options.headers ?? {}
  checkRequestHeaders(headers, 'headers.')
  return { baseURL, apiKey, headers: headers as Record<string, string> }
}

const geminiAdapter = /* @__PURE__ */ adapterModule<
  GeminiOptions,
  Provider<GeminiVideoDetails, GeminiProviderInput>
>(() => import('./gemini.js').then((module) => module.gemini))

/**
 * Veo on the Gemini API (`gemini({ apiKey })`): `POST /v1beta/models/{model}:predictLongRunning`
 * starts an operation whose `name` is the task id; `GET /v1beta/{name}` reads it. The key goes
 * in `x-goog-api-key` (never in a URL), to the base URL's origin only.
 *
 * No status word: `done` is absent while the video is made (`running`: there is no queued
 * signal), and `done: true` is `succeeded` only with a video; with an operation error, with the
 * safety filters' reasons (`raiMediaFilteredReasons`, as the failure message, code
 * `rai_filtered`) or with nothing, it is `failed`. Videos are API routes that need the key and
 * redirect to storage: `details.contentUrl` and `outputs()` (`authenticated` on the provider's
 * origin; a uri elsewhere is a plain link and gets no key). Kept for 2 days (unconfirmed):
 * `expiresAt` = when `done` was read + 48 h. Polls every 10 s, growing to 20 s.
 *
 * Cancel: `POST /v1beta/{name}:cancel`, unconfirmed for Veo: a 501 is an `ApiError` with code
 * `cancel_unsupported`.
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({ provider: gemini({ apiKey: process.env.GEMINI_API_KEY }) })
 * const task = await client.waitFor('models/veo-3.1-generate-preview/operations/abc123xyz')
 * ```
 */
export function gemini(options: GeminiOptions): Provider<GeminiVideoDetails, GeminiProviderInput> {
  const { baseURL } = checkGeminiOptions(options)
  const { id, pollDefaults } = GEMINI_FACTS
  return lazyProvider({ id, baseURL, pollDefaults }, options, geminiAdapter)
}

// ---- runway ----

/** What the `runway` adapter and its factory share: see {@link runway}. */
export const RUNWAY_FACTS = {
  id: 'runway',
  route: { method: 'GET', path: '/v1/tasks/{id}' },
  keyRequired: true,
  // doc §Polling advice: no updates more often than every 5 s per task. The SDK starts at 6 s and
  // aims at the finish its 0-1 progress predicts, never sooner than 5 s after the last read
  // (minIntervalMs), and no later than 18 s: 0.49x the reads of fixed 6 s polling, p95 4.9 s
  // against its 5.7 s (npm run bench, figure 3: 15 s gave 0.53x and 4.8 s, 20 s 0.46x and 5.5 s).
  pollDefaults: { intervalMs: 6_000, minIntervalMs: 5_000, maxIntervalMs: 18_000, adaptive: true },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/** Runway's API host (not `api.runwayml.com`, a common 401: doc §Host and auth). */
export const RUNWAY_DEFAULT_BASE_URL = 'https://api.dev.runwayml.com'

/** The API version every request names (doc §Host and auth: the only documented value). */
export const RUNWAY_API_VERSION = '2024-11-06'

/** The options of {@link runway}: the built-in options, with the base URL optional. */
export type RunwayOptions = Omit<ProviderOptions, 'baseURL'> & {
  /**
   * The API root (`/v1` at its end is not repeated).
   *
   * @default 'https://api.dev.runwayml.com'
   */
  baseURL?: string | undefined
}

/**
 * `runway()`'s options as the built-in options: the default base URL, and the
 * `X-Runway-Version` header (doc §Host and auth: required on every call) unless the user's
 * headers name it, in any case (a second spelling would send both values). The headers are
 * checked before they are spread: a string would spread into headers named `0`, `1`, ....
 */
function withDefaults(options: RunwayOptions): ProviderOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected runway() to receive an options object with `apiKey`')
  }
  const own: unknown = options.headers ?? {}
  checkRequestHeaders(own, 'headers.')
  const named = Object.keys(own as object).some((name) => name.toLowerCase() === 'x-runway-version')
  return {
    ...options,
    baseURL: options.baseURL ?? RUNWAY_DEFAULT_BASE_URL,
    headers: named
      ? { ...(own as Record<string, string>) }
      : { 'x-runway-version': RUNWAY_API_VERSION, ...(own as Record<string, string>) },
  }
}

/**
 * Checks `runway()`'s options, for both the public factory and the adapter's own, so that the
 * two throw the same `TypeError`s, and returns them as the built-in options the adapter's
 * provider is built from (see `withDefaults`).
 */
export function checkRunwayOptions(options: RunwayOptions): {
  /** The options with the default base URL and version header. */
  options: ProviderOptions
  /** The base URL the provider will have. */
  baseURL: string
} {
  const full = withDefaults(options)
  const { id, keyRequired, route } = RUNWAY_FACTS
  const { baseURL } = providerCredentials(id, full, keyRequired, route.path)
  return { options: full, baseURL }
}

const runwayAdapter = /* @__PURE__ */ adapterModule<
  RunwayOptions,
  Provider<RunwayVideoDetails, RunwayInput>
>(() => import('./runway.js').then((module) => module.runway))

/**
 * Runway's developer API (`https://api.dev.runwayml.com`): create with `POST /v1/image_to_video`
 * or `/v1/text_to_video`, read with `GET /v1/tasks/{id}`, cancel (or delete) with
 * `DELETE /v1/tasks/{id}`. Every request carries `X-Runway-Version: 2024-11-06` (override it
 * through `headers`).
 *
 * - `PENDING` and `THROTTLED` (over the organization's concurrency limit: it can last long and
 *   is not a failure) are queued, `RUNNING` running with `progress` a 0-1 fraction (read as
 *   0-100; a value above 1 from a proxy is taken as a percentage), `SUCCEEDED`, `FAILED` with
 *   `failure` and `failureCode`, `CANCELLED`.
 * - The video is `output[0]`; its URL expires within 24-48 hours, so `expiresAt` is the read's
 *   time + 24 h. Read the task again for a fresh one.
 * - **Cancel deletes finished tasks**: a `DELETE` of a succeeded task removes it and its output
 *   (a later read is a 404). Download first.
 * - Polls every 6 s at first, then aims at the finish its progress predicts, reading at most
 *   every 18 s and never sooner than 5 s after the last read (Runway asks for no more than one
 *   read per 5 s per task).
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({ provider: runway({ apiKey: process.env.RUNWAYML_API_SECRET }) })
 * const task = await client.waitFor('17f20503-6c24-4c16-946b-35dbbce2af2f')
 * console.log(task.videoUrl, task.expiresAt) // download before it expires
 * ```
 */
export function runway(options: RunwayOptions): Provider<RunwayVideoDetails, RunwayInput> {
  const { baseURL } = checkRunwayOptions(options)
  const { id, pollDefaults } = RUNWAY_FACTS
  return lazyProvider({ id, baseURL, pollDefaults }, options, runwayAdapter)
}
