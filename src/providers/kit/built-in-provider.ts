import type { VideoTask, VideoTaskDetails, VideoTaskStatus } from '../../model.js'
import { createProvider } from './create-provider.js'
import type { EnvelopeRules, ErrorBodyRules } from './envelope.js'
import type {
  CreatedTask,
  CreateRequestInput,
  OutputLocation,
  ProviderCreateRequest,
  ProviderLifecycle,
} from './lifecycle.js'
import { type ProviderOptions, providerCredentials } from './provider-options.js'
import { assertTaskId, encodeTaskId } from './task-id.js'
import type { Provider, ProviderPollDefaults, ProviderResponse } from './types.js'

/**
 * Where a vendor reads a task. `path` is joined onto the base URL; in a `GET` path, `{id}` is the
 * percent-encoded task id. A `POST` sends `body(taskId)` as JSON.
 */
export type ProviderRoute =
  | {
      method: 'GET'
      /** The path, with `{id}` where the task id goes (`/v1/videos/{id}`). */
      path: `/${string}{id}${string}`
    }
  | {
      method: 'POST'
      /** The path (`/api/video-generations/check-result`). */
      path: `/${string}`
      /** The JSON body for a task id. */
      body(taskId: string): unknown
    }

/** What {@link parseTask} gets besides the response. */
export interface ParseContext {
  /** Joins a route path onto the provider's base URL (for links such as OpenAI's `/content`). */
  url(path: string): string
}

/** What a description's {@link ProviderDescription.lifecycle} builds its members from. */
export interface LifecycleContext {
  /** The checked base URL, without a trailing slash. */
  baseURL: string
  /** Joins a path onto the base URL. */
  url(path: string): string
  /** The headers of every request: the credentials, `accept` and the user's extra headers. */
  headers(): Record<string, string>
}

/** A built-in vendor adapter, described as data plus one pure parser. */
export interface ProviderDescription<
  TDetails extends VideoTaskDetails,
  TProviderInput extends object = Record<string, unknown>,
> {
  /** The provider id (`task.provider`). */
  id: string
  /** The route that reads one task. */
  route: ProviderRoute
  /**
   * Whether `apiKey` is required. When it is optional and given, it is still sent as a bearer
   * token.
   */
  keyRequired: boolean
  /** What the vendor's `{code, message, data}` envelope means by its code, if it sends one. */
  envelope?: EnvelopeRules
  /** How the vendor's error bodies read. */
  errorBodies: ErrorBodyRules
  /**
   * The vendor's own status words beyond the shared table in `normalize.ts` (lower case), as
   * `parseTask` passes them to `mapStatus` (Kling's `succeed`). The property tests check every
   * final status against the shared table plus these.
   */
  statusWords?: Readonly<Record<string, VideoTaskStatus>>
  /** The poll timing the vendor's docs suggest. */
  pollDefaults: ProviderPollDefaults
  /** Turns a response (any status) into a task, or throws a typed error. Pure. */
  parseTask(response: ProviderResponse, context: ParseContext): VideoTask<TDetails>
  /** The server's hint for the next read, from a response. */
  pollHintMs?(response: ProviderResponse): number | null
  /** The vendor's create route, when the provider can create tasks. */
  create?: CreateDescription<TDetails> | undefined
  /**
   * The other lifecycle members (cancel, outputs, or a create that does not fit
   * {@link CreateDescription}: `src/providers/kit/lifecycle.ts`), built from the checked
   * options. Pure like `parseTask`. A cancel request's task id is checked before the member sees
   * it; members given here win over those built from `create`.
   */
  lifecycle?(context: LifecycleContext): ProviderLifecycle<TDetails, TProviderInput>
  /** Where a finished task's bytes are (see `ProviderLifecycle.outputs`). Pure. */
  outputs?(task: VideoTask<TDetails>, context: OutputContext): OutputLocation[][]
}

/** A built-in adapter's create: pure, like its read. */
export interface CreateDescription<TDetails extends VideoTaskDetails> {
  /**
   * Builds the create request; `headers` are the provider's (credentials included). Throws a
   * `TypeError` naming a field the vendor cannot take.
   */
  build(
    input: CreateRequestInput,
    helpers: ParseContext & { headers: Readonly<Record<string, string>> },
  ): ProviderCreateRequest
  /** Reads the create answer, or throws its typed error. */
  parse(response: ProviderResponse, context: ParseContext): CreatedTask<TDetails>
  /** The idempotency header the vendor honours, when it documents one. */
  idempotencyHeader?: string | undefined
}

