import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import vm from 'node:vm'
import ts from 'typescript'
import { describe, expect, it, vi } from 'vitest'
import { readTask } from '../src/client/read-task.js'
import * as errors from '../src/errors.js'
import {
  ApiError,
  type ApiErrorOptions,
  AuthenticationError,
  BODY_EXCERPT_LENGTH,
  ConnectionError,
  DownloadError,
  DownloadExpiredError,
  DownloadIntegrityError,
  DownloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  SubmitUncertainError,
  TaskCancelledError,
  TaskFailedError,
  TaskNotFoundError,
  UnknownStatusError,
  UnsupportedOperationError,
  VideoTaskError,
  WaitTimeoutError,
} from '../src/errors.js'
import { REDACTED, redact, secretsOf } from '../src/internal/redact.js'
import type { FailedVideoTask, VideoTask } from '../src/model.js'
import { defineProvider } from '../src/providers/define-provider.js'
import { openai } from '../src/providers/openai.js'
import { createTransport, type FetchFunction } from '../src/transport.js'

const KINDS = Symbol.for('video-tasks.error-kinds')

function task(overrides: Partial<Record<keyof VideoTask, unknown>> = {}): VideoTask {
  return {
    id: 'vid_1',
    provider: 'openai',
    status: 'running',
    vendorStatus: 'in_progress',
    progress: 40,
    videoUrl: null,
    videoUrls: [],
    error: null,
    createdAt: null,
    completedAt: null,
    expiresAt: null,
    details: {},
    raw: {},
    ...overrides,
  } as VideoTask
}

const apiOptions: ApiErrorOptions = {
  status: 418,
  code: 'teapot',
  message: 'I am a teapot',
  requestId: 'req_1',
  body: '{"error":"teapot"}',
  provider: 'openai',
  url: 'https://api.openai.test/v1/videos/vid_1',
}

type ErrorClass = abstract new (...args: never[]) => VideoTaskError

/** Every error class with a sample instance and its class chain, nearest first. */
const CASES: Array<{
  Class: ErrorClass & { is(value: unknown): boolean }
  make: () => Error
  chain: string[]
}> = [
  { Class: VideoTaskError, make: () => new VideoTaskError('base'), chain: [] },
  { Class: ApiError, make: () => new ApiError(apiOptions), chain: ['VideoTaskError'] },
  {
    Class: AuthenticationError,
    make: () => new AuthenticationError({ ...apiOptions, status: 401 }),
    chain: ['ApiError', 'VideoTaskError'],
  },
  {
    Class: PermissionDeniedError,
    make: () => new PermissionDeniedError({ ...apiOptions, status: 403 }),
    chain: ['ApiError', 'VideoTaskError'],
  },
  {
    Class: TaskNotFoundError,
    make: () => new TaskNotFoundError({ ...apiOptions, status: 404 }),
    chain: ['ApiError', 'VideoTaskError'],
  },
  {
    Class: RateLimitError,
    make: () => new RateLimitError({ ...apiOptions, status: 429, retryAfterMs: 1500 }),
    chain: ['ApiError', 'VideoTaskError'],
  },
  {
    Class: ServerError,
    make: () => new ServerError({ ...apiOptions, status: 503 }),
    chain: ['ApiError', 'VideoTaskError'],
  },
  {
    Class: ConnectionError,
    make: () => new ConnectionError('reset', { url: apiOptions.url }),
    chain: ['VideoTaskError'],
  },
  {
    Class: SubmitUncertainError,
    make: () =>
      new SubmitUncertainError({
        idempotencyKey: 'key-1',
        requestedAt: new Date(0),
        provider: 'openai',
        url: apiOptions.url,
      }),
    chain: ['VideoTaskError'],
  },
  {
    Class: UnsupportedOperationError,
    make: () => new UnsupportedOperationError({ operation: 'cancel', provider: 'openai' }),
    chain: ['VideoTaskError'],
  },
  {
    Class: ResponseValidationError,
    make: () =>
      new ResponseValidationError({
        message: 'not json',
        status: 200,
        provider: 'openai',
        url: apiOptions.url,
      }),
    chain: ['VideoTaskError'],
  },
  {
    Class: TaskFailedError,
    make: () =>
      new TaskFailedError(
        task({ status: 'failed', error: { code: 'x', message: 'bad prompt' } }) as FailedVideoTask,
      ),
    chain: ['VideoTaskError'],
  },
  {
    Class: TaskCancelledError,
    make: () => new TaskCancelledError(task({ status: 'cancelled' })),
    chain: ['VideoTaskError'],
  },
  {
    Class: WaitTimeoutError,
    make: () =>
      new WaitTimeoutError({
        taskId: 'vid_1',
        lastTask: null,
        elapsedMs: 10,
        reads: 0,
        timeoutMs: 10,
      }),
    chain: ['VideoTaskError'],
  },
  {
    Class: DownloadError,
    make: () => new DownloadError('cut off', { url: 'https://cdn.test/v.mp4?sig=secret' }),
    chain: ['VideoTaskError'],
  },
  {
    Class: DownloadExpiredError,
    make: () => new DownloadExpiredError('expired', { url: 'https://cdn.test/v.mp4', status: 403 }),
    chain: ['DownloadError', 'VideoTaskError'],
  },
  {
    Class: DownloadIntegrityError,
    make: () =>
      new DownloadIntegrityError('mismatch', {
        url: 'https://cdn.test/v.mp4',
        check: 'sha256',
        expected: 'a',
        actual: 'b',
      }),
    chain: ['DownloadError', 'VideoTaskError'],
  },
  {
    Class: DownloadTooLargeError,
    make: () => new DownloadTooLargeError('too large', { url: 'https://cdn.test/v', maxBytes: 1 }),
    chain: ['DownloadError', 'VideoTaskError'],
  },
  {
    Class: UnknownStatusError,
    make: () => new UnknownStatusError(task({ status: 'unknown', vendorStatus: 'weird' }), 3),
    chain: ['VideoTaskError'],
  },
]

