import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
import { BUILT_IN_PROVIDERS } from '../../src/providers/registry.js'
import { type Simulator, simulatedBody, startSimulator } from '../../src/simulator/index.js'

/*
 * `client.generate` then `client.download` for every registry entry that creates, over real
 * sockets: wherever the vendor keeps the bytes (a public URL redirecting to the CDN, the content
 * route, the MiniMax file API, Gemini's file URI redirecting to storage), they arrive
 * byte-identical, and whatever reaches the CDN listener (another origin) carries no credential:
 * only the headers a download may send anywhere.
 */

const BYTES = 150_000
const SEED = 11
/** What a download may send to another origin (src/transport.ts: credentials stay behind). */
const SAFE_HEADERS = new Set([
  'host',
  'connection',
  'range',
  'if-range',
  'accept',
  'accept-encoding',
  'accept-language',
  'user-agent',
])

const creating = BUILT_IN_PROVIDERS.filter(
  (entry) => entry.forSimulator('http://127.0.0.1:1', 'k').buildCreateRequest !== undefined,
)

let cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})

function expectedSha(): string {
  const hash = createHash('sha256')
  for (const chunk of simulatedBody(SEED, BYTES)) hash.update(chunk)
  return hash.digest('hex')
}

describe('downloads through the registry', () => {
  it.each(creating.map((entry) => [entry.id, entry] as const))(
    '%s: the bytes arrive, and no credential reaches the other origin',
    async (_, entry) => {
      const sim: Simulator = await startSimulator({
        apiKey: 'sk-downloads-SECRET-7f3a',
        createScript: {
          queuedMs: 0,
          runningMs: 20,
          download: { bytes: BYTES, seed: SEED, via: 'cdn' },
        },
      })
      cleanups.push(() => sim.close())
      const dir = await mkdtemp(join(tmpdir(), 'e2e-downloads-'))
      cleanups.push(() => rm(dir, { recursive: true, force: true }))
      const client = createClient({
        provider: entry.forSimulator(sim.baseURL, sim.apiKey),
        intervalMs: 20,
        maxIntervalMs: 40,
        timeoutMs: 5_000,
      })
      cleanups.push(() => client.close())

      const { task } = await client.generate({ prompt: 'a fox in snow' })
      const [result] = await client.download(task, { to: join(dir, 'video.mp4') })
      expect(result?.bytes).toBe(BYTES)
      const written = await readFile(join(dir, 'video.mp4'))
      expect(createHash('sha256').update(written).digest('hex')).toBe(expectedSha())

      // A public URL or a file API link goes through the simulator's /files/ redirect to the
      // CDN: the check below then has requests to look at (a content route may serve the bytes
      // itself, or redirect to storage as Gemini's does).
      if (entry.dialects[0].video !== 'content-url') {
        expect(sim.cdnRequests().length).toBeGreaterThan(0)
      }
      for (const request of sim.cdnRequests()) {
        expect(request.authorization, request.path).toBe(false)
        expect(request.headerNames.filter((name) => !SAFE_HEADERS.has(name))).toEqual([])
        expect(request.path).not.toContain(sim.apiKey)
      }
    },
  )
})
