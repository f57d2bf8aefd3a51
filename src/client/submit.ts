import {
  ApiError,
  ConnectionError,
  RateLimitError,
  SubmitUncertainError,
  UnsupportedOperationError,
} from '../errors.js'
import type { VideoTaskDetails, VideoTaskOf } from '../model.js'
import { checkWaitOptions } from '../options/call-options.js'
import { checkKnownKeys } from '../options/check-known-keys.js'
import { checkSignal, type ScheduleOptions } from '../options/schedule-options.js'
import type { Provider, ProviderResponse } from '../providers/define-provider.js'
import type { CreatedTask, OutputLocation, VideoInput } from '../providers/kit/lifecycle.js'
import { backoffDelayMs, retryAfterDelayMs, retryTransient } from '../retry-policy.js'
import type { TaskIdOrRef, TaskRef } from '../task-ref.js'
import type { TransportResponse } from '../transport.js'
import type { SubscriptionOptions } from '../wait/subscription.js'
import { authorizedRequest } from './authorize.js'
import { providerResponse, readTask } from './read-task.js'
import { type SubmitContext, taskIdOf } from './submit-context.js'
import { checkVideoInput, resolveImage } from './video-input.js'

/*
 * Creating a task, and the never-pay-twice rule. A create is billed by the vendor the moment it
 * arrives, and none of the built-in routes documents an idempotency key (vendor-notes.md "Paid
 * twice"), so it is sent again only when it provably never left (refused connection, DNS: the
 * transport's `notSent`), or when the provider declares a header it honours. Otherwise a lost
 * answer is a `SubmitUncertainError` carrying what the app needs to reconcile.
 */

/** Options of `client.submit`. */
export interface SubmitOptions<TProviderInput extends object = Record<string, unknown>> {
  /**
   * Aborts the submit. Aborted before the request is sent, it rejects with `signal.reason`;
   * aborted while the request is in flight, with a {@link SubmitUncertainError} whose `cause` is
   * the reason (the vendor may have created the task).
   */
  signal?: AbortSignal | undefined
  /**
   * The key the create is known by: sent in the provider's idempotency header when it has one,
   * and carried by a {@link SubmitUncertainError} either way (1-255 printable ASCII characters).
   * @default crypto.randomUUID()
   */
  idempotencyKey?: string | undefined
  /** Vendor fields beyond the shared ones; they win over the mapped fields. */
  providerInput?: TProviderInput | undefined
  /** Where the vendor should POST status callbacks, for vendors that send them (MiniMax-style). */
  callbackUrl?: string | undefined
}

/** Options of `client.generate`: a submit's, a wait's, and `onSubmitted`. */
export interface GenerateOptions<TDetails extends VideoTaskDetails = VideoTaskDetails>
  extends Omit<SubmitOptions, 'signal'>,
    ScheduleOptions,
    SubscriptionOptions<TDetails> {
  /**
   * Called with the task's ref as soon as the create is answered, and awaited before the first
   * read: store the ref here, so a crash or a deadline later loses nothing that cannot be
   * resumed (`client.waitFor(ref)`). If it throws or rejects, `generate` rejects with that error
   * and does not poll.
   */
  onSubmitted?: ((ref: TaskRef) => unknown) | undefined
}

/** What `client.generate` resolves with. */
export interface GenerateResult<TDetails extends VideoTaskDetails = VideoTaskDetails> {
  /** The succeeded task: `task.videoUrl` (or `task.details`) says where the output is. */
  task: VideoTaskOf<'succeeded', TDetails>
  /** The task's ref, as `onSubmitted` received it. */
  ref: TaskRef
  /** Milliseconds from the submit to the success, on the client's clock. */
  elapsedMs: number
  /** Reads the wait made (failed ones included). */
  reads: number
  /** Where the output bytes are, when the provider says (`provider.outputs`). */
  outputs?: OutputLocation[][] | undefined
}

/** Options of `client.cancel`. */
export interface CancelOptions {
  /** Aborts the request. */
  signal?: AbortSignal | undefined
}

const SUBMIT_KEYS = ['signal', 'idempotencyKey', 'providerInput', 'callbackUrl'] as const

