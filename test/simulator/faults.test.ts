import { describe, expect, it } from 'vitest'
import type {
  FaultKind,
  ScriptedFault,
  SimulatedDialect,
  SimulatedProvider,
  Simulator,
  SimulatorOptions,
} from '../../src/simulator/index.js'
import { fakeClock, read, useSimulators } from './helpers.js'

const start = useSimulators()

async function withFault(
  fault: ScriptedFault,
  script: { provider?: SimulatedProvider; dialect?: SimulatedDialect } = {},
  options: SimulatorOptions = {},
) {
  const clock = fakeClock(Date.UTC(2025, 0, 15, 12))
  const sim = await start({ now: clock.now, ...options })
  const task = sim.createTask({
    provider: script.provider ?? 'openai',
    ...(script.dialect === undefined ? {} : { dialect: script.dialect }),
    queuedMs: 0,
    runningMs: 1000,
    faults: [fault],
  })
  clock.tick(600)
  return { sim, task, clock }
}

describe('transport faults', () => {
  it('latency: answers normally after delayMs', async () => {
    const { sim, task } = await withFault({ kind: 'latency', delayMs: 120 })
    const started = performance.now()
    const r = await read(sim, task)
    expect(performance.now() - started).toBeGreaterThanOrEqual(100)
    expect(r.status).toBe(200)
    expect(r.json.status).toBe('in_progress')
  })

  it('hang: never answers; the client gives up', async () => {
    const { sim, task } = await withFault({ kind: 'hang', times: 1 })
    await expect(read(sim, task, { signal: AbortSignal.timeout(100) })).rejects.toThrow(
      /aborted|timeout/i,
    )
    expect(sim.requests(task.id)).toBe(1)
    expect((await read(sim, task)).status).toBe(200)
  })

  it('reset: the connection is destroyed', async () => {
    const { sim, task } = await withFault({ kind: 'reset', times: 1 })
    const error = await read(sim, task).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect(String((error as TypeError).cause)).toMatch(/ECONNRESET|socket|closed/i)
    expect(sim.requests(task.id)).toBe(1)
    expect((await read(sim, task)).status).toBe(200)
  })

  it('slow-body: headers at once, then the body trickles', async () => {
    const { sim, task } = await withFault({ kind: 'slow-body', chunks: 4, delayMs: 40 })
    const started = performance.now()
    const response = await fetch(`${sim.baseURL}/v1/videos/${task.id}`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    })
    const headersAfter = performance.now() - started
    const body = (await response.json()) as { status: string }
    const total = performance.now() - started
    expect(headersAfter).toBeLessThan(100)
    expect(total).toBeGreaterThanOrEqual(150)
    expect(body.status).toBe('in_progress')
  })

  it('slow-body: a client timeout cuts the body', async () => {
    const { sim, task } = await withFault({ kind: 'slow-body', chunks: 10, delayMs: 50 })
    const signal = AbortSignal.timeout(120)
    const response = await fetch(`${sim.baseURL}/v1/videos/${task.id}`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
      signal,
    })
    expect(response.status).toBe(200)
    await expect(response.text()).rejects.toThrow()
  })
})

