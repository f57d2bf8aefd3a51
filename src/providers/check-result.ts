import * as z from 'zod/mini'
import type { VideoTaskDetails } from '../model.js'
import { CHECK_RESULT_FACTS, checkResultOptions } from './factories.js'
import {
  buildTask,
  builtInProvider,
  type CreatedTask,
  type CreateRequestInput,
  collectUrls,
  compact,
  type EnvelopeRules,
  type ErrorBodyRules,
  errorFromBody,
  isNullishId,
  isNullishString,
  isPlainRecord,
  isSuccessCode,
  kindFromStatus,
  kindFromText,
  lazy,
  mapStatus,
  numeric,
  type Provider,
  type ProviderCreateRequest,
  type ProviderDescription,
  type ProviderOptions,
  type ProviderResponse,
  parseProgress,
  parseShape,
  readJson,
  requestIdOf,
  text,
} from './kit/index.js'

/**
 * What the `check-result` provider puts in `task.details`.
 *
 * - `creditsRefunded`: whether the vendor refunded a failed task's credits (`credits_refunded`).
 * - `refundTransactionNumber`: the refund's transaction number (`refund_trans_no`), when refunded.
 * - `requestId`: the `x-request-id` header, when sent.
 *
 * `result_pid(s)` and `metadata` (`remixTargetId`, `characters`) stay in `task.raw.data`.
 */
export type CheckResultVideoDetails = Pick<
  VideoTaskDetails,
  'creditsRefunded' | 'refundTransactionNumber' | 'requestId'
>

/**
 * Options of {@link checkResult}: the common provider options with an optional `apiKey`, since
 * the endpoint's OpenAPI declares no security (`security: []`). When given, the key is sent as
 * `Authorization: Bearer <apiKey>` (deployments behind a gateway may want it).
 */
export type CheckResultOptions = Omit<ProviderOptions, 'apiKey'> & {
  /** The API key, if the deployment wants one. */
  apiKey?: string | undefined
} & CheckResultCreateOptions

/**
 * The vendor's create API, as the user configures it (vendor-notes.md: creation there is a
 * separate API whose answer is unconfirmed, so it is not built in). Pure, like the built-in
 * adapters: build the request, parse the answer; the client sends it.
 *
 * @example
 * ```ts
 * const provider = checkResult({
 *   baseURL: 'https://freesoragenerator.com',
 *   buildCreateRequest: (input, { url, headers }) => ({
 *     method: 'POST',
 *     url: url('/api/v1/video/sora-video'),
 *     headers: { ...headers, 'content-type': 'application/json' },
 *     body: JSON.stringify({ model: input.model, prompt: input.prompt }),
 *   }),
 *   parseCreateResponse: (response) => ({ taskId: JSON.parse(response.body).taskId, task: null }),
 * })
 * ```
 */
export interface CheckResultCreateOptions {
  /**
   * Builds the create request. `helpers.url(path)` joins a path onto the base URL; `helpers.headers`
   * are the provider's own (the key, when given). Give `parseCreateResponse` with it.
   */
  buildCreateRequest?:
    | ((
        input: CreateRequestInput,
        helpers: { url(path: string): string; headers: Readonly<Record<string, string>> },
      ) => ProviderCreateRequest)
    | undefined
  /** Reads the create answer: the task id, or a thrown typed error. */
  parseCreateResponse?: ((response: ProviderResponse) => CreatedTask) | undefined
  /** The idempotency header the deployment honours, if it documents one. */
  idempotencyHeader?: string | undefined
}

/**
 * check-result-response.schema.md: `{code, message, data}`. `data` is checked once `code` says
 * success, since an error body has none. Exported for the guard's property test.
 */
export const envelopeSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    code: z.nullish(z.union([z.string(), z.number()])),
    message: z.nullish(z.string()),
    data: z.optional(z.unknown()),
  }),
)

/**
 * The schema's success is `code: 0`. The HTTP-style `200` that the error bodies' numbering
 * suggests is read as success too (and a missing code): `data.status` is still required.
 */
const ENVELOPE: EnvelopeRules = { successCodes: [0, 200] }

/*
 * vendor-notes.md "check-result": 400/401/403/404/500 bodies are `{code, message}`; the status
 * decides the class (a 500 "Failed to sync task result" is a retryable ServerError), except for
 * a 400 whose text says more ("task not found").
 */
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [400] }

