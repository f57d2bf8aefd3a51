import { describe, expect, it } from 'vitest'
import { WaitTimeoutError } from '../../src/errors.js'
import { json } from '../support/fake-transport.js'
import { done, setup, video } from '../support/hostile-client.js'

/* watch() behaves as an async generator would, whatever the sequence of next() and return(). */

describe('watch(): every sequence of next() and return()', () => {
  it('concurrent next() calls all settle, in order, with successive reads', async () => {
    const { clock, client } = setup([video('queued', 0), video('in_progress', 10), done])
    const iterator = client.watch('vid_1', { adaptive: false })
    const order: number[] = []
    const calls = [iterator.next(), iterator.next(), iterator.next(), iterator.next()].map(
      (call, index) =>
        call.then((result) => {
          order.push(index)
          return result
        }),
    )
    const results = await clock.run(Promise.all(calls))
    expect(order).toEqual([0, 1, 2, 3])
    expect(results.map((result) => (result.done ? 'done' : result.value.status))).toEqual([
      'queued',
      'running',
      'succeeded',
      'done',
    ])
  })

  it('return() before the first next() never polls, and next() afterwards is done', async () => {
    const { clock, client, transport } = setup([video('in_progress', 10)])
    const iterator = client.watch('vid_1')
    await expect(iterator.return?.()).resolves.toEqual({ done: true, value: undefined })
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined })
    await clock.advance(60_000)
    expect(transport.requests).toHaveLength(0)
    expect(clock.pending).toBe(0)
  })

  it('return() while next() calls wait: they settle done, first, and nothing polls afterwards', async () => {
    const { clock, client, transport } = setup([video('in_progress', 10)])
    const iterator = client.watch('vid_1', { adaptive: false })
    expect((await clock.run(iterator.next())).done).toBe(false)
    const order: string[] = []
    const pending = [iterator.next(), iterator.next()].map((call, index) =>
      call.then((result) => {
        order.push(`next${index}`)
        return result
      }),
    )
    const returned = iterator.return?.().then((result) => {
      order.push('return')
      return result
    })
    await clock.advance(0)
    expect(await Promise.all(pending)).toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
    ])
    await expect(returned).resolves.toEqual({ done: true, value: undefined })
    expect(order).toEqual(['next0', 'next1', 'return'])
    const requests = transport.requests.length
    await clock.advance(120_000)
    expect(transport.requests).toHaveLength(requests)
    expect(clock.pending).toBe(0)
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined })
  })

  it('throws a wait error once, then is done, like a generator that threw', async () => {
    const { clock, client } = setup([video('in_progress', 10)])
    const iterator = client.watch('vid_1', { timeoutMs: 3_000, adaptive: false })
    const first = iterator.next()
    const second = iterator.next().catch((error: unknown) => error)
    const third = iterator.next()
    expect((await clock.run(first)).done).toBe(false)
    expect(await clock.run(second)).toBeInstanceOf(WaitTimeoutError)
    await expect(third).resolves.toEqual({ done: true, value: undefined })
  })

  it('a permanent error during concurrent next() calls rejects the first waiting one only', async () => {
    const { clock, client } = setup([json({ error: { message: 'bad key' } }, 401)])
    const iterator = client.watch('vid_1')
    const settled = await clock.run(
      Promise.allSettled([iterator.next(), iterator.next(), iterator.next()]),
    )
    expect(settled.map((each) => each.status)).toEqual(['rejected', 'fulfilled', 'fulfilled'])
  })

  it('is its own async iterator, and break in for await stops polling', async () => {
    const { clock, client, transport } = setup([video('in_progress', 10)])
    const iterator = client.watch('vid_1')
    expect(iterator[Symbol.asyncIterator]()).toBe(iterator)
    const seen = await clock.run(
      (async () => {
        for await (const task of iterator) return task.status
      })(),
    )
    expect(seen).toBe('running')
    const requests = transport.requests.length
    await clock.advance(120_000)
    expect(transport.requests).toHaveLength(requests)
  })
})