describe('HTTP faults', () => {
  it.each([
    ['seconds', { 'retry-after': '2', 'retry-after-ms': null }],
    ['ms', { 'retry-after': null, 'retry-after-ms': '1500' }],
    ['ms-and-seconds', { 'retry-after': '2', 'retry-after-ms': '1500' }],
    ['none', { 'retry-after': null, 'retry-after-ms': null }],
  ] as const)('rate-limit with retryAfter %s', async (retryAfter, headers) => {
    const { sim, task } = await withFault({ kind: 'rate-limit', retryAfter, retryAfterMs: 1500 })
    const r = await read(sim, task)
    expect(r.status).toBe(429)
    expect(r.json.error.code).toBe('rate_limit_exceeded')
    for (const [name, value] of Object.entries(headers)) expect(r.headers.get(name)).toBe(value)
  })

  it('rate-limit with an HTTP date from the simulator clock', async () => {
    const { sim, task } = await withFault({
      kind: 'rate-limit',
      retryAfter: 'http-date',
      retryAfterMs: 3000,
    })
    const r = await read(sim, task)
    // The clock reads 12:00:00.600: now + 3 s rounded up to a whole second.
    expect(r.headers.get('retry-after')).toBe('Wed, 15 Jan 2025 12:00:04 GMT')
  })

  it.each([
    ['doubao', 'gateway-upper', { code: 'rate_limit', data: null }],
    ['generic-task', 'envelope', { code: 50429, status: 50429 }],
    ['generic-task', 'minimax', { base_resp: { status_code: 1002 } }],
    ['check-result', 'documented', { code: 429, message: 'Too Many Requests' }],
  ] as const)('rate-limit body of %s %s', async (provider, dialect, body) => {
    const { sim, task } = await withFault({ kind: 'rate-limit' }, { provider, dialect })
    const r = await read(sim, task)
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('1')
    expect(r.json).toMatchObject(body)
  })

  it('server-error: an HTML page from a proxy (502 by default)', async () => {
    const { sim, task } = await withFault({ kind: 'server-error' })
    const r = await read(sim, task)
    expect(r.status).toBe(502)
    expect(r.headers.get('content-type')).toBe('text/html')
    expect(r.text).toContain('<title>502 Bad Gateway</title>')
    expect(r.json).toBeUndefined()
  })

  it('server-error: status, retry hint, vendor JSON body', async () => {
    const { sim, task } = await withFault(
      { kind: 'server-error', status: 503, body: 'vendor', retryAfter: 'ms', retryAfterMs: 700 },
      { provider: 'check-result' },
    )
    const r = await read(sim, task)
    expect(r.status).toBe(503)
    expect(r.headers.get('retry-after-ms')).toBe('700')
    expect(r.json).toEqual({ code: 500, message: 'Failed to sync task result' })
  })

  it('empty-body: 200 with nothing in it', async () => {
    const { sim, task } = await withFault({ kind: 'empty-body' })
    const r = await read(sim, task)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('application/json')
    expect(r.text).toBe('')
  })

  it('truncated-json: the normal answer cut in half', async () => {
    const { sim, task } = await withFault({ kind: 'truncated-json', times: 1 })
    const cut = await read(sim, task)
    expect(cut.status).toBe(200)
    expect(() => JSON.parse(cut.text)).toThrow(SyntaxError)
    expect(cut.text).toMatch(/^\{"id":/)
    const whole = await read(sim, task)
    expect(whole.text.length).toBeGreaterThan(cut.text.length * 2 - 2)
  })

  it('wrong-shape: valid JSON without the fields a poller needs', async () => {
    const { sim, task } = await withFault({ kind: 'wrong-shape' }, { provider: 'doubao' })
    const r = await read(sim, task)
    expect(r.status).toBe(200)
    expect(r.json).toEqual({
      object: 'list',
      data: [{ id: task.id, object: 'task.summary' }],
      has_more: false,
    })
  })

  it('progress-backwards: lower than the progress last reported', async () => {
    const { sim, task, clock } = await withFault({
      kind: 'progress-backwards',
      afterReads: 1,
      times: 1,
    })
    expect((await read(sim, task)).json.progress).toBe(60)
    clock.tick(100)
    expect((await read(sim, task)).json.progress).toBe(30)
    expect((await read(sim, task)).json.progress).toBe(70)
  })

  it('progress-backwards: coarse steps go down a step', async () => {
    const { sim, task } = await withFault(
      { kind: 'progress-backwards', afterReads: 1, times: 1 },
      { provider: 'doubao' },
    )
    expect((await read(sim, task)).json.data.progress).toBe('30%')
    expect((await read(sim, task)).json.data.progress).toBe('10%')
  })

  it.each([
    ['openai', 'official', (b: { status: string }) => b.status, 'unknown'],
    ['doubao', 'gateway-upper', (b: { data: { status: string } }) => b.data.status, 'UNKNOWN'],
    ['generic-task', 'minimax', (b: { status: string }) => b.status, 'Unknown'],
    ['check-result', 'documented', (b: { data: { status: string } }) => b.data.status, 'unknown'],
  ] as const)('unknown-status on %s %s', async (provider, dialect, status, word) => {
    const { sim, task } = await withFault(
      { kind: 'unknown-status', times: 1 },
      { provider, dialect },
    )
    expect(status((await read(sim, task)).json)).toBe(word)
    expect(status((await read(sim, task)).json)).not.toBe(word)
  })

  it('unknown-status with a chosen word', async () => {
    const { sim, task } = await withFault({ kind: 'unknown-status', statusWord: 'paused' })
    expect((await read(sim, task)).json.status).toBe('paused')
  })

  it.each([
    ['openai', 'official', { error: { code: 'rate_limit_exceeded', type: 'requests' } }],
    ['doubao', 'gateway-upper', { code: 'rate_limit', data: null }],
    ['doubao', 'second-shape', { code: 'rate_limit', data: null }],
    ['generic-task', 'envelope', { code: 50429, data: null }],
    ['generic-task', 'envelope-doc', { code: 429, data: null }],
    ['generic-task', 'minimax', { base_resp: { status_code: 1002, status_msg: /rate limit/ } }],
    ['check-result', 'documented', { code: 429, data: null }],
  ] as const)('vendor-error-200 on %s %s', async (provider, dialect, body) => {
    const { sim, task } = await withFault({ kind: 'vendor-error-200' }, { provider, dialect })
    const r = await read(sim, task)
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject(body)
  })

  it('vendor-error-200 with a chosen MiniMax code', async () => {
    const { sim, task } = await withFault(
      { kind: 'vendor-error-200', code: 1008, message: 'insufficient balance' },
      { provider: 'generic-task', dialect: 'minimax' },
    )
    expect((await read(sim, task)).json.base_resp).toEqual({
      status_code: 1008,
      status_msg: 'insufficient balance',
    })
  })

  it.each([
    ['unauthorized', 'openai', 401],
    ['forbidden', 'openai', 403],
    ['not-found', 'openai', 404],
    ['forbidden', 'check-result', 403],
    ['not-found', 'doubao', 400],
  ] as const)('%s on %s -> %i', async (kind, provider, status) => {
    const { sim, task } = await withFault({ kind, times: 1 }, { provider })
    expect((await read(sim, task)).status).toBe(status)
    expect((await read(sim, task)).status).toBe(200)
    expect(sim.stats().unauthorized).toBe(0)
    expect(sim.stats().faults).toEqual({ [kind]: 1 })
  })
})

describe('scripted fault counters', () => {
  it('afterReads and times pick the faulted reads; every read counts', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'doubao',
      faults: [
        { kind: 'rate-limit', afterReads: 2, times: 1 },
        { kind: 'server-error', afterReads: 4, times: 2 },
      ],
    })
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) statuses.push((await read(sim, task)).status)
    expect(statuses).toEqual([200, 200, 429, 200, 502, 502, 200, 200])
    expect(sim.requests(task.id)).toBe(8)
    expect(sim.task(task.id)?.faultsLeft).toEqual([0, 0])
    expect(sim.stats().faults).toEqual({ 'rate-limit': 1, 'server-error': 2 })
  })
})

