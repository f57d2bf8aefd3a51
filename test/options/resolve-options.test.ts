import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
import { openai } from '../../src/providers/openai.js'
import { initialPollState } from '../../src/wait/schedule.js'
import { FakeTransport } from '../support/fake-transport.js'
import { VirtualClock } from '../support/virtual-clock.js'

const provider = openai({ baseURL: 'https://api.openai.test', apiKey: 'sk-test-0123456789' })

function client() {
  return createClient({ provider, transport: new FakeTransport([]), clock: new VirtualClock() })
}

describe('an unknown option is a TypeError naming it and the key it probably meant', () => {
  it('createClient', () => {
    expect(() => createClient({ provider, intervalMS: 5 } as never)).toThrow(
      /Unknown option `intervalMS` in createClient options; did you mean `intervalMs`\?/,
    )
    expect(() => createClient({ provider, headersTimeout: 5 } as never)).toThrow(
      /`headersTimeout`.*did you mean `headersTimeoutMs`/,
    )
  })

  it('the known options of createClient, transport ones included, are accepted', () => {
    expect(() =>
      createClient({
        provider,
        headersTimeoutMs: 1_000,
        bodyTimeoutMs: 1_000,
        maxResponseBytes: 1_000,
        maxRequestsPerSecond: 5,
        intervalMs: 5_000,
        random: () => 0,
      }),
    ).not.toThrow()
  })

  it.each([
    ['waitFor', (c: ReturnType<typeof client>) => c.waitFor('t1', { intervalMS: 5 } as never)],
    [
      'resume',
      (c: ReturnType<typeof client>) =>
        c.resume(initialPollState({ taskId: 't1', provider: 'openai', now: 0, timeoutMs: 1 }), {
          intervalMS: 5,
        } as never),
    ],
    [
      'waitForAll',
      (c: ReturnType<typeof client>) => c.waitForAll(['t1'], { intervalMS: 5 } as never),
    ],
    [
      'waitForAny',
      (c: ReturnType<typeof client>) => c.waitForAny(['t1'], { intervalMS: 5 } as never),
    ],
  ])('%s rejects with it before any request', async (where, call) => {
    const c = client()
    await expect(call(c)).rejects.toThrow(
      new RegExp(`Unknown option \`intervalMS\` in ${where} options; did you mean \`intervalMs\``),
    )
    await expect(call(c)).rejects.toBeInstanceOf(TypeError)
  })

  it('watch throws it at the first next()', async () => {
    const iterator = client().watch('t1', { onUpdates: () => {} } as never)
    await expect(iterator.next()).rejects.toThrow(
      /Unknown option `onUpdates` in watch options; did you mean `onUpdate`/,
    )
  })

  it('getTask and observe', async () => {
    const c = client()
    await expect(c.getTask('t1', { Retries: 1 } as never)).rejects.toThrow(
      /Unknown option `Retries` in getTask options; did you mean `retries`/,
    )
    await expect(c.observe('t1', { signl: undefined } as never)).rejects.toThrow(
      /Unknown option `signl` in observe options; did you mean `signal`/,
    )
  })

  it('observe takes no retries: one request is one request', async () => {
    await expect(client().observe('t1', { retries: 2 } as never)).rejects.toThrow(
      /Unknown option `retries` in observe options/,
    )
  })

  it('a key whose value is undefined is still checked (a typo is a typo)', async () => {
    await expect(client().waitFor('t1', { timeoutMS: undefined } as never)).rejects.toThrow(
      /`timeoutMS`.*did you mean `timeoutMs`/,
    )
  })
})

describe("a provider's minIntervalMs", () => {
  const slow = { intervalMs: 6_000, maxIntervalMs: 10_000, minIntervalMs: 5_000, adaptive: true }

  it('is the floor unless the caller sets one', async () => {
    const { resolveScheduleOptions } = await import('../../src/options/schedule-options.js')
    expect(resolveScheduleOptions(slow).minIntervalMs).toBe(5_000)
    expect(resolveScheduleOptions(slow, { minIntervalMs: 2_000 }).minIntervalMs).toBe(2_000)
    // A caller's shorter interval pulls the floor down with it, as for the global default.
    expect(resolveScheduleOptions(slow, { intervalMs: 3_000 }).minIntervalMs).toBe(3_000)
    const { minIntervalMs: _, ...without } = slow
    expect(resolveScheduleOptions(without).minIntervalMs).toBe(1_000)
  })
})
