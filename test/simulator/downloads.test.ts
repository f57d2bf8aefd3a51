import { createCipheriv, createHash } from 'node:crypto'
import { get } from 'node:http'
import { describe, expect, it } from 'vitest'
import { type Simulator, simulatedBody } from '../../src/simulator/index.js'
import { authed, fakeClock, toRead, useSimulators } from './helpers.js'

const start = useSimulators()

/** The body's sha256 from the generator. */
function expectedSha(seed: number, bytes: number): string {
  const hash = createHash('sha256')
  for (const chunk of simulatedBody(seed, bytes)) hash.update(chunk)
  return hash.digest('hex')
}

async function sha(response: Response): Promise<{ sha: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    hash.update(value)
    bytes += value.length
  }
  return { sha: hash.digest('hex'), bytes }
}

/** Reads with node:http, counting the bytes that arrive before the end or an error. */
function download(url: string, timeoutMs = 2_000) {
  return new Promise<{ status: number; received: number; error?: string; announced?: string }>(
    (resolve) => {
      let received = 0
      let status = 0
      let announced: string | undefined
      const request = get(url, (response) => {
        status = response.statusCode ?? 0
        announced = response.headers['content-length']
        response.on('data', (chunk: Buffer) => {
          received += chunk.length
        })
        response.on('end', () => resolve({ status, received, announced }))
        response.on('error', (error) =>
          resolve({ status, received, announced, error: error.message }),
        )
      })
      request.on('error', (error) => resolve({ status, received, announced, error: error.message }))
      request.setTimeout(timeoutMs, () => request.destroy(new Error('timeout')))
    },
  )
}

function finished(sim: Simulator, clock: ReturnType<typeof fakeClock>, script: object = {}) {
  const task = sim.createTask({ provider: 'doubao', queuedMs: 0, runningMs: 1_000, ...script })
  clock.tick(1_000)
  return task
}

describe('generated bodies', () => {
  it('are the seeded keystream after an MP4 header, reachable at any offset', () => {
    const whole = Buffer.concat([...simulatedBody(7, 200_000)])
    expect(whole.length).toBe(200_000)
    expect(whole.subarray(4, 8).toString('latin1')).toBe('ftyp')
    expect(whole.subarray(28, 32).toString('latin1')).toBe('mdat')
    // Independently: AES-256-CTR keystream under sha256 of the seed text, counter from 0.
    const key = createHash('sha256').update('video-tasks simulator body 7').digest()
    const keystream = createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(
      Buffer.alloc(200_000),
    )
    expect(whole.subarray(32).equals(keystream.subarray(32))).toBe(true)
    for (const [from, to] of [
      [0, 10],
      [5, 40],
      [17, 70_001],
      [65_535, 131_073],
      [199_999, 200_000],
    ] as const) {
      expect(
        Buffer.concat([...simulatedBody(7, 200_000, from, to)]).equals(whole.subarray(from, to)),
      ).toBe(true)
    }
    expect(Buffer.concat([...simulatedBody(8, 1000)]).equals(whole.subarray(0, 1000))).toBe(false)
  })
})

describe('the video URL', () => {
  it('streams a body of the scripted size with Content-Length, byte-exact from the seed', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = finished(sim, clock, { download: { bytes: 5_000_123, seed: 42 } })
    const response = await fetch(task.videoUrl)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe('5000123')
    expect(response.headers.get('accept-ranges')).toBe('bytes')
    expect(await sha(response)).toEqual({ sha: expectedSha(42, 5_000_123), bytes: 5_000_123 })
    const head = await fetch(task.videoUrl, { method: 'HEAD' })
    expect(head.headers.get('content-length')).toBe('5000123')
  })

  it('serves 50 MB as a stream', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const bytes = 50 * 1024 * 1024
    const task = finished(sim, clock, { download: { bytes, seed: 3 } })
    expect(await sha(await fetch(task.videoUrl))).toEqual({ sha: expectedSha(3, bytes), bytes })
  })

  it('answers Range with 206 and Content-Range, and 416 past the end', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = finished(sim, clock, { download: { bytes: 1000, seed: 5 } })
    const whole = Buffer.concat([...simulatedBody(5, 1000)])
    const cases = [
      ['bytes=100-199', 100, 200],
      ['bytes=990-', 990, 1000],
      ['bytes=-10', 990, 1000],
      ['bytes=900-5000', 900, 1000],
    ] as const
    for (const [range, from, to] of cases) {
      const response = await fetch(task.videoUrl, { headers: { range } })
      expect(response.status).toBe(206)
      expect(response.headers.get('content-range')).toBe(`bytes ${from}-${to - 1}/1000`)
      expect(response.headers.get('content-length')).toBe(String(to - from))
      expect(Buffer.from(await response.arrayBuffer()).equals(whole.subarray(from, to))).toBe(true)
    }
    const past = await fetch(task.videoUrl, { headers: { range: 'bytes=1000-' } })
    expect(past.status).toBe(416)
    expect(past.headers.get('content-range')).toBe('bytes */1000')
  })

  it('ignores Range when the script says the server does not support it', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = finished(sim, clock, { download: { bytes: 1000, ranges: false } })
    const response = await fetch(task.videoUrl, { headers: { range: 'bytes=100-199' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('accept-ranges')).toBeNull()
    expect((await response.arrayBuffer()).byteLength).toBe(1000)
  })

  it('is 404 until the task succeeded, and for a failed one', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({ provider: 'doubao', queuedMs: 0, runningMs: 1_000 })
    expect((await fetch(task.videoUrl)).status).toBe(404)
    const failed = sim.createTask({
      provider: 'doubao',
      queuedMs: 0,
      runningMs: 0,
      outcome: 'failed',
    })
    expect((await fetch(`${sim.baseURL}/files/${failed.id}.mp4`)).status).toBe(404)
  })
})