const byName = new Map(CASES.map((each) => [each.Class.name, each.Class]))

describe('error classes', () => {
  it('the table covers every error class the module exports', () => {
    const exported = Object.entries(errors)
      .filter(
        ([, value]) =>
          typeof value === 'function' &&
          (value === VideoTaskError || value.prototype instanceof VideoTaskError),
      )
      .map(([name]) => name)
      .sort()
    expect(exported).toEqual([...byName.keys()].sort())
  })

  describe.each(CASES.map((each) => [each.Class.name, each] as const))('%s', (name, each) => {
    const error = each.make()
    const ancestors = each.chain.map((ancestor) => byName.get(ancestor))

    it('is an instance of itself, each ancestor, VideoTaskError and Error', () => {
      expect(error).toBeInstanceOf(each.Class)
      for (const Ancestor of ancestors) expect(error).toBeInstanceOf(Ancestor)
      expect(error).toBeInstanceOf(VideoTaskError)
      expect(error).toBeInstanceOf(Error)
      expect(each.Class.is(error)).toBe(true)
      for (const Ancestor of ancestors) expect(Ancestor?.is(error)).toBe(true)
    })

    it('is not an instance of a sibling or a subclass', () => {
      const related = new Set([name, ...each.chain])
      for (const [otherName, Other] of byName) {
        if (related.has(otherName)) continue
        expect(error instanceof (Other as ErrorClass), `${name} instanceof ${otherName}`).toBe(
          false,
        )
        expect(Other.is(error), `${otherName}.is(${name})`).toBe(false)
      }
    })

    it('has its class name as a non-enumerable name, in String() and the stack', () => {
      expect(error.name).toBe(name)
      expect(Object.keys(error)).not.toContain('name')
      expect(String(error)).toBe(`${name}: ${error.message}`)
      expect(error.stack?.split('\n')[0]).toBe(`${name}: ${error.message}`)
      expect(inspect(error).startsWith(`${name}: ${error.message}`)).toBe(true)
    })

    it('carries the kinds marker, frozen and not enumerable', () => {
      const kinds = (error as unknown as Record<symbol, unknown>)[KINDS]
      expect(kinds).toEqual([name, ...each.chain])
      expect(Object.isFrozen(kinds)).toBe(true)
      expect(Object.getOwnPropertyDescriptor(error, KINDS)?.enumerable).toBe(false)
    })
  })

  it('is() and instanceof refuse non-errors and unrelated errors', () => {
    const impostors: unknown[] = [
      null,
      undefined,
      0,
      'ApiError',
      {},
      [],
      new Error('plain'),
      new TypeError('type'),
      Object.assign(new Error('named'), { name: 'ApiError' }),
      { [KINDS]: 'ApiError' },
      { [KINDS]: { includes: () => true } },
      { [Symbol.for('video-tasks.error-kind')]: 'ApiError' },
    ]
    for (const value of impostors) {
      for (const Class of byName.values()) {
        expect(Class.is(value), `${Class.name}.is(${inspect(value)})`).toBe(false)
        expect(value instanceof (Class as ErrorClass)).toBe(false)
      }
    }
  })

  it('ApiError fields: defaults, body excerpt, retryable by status', () => {
    const error = new ApiError({ status: 400, message: 'bad', provider: 'p', url: 'u' })
    expect(error).toMatchObject({
      status: 400,
      code: null,
      requestId: null,
      bodyExcerpt: '',
      provider: 'p',
      url: 'u',
      retryable: false,
      message: 'bad',
    })
    expect('cause' in error).toBe(false)
    for (const status of [408, 409, 429, 500, 502, 599]) {
      expect(new ApiError({ ...apiOptions, status }).retryable, String(status)).toBe(true)
    }
    for (const status of [200, 302, 400, 401, 403, 404, 422]) {
      expect(new ApiError({ ...apiOptions, status }).retryable, String(status)).toBe(false)
    }
    expect(new ApiError({ ...apiOptions, status: 500, retryable: false }).retryable).toBe(false)
    const long = 'x'.repeat(BODY_EXCERPT_LENGTH + 100)
    expect(new ApiError({ ...apiOptions, body: long }).bodyExcerpt).toBe(
      `${'x'.repeat(BODY_EXCERPT_LENGTH)}…`,
    )
    const cause = new Error('root')
    expect(new ApiError({ ...apiOptions, cause }).cause).toBe(cause)
  })

  it('subclasses fix retryable whatever the options say', () => {
    const options = { ...apiOptions, status: 500 }
    expect(new AuthenticationError({ ...options, retryable: true }).retryable).toBe(false)
    expect(new PermissionDeniedError({ ...options, retryable: true }).retryable).toBe(false)
    expect(new TaskNotFoundError({ ...options, retryable: true }).retryable).toBe(false)
    expect(new RateLimitError({ ...options, status: 200, retryable: false }).retryable).toBe(true)
    expect(new ServerError({ ...options, retryable: false }).retryable).toBe(true)
    expect(new RateLimitError(options).retryAfterMs).toBeNull()
    expect(new RateLimitError({ ...options, retryAfterMs: 0 }).retryAfterMs).toBe(0)
    expect(new ServerError({ ...options, retryAfterMs: 2000 }).retryAfterMs).toBe(2000)
  })

  it('ConnectionError and ResponseValidationError fields', () => {
    const cause = new Error('ECONNRESET')
    const connection = new ConnectionError('down', { url: 'u', timedOut: true, cause })
    expect(connection).toMatchObject({ url: 'u', timedOut: true, retryable: true, cause })
    expect(new ConnectionError('down', { url: 'u' }).timedOut).toBe(false)
    const validation = new ResponseValidationError({
      message: 'shape',
      status: 502,
      provider: 'p',
      url: 'u',
      issues: [{ path: ['a', 0], message: 'wrong' }],
      body: 'y'.repeat(BODY_EXCERPT_LENGTH + 1),
    })
    expect(validation).toMatchObject({ status: 502, retryable: false, provider: 'p', url: 'u' })
    expect(validation.issues).toEqual([{ path: ['a', 0], message: 'wrong' }])
    expect(validation.bodyExcerpt).toHaveLength(BODY_EXCERPT_LENGTH + 1)
    expect(validation.bodyExcerpt.endsWith('…')).toBe(true)
  })
})

