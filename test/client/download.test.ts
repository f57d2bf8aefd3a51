import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
import { DownloadError, DownloadExpiredError, TaskNotReadyError } from '../../src/errors.js'
import type { VideoTask } from '../../src/model.js'
import type { Provider } from '../../src/providers/define-provider.js'
import { checkResult, doubao, genericTask, openai } from '../../src/providers/registry.js'
import { simulatedBody } from '../../src/simulator/index.js'
import {
  BODY,
  listDirectory,
  sendBody,
  sha256,
  startServer,
  tempDirectory,
} from '../download/servers.js'
import { fakeClock, useSimulators } from '../simulator/helpers.js'

/*
 * client.download over real sockets against the simulator: where the bytes are (a URL, the
 * key-protected content route, a MiniMax file id), resumes, expiry, several outputs, and where
 * the key goes.
 */

const start = useSimulators()

function expectedSha(seed: number, bytes: number): string {
  const hash = createHash('sha256')
  for (const chunk of simulatedBody(seed, bytes)) hash.update(chunk)
  return hash.digest('hex')
}

const fileSha = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')

/** The simulator's clock stands still (moved by hand) at `lagMs` before the client's real one. */
async function setup(options: { lagMs?: number } = {}) {
  const clock = fakeClock(Date.now() - (options.lagMs ?? 0))
  const sim = await start({ now: clock.now })
  const dir = await tempDirectory()
  return { clock, sim, dir }
}