describe('redirects to the CDN', () => {
  it('answers 302 to a signed link on another origin that serves the bytes without a key', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = finished(sim, clock, { download: { bytes: 300_000, seed: 9, via: 'cdn' } })
    const first = await fetch(task.videoUrl, {
      redirect: 'manual',
      headers: { authorization: `Bearer ${sim.apiKey}` },
    })
    expect(first.status).toBe(302)
    const location = first.headers.get('location') ?? ''
    expect(new URL(location).origin).toBe(sim.cdnURL)
    expect(sim.cdnURL).not.toBe(new URL(sim.baseURL).origin)
    const followed = await fetch(location, { headers: { range: 'bytes=0-' } })
    expect(followed.status).toBe(206)
    expect(await sha(followed)).toEqual({ sha: expectedSha(9, 300_000), bytes: 300_000 })
    expect(sim.cdnRequests()).toEqual([
      {
        path: new URL(location).pathname + new URL(location).search,
        range: 'bytes=0-',
        authorization: false,
        headerNames: expect.not.arrayContaining(['authorization']),
      },
    ])
  })

  it('logs an Authorization header that reaches the CDN, and refuses a forged link', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = finished(sim, clock, { download: { via: 'cdn' } })
    const location =
      (await fetch(task.videoUrl, { redirect: 'manual' })).headers.get('location') ?? ''
    await (await fetch(location, { headers: { authorization: 'Bearer leaked' } })).arrayBuffer()
    expect(sim.cdnRequests().at(-1)?.authorization).toBe(true)
    const forged = await fetch(location.replace(/signature=[0-9a-f]+/, 'signature=00'))
    expect(forged.status).toBe(403)
    const unknown = await fetch(`${sim.cdnURL}/blobs/nope.mp4`)
    expect(unknown.status).toBe(404)
    expect(await unknown.text()).toContain('NoSuchKey')
  })
})

describe('expiring links', () => {
  it.each([403, 410] as const)(
    'answers %i once the link expired, on the origin and the CDN',
    async (status) => {
      const clock = fakeClock()
      const sim = await start({ now: clock.now, dialects: { openai: 'official' } })
      const task = sim.createTask({
        provider: 'openai',
        queuedMs: 0,
        runningMs: 1_000,
        download: { expiresAfterMs: 60_000, expiredStatus: status, via: 'cdn' },
      })
      clock.tick(1_000)
      const object = await toRead(await authed(sim, `/v1/videos/${task.id}`))
      expect(object.json.expires_at).toBe(Math.floor((clock.now() + 60_000) / 1000))
      const location =
        (await fetch(task.videoUrl, { redirect: 'manual' })).headers.get('location') ?? ''
      expect((await fetch(location)).status).toBe(200)
      clock.tick(59_999)
      expect((await fetch(location)).status).toBe(200)
      clock.tick(1)
      const expired = await fetch(location)
      expect(expired.status).toBe(status)
      if (status === 403) expect(await expired.text()).toContain('AccessDenied')
      expect((await fetch(task.videoUrl)).status).toBe(status)
      expect((await authed(sim, `/v1/videos/${task.id}/content`)).status).toBe(status)
    },
  )
})

