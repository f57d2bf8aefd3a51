import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
import { VideoTaskError } from '../../src/errors.js'
import { openai } from '../../src/providers/openai.js'
import { done, reset, setup, video } from '../support/hostile-client.js'
import { TaskServer } from '../support/task-server.js'

/* Closed means closed: nothing leaves the client afterwards, every pending call settles typed. */

describe('close()', () => {
  it('stops a getTask sleeping between retries: it rejects typed and its retry is never sent', async () => {
    const { clock, client, transport } = setup([reset(), done])
    const pending = client.getTask('vid_1', { retries: 3 }).catch((error: unknown) => error)
    await clock.advance(100)
    expect(transport.requests).toHaveLength(1)
    await client.close()
    await clock.advance(60_000)
    expect(transport.requests).toHaveLength(1)
    const error = await pending
    expect(error).toBeInstanceOf(VideoTaskError)
    expect((error as Error).message).toMatch(/closed/)
  })

  it('stops calls queued for a rate-limit slot: none of them is sent', async () => {
    const { clock, client, transport } = setup([video('in_progress', 5)], {
      maxRequestsPerSecond: 1,
    })
    const calls = [
      client.getTask('vid_1').catch((error: unknown) => error),
      client.getTask('vid_2').catch((error: unknown) => error),
      client.observe('vid_3').catch((error: unknown) => error),
      client.waitFor('vid_4').catch((error: unknown) => error),
    ]
    await clock.advance(0)
    const sent = transport.requests.length
    expect(sent).toBe(1)
    await client.close()
    await clock.advance(60_000)
    expect(transport.requests).toHaveLength(sent)
    for (const outcome of await Promise.all(calls.slice(1))) {
      expect(outcome).toBeInstanceOf(VideoTaskError)
    }
  })

  it('settles every kind of pending call with a typed error, and refuses new ones', async () => {
    const { clock, client, transport } = setup([video('in_progress', 5)])
    const iterator = client.watch('vid_w')
    const first = await iterator.next()
    expect(first.done).toBe(false)
    const calls = [
      client.waitFor('vid_1'),
      client.waitForAll(['vid_2', 'vid_3']),
      client.waitForAny(['vid_4', 'vid_5']),
      iterator.next(),
    ].map((call) => (call as Promise<unknown>).catch((error: unknown) => error))
    await clock.advance(10)
    await client.close()
    const requests = transport.requests.length
    await clock.advance(120_000)
    expect(transport.requests).toHaveLength(requests)
    for (const outcome of await Promise.all(calls)) expect(outcome).toBeInstanceOf(VideoTaskError)
    await expect(client.getTask('vid_1')).rejects.toBeInstanceOf(VideoTaskError)
    await expect(client.waitFor('vid_1')).rejects.toBeInstanceOf(VideoTaskError)
    expect(clock.pending).toBe(0)
  })
})

describe('close() over real sockets', () => {
  let server: TaskServer
  afterEach(async () => {
    await server.close()
  })

  it('resolves promptly while reads hang on a silent server, and the server sees them closed', async () => {
    server = await new TaskServer().start()
    server.scripts.set('hang_1', ['hang'])
    server.scripts.set('hang_2', ['hang'])
    const client = createClient({
      provider: openai({ baseURL: server.baseURL, apiKey: 'sk-close-0123456789' }),
      headersTimeoutMs: 60_000,
    })
    const wait = client.waitFor('hang_1').catch((error: unknown) => error)
    const read = client.getTask('hang_2').catch((error: unknown) => error)
    for (let i = 0; i < 200 && server.requests.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(server.requests).toHaveLength(2)
    const started = performance.now()
    await client.close()
    // Far below the 60 s header time limit the close used to wait for.
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(await wait).toBeInstanceOf(VideoTaskError)
    expect(await read).toBeInstanceOf(VideoTaskError)
    for (let i = 0; i < 200 && server.closedEarly < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(server.closedEarly).toBe(2)
    expect(server.requests).toHaveLength(2)
  }, 10_000)
})
