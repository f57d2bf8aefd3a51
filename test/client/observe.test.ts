import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
import { AuthenticationError, ConnectionError, VideoTaskError } from '../../src/errors.js'
import { openai } from '../../src/providers/openai.js'
import { FakeTransport, json, type Reply } from '../support/fake-transport.js'
import { VirtualClock } from '../support/virtual-clock.js'

const BASE = 'https://api.openai.test'
const provider = openai({ baseURL: BASE, apiKey: 'sk-test-0123456789' })

function setup(replies: Reply[]) {
  const transport = new FakeTransport(replies)
  const client = createClient({
    provider,
    transport,
    clock: new VirtualClock(),
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
    retries: 5,
  })
  return { client, transport }
}

describe('client.observe: exactly one request, no retries, no loop', () => {
  it('gives the task and the server poll hint', async () => {
    const { client, transport } = setup([
      json(
        { id: 'vid_1', object: 'video', status: 'in_progress', progress: 40, created_at: 1 },
        200,
        { 'openai-poll-after-ms': '2500' },
      ),
    ])
    const observation = await client.observe('vid_1')
    expect(observation).toMatchObject({
      kind: 'task',
      task: { id: 'vid_1', status: 'running', progress: 40 },
      pollHintMs: 2_500,
    })
    expect(transport.requests).toHaveLength(1)
  })

  it('a transient failure is an observation (with Retry-After), not a retry', async () => {
    const { client, transport } = setup([
      json({ error: { message: 'slow down' } }, 429, { 'retry-after': '3' }),
    ])
    const observation = await client.observe('vid_1')
    expect(observation).toMatchObject({ kind: 'error', transient: true, retryAfterMs: 3_000 })
    expect(transport.requests).toHaveLength(1)
  })

  it('a permanent failure carries its typed error', async () => {
    const { client } = setup([json({ error: { message: 'bad key' } }, 401)])
    const observation = await client.observe('vid_1')
    expect(observation.kind).toBe('error')
    if (observation.kind !== 'error') return
    expect(observation.transient).toBe(false)
    expect(observation.error).toBeInstanceOf(AuthenticationError)
  })

  it('a network failure is transient', async () => {
    const { client } = setup([{ error: new ConnectionError('reset', { url: BASE }) }])
    await expect(client.observe('vid_1')).resolves.toMatchObject({
      kind: 'error',
      transient: true,
      retryAfterMs: null,
    })
  })

  it('an abort rejects with the reason instead of becoming an observation', async () => {
    const { client } = setup([{ hang: true }])
    const controller = new AbortController()
    const pending = client.observe('vid_1', { signal: controller.signal })
    const reason = new Error('stop')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
  })

  it('refuses a bad id and a closed client', async () => {
    const { client, transport } = setup([json({})])
    await expect(client.observe('')).rejects.toBeInstanceOf(TypeError)
    await client.close()
    await expect(client.observe('vid_1')).rejects.toBeInstanceOf(VideoTaskError)
    expect(transport.requests).toHaveLength(0)
  })
})