describe('a user subclass', () => {
  class MyError extends ApiError {}
  class MyRateLimit extends RateLimitError {
    override name = 'MyRateLimit'
  }

  it('is still an ApiError and a VideoTaskError', () => {
    const error = new MyError(apiOptions)
    expect(error).toBeInstanceOf(MyError)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toBeInstanceOf(VideoTaskError)
    expect(error).toBeInstanceOf(Error)
    expect(ApiError.is(error)).toBe(true)
    expect(VideoTaskError.is(error)).toBe(true)
    expect(MyError.is(error)).toBe(true)
    expect(RateLimitError.is(error)).toBe(false)
    expect(error.retryable).toBe(false)
  })

  it('does not claim instances of its parent', () => {
    expect(new ApiError(apiOptions)).not.toBeInstanceOf(MyError)
    expect(MyError.is(new ApiError(apiOptions))).toBe(false)
    expect(MyError.is(new RateLimitError(apiOptions))).toBe(false)
  })

  it('is named after the user class, and may set its own name', () => {
    expect(new MyError(apiOptions).name).toBe('MyError')
    expect(String(new MyError(apiOptions))).toBe('MyError: I am a teapot')
    const limited = new MyRateLimit(apiOptions)
    expect(limited.name).toBe('MyRateLimit')
    expect(limited).toBeInstanceOf(RateLimitError)
    expect(ApiError.is(limited)).toBe(true)
  })
})