/**
 * The envelope's `data`: only `status` decides anything; the other fields are read leniently
 * below. Exported for the guard's property test.
 */
export const dataSchema = /* @__PURE__ */ lazy(() => z.looseObject({ status: z.string() }))

/**
 * What `envelopeSchema` accepts as it is, checked without zod's copy (parseShape's `accepts`).
 * Exported for the property test that holds it to the schema.
 */
export function isCheckResultEnvelope(
  value: unknown,
): value is z.infer<ReturnType<typeof envelopeSchema>> {
  return isPlainRecord(value) && isNullishId(value.code) && isNullishString(value.message)
}

/**
 * What `dataSchema` accepts as it is (parseShape's `accepts`). Exported for the property test
 * that holds it to the schema.
 */
export function isCheckResultData(value: unknown): value is z.infer<ReturnType<typeof dataSchema>> {
  return isPlainRecord(value) && typeof value.status === 'string'
}

/**
 * The `check-result` adapter's own factory: the provider, ready at once. Users get
 * `factories.ts`'s `checkResult`, which checks the same options (with
 * `checkResultOptions`) and loads this module on first use; the registry, the CLI and the tests
 * use this one.
 */
export function checkResult(options: CheckResultOptions): Provider<CheckResultVideoDetails> {
  const { providerOptions, create } = checkResultOptions(options)
  if (create === undefined) return builtInProvider(CHECK_RESULT, providerOptions)
  const { buildCreateRequest, parseCreateResponse, idempotencyHeader } = create
  return builtInProvider(
    {
      ...CHECK_RESULT,
      create: {
        build: (input, { url, headers }) => buildCreateRequest(input, { url, headers }),
        parse: (response) => parseCreateResponse(response) as CreatedTask<CheckResultVideoDetails>,
        idempotencyHeader,
      },
    },
    providerOptions,
  )
}

/** The `check-result` adapter as data: see {@link checkResult}. */
export const CHECK_RESULT: ProviderDescription<CheckResultVideoDetails> = {
  ...CHECK_RESULT_FACTS,
  envelope: ENVELOPE,
  errorBodies: ERROR_BODIES,
  parseTask: (response) => parseCheckResultResponse(response),
  // Every `result_url(s)` entry is an output of its own (a task may make several videos); the
  // schema tells no link lifetime.
  outputs: (task, { link }) => task.videoUrls.map((url) => [link(url, null)]),
}

/** Parses a `POST /api/video-generations/check-result` response. Pure; exported for tests. */
export function parseCheckResultResponse(response: ProviderResponse) {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const envelope = parseShape(
    envelopeSchema(),
    body,
    response,
    'check-result response',
    isCheckResultEnvelope,
  )
  if (!isSuccessCode(envelope.code, ENVELOPE)) {
    // The same `{code, message}` bodies inside a 200: the code is HTTP-style, so it says the kind.
    throw errorFromBody(
      response,
      body,
      ERROR_BODIES,
      kindFromStatus(numeric(envelope.code)) ?? kindFromText(envelope.code, text(envelope.message)),
    )
  }
  const data = parseShape(
    dataSchema(),
    envelope.data,
    response,
    'check-result `data`',
    isCheckResultData,
  )
  const vendorStatus = data.status
  // vendor-notes.md "check-result": failure text is in `failure_reason` and/or `error_message`,
  // either of which may be empty or null. Both are kept when both are set and differ.
  const reasons = [...new Set([text(data.failure_reason), text(data.error_message)])].filter(
    (reason): reason is string => reason !== null,
  )
  return buildTask<CheckResultVideoDetails>({
    id: text(data.taskId) ?? text(data.task_id) ?? response.taskId,
    provider: 'check-result',
    // vendor-notes.md "check-result": `result_url` may be set while `running`; the status alone
    // decides, and the URLs are reported whatever it is.
    status: mapStatus(vendorStatus),
    vendorStatus,
    progress: parseProgress(data.progress),
    videoUrls: collectUrls(data.result_url, data.result_urls),
    error: reasons.length > 0 ? { code: null, message: reasons.join(': ') } : null,
    createdAt: null,
    completedAt: null,
    expiresAt: null,
    details: compact({
      creditsRefunded:
        typeof data.credits_refunded === 'boolean' ? data.credits_refunded : undefined,
      refundTransactionNumber: text(data.refund_trans_no) ?? undefined,
      requestId: requestIdOf(response.headers) ?? undefined,
    }),
    raw: body,
  })
}
