/*
 * Veo on the Gemini API. Source: vendor-docs/native/gemini-veo.md (operations, `done` absent
 * while running, RAI-filtered results, Google's error shape, `x-goog-api-key` or `?key=`, file
 * URIs that need the key and redirect to storage on another origin). A create starts an operation whose `name` is the task id.
 */
import { hex } from '../ids.js'
import { ERROR_STATUS, type ErrorKind, type Rendered, type StatusView } from '../render.js'
import type { AuthorizeContext, CreateInput, CreateRequest, SimulatorVendor } from './vendor.js'

/** `gemini-api`: the Gemini API's wire (`generateVideoResponse.generatedSamples`). */
const DIALECTS = ['gemini-api'] as const
type Dialect = (typeof DIALECTS)[number]

const OPERATION_NAME =
  /^models\/[A-Za-z0-9][A-Za-z0-9._-]*\/operations\/[A-Za-z0-9][A-Za-z0-9._-]*$/

/** vendor-docs/native/gemini-veo.md "Errors (HTTP)": `{error: {code, message, status}}`. */
const ERRORS: Record<ErrorKind, { message: string; status: string }> = {
  'bad-request': { message: 'Request contains an invalid argument.', status: 'INVALID_ARGUMENT' },
  unauthorized: {
    message: 'Request had invalid authentication credentials.',
    status: 'UNAUTHENTICATED',
  },
  forbidden: { message: 'The caller does not have permission', status: 'PERMISSION_DENIED' },
  'not-found': { message: 'Operation not found.', status: 'NOT_FOUND' },
  'rate-limit': {
    message: 'Resource has been exhausted (e.g. check quota).',
    status: 'RESOURCE_EXHAUSTED',
  },
  'server-error': { message: 'Internal error encountered.', status: 'INTERNAL' },
}

function googleError(kind: ErrorKind): Rendered {
  const code = ERROR_STATUS[kind]
  return { status: code, body: { error: { code, ...ERRORS[kind] } } }
}

/** The file URI of a task's video: an API route that needs the key. */
function fileUri(baseURL: string, encodedId: string): string {
  return `${baseURL}/v1beta/files/${encodedId}:download?alt=media`
}

function operation(view: StatusView): Rendered {
  const { task, snap } = view
  const name = task.script.id
  switch (snap.phase) {
    case 'queued':
      // `done` is absent while the operation runs (there is no queued signal).
      return { status: 200, body: { name } }
    case 'running':
      return { status: 200, body: { name, done: false } }
    case 'succeeded':
      return {
        status: 200,
        body: {
          name,
          done: true,
          response: {
            generateVideoResponse: {
              generatedSamples: [
                { video: { uri: fileUri(view.baseURL ?? '', encodeURIComponent(name)) } },
              ],
            },
          },
        },
      }
    case 'failed':
      // The commonest failure: the safety filters removed every video.
      return {
        status: 200,
        body: {
          name,
          done: true,
          response: {
            generateVideoResponse: {
              raiMediaFilteredCount: 1,
              raiMediaFilteredReasons: [task.script.failureReason],
            },
          },
        },
      }
    case 'cancelled':
      // No cancelled state: an operation error with gRPC 1 (CANCELLED).
      return {
        status: 200,
        body: { name, done: true, error: { code: 1, message: 'Operation was cancelled.' } },
      }
  }
}

function authorize(_authorization: string | undefined, context: AuthorizeContext): Rendered | null {
  // vendor-docs/native/gemini-veo.md "Auth and host": the key in `x-goog-api-key`, or in the
  // query as `key=` ("Download of the uri": what vercel/ai appends to the file URI).
  if (context.header('x-goog-api-key') === context.apiKey) return null
  if (context.query.get('key') === context.apiKey) return null
  return {
    status: 400,
    body: {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
          },
        ],
      },
    },
  }
}

/** `POST /v1beta/models/{model}:predictLongRunning` with `{instances: [{prompt}], parameters}`. */
function parseCreate(request: CreateRequest): CreateInput {
  if (request.format !== 'json') return { ok: false, message: 'body must be JSON' }
  const instances = request.fields.instances
  const first = Array.isArray(instances)
    ? (instances[0] as { prompt?: unknown } | undefined)
    : undefined
  const prompt = first?.prompt
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    return { ok: false, message: 'instances[0].prompt is required' }
  }
  const model = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(request.path ?? '')?.[1]
  return { ok: true, prompt, model, callbackUrl: undefined }
}

/** Veo on the Gemini API. */
export const gemini: SimulatorVendor<Dialect> = {
  dialects: DIALECTS,
  defaultModel: 'veo-3.1-generate-preview',
  defaultProgress: 'none',
  progressFormats: ['integer'],
  routes: [
    { method: 'POST', pattern: /^\/v1beta\/models\/[^/:]+:predictLongRunning$/, kind: 'create' },
    {
      method: 'GET',
      pattern: /^\/v1beta\/(models\/[^/:]+\/operations\/[^/:]+|[^/:]+)$/,
      kind: 'status',
    },
    { method: 'GET', pattern: /^\/v1beta\/files\/([^/]+):download$/, kind: 'content' },
    // vendor-docs/native/gemini-veo.md "Cancel": the standard long-running-operation method,
    // unconfirmed for Veo; simulated in its lenient reading (supported). The other reading, a 501
    // UNIMPLEMENTED, is test/fixtures/gemini/cancel-unimplemented.json.
    {
      method: 'POST',
      pattern: /^\/v1beta\/(models\/[^/:]+\/operations\/[^/:]+|[^/:]+):cancel$/,
      kind: 'cancel',
    },
  ],
  // The operation name goes in the path as it is; any other id is one encoded segment.
  statusPath: (encodedId) => {
    const id = decodeURIComponent(encodedId)
    return `/v1beta/${OPERATION_NAME.test(id) ? id : encodedId}`
  },
  contentPath: (encodedId) => fileUri('', encodedId),
  // vendor-docs/native/gemini-veo.md "Download of the uri": the file URI (with the key) answers
  // with a redirect to storage, another origin; the bytes are there, without the key.
  contentRedirect: true,
  randomId: () => `models/veo-3.1-generate-preview/operations/${hex(6)}`,
  renderStatus: (view) => operation(view),
  renderError: (_dialect, kind) => googleError(kind),
  // The Gemini API has no error inside a 200: the fault sends Google's 429 body with HTTP 200.
  renderVendorError200: (_dialect, { message }) => ({
    status: 200,
    body: {
      error: {
        code: 429,
        message: message ?? ERRORS['rate-limit'].message,
        status: 'RESOURCE_EXHAUSTED',
      },
    },
  }),
  unknownStatusWord: () => 'unknown',
  authorize,
  cancel: {
    // An operation is cancelled while it runs (there is no queued signal); the cancelled
    // operation then reads `done: true` with error code 1 (CANCELLED). The long-running-operation
    // cancel is best effort ("the operation completed despite cancellation": Google's
    // operations.cancel reference, e.g. docs.cloud.google.com/vertex-ai/docs/reference/rest/v1/
    // operations/cancel): on a finished operation it answers `{}` and changes nothing.
    running: 'cancel',
    finished: 'refuse',
    accepted: () => ({ status: 200, body: {} }),
    refused: () => ({ status: 200, body: {} }),
  },
  create: {
    parse: parseCreate,
    render: (view) => ({ status: 200, body: { name: view.task.script.id } }),
  },
}
