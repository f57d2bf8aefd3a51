import type { ServerResponse } from 'node:http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { failureReason } from '../src/client/log.js'
import { createClient } from '../src/client.js'
import { ServerError, WaitTimeoutError } from '../src/errors.js'
import { type Logger, logLevelFromEnvironment, type RetryEvent } from '../src/logger.js'
import { openai } from '../src/providers/openai.js'
import { HostileServer, requestedId, sendJson, taskBody } from './reliability/hostile-server.js'
import { idleClock } from './support/idle-clock.js'

/*
 * The client's `logger`, `logLevel`, `VIDEO_TASKS_LOG` and `onRetry`, over real sockets against
 * a server that echoes the key into every error it sends, on a virtual clock (see idleClock).
 */

const KEY = 'sk-log/Test+Key/0123456789ABCDEF'
const FORBIDDEN = [KEY, KEY.replaceAll('/', '\\/'), encodeURIComponent(KEY), '0123456789ABCDEF']

/** A logger that records every call, and every string it was handed. */
function recordingLogger() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = []
  const make =
    (level: string) =>
    (message: string, fields: Readonly<Record<string, unknown>> = {}) => {
      lines.push({ level, message, fields: { ...fields } })
    }
  const logger: Logger = {
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
  }
  return { logger, lines, text: () => JSON.stringify(lines) }
}

type Step = (response: ServerResponse, id: string) => void
const echoKey = (authorization: string | undefined) => `invalid or throttled key ${authorization}`
const steps = {
  unavailable:
    (auth: () => string | undefined): Step =>
    (response) =>
      sendJson(response, 503, { error: { message: echoKey(auth()), type: 'server_error' } }),
  limited:
    (auth: () => string | undefined): Step =>
    (response) =>
      sendJson(
        response,
        429,
        { error: { message: echoKey(auth()), type: 'rate_limit' } },
        { 'retry-after': '4' },
      ),
  unknown: (): Step => (response, id) => sendJson(response, 200, taskBody('openai', id, 'unknown')),
  running: (): Step => (response, id) => sendJson(response, 200, taskBody('openai', id, 'running')),
  succeeded: (): Step => (response, id) =>
    sendJson(response, 200, taskBody('openai', id, 'succeeded')),
}