/** `client.submit`, `client.generate`'s checks and `client.cancel`, for one client. */
export function createSubmitter<TDetails extends VideoTaskDetails>(
  context: SubmitContext<TDetails>,
) {
  const { provider, transport, limiter, queue, random, defaults } = context
  const sleep = (delayMs: number, signal: AbortSignal | undefined) =>
    queue.sleepUntil(queue.now() + delayMs, signal)

  async function submit(input: VideoInput, options: SubmitOptions = {}): Promise<TaskRef> {
    const closed = context.closedError()
    if (closed) throw closed
    checkSubmitOptions(options, SUBMIT_KEYS, 'submit')
    const { buildCreateRequest, parseCreateResponse } = provider
    if (!buildCreateRequest || !parseCreateResponse) {
      throw new UnsupportedOperationError({
        operation: 'submit',
        provider: provider.id,
        hint: 'it has no create route (give `buildCreateRequest` and `parseCreateResponse` to define one)',
      })
    }
    const video = checkVideoInput(input)
    const { signal } = options
    const key = options.idempotencyKey ?? globalThis.crypto.randomUUID()
    signal?.throwIfAborted()
    const image = video.image === undefined ? undefined : await resolveImage(video.image)
    signal?.throwIfAborted()
    const header = provider.idempotencyHeader
    const built = buildCreateRequest.call(provider, {
      ...video,
      image,
      providerInput: options.providerInput,
      callbackUrl: options.callbackUrl,
      idempotencyKey: header === undefined ? undefined : key,
    })
    const headers = header === undefined ? built.headers : withHeader(built.headers, header, key)
    const request = { ...built, headers }

    for (let attempt = 1; ; attempt++) {
      const retriesLeft = defaults.retries - attempt + 1
      const slot = limiter.acquire(signal)
      if (slot) await slot
      signal?.throwIfAborted()
      // Signed, short-lived credentials (Kling) are added per attempt: a token may expire.
      const sent = await authorizedRequest(provider, request)
      const requestedAt = new Date(queue.now())
      const uncertain = (cause: unknown) =>
        new SubmitUncertainError({
          idempotencyKey: key,
          requestedAt,
          provider: provider.id,
          url: publicCreateUrl(request.url),
          cause,
        })
      let raw: TransportResponse
      try {
        raw = await transport.send({
          method: request.method,
          url: request.url,
          headers: sent.headers,
          body: request.body,
          signal,
          provider: provider.id,
        })
      } catch (error) {
        if (error instanceof ConnectionError && (error.notSent || header !== undefined)) {
          if (retriesLeft > 0) {
            await sleep(backoffDelayMs(attempt, defaults.minIntervalMs, defaults, random()), signal)
            continue
          }
          // Never sent: nothing was created, and submitting again is safe.
          if (error.notSent) throw error
        }
        // Aborted in flight, reset, time limit, a body over the limit: it may have arrived.
        throw uncertain(signal?.aborted ? signal.reason : error)
      }
      const response = providerResponse(provider.id, sent, raw, '', queue.now())
      let created: CreatedTask<TDetails>
      try {
        if (raw.status >= 500) {
          // A 5xx on a create says nothing reliable about the task: a proxy's page, or the
          // vendor failing after it stored the task. Resent only under an honoured key.
          throw parseFailure(parseCreateResponse, provider, response)
        }
        created = parseCreateResponse.call(provider, response)
      } catch (error) {
        if (raw.status >= 500) {
          if (header !== undefined && retriesLeft > 0) {
            await sleep(backoffDelayMs(attempt, defaults.minIntervalMs, defaults, random()), signal)
            continue
          }
          throw uncertain(error)
        }
        // A 429 (or a vendor's rate-limit code) refused the create: nothing was made.
        if (error instanceof RateLimitError && retriesLeft > 0) {
          await sleep(
            error.retryAfterMs === null
              ? backoffDelayMs(attempt, defaults.minIntervalMs, defaults, random())
              : retryAfterDelayMs(error.retryAfterMs, defaults, 0),
            signal,
          )
          continue
        }
        // A 2xx the adapter could not read: the vendor accepted something.
        if (raw.status >= 200 && raw.status < 300 && !(error instanceof ApiError)) {
          throw uncertain(error)
        }
        throw error
      }
      if (created.route !== undefined) context.routes.set(created.taskId, created.route)
      return Object.freeze({
        version: 1 as const,
        provider: provider.id,
        origin: new URL(provider.baseURL).origin,
        taskId: created.taskId,
        submittedAt: new Date(queue.now()).toISOString(),
        ...(created.route === undefined ? {} : { route: created.route }),
        ...(header === undefined ? {} : { idempotencyKey: key }),
      })
    }
  }

  async function cancel(idOrRef: TaskIdOrRef, options: CancelOptions = {}): Promise<void> {
    const closed = context.closedError()
    if (closed) throw closed
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('Expected the options to be an object')
    }
    checkKnownKeys(options, ['signal'], 'cancel options')
    checkSignal(options.signal)
    const taskId = taskIdOf(context, idOrRef, 'cancel')
    const { buildCancelRequest } = provider
    if (!buildCancelRequest) {
      throw new UnsupportedOperationError({
        operation: 'cancel',
        provider: provider.id,
        hint: 'the vendor documents no cancel route',
      })
    }
    const route = context.routes.get(taskId)
    const request = buildCancelRequest.call(provider, taskId, route)
    const { signal } = options
    const runtime = { sleep, random }
    const allowed = provider.cancellableStatuses
    if (allowed !== undefined) {
      // A vendor whose cancel harms a task past these statuses (Ark deletes a finished one): read
      // first, with the read's own retries, and send nothing from any other status.
      const { task } = await retryTransient(
        async () => {
          const slot = limiter.acquire(signal)
          if (slot) await slot
          signal?.throwIfAborted()
          return readTask(provider, transport, taskId, { signal, now: () => queue.now(), route })
        },
        defaults.retries,
        defaults,
        runtime,
        signal,
      )
      if (!allowed.includes(task.status)) {
        throw new UnsupportedOperationError({
          operation: 'cancel',
          provider: provider.id,
          hint: `task ${taskId} is ${task.status}, and ${provider.id} cancels only a task that is ${allowed.join(' or ')}; nothing was sent`,
        })
      }
    }
    // A cancel may be resent: cancelling twice cancels once.
    await retryTransient(
      async () => {
        const slot = limiter.acquire(signal)
        if (slot) await slot
        const sent = await authorizedRequest(provider, request)
        const raw = await transport.send({ ...sent, signal, provider: provider.id })
        const response = providerResponse(provider.id, sent, raw, taskId, queue.now())
        if (provider.parseCancelResponse) provider.parseCancelResponse(response)
        else if (raw.status < 200 || raw.status >= 300) {
          throw new ApiError({
            status: raw.status,
            message: `HTTP ${raw.status} from ${provider.id} to a cancel`,
            body: response.body,
            provider: provider.id,
            url: request.url,
          })
        }
      },
      defaults.retries,
      defaults,
      runtime,
      signal,
    )
  }

  /** Checks `generate`'s own options, its submit's and its wait's, before anything is sent. */
  function checkGenerateOptions(options: GenerateOptions<TDetails>): {
    submitOptions: SubmitOptions
    waitOptions: ScheduleOptions & SubscriptionOptions<TDetails>
    onSubmitted: GenerateOptions<TDetails>['onSubmitted']
  } {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('Expected the options to be an object')
    }
    const { onSubmitted, idempotencyKey, providerInput, callbackUrl, ...waitOptions } = options
    checkWaitOptions(waitOptions, 'generate')
    const submitOptions = { signal: options.signal, idempotencyKey, providerInput, callbackUrl }
    checkSubmitOptions(submitOptions, SUBMIT_KEYS, 'generate')
    if (onSubmitted !== undefined && typeof onSubmitted !== 'function') {
      throw new TypeError('Expected `onSubmitted` to be a function')
    }
    return { submitOptions, waitOptions, onSubmitted }
  }

  return { submit, cancel, checkGenerateOptions }
}

