import { getEventListeners } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClient, openai, VideoTaskError } from 'video-tasks'
import { createTransport } from 'video-tasks/engine'
import { afterEach, describe, expect, it } from 'vitest'
import { countAbortListeners } from '../support/abort-listeners.js'
import type { Reply } from '../support/fake-transport.js'
import { reset, setup, video } from '../support/hostile-client.js'
import { flush } from '../support/virtual-clock.js'

/*
 * One AbortSignal shared by many calls: a bounded number of listeners on it, and every API
 * rejects with the signal's reason as it is, whatever it is and whenever it comes.
 */

const warnings: Error[] = []
const onWarning = (warning: Error) => warnings.push(warning)
process.on('warning', onWarning)
afterEach(() => {
  warnings.length = 0
})

type Api = 'getTask' | 'observe' | 'waitFor' | 'watch' | 'resume' | 'waitForAll' | 'waitForAny'
const APIS: Api[] = ['getTask', 'observe', 'waitFor', 'watch', 'resume', 'waitForAll', 'waitForAny']

function call(client: ReturnType<typeof setup>['client'], api: Api, signal: AbortSignal) {
  switch (api) {
    case 'getTask':
      return client.getTask('vid_1', { signal, retries: 3 })
    case 'observe':
      return client.observe('vid_1', { signal })
    case 'waitFor':
      return client.waitFor('vid_1', { signal })
    case 'watch':
      return (async () => {
        for await (const _ of client.watch('vid_1', { signal })) {
          // keep reading
        }
      })()
    case 'resume':
      return client.resume(
        {
          version: 1,
          taskId: 'vid_1',
          provider: 'openai',
          reads: 0,
          consecutiveFailures: 0,
          consecutiveUnknown: 0,
          backoffStep: 0,
          lastStatus: null,
          samples: [],
          nextReadAt: Date.UTC(2026, 0, 1),
          startedAt: Date.UTC(2026, 0, 1),
          deadlineAt: null,
        },
        { signal },
      )
    case 'waitForAll':
      return client.waitForAll(['vid_1', 'vid_2'], { signal })
    case 'waitForAny':
      return client.waitForAny(['vid_1', 'vid_2'], { signal })
  }
}

describe('one signal shared by many calls', () => {
  it.each(APIS)(
    '%s: 50 concurrent calls add a bounded number of listeners, and no warning',
    async (api) => {
      const { clock, client } = setup([video('in_progress', 10)])
      const controller = new AbortController()
      const calls = Array.from({ length: 50 }, () => call(client, api, controller.signal))
      for (const each of calls) each.catch(() => {})
      await clock.advance(0)
      await clock.advance(6_000)
      expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(2)
      controller.abort('stop')
      await Promise.allSettled(calls)
      await flush(5)
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual(
        [],
      )
      await client.close()
    },
  )
})

const REASONS: Array<[string, () => unknown]> = [
  ['an Error', () => new Error('mine')],
  ['a string', () => 'a string reason'],
  ['undefined', () => undefined],
  ['a number', () => 7],
]

const MOMENTS: Array<[string, Reply[], number]> = [
  // [moment, replies, virtual ms to advance before aborting]
  ['during a read', [{ hang: true }], 10],
  ['during a retry sleep', [reset()], 100],
  ['during a later retry sleep', [reset()], 1_500],
  ['during a retry read', [reset(), { hang: true }], 1_500],
  ['during a sleep between reads', [video('in_progress', 10)], 2_000],
]

describe('every API rejects with the signal reason as it is', () => {
  for (const api of APIS) {
    for (const [moment, replies, advanceMs] of MOMENTS) {
      if ((api === 'getTask' || api === 'observe') && moment.includes('between reads')) continue
      if (api === 'observe' && moment.includes('retry')) continue
      it.each(REASONS)(`${api} ${moment}, reason %s`, async (_, makeReason) => {
        const { clock, client } = setup([...replies])
        const controller = new AbortController()
        const pending = call(client, api, controller.signal)
        const settled = pending.then(
          () => ({ ok: true as const }),
          (error: unknown) => ({ ok: false as const, error }),
        )
        await clock.advance(advanceMs)
        controller.abort(makeReason())
        const outcome = await settled
        expect(outcome.ok).toBe(false)
        expect((outcome as { error: unknown }).error).toBe(controller.signal.reason)
        await client.close()
      })
    }
  }
})

