import { createClient } from '../../src/client.js'
import { ConnectionError } from '../../src/errors.js'
import { openai } from '../../src/providers/openai.js'
import { FakeTransport, json, type Reply } from './fake-transport.js'
import { VirtualClock } from './virtual-clock.js'

export const BASE = 'https://api.openai.test'
export const provider = openai({ baseURL: BASE, apiKey: 'sk-test-0123456789' })

/** An OpenAI video object as a JSON response. */
export function video(status: string, progress?: number, extra: Record<string, unknown> = {}) {
  return json({
    id: 'vid_1',
    object: 'video',
    status,
    progress,
    created_at: 1_700_000_000,
    ...extra,
  })
}
export const done = video('completed', 100, { url: 'https://cdn.test/vid_1.mp4' })
export const reset = (): Reply => ({
  error: new ConnectionError('socket hang up', { url: `${BASE}/v1/videos/vid_1` }),
})

/** A client on a virtual clock and a scripted transport; `times` are the send times since start. */
export function setup(replies: Reply[], options: Partial<Parameters<typeof createClient>[0]> = {}) {
  const clock = new VirtualClock()
  const transport = new FakeTransport(replies)
  const client = createClient({
    provider,
    transport,
    clock,
    random: () => 0,
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
    ...options,
  })
  const start = clock.now()
  const times: number[] = []
  const original = transport.send.bind(transport)
  transport.send = (request) => {
    times.push(clock.now() - start)
    return original(request)
  }
  return { clock, transport, client, times }
}
