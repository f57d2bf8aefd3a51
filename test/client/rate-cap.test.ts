import { describe, expect, it } from 'vitest'
import { done, setup, video } from '../support/hostile-client.js'

describe('maxRequestsPerSecond: capacity goes back when a wait ends without its request', () => {
  it.each(['abort', 'timeout', 'close'] as const)(
    'after 1,000 waits ended by %s, the next read is not held back',
    async (how) => {
      const { clock, client, transport, times } = setup([video('in_progress', 5)], {
        maxRequestsPerSecond: 100,
      })
      const controller = new AbortController()
      const waits = Array.from({ length: 1_000 }, (_, index) =>
        client
          .waitFor(`vid_${index}`, { signal: controller.signal, timeoutMs: 50 })
          .catch(() => {}),
      )
      await clock.advance(0)
      if (how === 'abort') controller.abort('enough')
      if (how === 'close') await client.close()
      await clock.advance(60)
      await Promise.all(waits)
      const sent = transport.requests.length
      // At 100/s only the first few of the 1,000 were sent.
      expect(sent).toBeLessThanOrEqual(8)
      if (how === 'close') return
      transport.script([done])
      const read = client.getTask('vid_next')
      await clock.advance(10)
      await expect(read).resolves.toMatchObject({ status: 'succeeded' })
      expect(times[sent]).toBeLessThanOrEqual(70)
    },
  )
})