describe('calls without a signal of their own', () => {
  it('50 concurrent getTask reads in flight over real sockets: no warning, and close() stops them', async () => {
    const held: ServerResponse[] = []
    const server = createServer((_request, response) => {
      held.push(response)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const client = createClient({ provider: openai({ baseURL, apiKey: 'sk-test' }), retries: 0 })
    try {
      const calls = Array.from({ length: 50 }, (_, index) => client.getTask(`vid_${index}`))
      for (const each of calls) each.catch(() => {})
      while (held.length < 50) await new Promise((resolve) => setTimeout(resolve, 5))
      await client.close()
      const settled = await Promise.allSettled(calls)
      expect(
        settled.every(
          (result) => result.status === 'rejected' && result.reason instanceof VideoTaskError,
        ),
      ).toBe(true)
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual(
        [],
      )
    } finally {
      for (const response of held) response.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})

describe('reads without a signal of their own share the client closing signal', () => {
  it('leave no abort listener behind, over real sockets: answers, 404s, retried faults, rate-capped slots', async () => {
    const { startSimulator } = await import('video-tasks/simulator')
    // Every live 'abort' listener on any signal: the client's closing signal is one of them, and
    // a read that leaves its listener there leaks.
    const listeners = countAbortListeners()
    const simulator = await startSimulator({ timeScale: 1000 })
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const ids = Array.from(
        { length: 10 },
        () => simulator.createTask({ provider: 'openai', runningMs: 1e9 }).id,
      )
      const client = createClient({
        provider: openai({ baseURL: simulator.baseURL, apiKey: simulator.apiKey }),
        maxRequestsPerSecond: 2_000,
        minIntervalMs: 1,
      })
      for (let round = 0; round < 5; round++) {
        await Promise.all(ids.map((id) => client.getTask(id)))
        await Promise.allSettled(ids.map((_, index) => client.getTask(`missing_${index}`)))
        await Promise.all(ids.map((id) => client.observe(id)))
      }
      simulator.setFaults({ rate: 0.5, kinds: ['server-error', 'reset'], seed: 7 })
      for (let round = 0; round < 2; round++) {
        await Promise.allSettled(ids.map((id) => client.getTask(id, { retries: 3 })))
      }
      // undici removes its listener when the body's stream closes, a tick after the read.
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(listeners.most()).toBe(0)
      await client.close()
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(unhandled).toEqual([])
    } finally {
      listeners.restore()
      process.off('unhandledRejection', onUnhandled)
      await simulator.close()
    }
  })
})

describe('many reads in flight on the client closing signal', () => {
  // The client's own transport gives undici no signal for them and cancels them all on close
  // (cancelRequestsOn); a transport passed in gets the closing signal through one relay.
  it.each([
    { transport: 'the client’s own', passedIn: false, listening: 0 },
    { transport: 'one passed in', passedIn: true, listening: 1 },
  ])(
    '50 getTask reads held by a server, $transport transport: $listening listener(s) on it, not 50; close() still stops them all',
    async ({ passedIn, listening }) => {
      const listeners = countAbortListeners()
      const held: ServerResponse[] = []
      const server = createServer((_request, response) => {
        held.push(response)
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const transport = passedIn ? createTransport() : undefined
      try {
        const client = createClient({
          provider: openai({ baseURL, apiKey: 'sk-test' }),
          retries: 0,
          maxRequestsPerSecond: Number.POSITIVE_INFINITY,
          ...(transport ? { transport } : {}),
        })
        const calls = Array.from({ length: 50 }, (_, index) => client.getTask(`vid_${index}`))
        for (const each of calls) each.catch(() => {})
        while (held.length < 50) await new Promise((resolve) => setTimeout(resolve, 5))
        expect(listeners.most()).toBe(listening)
        await client.close()
        const settled = await Promise.allSettled(calls)
        expect(
          settled.every(
            (result) =>
              result.status === 'rejected' &&
              result.reason instanceof VideoTaskError &&
              /client is closed/.test(result.reason.message),
          ),
        ).toBe(true)
        expect(listeners.most()).toBe(0)
      } finally {
        listeners.restore()
        await transport?.close()
        for (const response of held) response.destroy()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      }
    },
  )
})
