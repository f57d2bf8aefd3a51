import * as z from 'zod/mini'
import type { VideoTaskDetails, VideoTaskStatus } from '../model.js'
import { MINIMAX_FACTS, minimaxOptions } from './factories.js'
import {
  apiError,
  type BaseRespRules,
  baseRespFailure,
  baseRespMessage,
  baseRespSchema,
  buildTask,
  builtInProvider,
  type CreatedTask,
  type CreateRequestInput,
  collectUrls,
  compact,
  type ErrorBodyRules,
  errorFromBody,
  idText,
  imageDataUri,
  isMiniMaxTask,
  type LifecycleContext,
  lazy,
  mapStatus,
  miniMaxTaskSchema,
  numeric,
  type OutputLocation,
  type Provider,
  type ProviderDescription,
  type ProviderLifecycle,
  type ProviderOptions,
  type ProviderResponse,
  parseShape,
  readJson,
  requestIdOf,
  text,
  validationError,
} from './kit/index.js'

/*
 * MiniMax (Hailuo) through its own v1 API. Facts: vendor-docs/native/minimax.md, cited by
 * section; readings of what the doc marks unconfirmed: test/fixtures/minimax/README.md.
 */

/**
 * What the `minimax` provider puts in `task.details`.
 *
 * - `fileId`: MiniMax's `file_id` on a succeeded task, always a string (the query sends a
 *   string, the file API an integer; big ids would lose digits as numbers). The task has no
 *   URL: `outputs(task)` (and `client.download`) resolve it through
 *   `GET /v1/files/retrieve?file_id=` at download time, because the link expires.
 * - `width`, `height`: `video_width` / `video_height` on success.
 * - `model`: only when the answer names it (the query does not echo the request's model).
 * - `requestId`: the `Trace-Id` header MiniMax support asks for.
 */
export type MiniMaxVideoDetails = Pick<
  VideoTaskDetails,
  'model' | 'width' | 'height' | 'fileId' | 'requestId'
>

/**
 * MiniMax's create fields beyond the shared {@link VideoInput}: they are sent as given and win
 * over the mapped fields (vendor-docs/native/minimax.md "Create").
 */
export interface MiniMaxInput {
  /** Let MiniMax rewrite the prompt. @default true (MiniMax's default) */
  prompt_optimizer?: boolean | undefined
  /** The last frame (first+last frame mode): an `https:` URL or a `data:image/...` URI. */
  last_frame_image?: string | undefined
  /** S2V-01's subject: `[{ type: 'character', image: ['https://...'] }]`. */
  subject_reference?: { type: string; image: string[] }[] | undefined
  /**
   * Where MiniMax POSTs status changes. It first POSTs `{ challenge }`, which the receiver must
   * echo as `{ "challenge": "<same>" }` within 3 s (see {@link minimaxCallbackAnswer}).
   */
  callback_url?: string | undefined
  /** Add MiniMax's AIGC watermark (default unconfirmed). */
  aigc_watermark?: boolean | undefined
  /** Faster preprocessing (default unconfirmed). */
  fast_pretreatment?: boolean | undefined
  /** Any other field the API takes. */
  [field: string]: unknown
}

// The default host and the callback answer live in the factory file, which the package's entry
// loads without this adapter; exported from here too for the tests and the registry.
export { MINIMAX_DEFAULT_BASE_URL, minimaxCallbackAnswer } from './factories.js'

const DEFAULT_MODEL = 'MiniMax-Hailuo-02'

/*
 * vendor-docs/native/minimax.md "Download": the lifetime of `download_url` is not stated for video
 * generation (unconfirmed). The Video Agent API states 9 hours for its link, as does the older
 * video doc (fixtures README): read as 9 h from the file API's answer, never cached on the task.
 */
// 9 h, written out: a bundler keeps a top-level product even when unused (kit/lazy.ts).
const DOWNLOAD_URL_LIFETIME_MS = 32_400_000

const idSchema = /* @__PURE__ */ lazy(() => z.union([z.string(), z.number()]))

// The query answer: `task_id`, `status`, `file_id`, `video_width`, `video_height`, `base_resp`
// (the kit's miniMaxTaskSchema, base-resp.ts).

const createSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    task_id: z.nullish(idSchema()),
    base_resp: z.nullish(baseRespSchema()),
  }),
)

const fileSchema = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    file: z.nullish(
      z.looseObject({
        file_id: z.nullish(idSchema()),
        download_url: z.nullish(z.string()),
        created_at: z.optional(z.unknown()),
      }),
    ),
    base_resp: z.nullish(baseRespSchema()),
  }),
)

/*
 * vendor-docs/native/minimax.md "Errors": HTTP 401/403/429/5xx come from the edge and their
 * status decides; a 400 may say more in its `base_resp`.
 */
const ERROR_BODIES: ErrorBodyRules = { kindFromBodyOn: [400] }

/*
 * On the query route (fixtures README "Unconfirmed facts"): 2013 naming the task id is an unknown
 * task, and a moderation code with an empty status is the task's failure (new-api's reading).
 */