describe('cross-copy recognition', () => {
  function checkForeign(
    copy: typeof errors,
    options: { sameRealm: boolean } = { sameRealm: true },
  ) {
    // The copy really is another copy.
    expect(copy.ApiError).not.toBe(ApiError)
    expect(copy.VideoTaskError).not.toBe(VideoTaskError)

    const foreign = new copy.RateLimitError({ ...apiOptions, status: 429, retryAfterMs: 5 })
    expect(foreign).toBeInstanceOf(RateLimitError)
    expect(foreign).toBeInstanceOf(ApiError)
    expect(foreign).toBeInstanceOf(VideoTaskError)
    expect(RateLimitError.is(foreign)).toBe(true)
    expect(ApiError.is(foreign)).toBe(true)
    expect(VideoTaskError.is(foreign)).toBe(true)
    expect(foreign instanceof TaskNotFoundError).toBe(false)
    expect(TaskNotFoundError.is(foreign)).toBe(false)
    expect(ServerError.is(foreign)).toBe(false)
    expect(ConnectionError.is(foreign)).toBe(false)
    expect(foreign instanceof Error).toBe(options.sameRealm)
    expect(foreign.name).toBe('RateLimitError')

    const foreignBase = new copy.ConnectionError('down', { url: 'u', timedOut: true })
    expect(foreignBase).toBeInstanceOf(ConnectionError)
    expect(foreignBase).toBeInstanceOf(VideoTaskError)
    expect(ApiError.is(foreignBase)).toBe(false)

    // And the other way round.
    const local = new TaskNotFoundError(apiOptions)
    expect(local instanceof copy.TaskNotFoundError).toBe(true)
    expect(local instanceof copy.ApiError).toBe(true)
    expect(copy.VideoTaskError.is(local)).toBe(true)
    expect(copy.RateLimitError.is(local)).toBe(false)

    // Unrelated errors are not recognised by the copy either.
    expect(copy.VideoTaskError.is(new Error('plain'))).toBe(false)
    expect(new Error('plain') instanceof copy.ApiError).toBe(false)
  }

  it('a second ESM instance of the module (vi.resetModules)', async () => {
    vi.resetModules()
    const copy = (await import('../src/errors.js')) as typeof errors
    checkForeign(copy)
  })

  const source = readFileSync(fileURLToPath(new URL('../src/errors.ts', import.meta.url)), 'utf8')
  const commonjs = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText

  function load(run: (code: string) => unknown): typeof errors {
    const module = { exports: {} as Record<string, unknown> }
    const factory = run(`(function (exports, module) {${commonjs}\n})`) as (
      exports: unknown,
      module: unknown,
    ) => void
    factory(module.exports, module)
    return module.exports as unknown as typeof errors
  }

  it('a CommonJS copy, as the dual build ships it', () => {
    checkForeign(load((code) => vm.runInThisContext(code)))
  })

  it('a copy from another realm (vm context)', () => {
    const context = vm.createContext({})
    checkForeign(
      load((code) => vm.runInContext(code, context)),
      { sameRealm: false },
    )
  })

  it('a plain object carrying the marker', () => {
    const marked = { [KINDS]: ['RateLimitError', 'ApiError', 'VideoTaskError'] }
    expect(marked).toBeInstanceOf(RateLimitError)
    expect(ApiError.is(marked)).toBe(true)
    expect(TaskNotFoundError.is(marked)).toBe(false)
  })
})

