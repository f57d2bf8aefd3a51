import { describe, expect, it } from 'vitest'
import {
  type SimulatorOptions,
  startSimulator,
  type TaskScript,
} from '../../src/simulator/index.js'
import { read, useSimulators } from './helpers.js'

const start = useSimulators()

describe('startSimulator options', () => {
  it('defaults: loopback, a free port, the default key', async () => {
    const sim = await start()
    expect(sim.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(sim.baseURL).toBe(`http://127.0.0.1:${sim.port}`)
    expect(sim.port).toBeGreaterThan(0)
    expect(sim.apiKey).toBe('sim-test-key')
    expect(sim.totalRequests()).toBe(0)
  })

  it.each<[string, unknown]>([
    ['options', 'fast'],
    ['options.apiKey', { apiKey: '' }],
    ['options.apiKey', { apiKey: 'has space' }],
    ['options.port', { port: -1 }],
    ['options.port', { port: 1.5 }],
    ['options.host', { host: '0.0.0.0' }],
    ['options.host', { host: '' }],
    ['options.allowNonLoopback', { allowNonLoopback: 'yes' }],
    ['options.timeScale', { timeScale: 0 }],
    ['options.timeScale', { timeScale: Number.NaN }],
    ['options.now', { now: 12 }],
    ['options.now', { now: () => '2025-01-01' }],
    ['options.seed', { seed: 1.5 }],
    ['options.faults', { faults: 0.1 }],
    ['options.faults.rate', { faults: { rate: 1.5 } }],
    ['options.faults.kinds', { faults: { rate: 0.1, kinds: [] } }],
    ['options.faults.kinds[1].kind', { faults: { rate: 0.1, kinds: ['reset', { kind: 'x' }] } }],
    [
      'options.faults.kinds[0].times',
      { faults: { rate: 0.1, kinds: [{ kind: 'reset', times: 1 }] } },
    ],
    ['options.dialects.openai', { dialects: { openai: 'legacy' } }],
    ['options.dialects.sora', { dialects: { sora: 'official' } }],
    ['options.timescale', { timescale: 10 }],
  ])('rejects a wrong %s with a TypeError naming it', async (name, options) => {
    const error = await startSimulator(options as SimulatorOptions).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toContain(name)
  })

  it('accepts other loopback hosts; a non-loopback host needs allowNonLoopback', async () => {
    const sim = await start({ host: 'localhost', apiKey: 'k' })
    expect(sim.baseURL).toMatch(/^http:\/\/(127\.0\.0\.1|\[::1\]):\d+$/)
    expect((await read(sim, { provider: 'openai', id: 'x' })).status).toBe(404)
  })
})

describe('createTask validation', () => {
  it.each<[string, Record<string, unknown>]>([
    ['script.provider', { provider: 'sora' }],
    ['script.dialect', { provider: 'openai', dialect: 'legacy' }],
    ['script.id', { provider: 'openai', id: 'a/b' }],
    ['script.id', { provider: 'openai', id: '' }],
    ['script.queuedMs', { provider: 'openai', queuedMs: -5 }],
    ['script.runningMs', { provider: 'openai', runningMs: Number.POSITIVE_INFINITY }],
    ['script.progress', { provider: 'openai', progress: 'medium' }],
    ['script.outcome', { provider: 'openai', outcome: 'done' }],
    ['script.videoUrl', { provider: 'openai', videoUrl: 'not a url' }],
    ['script.failureReason', { provider: 'openai', failureReason: 5 }],
    ['script.faults', { provider: 'openai', faults: { kind: 'reset' } }],
    ['script.faults[0].kind', { provider: 'openai', faults: [{ kind: 'meteor' }] }],
    ['script.faults[0]', { provider: 'openai', faults: ['reset'] }],
    ['script.faults[0].times', { provider: 'openai', faults: [{ kind: 'reset', times: -1 }] }],
    [
      'script.faults[0].status',
      { provider: 'openai', faults: [{ kind: 'server-error', status: 418 }] },
    ],
    [
      'script.faults[0].retryAfter',
      { provider: 'openai', faults: [{ kind: 'rate-limit', retryAfter: 'soon' }] },
    ],
    ['script.faults[0].chunks', { provider: 'openai', faults: [{ kind: 'slow-body', chunks: 0 }] }],
    ['script.faults[0].colour', { provider: 'openai', faults: [{ kind: 'reset', colour: 1 }] }],
    ['script.progressFormat', { provider: 'doubao', progressFormat: 'fraction' }],
    ['script.urlField', { provider: 'openai', urlField: 'href' }],
    ['script.earlyUrl', { provider: 'check-result', earlyUrl: 'yes' }],
    ['script.queuedMS', { provider: 'openai', queuedMS: 5 }],
  ])('throws a TypeError naming %s', async (name, script) => {
    const sim = await start()
    expect(() => sim.createTask(script as unknown as TaskScript)).toThrow(TypeError)
    expect(() => sim.createTask(script as unknown as TaskScript)).toThrow(name)
    expect(sim.stats().tasks).toBe(0)
  })

  it('ids are unique across providers', async () => {
    const sim = await start()
    sim.createTask({ provider: 'openai', id: 'same' })
    expect(() => sim.createTask({ provider: 'doubao', id: 'same' })).toThrow(/already exists/)
    expect(sim.task('missing')).toBeUndefined()
    expect(sim.requests('missing')).toBe(0)
  })

  it('fills the script defaults', async () => {
    const sim = await start()
    const task = sim.createTask({ provider: 'doubao' })
    expect(sim.task(task.id)?.script).toEqual({
      provider: 'doubao',
      dialect: 'gateway-upper',
      id: task.id,
      queuedMs: 2000,
      runningMs: 10_000,
      progress: 'coarse',
      outcome: 'succeeded',
      videoUrl: `${sim.baseURL}/files/${task.id}.mp4`,
      failureReason: 'Video generation failed: content policy violation',
      faults: [],
      urlField: 'url',
      timestampUnit: 's',
      progressFormat: 'percent',
      earlyUrl: false,
      model: 'doubao-seedance-1-0-pro-250528',
      prompt: 'A calico cat plays a grand piano on a stage',
      download: {
        bytes: 4096,
        seed: expect.any(Number),
        via: 'direct',
        expiredStatus: 403,
        ranges: true,
        faults: [],
      },
    })
  })
})

describe('close()', () => {
  function handles() {
    const counts: Record<string, number> = {}
    for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1
    return counts
  }

  it('leaves no server, socket or timer behind, even with requests in flight', async () => {
    const before = handles()
    const sim = await startSimulator()
    const headers = { authorization: `Bearer ${sim.apiKey}` }
    const fine = sim.createTask({ provider: 'openai', id: 'fine' })
    sim.createTask({ provider: 'openai', id: 'hang', faults: [{ kind: 'hang' }] })
    sim.createTask({
      provider: 'openai',
      id: 'slow',
      faults: [{ kind: 'slow-body', delayMs: 5000 }],
    })
    sim.createTask({ provider: 'openai', id: 'late', faults: [{ kind: 'latency', delayMs: 5000 }] })
    expect((await read(sim, fine)).status).toBe(200) // leaves a keep-alive connection
    const hung = fetch(`${sim.baseURL}/v1/videos/hang`, { headers }).catch((e: unknown) => e)
    const late = fetch(`${sim.baseURL}/v1/videos/late`, { headers }).catch((e: unknown) => e)
    const slow = await fetch(`${sim.baseURL}/v1/videos/slow`, { headers })
    const slowBody = slow.text().catch((e: unknown) => e)
    while (sim.requests('hang') + sim.requests('late') < 2) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    // Two listeners: the vendor APIs and the CDN (another port, so another origin).
    expect(handles().TCPServerWrap ?? 0).toBe((before.TCPServerWrap ?? 0) + 2)

    let timer: NodeJS.Timeout | undefined
    const closed = await Promise.race([
      sim.close().then(() => 'closed'),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('close() did not resolve within 2 s'), 2000)
      }),
    ])
    clearTimeout(timer)
    expect(closed).toBe('closed')
    await sim.close() // idempotent

    expect(await hung).toBeInstanceOf(Error)
    expect(await late).toBeInstanceOf(Error)
    expect(await slowBody).toBeInstanceOf(Error)
    // The client side learns of the closed sockets within a few turns of the event loop.
    const deadline = Date.now() + 1000
    let after = handles()
    while (Date.now() < deadline) {
      after = handles()
      if (
        (after.TCPSocketWrap ?? 0) <= (before.TCPSocketWrap ?? 0) &&
        (after.Timeout ?? 0) <= (before.Timeout ?? 0)
      ) {
        break
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(after.TCPServerWrap ?? 0).toBe(before.TCPServerWrap ?? 0)
    expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual(before.TCPSocketWrap ?? 0)
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0)
    await expect(fetch(`${sim.baseURL}/v1/videos/fine`, { headers })).rejects.toThrow()
  })
})