describe('faults in the middle of the body', () => {
  it('reset after N bytes: the client gets N bytes and an error; the next download is whole', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = finished(sim, clock, {
      download: { bytes: 1_000_000, faults: [{ kind: 'reset', afterBytes: 600_000 }] },
    })
    const cut = await download(task.videoUrl)
    expect(cut).toMatchObject({ status: 200, announced: '1000000' })
    // An RST may discard bytes the client had not read yet: at most N arrive, never more.
    expect(cut.received).toBeGreaterThan(0)
    expect(cut.received).toBeLessThanOrEqual(600_000)
    expect(cut.error).toMatch(/ECONNRESET|aborted/)
    expect(sim.task(task.id)?.bodyFaultsLeft).toEqual([0])
    // The resume: the rest with Range, byte-identical once joined.
    const rest = await fetch(task.videoUrl, { headers: { range: 'bytes=600000-' } })
    expect(rest.status).toBe(206)
    const whole = Buffer.concat([
      ...simulatedBody(sim.task(task.id)?.script.download.seed ?? 0, 1_000_000),
    ])
    expect(Buffer.from(await rest.arrayBuffer()).equals(whole.subarray(600_000))).toBe(true)
  })

  it('short body: the whole length announced, N bytes sent, the connection closed', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = finished(sim, clock, {
      download: { bytes: 100_000, faults: [{ kind: 'short', afterBytes: 1_234, times: 2 }] },
    })
    for (let attempt = 0; attempt < 2; attempt++) {
      const short = await download(task.videoUrl)
      expect(short).toMatchObject({ received: 1_234, announced: '100000' })
      expect(short.error).toBeDefined()
    }
    expect(await download(task.videoUrl)).toEqual({
      status: 200,
      received: 100_000,
      announced: '100000',
    })
  })

  it('stall: N bytes, then nothing until the client gives up; close() ends it', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = finished(sim, clock, {
      download: { bytes: 100_000, faults: [{ kind: 'stall', afterBytes: 10_000 }] },
    })
    const stalled = await download(task.videoUrl, 200)
    expect(stalled).toMatchObject({ received: 10_000, error: 'timeout' })
    const again = download(task.videoUrl, 5_000)
    await sim.close()
    expect((await again).received).toBeLessThanOrEqual(100_000)
  })

  it('applies to the content route and the CDN alike', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'openai',
      queuedMs: 0,
      runningMs: 0,
      download: { bytes: 50_000, faults: [{ kind: 'reset', afterBytes: 100 }] },
    })
    const response = await authed(sim, `/v1/videos/${task.id}/content`)
    expect(response.status).toBe(200)
    await expect(response.arrayBuffer()).rejects.toThrow()
    const ok = await authed(sim, `/v1/videos/${task.id}/content`)
    expect((await ok.arrayBuffer()).byteLength).toBe(50_000)
  })
})

describe('the content route and the file API', () => {
  it('streams the same bytes as the video URL, with Range, behind the key', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'openai',
      queuedMs: 0,
      runningMs: 1_000,
      download: { bytes: 70_000, seed: 11 },
    })
    expect((await authed(sim, `/v1/videos/${task.id}/content`)).status).toBe(404)
    clock.tick(1_000)
    expect((await fetch(task.contentUrl ?? '')).status).toBe(401)
    const whole = await authed(sim, `/v1/videos/${task.id}/content?variant=video`)
    expect(await sha(whole)).toEqual({ sha: expectedSha(11, 70_000), bytes: 70_000 })
    const part = await authed(sim, `/v1/videos/${task.id}/content`, {
      headers: { range: 'bytes=10-19' },
    })
    expect(part.status).toBe(206)
    const thumbnail = await authed(sim, `/v1/videos/${task.id}/content?variant=spritesheet`)
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg')
  })

  it('file API: bytes and download_url of the scripted body', async () => {
    const clock = fakeClock()
    const sim = await start({ now: clock.now })
    const task = sim.createTask({
      provider: 'generic-task',
      dialect: 'minimax',
      queuedMs: 0,
      runningMs: 0,
      download: { bytes: 12_345, via: 'cdn' },
    })
    const status = await toRead(await authed(sim, `/task/${task.id}`))
    const file = await toRead(
      await authed(sim, `/v1/files/retrieve?file_id=${status.json.file_id}`),
    )
    expect(file.json.file).toMatchObject({ bytes: 12_345, download_url: task.videoUrl })
    const body = await fetch(file.json.file.download_url)
    expect(new URL(body.url).origin).toBe(sim.cdnURL)
    expect((await body.arrayBuffer()).byteLength).toBe(12_345)
  })
})

describe('download script validation', () => {
  it.each([
    [{ bytes: -1 }, 'script.download.bytes'],
    [{ bytes: 1.5 }, 'script.download.bytes'],
    [{ via: 'ftp' }, 'script.download.via'],
    [{ expiredStatus: 404 }, 'script.download.expiredStatus'],
    [{ faults: [{ kind: 'explode', afterBytes: 1 }] }, 'script.download.faults[0].kind'],
    [{ faults: [{ kind: 'reset' }] }, 'script.download.faults[0].afterBytes'],
    [{ size: 1 }, 'script.download.size'],
  ])('%j -> a TypeError naming %s', async (download, name) => {
    const sim = await start()
    expect(() =>
      sim.createTask({ provider: 'openai', download } as unknown as Parameters<
        Simulator['createTask']
      >[0]),
    ).toThrow(new RegExp(name.replace(/[.[\]]/g, '\\$&')))
  })
})
