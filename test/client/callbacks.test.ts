import { afterAll, describe, expect, it } from 'vitest'
import type { WaitOptions } from '../../src/client.js'
import { WaitTimeoutError } from '../../src/errors.js'
import { setup, video } from '../support/hostile-client.js'
import { flush } from '../support/virtual-clock.js'

/* A callback that returns a rejected promise rejects its own wait, exactly as one that throws. */

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
process.on('unhandledRejection', onUnhandled)
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
})

const failing = (error: Error) => async () => {
  throw error
}

const CALLBACKS: Array<[string, (error: Error) => WaitOptions]> = [
  ['onUpdate', (error) => ({ onUpdate: failing(error) })],
  ['onStatusChange', (error) => ({ onStatusChange: failing(error) })],
  ['onStatus.running', (error) => ({ onStatus: { running: failing(error) } })],
  ['onProgress', (error) => ({ onProgress: failing(error) })],
  ['onPollState', (error) => ({ onPollState: failing(error) })],
]

describe('async callbacks', () => {
  it.each(CALLBACKS)(
    '%s rejecting rejects its wait and stops polling, never unhandled',
    async (_, options) => {
      const { clock, client, transport } = setup([video('in_progress', 10)])
      const error = new Error('callback failed')
      const other = client
        .waitFor('vid_1', { timeoutMs: 60_000 })
        .catch((caught: unknown) => caught)
      const outcome = await clock
        .run(client.waitFor('vid_1', options(error)))
        .catch((caught: unknown) => caught)
      expect(outcome).toBe(error)
      await flush(5)
      expect(unhandled).toEqual([])
      // The other wait on the same loop goes on to its own deadline.
      expect(await clock.run(other)).toBeInstanceOf(WaitTimeoutError)
      const requests = transport.requests.length
      await clock.advance(120_000)
      expect(transport.requests).toHaveLength(requests)
    },
  )

  it('a rejecting callback of watch() ends the iteration with its error', async () => {
    const { clock, client } = setup([video('in_progress', 10)])
    const error = new Error('async onUpdate failed')
    const iterate = (async () => {
      for await (const _ of client.watch('vid_1', { onUpdate: failing(error) })) {
        // keep going
      }
    })()
    await expect(clock.run(iterate)).rejects.toBe(error)
    await flush(5)
    expect(unhandled).toEqual([])
  })

  it('a callback resolving later does not hold the wait up', async () => {
    const { clock, client } = setup([video('completed', 100, { url: 'https://cdn.test/v.mp4' })])
    const task = await clock.run(
      client.waitFor('vid_1', { onUpdate: () => new Promise<void>(() => {}) }),
    )
    expect(task.status).toBe('succeeded')
  })
})
