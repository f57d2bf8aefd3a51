import pRetry, { AbortError } from 'p-retry'
import {
  ConnectionError,
  DownloadError,
  DownloadExpiredError,
  DownloadIntegrityError,
  DownloadTooLargeError,
  isRetryableStatus,
  publicUrl,
} from '../errors.js'
import { createDownloadTransport, type StreamResponse } from '../transport.js'
import { announcedLength, parseContentRange, rangeValidator } from './content-range.js'
import { nodeModulesForFiles } from './file-sink.js'
import type { DownloadResult, ResolvedDownloadOptions } from './options.js'
import { ProgressMeter } from './progress.js'
import type { DownloadSink } from './sink.js'

interface Hash {
  update(data: Uint8Array): unknown
  digest(encoding: 'hex'): string
}

/** Headers the engine sets itself; a caller's own would break resuming. */
const ENGINE_HEADERS = new Set(['range', 'if-range'])

/**
 * Runs one download into `sink`: attempts with `Range` resumes inside a p-retry budget, one
 * refresh of an expired link, verification, then `sink.commit()`; on any failure
 * `sink.discard()` and the error (`signal.reason` for an abort).
 */
export async function runDownload(
  options: ResolvedDownloadOptions,
  sink: DownloadSink,
): Promise<DownloadResult> {
  const transport = options.transport ?? createDownloadTransport()
  const controller = new AbortController()
  const onAbort = () => controller.abort(options.signal?.reason)
  if (options.signal?.aborted) onAbort()
  else options.signal?.addEventListener('abort', onAbort, { once: true })
  const signal = controller.signal

  const state = {
    url: options.url,
    urlExpiresAtMs: options.expiresAtMs,
    position: 0,
    total: null as number | null,
    validator: null as string | null,
    validatorUrl: null as string | null,
    contentType: null as string | null,
    attempts: 0,
    resumes: 0,
    restarts: 0,
    refreshed: false,
  }
  const shown = () => publicUrl(state.url)
  const meter = new ProgressMeter(options.now, options.onProgress)
  let createHash: ((algorithm: 'sha256') => Hash) | undefined
  if (options.checksum) createHash = (await nodeModulesForFiles()).crypto.createHash
  let hash = createHash?.('sha256')

  let deadlineError: DownloadError | undefined
  const deadline =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          deadlineError = new DownloadError(
            `Download of ${shown()} did not finish within timeoutMs (${options.timeoutMs} ms)`,
            { url: state.url, timedOut: true, receivedBytes: state.position },
          )
          controller.abort(deadlineError)
        }, options.timeoutMs)

  const restart = async () => {
    if (state.position === 0) return
    if (!sink.restartable) {
      throw new DownloadError(
        `Download of ${shown()} had to start over after ${state.position} bytes (the server did not continue with Range), but they were already written to the stream`,
        { url: state.url, receivedBytes: state.position },
      )
    }
    await sink.reset()
    state.position = 0
    state.restarts++
    hash = createHash?.('sha256')
    meter.reset()
  }

  const expired = (status: number | null, url = state.url) => {
    const when =
      state.urlExpiresAtMs === undefined ? null : new Date(state.urlExpiresAtMs).toISOString()
    const reason =
      status === null
        ? `expired at ${when} (expiresAt), so it was not requested`
        : `has expired or is no longer valid (the storage answered ${status})`
    const hint = state.refreshed
      ? '; the fresh link from refreshUrl expired too'
      : options.refreshUrl
        ? ''
        : '; read the task again for a fresh link, or pass refreshUrl'
    return new DownloadExpiredError(`The download link ${publicUrl(url)} ${reason}${hint}`, {
      url,
      status,
      expiresAt: status === null ? when : null,
      refreshed: state.refreshed,
      receivedBytes: state.position,
    })
  }

  const tooLarge = (announcedBytes: number | null) =>
    new DownloadTooLargeError(
      `Download of ${shown()} is larger than maxBytes (${options.maxBytes} bytes)${announcedBytes === null ? '' : `: the server announced ${announcedBytes} bytes`}`,
      {
        url: state.url,
        maxBytes: options.maxBytes,
        announcedBytes,
        receivedBytes: state.position,
      },
    )

  /** Checks the status and headers; sets the total; may start over (a 200 to a `Range`). */
  const accept = async (response: StreamResponse, resuming: boolean) => {
    const { status, headers } = response
    if (status === 200) {
      await restart()
      state.total = announcedLength(headers)
      state.validator = rangeValidator(headers)
      state.validatorUrl = state.url
    } else if (status === 206) {
      const range = parseContentRange(headers['content-range'])
      const continues =
        range !== null &&
        range.first === state.position &&
        (state.total === null || range.complete === null || range.complete === state.total)
      if (!continues) {
        await restart()
        throw new DownloadError(
          `Download of ${shown()} answered a range that does not continue the stored bytes; starting over`,
          { url: state.url, status, retryable: true, receivedBytes: state.position },
        )
      }
      if (resuming) state.resumes++
      state.total = range.complete
      state.validator = rangeValidator(headers) ?? state.validator
    } else if (status === 416 && state.position > 0) {
      await restart()
      throw new DownloadError(`Download of ${shown()} refused the resume range; starting over`, {
        url: state.url,
        status,
        retryable: true,
      })
    } else if (status === 410 || (status === 403 && !response.credentialsSent)) {
      // A 403 to a request that carried no key is a signed link the storage no longer honours.
      throw expired(status, response.url)
    } else {
      throw new DownloadError(
        `Download of ${publicUrl(response.url)} failed: the server answered ${status}`,
        {
          url: response.url,
          status,
          retryable: isRetryableStatus(status),
          receivedBytes: state.position,
        },
      )
    }
    state.contentType = headers['content-type'] ?? state.contentType
    if (state.total !== null && state.total > options.maxBytes) throw tooLarge(state.total)
  }

  const attempt = async () => {
    signal.throwIfAborted()
    if (state.urlExpiresAtMs !== undefined && options.now() >= state.urlExpiresAtMs) {
      throw expired(null)
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(options.headers)) {
      if (!ENGINE_HEADERS.has(name.toLowerCase())) headers[name] = value
    }
    // Without a validator, resume only at the URL the bytes came from: a fresh link may serve
    // another file, and If-Range is what would tell.
    if (state.position > 0 && state.validator === null && state.validatorUrl !== state.url) {
      await restart()
    }
    const resuming = state.position > 0
    if (resuming) {
      headers.range = `bytes=${state.position}-`
      if (state.validator !== null) headers['if-range'] = state.validator
    }
    state.attempts++
    let response: StreamResponse
    try {
      response = await transport.open({
        url: state.url,
        headers,
        credentialOrigin: options.credentialOrigin,
        signal,
        headersTimeoutMs: options.headersTimeoutMs,
        idleTimeoutMs: options.idleTimeoutMs,
      })
    } catch (error) {
      if (signal.aborted || error instanceof DownloadError) throw error
      if (error instanceof ConnectionError) {
        throw new DownloadError(`Download of ${shown()} failed: ${error.message}`, {
          url: state.url,
          retryable: true,
          timedOut: error.timedOut,
          cause: error,
          receivedBytes: state.position,
        })
      }
      throw error
    }
    let consumed = false
    try {
      await accept(response, resuming)
      consumed = true
      await stream(response)
    } finally {
      if (!consumed) response.cancel()
    }
  }

  const stream = async (response: StreamResponse) => {
    try {
      for await (const chunk of response.body) {
        const next = state.position + chunk.byteLength
        if (next > options.maxBytes) throw tooLarge(null)
        if (state.total !== null && next > state.total) {
          throw new DownloadIntegrityError(
            `Download of ${shown()} sent more bytes than the ${state.total} it announced`,
            {
              url: state.url,
              check: 'length',
              expected: String(state.total),
              actual: `more than ${state.total}`,
              receivedBytes: state.position,
            },
          )
        }
        const full = sink.write(chunk)
        if (full) await full
        hash?.update(chunk)
        state.position = next
        meter.update(state.position, state.total)
      }
      await sink.flush()
    } catch (error) {
      // Bytes taken are stored before a resume counts on them; a storage error ends it all.
      const stored = await sink.flush().then(
        () => undefined,
        (storageError: unknown) => storageError,
      )
      if (stored !== undefined) {
        throw new DownloadError(`Download of ${shown()} could not be stored: ${String(stored)}`, {
          url: state.url,
          cause: stored,
          receivedBytes: state.position,
        })
      }
      if (error instanceof DownloadError || signal.aborted) throw error
      if (error instanceof ConnectionError) {
        throw new DownloadError(
          `Download of ${shown()} ${error.timedOut ? 'stalled' : 'was cut off'} after ${state.position} bytes: ${error.message}`,
          {
            url: state.url,
            retryable: true,
            timedOut: error.timedOut,
            cause: error,
            receivedBytes: state.position,
          },
        )
      }
      throw new DownloadError(`Download of ${shown()} could not be stored: ${String(error)}`, {
        url: state.url,
        cause: error,
        receivedBytes: state.position,
      })
    }
    if (state.total !== null && state.position < state.total) {
      throw new DownloadError(
        `Download of ${shown()} ended after ${state.position} of ${state.total} bytes`,
        { url: state.url, retryable: true, receivedBytes: state.position },
      )
    }
  }

  let failures = 0
  const run = async () => {
    for (;;) {
      try {
        await pRetry(
          async () => {
            try {
              await attempt()
            } catch (error) {
              // p-retry takes Error instances only; an abort's reason may be anything.
              if (signal.aborted) throw new AbortError('aborted')
              throw error
            }
          },
          {
            retries: Math.max(0, options.retries - failures),
            minTimeout: options.minRetryDelayMs,
            maxTimeout: options.maxRetryDelayMs,
            factor: 2,
            randomize: options.minRetryDelayMs > 0,
            signal,
            shouldRetry: ({ error }) => error instanceof DownloadError && error.retryable,
            onFailedAttempt: ({ error }) => {
              if (error instanceof DownloadError && error.retryable) failures++
            },
          },
        )
        return
      } catch (error) {
        if (signal.aborted) throw signal.reason
        if (!(error instanceof DownloadExpiredError) || !options.refreshUrl || state.refreshed) {
          throw error
        }
        state.refreshed = true
        let fresh: unknown
        try {
          fresh = await options.refreshUrl()
        } catch (cause) {
          if (signal.aborted) throw signal.reason
          throw new DownloadExpiredError(
            `The download link ${shown()} has expired, and refreshUrl failed to give a fresh one`,
            { url: state.url, status: error.status, refreshed: true, cause },
          )
        }
        signal.throwIfAborted()
        if (typeof fresh !== 'string' || !/^https?:\/\//i.test(fresh) || !URL.canParse(fresh)) {
          throw new DownloadError('refreshUrl returned something that is not an http(s) URL', {
            url: state.url,
          })
        }
        state.url = new URL(fresh).href
        state.urlExpiresAtMs = undefined
      }
    }
  }

  try {
    await run()
    let sha256: string | null = null
    if (hash) {
      sha256 = hash.digest('hex')
      if (sha256 !== options.checksum) {
        throw new DownloadIntegrityError(
          `Download of ${shown()} does not match the expected SHA-256 checksum`,
          {
            url: state.url,
            check: 'sha256',
            expected: options.checksum ?? '',
            actual: sha256,
            receivedBytes: state.position,
          },
        )
      }
    }
    await sink.commit()
    meter.update(state.position, state.total, true)
    return {
      bytes: state.position,
      totalBytes: state.total,
      contentType: state.contentType,
      sha256,
      attempts: state.attempts,
      resumes: state.resumes,
      restarts: state.restarts,
      refreshed: state.refreshed,
    }
  } catch (error) {
    const reason = signal.aborted ? (deadlineError ?? signal.reason) : error
    await sink.discard(reason)
    throw reason
  } finally {
    clearTimeout(deadline)
    options.signal?.removeEventListener('abort', onAbort)
    if (!options.transport) await transport.close()
  }
}