/** What `outputs` gets besides the task: the base URL and the credential headers. */
export interface OutputContext extends ParseContext {
  /** The provider's headers, the key included: for requests to its own origin only. */
  headers(): Record<string, string>
  /**
   * A video link as a location: on the provider's own origin (a gateway's proxy route such as
   * `/v1/videos/{id}/content`) it is fetched with the key; anywhere else without it.
   */
  link(url: string, expiresAt: Date | null): OutputLocation
}

/**
 * Builds a built-in provider from its description and the user's options: checks the options
 * (unknown keys, base URL, key), builds the request from the route and skips the second schema
 * check of each task that {@link createProvider} makes for user adapters. Their tasks come from
 * `buildTask`, which makes the status union hold by construction, and the property tests
 * (test/reliability/fuzz.test.ts) check 10,000 outputs per adapter against the schema; the check
 * costs about 0.6 µs a read (npm run bench).
 */
export function builtInProvider<
  TDetails extends VideoTaskDetails,
  TProviderInput extends object = Record<string, unknown>,
>(
  description: ProviderDescription<TDetails, TProviderInput>,
  options: Partial<ProviderOptions> | undefined,
): Provider<TDetails, TProviderInput> {
  const { id, route, parseTask } = description
  const { baseURL, headers } = providerCredentials(id, options, description.keyRequired, route.path)
  const context: ParseContext = { url: (path) => `${baseURL}${path}` }
  const reader = createProvider<TDetails>(
    {
      id,
      baseURL,
      pollDefaults: description.pollDefaults,
      buildRequest:
        route.method === 'GET'
          ? (taskId, { url }) => ({
              method: 'GET',
              url: url(route.path.replace('{id}', encodeTaskId(taskId))),
              headers: headers(),
            })
          : (taskId, { url }) => ({
              method: 'POST',
              url: url(route.path),
              headers: { ...headers(), 'content-type': 'application/json' },
              body: JSON.stringify(route.body(taskId)),
            }),
      parseResponse: (response) => parseTask(response, context),
      ...(description.pollHintMs ? { pollHintMs: description.pollHintMs } : {}),
      ...(description.create ? createMembers(description.create, context, headers) : {}),
    },
    null,
  )
  const origin = new URL(baseURL).origin
  const outputs = description.outputs
  const outputContext: OutputContext = {
    ...context,
    headers,
    link: (url, expiresAt) =>
      URL.canParse(url) && new URL(url).origin === origin
        ? {
            kind: 'authenticated',
            request: { method: 'GET', url, headers: { ...headers(), accept: '*/*' } },
          }
        : { kind: 'url', url, expiresAt },
  }
  const members = description.lifecycle?.({ baseURL, url: context.url, headers }) ?? {}
  if (!outputs && !description.lifecycle) return reader as Provider<TDetails, TProviderInput>
  const buildCancel = members.buildCancelRequest
  const provider: Provider<TDetails, TProviderInput> = {
    ...(reader as Provider<TDetails, TProviderInput>),
    ...(outputs ? { outputs: (task: VideoTask<TDetails>) => outputs(task, outputContext) } : {}),
    ...members,
    ...(buildCancel
      ? {
          buildCancelRequest: (taskId: string, route?: string) => {
            assertTaskId(taskId)
            return buildCancel(taskId, route)
          },
        }
      : {}),
  }
  return Object.freeze(provider)
}

function createMembers<TDetails extends VideoTaskDetails>(
  create: CreateDescription<TDetails>,
  context: ParseContext,
  headers: () => Readonly<Record<string, string>>,
) {
  return {
    buildCreateRequest: (input: CreateRequestInput) =>
      create.build(input, { ...context, headers: headers() }),
    parseCreateResponse: (response: ProviderResponse) => create.parse(response, context),
    ...(create.idempotencyHeader === undefined
      ? {}
      : { idempotencyHeader: create.idempotencyHeader }),
  }
}