describe('random faults', () => {
  const kinds: FaultKind[] = ['rate-limit', 'server-error', 'empty-body', 'reset']

  async function run(sim: Simulator, count: number): Promise<string[]> {
    const task = sim.createTask({ provider: 'openai', id: 'random_task' })
    const seen: string[] = []
    for (let i = 0; i < count; i++) {
      const r = await read(sim, task).catch(() => undefined)
      seen.push(r === undefined ? 'reset' : `${r.status}:${r.text === '' ? 'empty' : 'body'}`)
    }
    return seen
  }

  it('the same seed faults the same requests the same way', async () => {
    const a = await run(await start({ seed: 42, faults: { rate: 0.3, kinds } }), 40)
    const b = await run(await start({ seed: 42, faults: { rate: 0.3, kinds } }), 40)
    const c = await run(await start({ seed: 7, faults: { rate: 0.3, kinds } }), 40)
    expect(a).toEqual(b)
    expect(c).not.toEqual(a)
    const faulted = a.filter((entry) => entry !== '200:body').length
    expect(faulted).toBeGreaterThan(3)
    expect(faulted).toBeLessThan(25)
  })

  it('setFaults turns them on, reseeds and turns them off', async () => {
    const sim = await start()
    const task = sim.createTask({ provider: 'check-result' })
    expect((await read(sim, task)).status).toBe(200)
    sim.setFaults({ rate: 1, kinds: [{ kind: 'server-error', status: 504 }] })
    expect((await read(sim, task)).status).toBe(504)
    sim.setFaults({ rate: 0.5, kinds: ['rate-limit'], seed: 3 })
    const first: number[] = []
    for (let i = 0; i < 10; i++) first.push((await read(sim, task)).status)
    sim.setFaults({ rate: 0.5, kinds: ['rate-limit'], seed: 3 })
    const second: number[] = []
    for (let i = 0; i < 10; i++) second.push((await read(sim, task)).status)
    expect(second).toEqual(first)
    expect(first).toContain(429)
    sim.setFaults(null)
    expect((await read(sim, task)).status).toBe(200)
    expect(sim.stats().faults['server-error']).toBe(1)
    expect(() => sim.setFaults({ rate: 2 })).toThrow(/faults\.rate/)
  })

  it('a wrong key is always a clean 401, never a random fault', async () => {
    const sim = await start({ faults: { rate: 1, kinds: ['server-error'] } })
    const task = sim.createTask({ provider: 'openai' })
    expect((await read(sim, task, { key: 'nope' })).status).toBe(401)
    expect((await read(sim, task)).status).toBe(502)
  })
})