const servers: HostileServer[] = []
afterEach(async () => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** A server that answers the n-th request with `script[n]` (the last one from then on). */
async function scripted(makeScript: (auth: () => string | undefined) => Step[]) {
  let authorization: string | undefined
  const script = makeScript(() => authorization)
  const server = await new HostileServer((seen, response) => {
    authorization = seen.authorization
    const step = script[Math.min(server.requests.length - 1, script.length - 1)]
    step?.(response, requestedId(seen))
  }).start()
  servers.push(server)
  return server
}

const FAST = { intervalMs: 1_000, minIntervalMs: 250, maxIntervalMs: 5_000, jitter: 0 }

describe('onRetry', () => {
  it('reports every retry, inside a read and between reads, client listener first', async () => {
    const server = await scripted((auth) => [
      steps.unavailable(auth),
      steps.limited(auth),
      steps.unavailable(auth),
      steps.running(),
      steps.succeeded(),
    ])
    const order: string[] = []
    const clientEvents: RetryEvent[] = []
    const waitEvents: RetryEvent[] = []
    const client = createClient({
      provider: openai({ baseURL: server.url, apiKey: KEY }),
      ...idleClock(),
      ...FAST,
      onRetry: (event) => {
        order.push('client')
        clientEvents.push(event)
      },
    })
    const task = await client.waitFor('video_1', {
      onRetry: (event) => {
        order.push('wait')
        waitEvents.push(event)
      },
    })
    await client.close()
    expect(task.status).toBe('succeeded')
    const summary = clientEvents.map(({ scope, attempt, reason, delayMs, taskId, error }) => ({
      scope,
      attempt,
      reason,
      delayMs,
      taskId,
      why: failureReason(error),
    }))
    expect(summary).toEqual([
      // The first request failed: retried inside the read from minIntervalMs.
      {
        scope: 'request',
        attempt: 1,
        reason: 'backoff',
        delayMs: 250,
        taskId: 'video_1',
        why: '503',
      },
      // The server said when: 4 s, followed as sent inside a read.
      {
        scope: 'request',
        attempt: 2,
        reason: 'retry-after',
        delayMs: 4_000,
        taskId: 'video_1',
        why: '429',
      },
      // The third request failed too: the read fails, the schedule backs off from intervalMs.
      {
        scope: 'read',
        attempt: 1,
        reason: 'backoff',
        delayMs: 1_000,
        taskId: 'video_1',
        why: '503',
      },
    ])
    expect(clientEvents[0]?.error).toBeInstanceOf(ServerError)
    expect(waitEvents).toEqual(clientEvents)
    expect(order).toEqual(['client', 'wait', 'client', 'wait', 'client', 'wait'])
  })

  it("reports getTask's retries to the call's own listener too", async () => {
    const server = await scripted((auth) => [steps.unavailable(auth), steps.running()])
    const events: RetryEvent[] = []
    const client = createClient({
      provider: openai({ baseURL: server.url, apiKey: KEY }),
      ...idleClock(),
      ...FAST,
    })
    const task = await client.getTask('video_2', { onRetry: (event) => events.push(event) })
    await client.close()
    expect(task.status).toBe('running')
    expect(events.map((event) => [event.scope, event.attempt, event.taskId])).toEqual([
      ['request', 1, 'video_2'],
    ])
  })

  it('a wait whose onRetry throws rejects with that error; another wait on the task goes on', async () => {
    const server = await scripted((auth) => [
      steps.unavailable(auth),
      steps.running(),
      steps.succeeded(),
    ])
    const client = createClient({
      provider: openai({ baseURL: server.url, apiKey: KEY }),
      ...idleClock(),
      ...FAST,
    })
    const boom = new Error('listener failed')
    const failing = client.waitFor('video_3', {
      onRetry: () => {
        throw boom
      },
    })
    const calm = client.waitFor('video_3')
    await expect(failing).rejects.toBe(boom)
    await expect(calm).resolves.toMatchObject({ status: 'succeeded' })
    await client.close()
  })

  it('is checked when given: a non-function is a TypeError naming it', async () => {
    const provider = openai({ baseURL: 'http://127.0.0.1:9', apiKey: KEY })
    expect(() => createClient({ provider, onRetry: 'log' as never })).toThrow(/`onRetry`/)
    const client = createClient({ provider })
    await expect(client.getTask('video_4', { onRetry: 1 as never })).rejects.toThrow(/`onRetry`/)
    await expect(client.waitFor('video_4', { onRetry: {} as never })).rejects.toThrow(/`onRetry`/)
    await client.close()
  })
})

describe('logger', () => {
  it('logs retries, the rate-limit wait and an unknown status, never the key', async () => {
    const server = await scripted((auth) => [
      steps.unavailable(auth),
      steps.limited(auth),
      steps.unavailable(auth),
      steps.unknown(),
      steps.succeeded(),
    ])
    const { logger, lines, text } = recordingLogger()
    const client = createClient({
      provider: openai({ baseURL: server.url, apiKey: KEY }),
      ...idleClock(),
      ...FAST,
      logger,
      logLevel: 'info',
    })
    await client.waitFor('video_5')
    await client.close()
    const messages = lines.map((line) => `${line.level} ${line.message}`)
    expect(messages).toEqual([
      expect.stringMatching(
        /^info video-tasks: retrying \(503\): request 1 of task video_5.* 250 ms/,
      ),
      expect.stringMatching(/^warn video-tasks: rate limited \(429\): request 2 .* 4000 ms/),
      expect.stringMatching(
        /^info video-tasks: retrying \(503\): read 1 of task video_5.* 1000 ms/,
      ),
      expect.stringMatching(/^warn video-tasks: task video_5 reported a status .*"mystery"/),
    ])
    // The server echoed the key into every error body: the lines carry the message, redacted.
    expect(lines[0]?.fields).toMatchObject({ taskId: 'video_5', provider: 'openai', attempt: 1 })
    expect(String(lines[0]?.fields.errorMessage)).toContain('[REDACTED]')
    for (const secret of FORBIDDEN) expect(text()).not.toContain(secret)
  })

  it('logs each read at debug, and nothing below the level', async () => {
    const server = await scripted(() => [steps.running(), steps.succeeded()])
    const debug = recordingLogger()
    const warnOnly = recordingLogger()
    for (const [recorder, logLevel] of [
      [debug, 'debug'],
      [warnOnly, 'warn'],
    ] as const) {
      const client = createClient({
        provider: openai({ baseURL: server.url, apiKey: KEY }),
        ...idleClock(),
        ...FAST,
        logger: recorder.logger,
        logLevel,
      })
      await client.waitFor(`video_6_${logLevel}`)
      await client.close()
    }
    expect(debug.lines.map((line) => line.message)).toEqual([
      expect.stringMatching(/read task video_6_debug: running \(in_progress\)/),
      expect.stringMatching(/read task video_6_debug: succeeded \(completed\)/),
    ])
    expect(warnOnly.lines).toEqual([])
  })

  it('logs the give-up of a wait and of a getTask', async () => {
    const server = await scripted((auth) => [steps.unavailable(auth)])
    const { logger, lines, text } = recordingLogger()
    const client = createClient({
      provider: openai({ baseURL: server.url, apiKey: KEY }),
      ...idleClock(),
      ...FAST,
      retries: 0,
      maxConsecutiveFailures: 1,
      logger,
      logLevel: 'warn',
    })
    await expect(client.waitFor('video_7')).rejects.toBeInstanceOf(ServerError)
    await expect(client.getTask('video_8')).rejects.toBeInstanceOf(ServerError)
    await client.close()
    expect(lines.map((line) => `${line.level} ${line.message}`)).toEqual([
      expect.stringMatching(
        /^warn .*giving up on task video_7: 1 failed reads in a row \(maxConsecutiveFailures\)/,
      ),
      expect.stringMatching(/^warn .*giving up on reading task video_8 after 1 attempts/),
    ])
    for (const secret of FORBIDDEN) expect(text()).not.toContain(secret)
  })

  it('is silent by default, even when reads fail', async () => {
    const server = await scripted((auth) => [steps.unavailable(auth), steps.succeeded()])
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((name) =>
      vi.spyOn(console, name).mockImplementation(() => {}),
    )
    const client = createClient({
      provider: openai({ baseURL: server.url, apiKey: KEY }),
      ...idleClock(),
      ...FAST,
    })
    await client.waitFor('video_9')
    await client.close()
    for (const spy of spies) expect(spy).not.toHaveBeenCalled()
  })

  it('VIDEO_TASKS_LOG turns on a console logger when no logger is given', async () => {
    vi.stubEnv('VIDEO_TASKS_LOG', 'DEBUG')
    const server = await scripted((auth) => [steps.unavailable(auth), steps.succeeded()])
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const client = createClient({
      provider: openai({ baseURL: server.url, apiKey: KEY }),
      ...idleClock(),
      ...FAST,
    })
    await client.waitFor('video_10')
    await client.close()
    expect(info).toHaveBeenCalledWith(
      expect.stringMatching(/retrying \(503\)/),
      expect.objectContaining({ taskId: 'video_10' }),
    )
    expect(debug).toHaveBeenCalledWith(
      expect.stringMatching(/read task video_10: succeeded/),
      expect.anything(),
    )
    const everything = JSON.stringify([...info.mock.calls, ...debug.mock.calls])
    for (const secret of FORBIDDEN) expect(everything).not.toContain(secret)
  })

  it('an unknown VIDEO_TASKS_LOG value is ignored with one warning, not a throw', () => {
    vi.stubEnv('VIDEO_TASKS_LOG', 'loud')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const provider = openai({ baseURL: 'http://127.0.0.1:9', apiKey: KEY })
    createClient({ provider })
    createClient({ provider })
    expect(warn.mock.calls.length).toBeLessThanOrEqual(1)
    for (const call of warn.mock.calls) expect(String(call[0])).toMatch(/VIDEO_TASKS_LOG="loud"/)
  })

  it('reads the environment defensively: no process, or a process that throws', () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'process')
    if (!descriptor) throw new Error('expected a process global on Node')
    try {
      Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true })
      expect(logLevelFromEnvironment()).toBeUndefined()
      Object.defineProperty(globalThis, 'process', {
        configurable: true,
        get() {
          throw new Error('Requires env access (Deno without --allow-env)')
        },
      })
      expect(logLevelFromEnvironment()).toBeUndefined()
    } finally {
      Object.defineProperty(globalThis, 'process', descriptor)
    }
  })

  it('a logger that throws does not change what a wait returns', async () => {
    const server = await scripted((auth) => [steps.unavailable(auth), steps.succeeded()])
    const throwing: Logger = {
      debug: () => {
        throw new Error('disk full')
      },
      info: () => {
        throw new Error('disk full')
      },
      warn: () => {
        throw new Error('disk full')
      },
      error: () => {
        throw new Error('disk full')
      },
    }
    const client = createClient({
      provider: openai({ baseURL: server.url, apiKey: KEY }),
      ...idleClock(),
      ...FAST,
      logger: throwing,
      logLevel: 'debug',
    })
    await expect(client.waitFor('video_11')).resolves.toMatchObject({ status: 'succeeded' })
    await client.close()
  })

  it('checks logger and logLevel in the resolver, naming them', () => {
    const provider = openai({ baseURL: 'http://127.0.0.1:9', apiKey: KEY })
    expect(() => createClient({ provider, logger: {} as never })).toThrow(
      /`logger` to have debug\(\), info\(\), warn\(\) and error\(\)/,
    )
    expect(() => createClient({ provider, logger: console.log as never })).toThrow(/`logger`/)
    expect(() => createClient({ provider, logLevel: 'verbose' as never })).toThrow(
      /`logLevel` to be one of debug, info, warn, error, off/,
    )
  })

  it('a key in the base URL is refused without echoing it, and nothing is logged', () => {
    const { logger, lines } = recordingLogger()
    let message = ''
    try {
      createClient({
        provider: openai({
          baseURL: `https://user:${encodeURIComponent(KEY)}@api.example.test/v1`,
          apiKey: KEY,
        }),
        logger,
        logLevel: 'debug',
      })
    } catch (error) {
      message = String(error)
    }
    expect(message).toMatch(/TypeError: .*without credentials/)
    for (const secret of FORBIDDEN) expect(message).not.toContain(secret)
    expect(lines).toEqual([])
  })

  it('a wait that times out while retrying logs each retry with its cause', async () => {
    const server = await scripted((auth) => [steps.unavailable(auth)])
    const { logger, lines } = recordingLogger()
    const client = createClient({
      provider: openai({ baseURL: server.url, apiKey: KEY }),
      ...idleClock(),
      ...FAST,
      maxConsecutiveFailures: 100,
      logger,
      logLevel: 'info',
    })
    const error = await client.waitFor('video_12', { timeoutMs: 10_000 }).catch((e) => e)
    await client.close()
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError).cause).toBeInstanceOf(ServerError)
    expect(lines.length).toBeGreaterThan(2)
    for (const line of lines) expect(line.message).toMatch(/retrying \(503\)/)
  })
})
