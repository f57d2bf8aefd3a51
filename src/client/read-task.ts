import { redact, secretsOf } from '../internal/redact.js'
import type { VideoTask, VideoTaskDetails } from '../model.js'
import type { Provider, ProviderResponse } from '../providers/define-provider.js'
import { classifyFailure } from '../retry-policy.js'
import type { Transport } from '../transport.js'
import type { Observation } from '../wait/schedule.js'
import { authorizedRequest } from './authorize.js'

/** One read of a task: the task and the server's hint for the next read. */
export interface TaskRead<TDetails extends VideoTaskDetails = VideoTaskDetails> {
  task: VideoTask<TDetails>
  /** The server's suggested delay before the next read, or `null`. */
  pollHintMs: number | null
}

/**
 * Reads a task once: the provider builds the request, the transport sends it, the provider
 * parses the answer. Rejects with the typed error of the provider or transport, or the
 * signal's reason. No retries here: those belong to the client.
 */
export async function readTask<TDetails extends VideoTaskDetails>(
  provider: Provider<TDetails>,
  transport: Transport,
  taskId: string,
  options: {
    signal?: AbortSignal | undefined
    now?: () => number
    /** The route family the task was created on (from its `TaskRef`), when it has one. */
    route?: string | undefined
  } = {},
): Promise<TaskRead<TDetails>> {
  return readOnce(provider, transport, taskId, options.signal, options.now, options.route)
}

/**
 * {@link readTask} with its options as arguments: the client's reads call it directly, without
 * an options object per read.
 */
export async function readOnce<TDetails extends VideoTaskDetails>(
  provider: Provider<TDetails>,
  transport: Transport,
  taskId: string,
  signal: AbortSignal | undefined,
  now: (() => number) | undefined,
  route: string | undefined,
): Promise<TaskRead<TDetails>> {
  const built =
    route === undefined ? provider.buildRequest(taskId) : provider.buildRequest(taskId, route)
  // A provider with signed, short-lived credentials (Kling) adds them here, asynchronously.
  const request = provider.authorize ? await authorizedRequest(provider, built) : built
  const raw = await transport.send({
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    signal,
    provider: provider.id,
  })
  const response = providerResponse(provider.id, request, raw, taskId, (now ?? Date.now)())
  const task = provider.parseResponse(response)
  return { task, pollHintMs: provider.pollHintMs?.(response) ?? null }
}

/**
 * A transport's answer as a provider parses it: any credential of the request's headers that
 * the server echoed redacted from the body and the headers.
 */
export function providerResponse(
  provider: string,
  request: { url: string; headers: Readonly<Record<string, string>> },
  raw: { status: number; headers: Readonly<Record<string, string>>; body: string },
  taskId: string,
  receivedAt: number,
): ProviderResponse {
  const secrets = secretsFor(request.headers)
  return {
    status: raw.status,
    // A header can echo the key too (a redirect's `location`, a request id): redact both.
    headers: secrets.length > 0 ? redactHeaders(raw.headers, secrets) : raw.headers,
    body: secrets.length > 0 ? redact(raw.body, secrets) : raw.body,
    url: request.url,
    provider,
    taskId,
    receivedAt,
  }
}

/**
 * One read for a driver that runs the schedule itself (a durable queue worker): exactly one HTTP
 * request, no loop, no retries, no rate limit of its own. Resolves with an {@link Observation}:
 * the task and the server's poll hint, or the classified failure (`transient` with the server's
 * `Retry-After` in `retryAfterMs`, or permanent with its typed error: `TaskNotFoundError`,
 * `AuthenticationError`, ...). Rejects only with the signal's reason when `signal` aborts.
 * Feed the observation to `pollStep`.
 *
 * @example
 * ```ts
 * const observation = await observeTask(provider, createTransport(), 'video_123')
 * const { state: next, decision } = pollStep(state, observation, settings, Date.now(), Math.random())
 * ```
 */
export async function observeTask(
  provider: Provider,
  transport: Transport,
  taskId: string,
  options: {
    signal?: AbortSignal | undefined
    now?: () => number
    /** The route family the task was created on (its `TaskRef`'s `route`), when it has one. */
    route?: string | undefined
  } = {},
): Promise<Observation> {
  // A built-in provider from the package's factories loads its adapter first (Provider.load): a
  // failed load rejects, it is no observation of the vendor.
  const ready = provider.load ? await provider.load() : provider
  try {
    const { task, pollHintMs } = await readTask(ready, transport, taskId, options)
    return { kind: 'task', task, pollHintMs }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason
    return observationOfFailure(error)
  }
}

/** A failed read as an {@link Observation}: transient (with `Retry-After`) or permanent. */
export function observationOfFailure(error: unknown): Observation {
  const { transient, retryAfterMs } = classifyFailure(error)
  return { kind: 'error', error, transient, retryAfterMs }
}

function redactHeaders(
  headers: Readonly<Record<string, string>>,
  secrets: readonly string[],
): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) result[name] = redact(value, secrets)
  return result
}

const secretsCache = new WeakMap<object, string[]>()

/** secretsOf, once per headers object (built-in providers reuse one frozen object). */
function secretsFor(headers: Readonly<Record<string, string>>): string[] {
  if (!Object.isFrozen(headers)) return secretsOf(headers)
  let secrets = secretsCache.get(headers)
  if (!secrets) {
    secrets = secretsOf(headers)
    secretsCache.set(headers, secrets)
  }
  return secrets
}
