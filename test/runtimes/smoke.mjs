/*
 * Runtime smoke suite: plain JavaScript that Node.js, Bun and Deno all run as it is. It imports
 * the BUILT package by its name (dist/, through package.json "exports"), as ESM and, where the
 * runtime has `require`, as CommonJS, and checks what a user relies on:
 *
 * - the exports are there and importing them loads no transport yet; the engine's parts
 *   (`createTransport`, `VideoTaskSchema`, ...) come from `video-tasks/engine`, not the main entry;
 * - the lazy path: a built-in factory's provider loads its adapter on first use (`Provider.load`),
 *   and the client loads its core and the adapter on its first call, here from dist/'s chunks;
 * - a wait succeeds for each provider (and dialect) against `video-tasks/simulator`;
 * - the error classes: failed, cancelled, 401, not found, 5xx, timeout; `instanceof` across the
 *   ESM and CJS copies, and the static guards;
 * - a transient 429 is retried; `watch()` yields the statuses in order;
 * - abort: a signal aborted before the call, and one aborted during a hanging request;
 * - the transport: undici on Node.js (the global `fetch` is never called), the platform's
 *   `fetch` on Bun and Deno.
 *
 * Usage: <runtime> test/runtimes/smoke.mjs [--simulator-url URL --api-key KEY]
 *
 * Without --simulator-url it starts the simulator in-process (node:http). With it, it uses a
 * simulator running elsewhere (a Node.js child process started by scripts/test-runtimes.mjs),
 * through the simulator's control endpoint.
 *
 * Prints one line per check and, last, `SMOKE_RESULT {json}`; exits 1 if any check failed.
 */
import { createRequire } from 'node:module'

const args = (globalThis.process?.argv ?? []).slice(2)
const argValue = (name) => {
  const index = args.indexOf(name)
  return index === -1 ? undefined : args[index + 1]
}
const runtime = globalThis.Bun
  ? `bun ${globalThis.Bun.version}`
  : globalThis.Deno
    ? `deno ${globalThis.Deno.version.deno}`
    : `node ${globalThis.process.versions.node}`
const isNode = !globalThis.Bun && !globalThis.Deno

const results = []
const info = {}

