import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createClient } from '../src/client.js'
import {
  AuthenticationError,
  TaskCancelledError,
  TaskFailedError,
  WaitTimeoutError,
} from '../src/errors.js'
import { openai } from '../src/providers/openai.js'
import { TaskServer, videoBody } from './support/task-server.js'

/*
 * The client with its default undici transport against a node:http server on 127.0.0.1, over
 * real sockets. Short real intervals; assertions are on outcomes and counts, not on timing.
 */

let server: TaskServer
beforeEach(async () => {
  server = await new TaskServer().start()
})
afterEach(async () => {
  await server.close()
})

function client() {
  return createClient({
    provider: openai({ baseURL: server.baseURL, apiKey: 'sk-socket-123456789' }),
    intervalMs: 10,
    minIntervalMs: 5,
    maxIntervalMs: 20,
  })
}

describe('waitFor over real sockets', () => {
  it('succeeds, reusing one keep-alive connection for every read', async () => {
    server.scripts.set('ok', [
      { body: videoBody('ok', 'queued') },
      { body: videoBody('ok', 'in_progress', { progress: 50 }) },
      { body: videoBody('ok', 'completed', { progress: 100, url: 'https://cdn.test/ok.mp4' }) },
    ])
    const subject = client()
    const task = await subject.waitFor('ok')
    expect(task.videoUrl).toBe('https://cdn.test/ok.mp4')
    expect(server.requests).toHaveLength(3)
    expect(server.requests[0]).toMatchObject({
      method: 'GET',
      url: '/v1/videos/ok',
      authorization: 'Bearer sk-socket-123456789',
    })
    expect(server.connections).toBe(1)
    await subject.close()
  })

  it('rejects a failed task with TaskFailedError', async () => {
    server.scripts.set('bad', [
      { body: videoBody('bad', 'failed', { error: { code: 'policy', message: 'No.' } }) },
    ])
    const subject = client()
    await expect(subject.waitFor('bad')).rejects.toBeInstanceOf(TaskFailedError)
    await subject.close()
  })

  it('rejects a cancelled task with TaskCancelledError', async () => {
    server.scripts.set('gone', [{ body: videoBody('gone', 'cancelled') }])
    const subject = client()
    await expect(subject.waitFor('gone')).rejects.toBeInstanceOf(TaskCancelledError)
    await subject.close()
  })

  it('rejects a 401 with AuthenticationError after one request', async () => {
    server.scripts.set('key', [
      { status: 401, body: { error: { message: 'bad key', code: 'invalid_api_key' } } },
    ])
    const subject = client()
    await expect(subject.waitFor('key')).rejects.toBeInstanceOf(AuthenticationError)
    expect(server.requests).toHaveLength(1)
    await subject.close()
  })

  it('times out while a request hangs, and the server sees the request closed', async () => {
    server.scripts.set('slow', [{ body: videoBody('slow', 'queued') }, 'hang'])
    const subject = client()
    const error = await subject
      .waitFor('slow', { timeoutMs: 200 })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError).lastTask?.status).toBe('queued')
    await expect.poll(() => server.closedEarly).toBe(1)
    await subject.close()
  })

  it('aborts a hung request with the signal reason, and the server sees it closed', async () => {
    server.scripts.set('hung', ['hang'])
    const subject = client()
    const controller = new AbortController()
    const wait = subject.waitFor('hung', { signal: controller.signal })
    await expect.poll(() => server.requests.length).toBe(1)
    const reason = new Error('user cancelled')
    controller.abort(reason)
    await expect(wait).rejects.toBe(reason)
    await expect.poll(() => server.closedEarly).toBe(1)
    await subject.close()
  })
})

describe('a process whose only work was a wait exits by itself', () => {
  let childScript: string
  beforeAll(async () => {
    // The child runs the TypeScript sources, bundled on the fly (the package's own
    // dependencies stay external, as for a user).
    const output = await build({
      entryPoints: [fileURLToPath(new URL('./support/wait-child.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      packages: 'external',
      outfile: 'wait-child.mjs',
    })
    childScript = fileURLToPath(new URL('./support/.wait-child.mjs', import.meta.url))
    const { writeFile } = await import('node:fs/promises')
    await writeFile(childScript, output.outputFiles[0]?.text ?? '')
  })

  async function runChild(mode: string) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [childScript, server.baseURL, mode],
      {
        // A child held up by a ref'd keep-alive socket (about 4 s here) or a timer is killed here,
        // and the test fails.
        timeout: 3_000,
        cwd: fileURLToPath(new URL('..', import.meta.url)),
      },
    )
    return JSON.parse(stdout.trim()) as { ok: boolean; name?: string; status?: string }
  }

  it.each([
    [
      'finished',
      [{ body: videoBody('finished', 'completed', { url: 'https://cdn.test/f.mp4' }) }],
      { ok: true, status: 'succeeded' },
    ],
    ['abort', ['hang'], { ok: false, message: 'aborted by test' }],
    [
      'timeout',
      [{ body: videoBody('timeout', 'in_progress') }],
      { ok: false, name: 'WaitTimeoutError' },
    ],
  ] as const)('after a %s wait', async (mode, script, expected) => {
    server.scripts.set(mode, [...script])
    const result = await runChild(mode)
    expect(result).toMatchObject(expected)
  })
})
