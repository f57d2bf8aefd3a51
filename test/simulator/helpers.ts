import { afterEach } from 'vitest'
import {
  type SimulatedProvider,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator/index.js'
import { VENDOR_IDS, vendorOf } from '../../src/simulator/vendors/index.js'

/**
 * The vendor routes, written out here so the tests check the simulator's routing too; a vendor
 * not listed is read on the path its simulator vendor file names.
 */
const STATUS_PATHS: Partial<Record<Exclude<SimulatedProvider, 'check-result'>, string>> = {
  openai: '/v1/videos/',
  doubao: '/v1/video/generations/',
  'generic-task': '/task/',
  minimax: '/v1/query/video_generation?task_id=',
  // The API-key routes; the legacy ones want a signed token (test/simulator/kling.test.ts).
  kling: '/tasks?task_ids=',
  gemini: '/v1beta/',
  runway: '/v1/tasks/',
}

/** A clock the tests move by hand. */
export function fakeClock(start = Date.UTC(2025, 0, 15, 12)) {
  let time = start
  return {
    now: () => time,
    tick(ms: number) {
      time += ms
    },
    set(ms: number) {
      time = ms
    },
  }
}

/** Starts simulators for a test; every one is closed after it. */
export function useSimulators() {
  const started: Simulator[] = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()))
  })
  return async (options?: SimulatorOptions) => {
    const sim = await startSimulator(options)
    started.push(sim)
    return sim
  }
}

/** A response read to the end. */
export interface Read {
  status: number
  headers: Headers
  text: string
  // biome-ignore lint/suspicious/noExplicitAny: tests poke into vendor bodies freely
  json: any
}

export interface ReadOptions {
  /** The bearer key; `null` sends no `Authorization` header. Default: the simulator's key. */
  key?: string | null
  signal?: AbortSignal
}

/** Reads a task's status the way the vendor's API is called. */
export async function read(
  sim: Simulator,
  task: { provider: SimulatedProvider; id: string },
  options: ReadOptions = {},
): Promise<Read> {
  const headers: Record<string, string> = {}
  const key = options.key === undefined ? sim.apiKey : options.key
  if (key !== null) {
    headers.authorization = `Bearer ${key}`
    // Vendors that read the key from their own header (Gemini).
    headers['x-goog-api-key'] = key
  }
  // Headers the vendor requires on every call (Runway's API version).
  Object.assign(headers, vendorOf(task.provider).requiredHeaders)
  const init: RequestInit = { headers }
  if (options.signal !== undefined) init.signal = options.signal
  let url: string
  if (task.provider === 'check-result') {
    url = `${sim.baseURL}/api/video-generations/check-result`
    init.method = 'POST'
    headers['content-type'] = 'application/json'
    init.body = JSON.stringify({ taskId: task.id })
  } else {
    const encoded = encodeURIComponent(task.id)
    const path = STATUS_PATHS[task.provider]
    url = `${sim.baseURL}${path === undefined ? vendorOf(task.provider).statusPath(encoded, vendorOf(task.provider).dialects[0] as string) : `${path}${encoded}`}`
  }
  return toRead(await fetch(url, init))
}

/** Reads any response to the end. */
export async function toRead(response: Response): Promise<Read> {
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

/** `fetch` with the simulator's key. */
export function authed(sim: Simulator, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.baseURL}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${sim.apiKey}`,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string> | undefined),
    },
  })
}

/** `requestsByProvider` of a simulator that served no request: every vendor at 0. */
export function noRequests(): Record<SimulatedProvider, number> {
  return Object.fromEntries(VENDOR_IDS.map((id) => [id, 0])) as Record<SimulatedProvider, number>
}

/**
 * Resolves once `condition` holds, polling every 5 ms; throws after 3 s. For what a server
 * outside the test's clock does (a callback's delivery over a real socket).
 */
export async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 3_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 3 s')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