async function check(name, body) {
  const started = performance.now()
  try {
    const note = await body()
    const ms = Math.round(performance.now() - started)
    results.push({ name, ok: true, ms, note: note ?? null })
    console.log(`ok - ${name} (${ms} ms)${note ? ` ${note}` : ''}`)
  } catch (error) {
    const ms = Math.round(performance.now() - started)
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    results.push({ name, ok: false, ms, error: message })
    console.log(`not ok - ${name} (${ms} ms): ${message}`)
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`)
}

async function rejection(promise) {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection, got a resolution')
}

function withTimeout(promise, ms, what) {
  let timer
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

// Counts calls of the global fetch, which the transport looks up at each request.
let fetchCalls = 0
const platformFetch = globalThis.fetch
globalThis.fetch = (...fetchArgs) => {
  fetchCalls += 1
  return platformFetch(...fetchArgs)
}

/* ------------------------------------------------------------------------------------------- */

let esm
let cjs
let simulatorModule

await check('import video-tasks (ESM)', async () => {
  esm = await import('video-tasks')
  for (const name of [
    'createClient',
    'BUILT_IN_PROVIDERS',
    ...(esm.BUILT_IN_PROVIDERS ?? []).map((entry) => entry.exportName),
    'defineProvider',
    'VideoTaskError',
    'TaskFailedError',
    'WaitTimeoutError',
  ]) {
    assert(esm[name] !== undefined, `export ${name}`)
  }
  // The built package, not the sources (Bun honours a tsconfig's `paths`: see tsconfig.json here).
  const resolved = import.meta.resolve('video-tasks')
  assert(resolved.endsWith('/dist/index.js'), `video-tasks resolves to ${resolved}`)
})

// The engine's parts moved to their own subpath (issue 12, "Cost of importing it").
const ENGINE_NAMES = ['createTransport', 'VideoTaskSchema', 'observeTask', 'pollStep', 'decideNext']
let engine
await check('import video-tasks/engine (ESM)', async () => {
  engine = await import('video-tasks/engine')
  for (const name of ENGINE_NAMES) assert(engine[name] !== undefined, `engine export ${name}`)
  const moved = ENGINE_NAMES.filter((name) => esm && name in esm)
  assert(moved.length === 0, `the main entry exports ${moved.join(', ')}`)
  assert(
    engine.VideoTaskSchema.safeParse({ status: 'teleported' }).success === false,
    'VideoTaskSchema rejects a bad task',
  )
  const resolved = import.meta.resolve('video-tasks/engine')
  assert(resolved.endsWith('/dist/engine.js'), `video-tasks/engine resolves to ${resolved}`)
})

await check('import video-tasks/simulator (ESM)', async () => {
  simulatorModule = await import('video-tasks/simulator')
  assert(typeof simulatorModule.startSimulator === 'function', 'startSimulator')
})

await check('require video-tasks (CJS)', async () => {
  const require = createRequire(import.meta.url)
  cjs = require('video-tasks')
  assert(typeof cjs.createClient === 'function', 'createClient from CJS')
  const resolved = require.resolve('video-tasks')
  assert(resolved.endsWith('index.cjs'), `require resolves to ${resolved}`)
  assert(cjs.ApiError !== esm.ApiError, 'a second copy of the classes')
  const simulatorCjs = require('video-tasks/simulator')
  assert(typeof simulatorCjs.startSimulator === 'function', 'startSimulator from CJS')
  const engineCjs = require('video-tasks/engine')
  for (const name of ENGINE_NAMES) assert(engineCjs[name] !== undefined, `CJS engine ${name}`)
  assert(!('createTransport' in cjs), 'the CJS main entry exports createTransport')
  info.cjs = true
  return 'dist/index.cjs'
})

if (!esm) {
  finish()
}

const {
  createClient,
  BUILT_IN_PROVIDERS,
  VideoTaskError,
  ApiError,
  AuthenticationError,
  ServerError,
  TaskCancelledError,
  WaitTimeoutError,
} = esm

/* The simulator: in-process, or one running elsewhere reached through its control endpoint. */
let sim
const externalURL = argValue('--simulator-url')
await check(
  externalURL ? 'simulator (Node.js child process)' : 'simulator (in-process)',
  async () => {
    if (externalURL) {
      const apiKey = argValue('--api-key') ?? 'sim-test-key'
      const control = async (method, path, body) => {
        const response = await platformFetch(`${externalURL}${path}`, {
          method,
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
        const json = await response.json()
        if (!response.ok)
          throw new Error(`control ${path}: ${response.status} ${JSON.stringify(json)}`)
        return json
      }
      sim = {
        baseURL: externalURL,
        apiKey,
        createTask: (script) => control('POST', '/__simulator/tasks', script),
        reads: async (id) => (await control('GET', `/__simulator/tasks/${id}`)).reads,
        close: async () => {},
      }
    } else {
      const server = await simulatorModule.startSimulator({ timeScale: 50 })
      sim = {
        baseURL: server.baseURL,
        apiKey: server.apiKey,
        createTask: async (script) => server.createTask(script),
        reads: async (id) => server.requests(id),
        close: () => server.close(),
      }
    }
    // Make sure it answers.
    const response = await platformFetch(`${sim.baseURL}/files/none.mp4`)
    await response.body?.cancel()
    assert(response.status === 404, `GET /files/none.mp4 -> 404, got ${response.status}`)
    return sim.baseURL
  },
)

if (!sim) {
  finish()
}

const fast = { intervalMs: 20, minIntervalMs: 5, maxIntervalMs: 50, timeoutMs: 5_000 }
const factories = Object.fromEntries(BUILT_IN_PROVIDERS.map((entry) => [entry.id, entry.factory]))
const clients = []
function clientFor(provider, options = {}) {
  const client = createClient({
    provider: factories[provider]({ baseURL: sim.baseURL, apiKey: options.apiKey ?? sim.apiKey }),
    ...fast,
    ...options.client,
  })
  clients.push(client)
  return client
}
// Short in virtual time: 50x faster than real time in-process.
const quick = { queuedMs: 200, runningMs: 800 }

/*
 * Before any client ran a doubao read: its public factory's provider has not loaded the adapter
 * (`buildRequest` throws, naming `load()`), and the client's first call loads it (with its own
 * core) from the built package's chunks in this runtime.
 */
await check('lazy provider: the first call loads the adapter (doubao)', async () => {
  const provider = esm.doubao({ baseURL: sim.baseURL, apiKey: sim.apiKey })
  assert(typeof provider.load === 'function', 'doubao() has load() before its first use')
  let before
  try {
    provider.buildRequest('t1')
  } catch (error) {
    before = error
  }
  assert(
    before instanceof TypeError && before.message.includes('load()'),
    `buildRequest before load: ${before}`,
  )
  const created = await sim.createTask({ provider: 'doubao', queuedMs: 0, runningMs: 0 })
  const client = createClient({ provider, ...fast })
  clients.push(client)
  const task = await client.getTask(created.id)
  assert(task.status === 'succeeded', `status ${task.status}`)
  const loaded = await provider.load()
  assert(loaded.buildRequest(created.id).url.startsWith(sim.baseURL), 'the loaded adapter')
  return 'adapter loaded on first use'
})

// Every registered provider in every dialect the simulator speaks for it, the video found where
// that dialect puts it (a public URL, the official API's content route, or MiniMax's file id).
const verify = (task) =>
  assert(
    task.videoUrl?.endsWith('.mp4') || task.details.contentUrl || task.details.fileId,
    'a video: videoUrl, details.contentUrl or details.fileId',
  )
const dialectsOf = new Map(
  simulatorModule.simulatedVendors().map((vendor) => [vendor.provider, vendor.dialects]),
)
// Kling's legacy route families want the signed provider (accessKey and secretKey), which
// `forSimulator` does not build (test/e2e/first-use-load.test.ts reads them signed).
const otherCredentials = { kling: ['text2video', 'image2video'] }
const providerCases = BUILT_IN_PROVIDERS.flatMap((entry) => {
  const dialects = dialectsOf.get(entry.id)
  assert(dialects?.length > 0, `the simulator speaks ${entry.id}`)
  return dialects
    .filter((dialect) => !otherCredentials[entry.id]?.includes(dialect))
    .map((dialect) => [entry.id, dialect, verify])
})
for (const [provider, dialect, verify] of providerCases) {
  await check(`waitFor ${provider} (${dialect})`, async () => {
    const created = await sim.createTask({ provider, dialect, ...quick })
    const client = clientFor(provider)
    const statuses = []
    const task = await client.waitFor(created.id, {
      onStatusChange: (current) => statuses.push(current.status),
    })
    assert(task.status === 'succeeded', `status ${task.status}`)
    assert(task.progress === 100, `progress ${task.progress}`)
    assert(task.provider === provider, `provider ${task.provider}`)
    verify(task)
    return statuses.join(' -> ')
  })
}

await check('watch() yields statuses in order', async () => {
  const created = await sim.createTask({ provider: 'check-result', ...quick })
  const seen = []
  for await (const task of clientFor('check-result').watch(created.id)) {
    if (seen.at(-1) !== task.status) seen.push(task.status)
  }
  assert(seen.at(-1) === 'succeeded', `last ${seen.at(-1)}`)
  return seen.join(' -> ')
})

await check('a 429 is retried', async () => {
  const created = await sim.createTask({
    provider: 'doubao',
    ...quick,
    faults: [{ kind: 'rate-limit', times: 1, retryAfter: 'ms', retryAfterMs: 10 }],
  })
  const task = await clientFor('doubao').waitFor(created.id)
  assert(task.status === 'succeeded', task.status)
  const reads = await sim.reads(created.id)
  assert(reads >= 2, `reads ${reads}`)
  return `${reads} reads`
})

/* Error classes, and instanceof across the ESM and CJS copies. */
function sameAcrossCopies(error, name) {
  assert(error instanceof esm[name], `instanceof ${name} (ESM)`)
  assert(error instanceof VideoTaskError, 'instanceof VideoTaskError (ESM)')
  assert(esm[name].is(error), `${name}.is()`)
  assert(error.name === name, `name ${error.name}`)
  if (cjs) {
    assert(error instanceof cjs[name], `instanceof ${name} (CJS copy)`)
    assert(error instanceof cjs.VideoTaskError, 'instanceof VideoTaskError (CJS copy)')
  }
}

await check('TaskFailedError', async () => {
  const created = await sim.createTask({ provider: 'openai', ...quick, outcome: 'failed' })
  const error = await rejection(clientFor('openai').waitFor(created.id))
  sameAcrossCopies(error, 'TaskFailedError')
  assert(!(error instanceof TaskCancelledError), 'not TaskCancelledError')
  assert(error.task.status === 'failed', 'task.status')
  assert(typeof error.task.error.message === 'string', 'task.error.message')
})

await check('TaskCancelledError', async () => {
  const created = await sim.createTask({ provider: 'check-result', ...quick, outcome: 'cancelled' })
  const error = await rejection(clientFor('check-result').waitFor(created.id))
  sameAcrossCopies(error, 'TaskCancelledError')
  assert(error.task.status === 'cancelled', 'task.status')
})

await check('AuthenticationError (401, no retry)', async () => {
  const created = await sim.createTask({ provider: 'generic-task', ...quick })
  const error = await rejection(
    clientFor('generic-task', { apiKey: 'wrong-key' }).waitFor(created.id),
  )
  sameAcrossCopies(error, 'AuthenticationError')
  assert(error instanceof ApiError && error.status === 401, `status ${error.status}`)
  assert(!JSON.stringify(error).includes('wrong-key'), 'key not in JSON')
  const reads = await sim.reads(created.id)
  assert(reads === 1, `reads ${reads}`)
})

await check('TaskNotFoundError', async () => {
  const error = await rejection(clientFor('doubao').getTask('cgt-does-not-exist'))
  sameAcrossCopies(error, 'TaskNotFoundError')
  assert(!(error instanceof AuthenticationError), 'not AuthenticationError')
})

await check('ServerError (HTML 502)', async () => {
  const created = await sim.createTask({
    provider: 'openai',
    ...quick,
    faults: [{ kind: 'server-error', status: 502 }],
  })
  const error = await rejection(clientFor('openai').getTask(created.id, { retries: 0 }))
  sameAcrossCopies(error, 'ServerError')
  assert(error instanceof ServerError && error.status === 502, `status ${error.status}`)
})

await check('WaitTimeoutError', async () => {
  const created = await sim.createTask({ provider: 'openai', queuedMs: 3_600_000 })
  const error = await rejection(clientFor('openai').waitFor(created.id, { timeoutMs: 150 }))
  sameAcrossCopies(error, 'WaitTimeoutError')
  assert(error instanceof WaitTimeoutError && error.reads >= 1, `reads ${error.reads}`)
  assert(error.lastTask?.status === 'queued', `lastTask ${error.lastTask?.status}`)
})

/* Abort. */
await check('abort before the call', async () => {
  const controller = new AbortController()
  const reason = new Error('stop')
  controller.abort(reason)
  const error = await rejection(
    clientFor('openai').waitFor('video_x', { signal: controller.signal }),
  )
  assert(error === reason, `rejects with signal.reason, got ${error}`)
})

await check('abort during a hanging request', async () => {
  const created = await sim.createTask({
    provider: 'generic-task',
    ...quick,
    faults: [{ kind: 'hang' }],
  })
  const controller = new AbortController()
  const reason = new Error('user cancelled')
  const started = performance.now()
  const wait = clientFor('generic-task').waitFor(created.id, { signal: controller.signal })
  setTimeout(() => controller.abort(reason), 100)
  const error = await withTimeout(rejection(wait), 3_000, 'abort')
  const ms = performance.now() - started
  assert(error === reason, `rejects with signal.reason, got ${error}`)
  assert(ms < 1_500, `took ${Math.round(ms)} ms`)
})

/* The transport this runtime uses by default. */
await check('default transport', async () => {
  const before = fetchCalls
  const created = await sim.createTask({ provider: 'openai', queuedMs: 0, runningMs: 0 })
  await clientFor('openai').getTask(created.id)
  const calls = fetchCalls - before
  info.transport = calls === 0 ? 'undici' : 'fetch'
  if (isNode) assert(calls === 0, `Node.js uses undici, yet the global fetch ran ${calls} times`)
  else assert(calls > 0, 'Bun and Deno use the global fetch, yet it never ran')
  return info.transport
})

await check('close()', async () => {
  await Promise.all(clients.map((client) => client.close()))
  await sim.close()
})

finish()

function finish() {
  const passed = results.filter((result) => result.ok).length
  const failed = results.length - passed
  console.log(`${runtime}: ${passed} passed, ${failed} failed`)
  console.log(`SMOKE_RESULT ${JSON.stringify({ runtime, passed, failed, info, results })}`)
  // Deno and Bun have process too; exit explicitly so a stuck handle cannot hang the matrix.
  globalThis.process.exit(failed === 0 ? 0 : 1)
}