describe('messages of the wait errors', () => {
  it('TaskFailedError', () => {
    const failed = task({
      status: 'failed',
      error: { code: 'policy', message: 'Blocked prompt' },
    }) as FailedVideoTask
    const error = new TaskFailedError(failed)
    expect(error.message).toBe('Task vid_1 (openai) failed: Blocked prompt')
    expect(error.task).toBe(failed)
    // A JavaScript caller's task without an error still gives a message, not a TypeError.
    const noError = task({ status: 'failed', error: null }) as unknown as FailedVideoTask
    expect(new TaskFailedError(noError).message).toBe('Task vid_1 (openai) failed: no reason given')
  })

  it('TaskCancelledError', () => {
    const cancelled = task({ status: 'cancelled' })
    const error = new TaskCancelledError(cancelled)
    expect(error.message).toBe('Task vid_1 (openai) was cancelled')
    expect(error.task).toBe(cancelled)
    expect(
      new TaskCancelledError(
        task({ status: 'cancelled', error: { code: null, message: 'by user' } }),
      ).message,
    ).toBe('Task vid_1 (openai) was cancelled: by user')
  })

  it('WaitTimeoutError', () => {
    const last = task({ status: 'running', progress: 40 })
    const error = new WaitTimeoutError({
      taskId: 'vid_1',
      lastTask: last,
      elapsedMs: 60_012,
      reads: 7,
      timeoutMs: 60_000,
    })
    expect(error.message).toBe(
      'Timed out after 60000 ms waiting for task vid_1 (7 reads, last status running at 40%)',
    )
    expect(error).toMatchObject({ taskId: 'vid_1', elapsedMs: 60_012, reads: 7 })
    expect(error.lastTask).toBe(last)
    expect('cause' in error).toBe(false)

    const queued = new WaitTimeoutError({
      taskId: 'vid_2',
      lastTask: task({ status: 'queued', progress: null }),
      elapsedMs: 5,
      reads: 1,
      timeoutMs: 5,
    })
    expect(queued.message).toBe(
      'Timed out after 5 ms waiting for task vid_2 (1 reads, last status queued)',
    )

    const cause = new ConnectionError('down', { url: 'u' })
    const none = new WaitTimeoutError({
      taskId: 'vid_3',
      lastTask: null,
      elapsedMs: 5,
      reads: 2,
      timeoutMs: 5,
      cause,
    })
    expect(none.message).toBe(
      'Timed out after 5 ms waiting for task vid_3 (2 reads, no successful read)',
    )
    expect(none.lastTask).toBeNull()
    expect(none.cause).toBe(cause)
  })

  it('UnknownStatusError', () => {
    const unknown = task({ status: 'unknown', vendorStatus: 'paused' })
    const error = new UnknownStatusError(unknown, 4)
    expect(error.message).toBe(
      'Task vid_1 (openai) reported the unknown status "paused" 4 times in a row',
    )
    expect(error.task).toBe(unknown)
  })
})