describe('client.download', () => {
  it('a cut at 60 % resumes with Range and the file is byte-identical', async () => {
    const { clock, sim, dir } = await setup()
    const bytes = 1_000_000
    const task = sim.createTask({
      provider: 'doubao',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes, seed: 11, faults: [{ kind: 'reset', afterBytes: 600_000 }] },
    })
    clock.tick(1_000)
    const client = createClient({ provider: doubao({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    const to = join(dir, 'out.mp4')
    const [result] = await client.download(task.id, { to, retries: 2 })
    await client.close()
    // The simulator's /files/ link is on the provider's own origin: fetched with the key.
    expect(result).toMatchObject({
      index: 0,
      kind: 'authenticated',
      bytes,
      resumes: 1,
      restarts: 0,
    })
    expect(result?.path).toBe(to)
    expect(await fileSha(to)).toBe(expectedSha(11, bytes))
    expect(await listDirectory(dir)).toEqual(['out.mp4'])
  })

  it('a download that fails leaves no file under the final name, nor a temporary one', async () => {
    const { clock, sim, dir } = await setup()
    const task = sim.createTask({
      provider: 'doubao',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes: 200_000, faults: [{ kind: 'reset', afterBytes: 50_000, times: 5 }] },
    })
    clock.tick(1_000)
    const client = createClient({ provider: doubao({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    const error = await client
      .download(task.id, { to: join(dir, 'out.mp4'), retries: 1 })
      .catch((caught: unknown) => caught)
    await client.close()
    expect(error).toBeInstanceOf(DownloadError)
    expect(await listDirectory(dir)).toEqual([])
  })

  it('the content route gets the key on the provider origin; nothing else does', async () => {
    const { clock, sim, dir } = await setup()
    const task = sim.createTask({
      provider: 'openai',
      dialect: 'official',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes: 300_000, seed: 5 },
    })
    clock.tick(1_000)
    const client = createClient({ provider: openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    const [result] = await client.download(task.id, { to: join(dir, 'v.mp4') })
    await client.close()
    expect(result).toMatchObject({ kind: 'authenticated', bytes: 300_000, refreshed: false })
    expect(result?.url).toBe(`${sim.baseURL}/v1/videos/${task.id}/content`)
    expect(await fileSha(join(dir, 'v.mp4'))).toBe(expectedSha(5, 300_000))
    // The simulator answers the content route only with the right key: one download, counted.
    expect(sim.task(task.id)?.contentReads).toBe(1)
    expect(JSON.stringify(result)).not.toContain(sim.apiKey)
  })

  it('given the task itself (from waitFor), reads nothing more', async () => {
    const { clock, sim, dir } = await setup()
    const task = sim.createTask({ provider: 'doubao', queuedMs: 0, runningMs: 1_000 })
    clock.tick(1_000)
    const client = createClient({ provider: doubao({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    const finished = await client.waitFor(task.id)
    const [result] = await client.download(finished, { to: join(dir, 'v.mp4') })
    await client.close()
    expect(result?.bytes).toBe(4_096)
    expect(sim.requests(task.id)).toBe(1)
  })

  it('an authenticated location that redirects to the CDN never carries the key there', async () => {
    const { clock, sim, dir } = await setup()
    const task = sim.createTask({
      provider: 'openai',
      dialect: 'gateway',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes: 100_000, seed: 3, via: 'cdn' },
    })
    clock.tick(1_000)
    const base = openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    // A provider whose output is its own origin's /files/ route with the key: the simulator
    // answers it with a 302 to the CDN listener, another origin.
    const provider: Provider = Object.freeze({
      ...base,
      outputs: (read: VideoTask) => [
        [
          {
            kind: 'authenticated' as const,
            request: {
              method: 'GET' as const,
              url: read.videoUrl ?? '',
              headers: { authorization: `Bearer ${sim.apiKey}` },
            },
          },
        ],
      ],
    })
    const client = createClient({ provider })
    const [result] = await client.download(task.id, { to: join(dir, 'v.mp4') })
    await client.close()
    expect(result?.bytes).toBe(100_000)
    expect(await fileSha(join(dir, 'v.mp4'))).toBe(expectedSha(3, 100_000))
    const cdn = sim.cdnRequests()
    expect(cdn.length).toBeGreaterThan(0)
    expect(cdn.every((request) => !request.authorization)).toBe(true)
  })

  it('refuses an authenticated output request on another origin before sending anything', async () => {
    const { clock, sim, dir } = await setup()
    const task = sim.createTask({ provider: 'openai', queuedMs: 0, runningMs: 1_000 })
    clock.tick(1_000)
    const base = openai({ baseURL: sim.baseURL, apiKey: sim.apiKey })
    const provider: Provider = Object.freeze({
      ...base,
      outputs: () => [
        [
          {
            kind: 'authenticated' as const,
            request: {
              method: 'GET' as const,
              url: `${sim.cdnURL}/blobs/x.mp4`,
              headers: { authorization: `Bearer ${sim.apiKey}` },
            },
          },
        ],
      ],
    })
    const client = createClient({ provider })
    const error = await client
      .download(task.id, { to: join(dir, 'v.mp4') })
      .catch((caught: unknown) => caught)
    await client.close()
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(/another origin/)
    expect(sim.cdnRequests()).toEqual([])
  })

  it('resolves a MiniMax file_id through the file API, then downloads the pre-signed link', async () => {
    const { clock, sim, dir } = await setup()
    const task = sim.createTask({
      provider: 'generic-task',
      dialect: 'minimax',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes: 50_000, seed: 9, via: 'cdn' },
    })
    clock.tick(1_000)
    const client = createClient({
      provider: genericTask({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
    })
    const [result] = await client.download(task.id, { to: join(dir, 'v.mp4') })
    await client.close()
    expect(result).toMatchObject({ kind: 'resolve', bytes: 50_000 })
    expect(await fileSha(join(dir, 'v.mp4'))).toBe(expectedSha(9, 50_000))
    expect(sim.task(task.id)?.contentReads).toBe(1) // the file look-up
    expect(sim.cdnRequests().every((request) => !request.authorization)).toBe(true)
  })

  it('a file API answering 503 once is asked again; its link goes out without the key', async () => {
    const dir = await tempDirectory()
    const storage = await startServer((request, response) => sendBody(request, response, BODY))
    let lookups = 0
    const api = await startServer((request, response) => {
      response.setHeader('content-type', 'application/json')
      if (request.url?.startsWith('/v1/files/retrieve')) {
        lookups++
        if (lookups === 1) {
          response.writeHead(503)
          response.end('{"base_resp":{"status_code":1000,"status_msg":"unknown error"}}')
          return
        }
        response.end(
          JSON.stringify({
            file: { file_id: 7, download_url: `${storage.origin}/v.mp4?sig=x` },
            base_resp: { status_code: 0, status_msg: 'success' },
          }),
        )
        return
      }
      response.end(
        JSON.stringify({
          task_id: 't9',
          status: 'Success',
          file_id: '7',
          base_resp: { status_code: 0, status_msg: 'success' },
        }),
      )
    })
    const client = createClient({
      provider: genericTask({ baseURL: api.origin, apiKey: 'sk-file-api-123456789' }),
      minIntervalMs: 1,
      intervalMs: 1,
    })
    const [result] = await client.download('t9', { to: join(dir, 'v.mp4') })
    await client.close()
    expect(result).toMatchObject({ kind: 'resolve', bytes: BODY.length })
    expect(lookups).toBe(2)
    expect(sha256(await readFile(join(dir, 'v.mp4')))).toBe(sha256(BODY))
    expect(storage.requests.every((request) => request.headers.authorization === undefined)).toBe(
      true,
    )
  })

  it('several outputs (result_urls) go to a {index} pattern, one result each', async () => {
    const { clock, sim, dir } = await setup()
    const first = sim.createTask({
      provider: 'doubao',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes: 10_000, seed: 1 },
    })
    const second = sim.createTask({
      provider: 'doubao',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes: 20_000, seed: 2 },
    })
    clock.tick(1_000)
    // A check-result server whose task made two videos (served by the simulator's /files/).
    const api = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({
          code: 0,
          message: 'ok',
          data: {
            taskId: 'task_1',
            status: 'succeeded',
            progress: 100,
            result_url: first.videoUrl,
            result_urls: [first.videoUrl, second.videoUrl],
          },
        }),
      )
    })
    const client = createClient({ provider: checkResult({ baseURL: api.origin }) })
    const plain = await client
      .download('task_1', { to: join(dir, 'v.mp4') })
      .catch((caught: unknown) => caught)
    expect(plain).toBeInstanceOf(TypeError)
    expect((plain as Error).message).toMatch(/\{index\}/)
    const results = await client.download('task_1', { to: join(dir, 'v-{index}.mp4') })
    const one = await client.download('task_1', { to: join(dir, 'only.mp4'), output: 1 })
    await client.close()
    // Links on another origin than the API's: fetched without the key.
    expect(results.map((result) => [result.index, result.kind, result.bytes])).toEqual([
      [0, 'url', 10_000],
      [1, 'url', 20_000],
    ])
    expect(
      api.requests.every((request) => request.url === '/api/video-generations/check-result'),
    ).toBe(true)
    expect(await fileSha(join(dir, 'v-0.mp4'))).toBe(expectedSha(1, 10_000))
    expect(await fileSha(join(dir, 'v-1.mp4'))).toBe(expectedSha(2, 20_000))
    expect(one.map((result) => result.index)).toEqual([1])
    expect(await fileSha(join(dir, 'only.mp4'))).toBe(expectedSha(2, 20_000))
  })

  it('an expired link (410 from storage) is fetched again once, then a DownloadExpiredError', async () => {
    const { clock, sim, dir } = await setup()
    const task = sim.createTask({
      provider: 'doubao',
      queuedMs: 0,
      runningMs: 1_000,
      download: { expiresAfterMs: 1_000, expiredStatus: 410 },
    })
    clock.tick(5_000)
    const client = createClient({ provider: doubao({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    const error = await client
      .download(task.id, { to: join(dir, 'v.mp4') })
      .catch((caught: unknown) => caught)
    await client.close()
    expect(error).toBeInstanceOf(DownloadExpiredError)
    expect(error).toMatchObject({ status: 410, refreshed: true })
    expect((error as Error).message).toMatch(/expired too/)
    // One read for the download, one for the fresh link; nothing more.
    expect(sim.requests(task.id)).toBe(2)
    expect(await listDirectory(dir)).toEqual([])
  })

  it('a link past its expiresAt is not requested: the task is re-read for a fresh one', async () => {
    // The simulator's time is two hours behind: the official object's expires_at (an hour after
    // completion) has passed for the client, not for the simulator.
    const { clock, sim, dir } = await setup({ lagMs: 2 * 3_600_000 })
    const task = sim.createTask({
      provider: 'openai',
      dialect: 'official',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes: 4_096, seed: 4 },
    })
    clock.tick(1_000)
    const client = createClient({ provider: openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    const [result] = await client.download(task.id, { to: join(dir, 'v.mp4') })
    await client.close()
    expect(result).toMatchObject({ refreshed: true, attempts: 1 })
    expect(sim.requests(task.id)).toBe(2)
    expect(sim.task(task.id)?.contentReads).toBe(1)
  })

  it('an abort mid-stream rejects with the reason and leaves nothing behind', async () => {
    const { clock, sim, dir } = await setup()
    const task = sim.createTask({
      provider: 'doubao',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes: 500_000, faults: [{ kind: 'stall', afterBytes: 100_000 }] },
    })
    clock.tick(1_000)
    const client = createClient({ provider: doubao({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    const controller = new AbortController()
    const reason = new Error('user gave up')
    const error = await client
      .download(task.id, {
        to: join(dir, 'v.mp4'),
        signal: controller.signal,
        // The first report comes with the first bytes; the body then stalls at 100 kB.
        onProgress: ({ receivedBytes }) => {
          if (receivedBytes > 0) controller.abort(reason)
        },
      })
      .catch((caught: unknown) => caught)
    await client.close()
    expect(error).toBe(reason)
    expect(await listDirectory(dir)).toEqual([])
  })

  it('a task still running is a TaskNotReadyError; no download is attempted', async () => {
    const { sim, dir } = await setup()
    const task = sim.createTask({ provider: 'doubao', queuedMs: 0, runningMs: 60_000 })
    const client = createClient({ provider: doubao({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    const error = await client
      .download(task.id, { to: join(dir, 'v.mp4') })
      .catch((caught: unknown) => caught)
    await client.close()
    expect(error).toBeInstanceOf(TaskNotReadyError)
    expect((error as Error).message).toMatch(/running.*waitFor/)
    expect(sim.task(task.id)?.contentReads).toBe(0)
    expect(await listDirectory(dir)).toEqual([])
  })

  it('a TaskRef of another provider or origin, and bad options, are TypeErrors naming them', async () => {
    const { sim, dir } = await setup()
    const client = createClient({ provider: doubao({ baseURL: sim.baseURL, apiKey: sim.apiKey }) })
    const ref = {
      version: 1 as const,
      provider: 'doubao',
      origin: 'https://elsewhere.example',
      taskId: 't',
      submittedAt: new Date().toISOString(),
    }
    await expect(client.download(ref, { to: join(dir, 'v') })).rejects.toThrow(
      /TaskRef for http:\/\/127\.0\.0\.1/,
    )
    await expect(client.download({ ...ref, provider: 'openai' }, { to: 'v' })).rejects.toThrow(
      /provider doubao/,
    )
    await expect(client.download('t', { to: 'v', maxBytes: -1 })).rejects.toThrow(/`maxBytes`/)
    await expect(client.download('t', { to: '' })).rejects.toThrow(/`to`/)
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller's typo
    await expect(client.download('t', { to: 'v', maxbytes: 1 } as any)).rejects.toThrow(
      /`maxbytes`/,
    )
    await client.close()
    expect(sim.totalRequests()).toBe(0)
  })
})
