import { ResponseValidationError, VideoTaskError } from '../errors.js'
import { type VideoTask, type VideoTaskDetails, VideoTaskSchema } from '../model.js'

/** The request a provider builds for one task id. The transport sends it as is. */
export interface ProviderRequest {
  /** `GET` or `POST`. */
  method: 'GET' | 'POST'
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
   * Whether the vendor's progress is fine-grained enough to predict the finish from its rate
   * (OpenAI, check-result); coarse steps (Doubao gateways) or no progress should say `false`.
   */
  adaptive: boolean
}

/**
 * A vendor adapter: pure functions from a task id to a request, and from a response to a
 * {@link VideoTask} or a typed error. It never sleeps, loops or does I/O.
 */
export interface Provider<TDetails extends VideoTaskDetails = VideoTaskDetails> {
  /** The provider id, as it appears in `task.provider` and errors. */
  readonly id: string
  /** The base URL; credentials are only ever sent to its origin. */
  readonly baseURL: string
  /** Suggested poll timing. */
  readonly pollDefaults: ProviderPollDefaults
  /** Builds the request that reads task `taskId`. */
  buildRequest(taskId: string): ProviderRequest
  /**
   * Turns a response into a task. Throws a {@link VideoTaskError} (an `ApiError` subclass or
   * `ResponseValidationError`) when the response is an error or not the vendor's shape.
   */
  parseResponse(response: ProviderResponse): VideoTask<TDetails>
  /** How long the server asked to wait before the next read (`openai-poll-after-ms`), or `null`. */
  pollHintMs?(response: ProviderResponse): number | null
}

/** What {@link defineProvider} takes. */
export interface ProviderDefinition<TDetails extends VideoTaskDetails = VideoTaskDetails> {
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

const DEFAULT_POLL: ProviderPollDefaults = {
  intervalMs: 5_000,
  maxIntervalMs: 10_000,
  adaptive: false,
}

/**
 * Validates a base URL: http(s), no user info, no query or fragment. Returns it without a
 * trailing slash.
 */
export function normalizeBaseURL(value: unknown, name = 'baseURL'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`Expected \`${name}\` to be a non-empty URL string`)
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    // Whatever looks like user info (`//user:password@`) is not repeated in the message.
    const shown = value.replace(/\/\/[^/?#]*@/, '//***@')
    throw new TypeError(`Expected \`${name}\` to be an absolute URL, got ${JSON.stringify(shown)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Expected \`${name}\` to use http or https, got ${url.protocol}`)
  }
  if (url.username || url.password) {
    throw new TypeError(
      `Expected \`${name}\` without credentials in it; pass the key as \`apiKey\` instead`,
    )
  }
  if (url.search || url.hash) {
    throw new TypeError(`Expected \`${name}\` without a query or fragment`)
  }
  return url.toString().replace(/\/+$/, '')
}

/**
 * Puts a task id in a URL path as one segment: percent-encoded, so `a/b`, `x?y=1` or `#` never
 * change the path or query. `.` and `..` are refused, because URL parsers resolve them (even
 * encoded as `%2e`) to the parent path.
 */
export function encodeTaskId(taskId: unknown): string {
  assertTaskId(taskId)
  return encodeURIComponent(taskId)
}

/** Throws a `TypeError` unless `taskId` is a usable task id. */
export function assertTaskId(taskId: unknown): asserts taskId is string {
  if (typeof taskId !== 'string' || taskId === '') {
    throw new TypeError(`Expected \`taskId\` to be a non-empty string, got ${describe(taskId)}`)
  }
  if (taskId === '.' || taskId === '..') {
    throw new TypeError(`Expected \`taskId\` not to be "${taskId}"`)
  }
  // Half a surrogate pair cannot be sent: encodeURIComponent and UTF-8 refuse it.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(taskId)) {
    throw new TypeError(
      'Expected `taskId` to be well-formed text, got one with half a surrogate pair',
    )
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/

/**
 * Defines a provider for a vendor the package does not ship, with the same interface as the
 * built-in four. The result validates each task it returns against `VideoTaskSchema`, so a
 * mapping mistake is a `ResponseValidationError`, not a silent wrong answer.
 *
 * @example
 * ```ts
 * const acme = defineProvider({
 *   id: 'acme',
 *   baseURL: 'https://api.acme.test',
 *   buildRequest: (taskId, { url }) => ({
 *     method: 'GET',
 *     url: url(`/jobs/${encodeURIComponent(taskId)}`),
 *     headers: { authorization: `Bearer ${process.env.ACME_KEY}` },
 *   }),
 *   parseResponse: (response) => {
 *     const job = JSON.parse(response.body)
 *     return {
 *       id: job.id, provider: 'acme', status: job.done ? 'succeeded' : 'running',
 *       vendorStatus: String(job.state), progress: job.done ? 100 : null,
 *       videoUrl: job.url ?? null, videoUrls: job.url ? [job.url] : [], error: null,
 *       createdAt: null, completedAt: null, expiresAt: null, details: {}, raw: job,
 *     }
 *   },
 * })
 * ```
 */
export function defineProvider<TDetails extends VideoTaskDetails = VideoTaskDetails>(
  definition: ProviderDefinition<TDetails>,
): Provider<TDetails> {
  return createProvider(definition, true)
}

/**
 * For the built-in adapters only: the same as {@link defineProvider} without the second check
 * of each task against `VideoTaskSchema`. Their tasks come from `buildTask`, which makes the
 * status union hold by construction, and the property tests (test/reliability/fuzz.test.ts)
 * check 10,000 outputs per adapter against the schema. The check costs about 0.6 µs a read
 * (npm run bench).
 */
export function defineBuiltInProvider<TDetails extends VideoTaskDetails>(
  definition: ProviderDefinition<TDetails>,
): Provider<TDetails> {
  return createProvider(definition, false)
}

function createProvider<TDetails extends VideoTaskDetails>(
  definition: ProviderDefinition<TDetails>,
  validateTasks: boolean,
): Provider<TDetails> {
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError('Expected a provider definition object')
  }
  if (typeof definition.id !== 'string' || !ID_PATTERN.test(definition.id)) {
    throw new TypeError(
      `Expected \`id\` to be lower-case letters, digits and dashes, got ${describe(definition.id)}`,
    )
  }
  const baseURL = normalizeBaseURL(definition.baseURL)
  for (const name of ['buildRequest', 'parseResponse'] as const) {
    if (typeof definition[name] !== 'function') {
      throw new TypeError(`Expected \`${name}\` to be a function`)
    }
  }
  if (definition.pollHintMs !== undefined && typeof definition.pollHintMs !== 'function') {
    throw new TypeError('Expected `pollHintMs` to be a function')
  }
  const pollDefaults = { ...DEFAULT_POLL, ...definition.pollDefaults }
  for (const name of ['intervalMs', 'maxIntervalMs'] as const) {
    const value = pollDefaults[name]
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new TypeError(`Expected \`pollDefaults.${name}\` to be a positive number`)
    }
  }
  if (typeof pollDefaults.adaptive !== 'boolean') {
    throw new TypeError('Expected `pollDefaults.adaptive` to be a boolean')
  }
  if (pollDefaults.maxIntervalMs < pollDefaults.intervalMs) {
    throw new TypeError(
      'Expected `pollDefaults.maxIntervalMs` to be at least `pollDefaults.intervalMs`',
    )
  }
  const id = definition.id
  const url = (path: string) => `${baseURL}${path.startsWith('/') ? path : `/${path}`}`
  const origin = new URL(baseURL).origin