describe('secrets', () => {
  describe('secretsOf', () => {
    it('takes each sensitive header value and its token, longest first', () => {
      const secrets = secretsOf({
        Authorization: 'Bearer sk-abcdefgh12345678',
        'X-Api-Key': 'key-123456789',
        'api-key': 'azure-key-0001',
        'Proxy-Authorization': 'Basic dXNlcjpwYXNzd29yZA==',
        cookie: 'session=abcdef0123456789',
        accept: 'application/json',
        'content-type': 'application/json',
      })
      for (const secret of [
        'Bearer sk-abcdefgh12345678',
        'sk-abcdefgh12345678',
        'key-123456789',
        'azure-key-0001',
        'Basic dXNlcjpwYXNzd29yZA==',
        'dXNlcjpwYXNzd29yZA==',
        'session=abcdef0123456789',
      ]) {
        expect(secrets).toContain(secret)
      }
      expect(secrets).not.toContain('application/json')
      const lengths = secrets.map((secret) => secret.length)
      expect(lengths).toEqual([...lengths].sort((a, b) => b - a))
    })

    it('skips empty values and short tokens that would redact ordinary words', () => {
      expect(secretsOf({ authorization: '   ', 'x-api-key': '' })).toEqual([])
      const short = secretsOf({ authorization: 'Bearer abc' })
      expect(short).toContain('Bearer abc')
      expect(short).not.toContain('abc')
      expect(redact('abc Bearer abc', short)).toBe(`abc ${REDACTED}`)
      expect(secretsOf({})).toEqual([])
      // A value encodeURIComponent refuses still yields its other forms.
      expect(secretsOf({ 'x-api-key': 'key-\ud800-0123456789' })).toContain('key-\ud800-0123456789')
    })
  })

  describe('redact', () => {
    it('replaces every occurrence, the longest secret first', () => {
      const secrets = secretsOf({ authorization: 'Bearer sk-abcdefgh12345678' })
      expect(
        redact('a Bearer sk-abcdefgh12345678 b sk-abcdefgh12345678 c sk-abcdefgh12345678', secrets),
      ).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED}`)
      expect(redact('nothing here', secrets)).toBe('nothing here')
      expect(redact('sk-abcdefgh12345678', [])).toBe('sk-abcdefgh12345678')
    })

    it('also catches the key as a JSON string escapes it and as a URL encodes it', () => {
      const key = 'sk-proj/Abc+123/xyz"q\\0123456789'
      const secrets = secretsOf({ authorization: `Bearer ${key}` })
      const jsonEscaped = JSON.stringify(key).slice(1, -1)
      const phpEscaped = jsonEscaped.replaceAll('/', '\\/')
      const urlEncoded = encodeURIComponent(key)
      for (const form of [key, jsonEscaped, phpEscaped, urlEncoded]) {
        const text = redact(`{"message":"bad key ${form} given"}`, secrets)
        expect(text, form).toBe(`{"message":"bad key ${REDACTED} given"}`)
      }
    })
  })

  describe('through readTask, with a server that echoes the key', () => {
    // A key with a slash, which PHP-style JSON escapes as `\/`, and a plus, which URLs encode.
    const KEY = 'sk-proj/Abc+123/xyz0123456789ABCDEF'
    const BASE = 'https://api.openai.test'
    const forbidden = [
      KEY,
      KEY.replaceAll('/', '\\/'),
      encodeURIComponent(KEY),
      'xyz0123456789ABCDEF', // a distinctive part of it
    ]

    /** A fetch stub that answers with `respond(authorizationHeaderValue)`. */
    function echo(respond: (authorization: string) => Response): FetchFunction {
      return async (_input, init) => {
        const authorization = new Headers(init.headers).get('authorization') ?? ''
        expect(authorization).toBe(`Bearer ${KEY}`)
        return respond(authorization)
      }
    }

    function expectNoKey(value: unknown) {
      const views = [
        String(value),
        JSON.stringify(value),
        inspect(value, { showHidden: true, depth: 10 }),
        value instanceof Error ? String(value.stack) : '',
        value instanceof Error ? inspect(value.cause, { showHidden: true, depth: 10 }) : '',
      ]
      for (const view of views) {
        for (const secret of forbidden) expect(view).not.toContain(secret)
      }
    }

    async function failure(
      fetch: FetchFunction,
      provider = openai({ baseURL: BASE, apiKey: KEY }),
    ) {
      const transport = createTransport({ fetch })
      return readTask(provider, transport, 'vid_1').then(
        () => expect.unreachable('expected an error'),
        (error: unknown) => error,
      )
    }

    const json = (status: number, text: string) =>
      new Response(text, { status, headers: { 'content-type': 'application/json' } })

    it('a 401 that quotes the header in its message', async () => {
      const error = await failure(
        echo((authorization) =>
          json(
            401,
            JSON.stringify({
              error: {
                message: `Incorrect API key provided: ${authorization}. Key: ${KEY}`,
                code: 'invalid_api_key',
              },
            }),
          ),
        ),
      )
      expect(error).toBeInstanceOf(AuthenticationError)
      expect((error as Error).message).toContain(REDACTED)
      expectNoKey(error)
    })

    it('a 401 whose JSON escapes the slashes (PHP style)', async () => {
      const escaped = KEY.replaceAll('/', '\\/')
      const error = await failure(
        echo(() =>
          json(
            401,
            `{"error":{"message":"Invalid key Bearer ${escaped}","code":"invalid_api_key"}}`,
          ),
        ),
      )
      expect(error).toBeInstanceOf(AuthenticationError)
      expect((error as Error).message).toBe(`Invalid key ${REDACTED}`)
      expectNoKey(error)
    })

    it('a 400 that puts the key URL-encoded in a link', async () => {
      const error = await failure(
        echo(() =>
          json(
            400,
            JSON.stringify({
              error: { message: `See https://x.test/?key=${encodeURIComponent(KEY)}` },
            }),
          ),
        ),
      )
      expect(error).toBeInstanceOf(ApiError)
      expectNoKey(error)
    })

    it('a 502 HTML page that prints the header', async () => {
      const error = await failure(
        echo(
          (authorization) =>
            new Response(`<html><body>Bad gateway for ${authorization}</body></html>`, {
              status: 502,
              headers: { 'content-type': 'text/html' },
            }),
        ),
      )
      expect(error).toBeInstanceOf(ServerError)
      expect((error as ServerError).bodyExcerpt).toContain(REDACTED)
      expectNoKey(error)
    })

    it('a parse failure whose cause quotes the body', async () => {
      const provider = defineProvider({
        id: 'strict',
        baseURL: BASE,
        buildRequest: (taskId, { url }) => ({
          method: 'GET',
          url: url(`/tasks/${encodeURIComponent(taskId)}`),
          headers: { authorization: `Bearer ${KEY}` },
        }),
        parseResponse: (response) => JSON.parse(response.body),
      })
      const error = await failure(
        echo((authorization) => json(200, `not json ${authorization}`)),
        provider,
      )
      expect(error).toBeInstanceOf(ResponseValidationError)
      expect((error as Error).cause).toBeInstanceOf(SyntaxError)
      expectNoKey(error)
    })

    it('a 200 task whose raw payload echoes the key', async () => {
      const transport = createTransport({
        fetch: echo((authorization) =>
          json(
            200,
            JSON.stringify({
              id: 'vid_1',
              status: 'in_progress',
              progress: 5,
              echo: authorization,
            }),
          ),
        ),
      })
      const { task: read } = await readTask(
        openai({ baseURL: BASE, apiKey: KEY }),
        transport,
        'vid_1',
      )
      expect(read.status).toBe('running')
      expect((read.raw as { echo: string }).echo).toBe(REDACTED)
      for (const secret of forbidden) expect(JSON.stringify(read)).not.toContain(secret)
    })
  })
})
