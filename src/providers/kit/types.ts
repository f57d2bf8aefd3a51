import type { VideoTask, VideoTaskDetails } from '../../model.js'
import type { DefinitionLifecycle, ProviderLifecycle } from './lifecycle.js'

/** The request a provider builds for one task id. The transport sends it as is. */
export interface ProviderRequest {
  /** `GET`, `POST`, or `DELETE` (cancel routes such as Ark's and Runway's). */
  method: 'GET' | 'POST' | 'DELETE'
  /** The absolute URL, on the provider's base URL. */
  url: string
  /** Headers, including the credentials. */
  headers: Record<string, string>
  /** A JSON body for `POST`. */
  body?: string | undefined
}

/** A complete response, as a provider's `parseResponse` receives it. */
export interface ProviderResponse {
  /** The HTTP status. */
  status: number
  /** Response headers with lower-cased names. */
  headers: Readonly<Record<string, string>>
  /** The body text (with any credential the server echoed replaced by `[REDACTED]`). */
  body: string
  /** The URL that was requested. */
  url: string
  /** The provider id. */
  provider: string
  /** The task id that was requested. */
  taskId: string
  /** When the response arrived (milliseconds since the epoch), for `Retry-After` dates. */
  receivedAt: number
}

/** Poll timing a provider suggests; the client's and the call's options override it. */
export interface ProviderPollDefaults {
  /** The first interval between reads. */
  intervalMs: number
  /** The longest interval between reads. */
  maxIntervalMs: number
  /**
   * The shortest interval between reads, whatever the progress rate or a server hint says, for
   * a vendor that asks for it (Runway: no more often than every 5 s per task).
   * @default 1_000, or `intervalMs` when that is smaller
   */
  minIntervalMs?: number | undefined
  /**
   * Whether the vendor's progress is fine-grained enough to predict the finish from its rate
   * (OpenAI, check-result); coarse steps (Doubao gateways) or no progress should say `false`.
   */
  adaptive: boolean
}

/**
 * A vendor adapter: pure functions from a task id to a request, and from a response to a
 * {@link VideoTask} or a typed error. It never sleeps, loops or does I/O.
 */
export interface Provider<
  TDetails extends VideoTaskDetails = VideoTaskDetails,
  TProviderInput extends object = Record<string, unknown>,
> extends ProviderLifecycle<TDetails, TProviderInput> {
  /** The provider id, as it appears in `task.provider` and errors. */
  readonly id: string
  /** The base URL; credentials are only ever sent to its origin. */
  readonly baseURL: string
  /** Suggested poll timing. */
  readonly pollDefaults: ProviderPollDefaults
  /**
   * Builds the request that reads task `taskId`; `route` is the route family the task was
   * created on, for vendors with several (see `CreatedTask.route`).
   */
  buildRequest(taskId: string, route?: string): ProviderRequest
  /**
   * Turns a response into a task. Throws a {@link VideoTaskError} (an `ApiError` subclass or
   * `ResponseValidationError`) when the response is an error or not the vendor's shape.
   */
  parseResponse(response: ProviderResponse): VideoTask<TDetails>
  /** How long the server asked to wait before the next read (`openai-poll-after-ms`), or `null`. */
  pollHintMs?(response: ProviderResponse): number | null
  /**
   * Adds credentials that cannot be computed synchronously to a request this provider built
   * (read, create, cancel, authenticated download), just before it is sent. The client awaits
   * it for every request when present; it must not change the method, URL or body.
   *
   * Why a hook and not `buildRequest`: builders stay pure and synchronous, while some vendors
   * want a signed, short-lived token (Kling's HS256 JWT), and WebCrypto, the one signer on every
   * runtime the package supports, only signs asynchronously. Absent for static keys.
   */
  authorize?(request: ProviderRequest): Promise<ProviderRequest>
  /**
   * Loads the code the provider's members run and resolves with the provider to use. The
   * built-in factories and `defineProvider` return a provider whose code (a vendor's parsers and
   * request builders, or the wrapping of your definition) loads on first use, so that `import
   * 'video-tasks'` does not parse ten vendors' code (issue 12, "Cost of importing it"): until then only `id`, `baseURL` and `pollDefaults` are there, and
   * `buildRequest` or `parseResponse` throw a `TypeError` saying to load it. A client awaits it
   * itself before its first request; call it only to use a provider's members yourself. Absent
   * on a provider whose members are ready (a hand-made one, or a built-in or `defineProvider` one
   * created after its code was loaded once in the process).
   *
   * @example
   * ```ts
   * const provider = doubao({ baseURL, apiKey })
   * const ready = (await provider.load?.()) ?? provider
   * const request = ready.buildRequest('task_123')
   * ```
   */
  load?(): Promise<Provider<TDetails, TProviderInput>>
}

/** What `defineProvider` takes; the create and cancel members are optional. */
export interface ProviderDefinition<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends DefinitionLifecycle<TDetails> {
  /** The provider id: lower-case letters, digits and dashes. */
  id: string
  /** The vendor's base URL: http or https, without credentials, query or fragment. */
  baseURL: string
  /**
   * Suggested poll timing.
   * @default { intervalMs: 5_000, maxIntervalMs: 10_000, adaptive: false }
   */
  pollDefaults?: Partial<ProviderPollDefaults> | undefined
  /**
   * Builds the request for a task id. `helpers.url(path)` joins a path onto the base URL; put
   * the id in the path with {@link encodeTaskId}.
   */
  buildRequest(taskId: string, helpers: { url(path: string): string }): ProviderRequest
  /** Turns a response into a task, or throws a typed error. */
  parseResponse(response: ProviderResponse): VideoTask<TDetails>
  /** Optional poll hint from a response. */
  pollHintMs?(response: ProviderResponse): number | null
}
