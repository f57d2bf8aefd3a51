import { redact, secretsOf } from '../internal/redact.js'
import type { VideoTask, VideoTaskDetails } from '../model.js'
import type { Provider, ProviderResponse } from '../providers/define-provider.js'
import type { Transport } from '../transport.js'
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
  const built =
    options.route === undefined
      ? provider.buildRequest(taskId)
      : provider.buildRequest(taskId, options.route)
  // A provider with signed, short-lived credentials (Kling) adds them here, asynchronously.
  const request = provider.authorize ? await authorizedRequest(provider, built) : built
  const raw = await transport.send({
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    signal: options.signal,
    provider: provider.id,
  })
  const response = providerResponse(provider.id, request, raw, taskId, (options.now ?? Date.now)())
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