const QUERY_RULES: BaseRespRules = {
  notFoundOnInvalidTaskId: true,
  sensitiveWithoutStatus: 'failed',
}

// On create and on the file API every non-zero code is the request's error (1026 on a create is
// a refused input, not a task).
const REQUEST_RULES: BaseRespRules = {
  notFoundOnInvalidTaskId: false,
  sensitiveWithoutStatus: 'error',
}

/**
 * The `minimax` adapter's own factory: the provider, ready at once. Users get
 * `factories.ts`'s `minimax`, which checks the same options (with `minimaxOptions`) and
 * loads this module on first use; the registry, the CLI and the tests use this one.
 */
export function minimax(
  options: Omit<ProviderOptions, 'baseURL'> & { baseURL?: string | undefined },
): Provider<MiniMaxVideoDetails, MiniMaxInput> {
  return builtInProvider(MINIMAX, minimaxOptions(options))
}

/** The `minimax` adapter as data: see {@link minimax}. */
export const MINIMAX: ProviderDescription<MiniMaxVideoDetails, MiniMaxInput> = {
  ...MINIMAX_FACTS,
  errorBodies: ERROR_BODIES,
  parseTask: (response) => parseMiniMaxResponse(response),
  lifecycle: (context) => minimaxLifecycle(context),
}

/**
 * Parses a `GET /v1/query/video_generation` answer (or a callback body, which has the same
 * structure). Pure; exported for tests.
 */
export function parseMiniMaxResponse(response: ProviderResponse) {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const object = parseShape(
    miniMaxTaskSchema(),
    body,
    response,
    'MiniMax query answer',
    isMiniMaxTask,
  )
  const vendorStatus = text(object.status)
  // The code first (doc §Quirks: errors are HTTP 200): a request error throws here.
  let failure = baseRespFailure(response, object.base_resp, vendorStatus, QUERY_RULES)
  const taskId = idText(object.task_id, 'task_id', response.body)
  if (!vendorStatus && failure === null) {
    // fixtures README: an unknown id may come back as code 0 with an empty status and task_id.
    if (taskId === null) {
      throw apiError({
        response,
        message: `MiniMax knows no task ${response.taskId} (empty status and task_id)`,
        kind: 'not-found',
      })
    }
    throw validationError(response, 'MiniMax query answer has no `status`', [
      { path: ['status'], message: 'Expected a non-empty status string' },
    ])
  }
  const status: VideoTaskStatus = failure ? 'failed' : mapStatus(vendorStatus ?? '')
  if (status === 'failed' && failure === null) {
    // A `Fail` with code 0 (the MCP only checks `status`) may still say why in status_msg.
    const message = baseRespMessage(object.base_resp)
    failure = message ? { code: null, message } : null
  }
  const fileId = idText(object.file_id, 'file_id', response.body)
  if (status === 'succeeded' && fileId === null) {
    // A success without a file has nothing to download: never guess a URL (fixtures README).
    throw validationError(response, 'MiniMax reported `Success` without a `file_id`', [
      { path: ['file_id'], message: 'Expected the file id of the video' },
    ])
  }
  return buildTask<MiniMaxVideoDetails>({
    id: taskId ?? response.taskId,
    provider: 'minimax',
    status,
    vendorStatus: vendorStatus ?? '',
    // doc §Progress and timestamps: none.
    progress: null,
    // MiniMax sends only `file_id`; a relay may add a URL.
    videoUrls: collectUrls(object.url, object.video_url, object.download_url),
    error: failure,
    createdAt: null,
    completedAt: null,
    expiresAt: null,
    details: compact({
      model: text(object.model) ?? undefined,
      width: positive(object.video_width),
      height: positive(object.video_height),
      fileId: status === 'succeeded' ? (fileId ?? undefined) : undefined,
      requestId: requestIdOf(response.headers) ?? undefined,
    }),
    raw: body,
  })
}

/** The create, output and callback members of the `minimax` provider. */
function minimaxLifecycle(
  context: LifecycleContext,
): ProviderLifecycle<MiniMaxVideoDetails, MiniMaxInput> {
  return {
    buildCreateRequest: (input) => ({
      method: 'POST',
      url: context.url('/v1/video_generation'),
      headers: { ...context.headers(), 'content-type': 'application/json' },
      body: JSON.stringify(minimaxCreateBody(input)),
    }),
    parseCreateResponse: (response) => parseMiniMaxCreateResponse(response),
    outputs: (task) => {
      if (task.status !== 'succeeded') return []
      const urls = task.videoUrls.map((url): OutputLocation[] => [{ kind: 'url', url }])
      const fileId = task.details.fileId
      if (urls.length > 0 || fileId === undefined) return urls
      return [
        [
          {
            kind: 'resolve',
            request: {
              method: 'GET',
              url: context.url(`/v1/files/retrieve?file_id=${encodeURIComponent(fileId)}`),
              headers: context.headers(),
            },
            parse: (response) => parseMiniMaxFileResponse(response),
          },
        ],
      ]
    },
  }
}

