import type { VideoTask, VideoTaskDetails } from '../../model.js'
import { createProvider } from './create-provider.js'
import type { EnvelopeRules, ErrorBodyRules } from './envelope.js'
import type { OutputLocation } from './lifecycle.js'
import { type ProviderOptions, providerCredentials } from './provider-options.js'
import { encodeTaskId } from './task-id.js'
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

/** A built-in vendor adapter, described as data plus one pure parser. */
export interface ProviderDescription<TDetails extends VideoTaskDetails> {
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
  /** The poll timing the vendor's docs suggest. */
  pollDefaults: ProviderPollDefaults
  /** Turns a response (any status) into a task, or throws a typed error. Pure. */
  parseTask(response: ProviderResponse, context: ParseContext): VideoTask<TDetails>
  /** The server's hint for the next read, from a response. */
  pollHintMs?(response: ProviderResponse): number | null
  /** Where a finished task's bytes are (see `ProviderLifecycle.outputs`). Pure. */
  outputs?(task: VideoTask<TDetails>, context: OutputContext): OutputLocation[][]
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
export function builtInProvider<TDetails extends VideoTaskDetails>(
  description: ProviderDescription<TDetails>,
  options: Partial<ProviderOptions> | undefined,
): Provider<TDetails> {
  const { id, route, parseTask } = description
  const { baseURL, headers } = providerCredentials(id, options, description.keyRequired, route.path)
  const context: ParseContext = { url: (path) => `${baseURL}${path}` }
  const provider = createProvider<TDetails>(
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
    },
    false,
  )
  const outputs = description.outputs
  if (!outputs) return provider
  const origin = new URL(baseURL).origin
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
  return Object.freeze({
    ...provider,
    outputs: (task: VideoTask<TDetails>) => outputs(task, outputContext),
  })
}