function checkSubmitOptions(options: unknown, keys: readonly string[], where: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected the options to be an object')
  }
  checkKnownKeys(options, keys, `${where} options`)
  const { signal, idempotencyKey, providerInput, callbackUrl } = options as SubmitOptions
  checkSignal(signal)
  if (
    idempotencyKey !== undefined &&
    (typeof idempotencyKey !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey))
  ) {
    throw new TypeError('Expected `idempotencyKey` to be 1-255 printable ASCII characters')
  }
  if (
    providerInput !== undefined &&
    (typeof providerInput !== 'object' || providerInput === null || Array.isArray(providerInput))
  ) {
    throw new TypeError('Expected `providerInput` to be an object of vendor fields')
  }
  if (callbackUrl !== undefined) {
    const scheme = typeof callbackUrl === 'string' ? callbackUrl.split(':')[0] : ''
    if (
      typeof callbackUrl !== 'string' ||
      !URL.canParse(callbackUrl) ||
      (scheme !== 'https' && scheme !== 'http')
    ) {
      throw new TypeError('Expected `callbackUrl` to be an http(s) URL')
    }
  }
}

/** `headers` with `name` set to `value`, replacing a same-named header in any case. */
function withHeader(
  headers: Readonly<Record<string, string>>,
  name: string,
  value: string,
): Record<string, string> {
  const result: Record<string, string> = {}
  const lower = name.toLowerCase()
  for (const [key, each] of Object.entries(headers))
    if (key.toLowerCase() !== lower) result[key] = each
  result[name] = value
  return result
}

/** The typed error a 5xx create answer reads as (its vendor error, else a generic one). */
function parseFailure<TDetails extends VideoTaskDetails>(
  parse: (response: ProviderResponse) => CreatedTask<TDetails>,
  provider: Provider<TDetails>,
  response: ProviderResponse,
): unknown {
  try {
    parse.call(provider, response)
  } catch (error) {
    return error
  }
  return new ApiError({
    status: response.status,
    message: `HTTP ${response.status} from ${provider.id} to a create`,
    body: response.body,
    provider: provider.id,
    url: response.url,
  })
}

/** The create URL as errors show it: origin and path (a query may carry a signature). */
function publicCreateUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return '(invalid URL)'
  }
}