  const provider: Provider<TDetails> = {
    id,
    baseURL,
    pollDefaults: Object.freeze(pollDefaults),
    buildRequest(taskId) {
      assertTaskId(taskId)
      const request = definition.buildRequest(taskId, { url })
      if (new URL(request.url).origin !== origin) {
        throw new TypeError(
          `Provider ${id} built a request for another origin than its baseURL; credentials stay on ${origin}`,
        )
      }
      return request
    },
    parseResponse(response) {
      let task: VideoTask<TDetails>
      try {
        task = definition.parseResponse(response)
      } catch (error) {
        if (error instanceof VideoTaskError) throw error
        throw new ResponseValidationError({
          message: `Provider ${id} could not read the response: ${error instanceof Error ? error.message : String(error)} (HTTP ${response.status} from ${response.url})`,
          status: response.status,
          body: response.body,
          provider: id,
          url: response.url,
          retryable: response.status >= 500,
          cause: error,
        })
      }
      if (!validateTasks) return task
      const result = VideoTaskSchema.safeParse(task)
      if (!result.success) {
        throw new ResponseValidationError({
          message: `Provider ${id} produced a task that is not a valid VideoTask: ${result.error.issues[0]?.message ?? 'invalid'} at ${result.error.issues[0]?.path.join('.') ?? ''}`,
          status: response.status,
          issues: result.error.issues.map((issue) => ({
            path: issue.path,
            message: issue.message,
          })),
          body: response.body,
          provider: id,
          url: response.url,
        })
      }
      return task
    },
  }
  if (definition.pollHintMs) {
    const hint = definition.pollHintMs
    provider.pollHintMs = (response) => {
      const value = hint(response)
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null
    }
  }
  return Object.freeze(provider)
}