const RESOLUTIONS = ['512P', '720P', '768P', '1080P']
const DURATIONS = [6, 10]

/**
 * The JSON body of `POST /v1/video_generation` for the shared input (doc §Create). What MiniMax
 * cannot express is a `TypeError` naming the option. Pure; exported for tests.
 */
export function minimaxCreateBody(
  input: CreateRequestInput<MiniMaxInput>,
): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) {
    throw new TypeError('Expected the create input to be an object with `prompt`')
  }
  const { prompt, model, durationSeconds, resolution, image, providerInput } = input
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    throw new TypeError('Expected `prompt` to be a non-empty string for minimax')
  }
  // doc §Create: "up to 2000 characters".
  if ([...prompt].length > 2000) {
    throw new TypeError(
      `Expected \`prompt\` to have at most 2000 characters for minimax, got ${[...prompt].length}`,
    )
  }
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '')) {
    throw new TypeError('Expected `model` to be a non-empty string')
  }
  for (const name of ['size', 'aspectRatio', 'seed'] as const) {
    if (input[name] !== undefined) {
      throw new TypeError(
        `minimax cannot take \`${name}\`: MiniMax's video API has no such field (use \`resolution\`${name === 'seed' ? '' : ' and the image'})`,
      )
    }
  }
  const body: Record<string, unknown> = { model: model ?? DEFAULT_MODEL, prompt }
  if (durationSeconds !== undefined) {
    if (!DURATIONS.includes(durationSeconds as number)) {
      throw new TypeError(
        `Expected \`durationSeconds\` to be 6 or 10 for minimax, got ${String(durationSeconds)}`,
      )
    }
    body.duration = durationSeconds
  }
  if (resolution !== undefined) {
    const upper = typeof resolution === 'string' ? resolution.trim().toUpperCase() : ''
    if (!RESOLUTIONS.includes(upper)) {
      throw new TypeError(
        `Expected \`resolution\` to be one of 512p, 720p, 768p, 1080p for minimax, got ${JSON.stringify(resolution)}`,
      )
    }
    body.resolution = upper
  }
  if (image !== undefined) body.first_frame_image = imageField(image)
  if (input.callbackUrl !== undefined) {
    if (typeof input.callbackUrl !== 'string' || !URL.canParse(input.callbackUrl)) {
      throw new TypeError('Expected `callbackUrl` to be an absolute URL')
    }
    body.callback_url = input.callbackUrl
  }
  if (providerInput !== undefined) {
    if (
      typeof providerInput !== 'object' ||
      providerInput === null ||
      Array.isArray(providerInput)
    ) {
      throw new TypeError('Expected `providerInput` to be an object of MiniMax create fields')
    }
    Object.assign(body, providerInput)
  }
  return body
}

/** `first_frame_image`: a URL as is, bytes as a `data:` URI (doc §Create). */
function imageField(image: NonNullable<CreateRequestInput['image']>): string {
  if (image.kind === 'url') return image.url
  return imageDataUri(image, 'minimax')
}

/**
 * Reads a create answer: `{task_id, base_resp}`. A non-zero code is the typed error (HTTP 200,
 * doc §Quirks), and code 0 with an empty or absent `task_id` is a `ResponseValidationError`,
 * never a task. Pure; exported for tests.
 */
export function parseMiniMaxCreateResponse(
  response: ProviderResponse,
): CreatedTask<MiniMaxVideoDetails> {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const object = parseShape(createSchema(), body, response, 'MiniMax create answer')
  baseRespFailure(response, object.base_resp, null, REQUEST_RULES)
  const taskId = idText(object.task_id, 'task_id', response.body)
  if (taskId === null) {
    throw validationError(response, 'MiniMax create answer has no `task_id`', [
      { path: ['task_id'], message: 'Expected a non-empty task id' },
    ])
  }
  return { taskId, task: null }
}

/**
 * Reads a `GET /v1/files/retrieve` answer into the download URL. The URL is taken to expire
 * 9 hours after the answer (unconfirmed for video generation: the Video Agent API's figure).
 * Pure; exported for tests.
 */
export function parseMiniMaxFileResponse(response: ProviderResponse): {
  url: string
  expiresAt: Date
} {
  const body = readJson(response)
  if (response.status < 200 || response.status >= 300) {
    throw errorFromBody(response, body, ERROR_BODIES)
  }
  const object = parseShape(fileSchema(), body, response, 'MiniMax file answer')
  baseRespFailure(response, object.base_resp, null, REQUEST_RULES)
  const url = collectUrls(object.file?.download_url)[0]
  if (url === undefined) {
    throw validationError(response, 'MiniMax file answer has no `file.download_url`', [
      { path: ['file', 'download_url'], message: 'Expected an http(s) URL' },
    ])
  }
  return { url, expiresAt: new Date(response.receivedAt + DOWNLOAD_URL_LIFETIME_MS) }
}

/** A positive number (MiniMax sends `0` for a size it does not know yet), else `undefined`. */
function positive(value: unknown): number | undefined {
  const number = numeric(value)
  return number !== null && number > 0 ? number : undefined
}