describe('advancePerReadMs', () => {
  it('moves a still clock by each status read, so phases follow the read count', async () => {
    const sim = await startSimulator({ now: () => Date.UTC(2025, 0, 1), advancePerReadMs: 1_000 })
    try {
      const task = sim.createTask({
        provider: 'check-result',
        queuedMs: 2_000,
        runningMs: 2_000,
        faults: [{ kind: 'server-error', afterReads: 1, times: 1 }],
      })
      const words: (string | number)[] = []
      for (let index = 0; index < 6; index++) {
        const answer = await read(sim, task)
        words.push(answer.status === 200 ? answer.json.data.status : answer.status)
      }
      // At 0, 1 (502, still a read), 2, 3, 4, 5 s: queued twice, running twice, then done.
      expect(words).toEqual(['pending', 502, 'running', 'running', 'succeeded', 'succeeded'])
      // A read without the key is not a read the task sees: the clock stays.
      const before = sim.task(task.id)?.elapsedMs
      await read(sim, task, { key: 'wrong' })
      expect(sim.task(task.id)?.elapsedMs).toBe(before)
    } finally {
      await sim.close()
    }
  })

  it('rejects a negative value with a TypeError naming it', async () => {
    await expect(startSimulator({ advancePerReadMs: -1 })).rejects.toThrow(
      /options\.advancePerReadMs/,
    )
  })
})
