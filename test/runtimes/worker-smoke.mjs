/*
 * The smoke suite as a Cloudflare Worker (workerd), run by test/runtimes/workerd-host.mjs:
 * bundled with esbuild the way a Worker is (default settings, no `nodejs_compat`), it answers one POST `{baseURL, apiKey}` (a simulator running in Node.js) by
 * running the checks below and returning `{runtime, passed, failed, info, results}`.
 *
 * A Worker has no node:http server and no `require`, so the simulator runs outside and tasks are
 * created through its control endpoint.
 */
import {
  AuthenticationError,
  BUILT_IN_PROVIDERS,
  createClient,
  TaskCancelledError,
  TaskFailedError,
  VideoTaskError,
  WaitTimeoutError,
} from 'video-tasks'
// The engine's parts are in their own subpath (issue 12): it bundles for a Worker too.
import { createTransport, VideoTaskSchema } from 'video-tasks/engine'

export default {
  async fetch(request) {
    const { baseURL, apiKey } = await request.json()
    return Response.json(await runChecks(baseURL, apiKey))
  },
}

async function runChecks(baseURL, apiKey) {
  const results = []
  const info = {}
  const platformFetch = globalThis.fetch
  let fetchCalls = 0
  globalThis.fetch = (...args) => {
    fetchCalls += 1
    return platformFetch(...args)
  }
  const assert = (condition, message) => {
    if (!condition) throw new Error(`assertion failed: ${message}`)
  }
  const rejection = async (promise) => {
    try {
      await promise
    } catch (error) {
      return error
    }
    throw new Error('expected a rejection, got a resolution')
  }
  const check = async (name, body) => {
    const started = Date.now()
    try {
      const note = await body()
      results.push({ name, ok: true, ms: Date.now() - started, note: note ?? null })
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      results.push({ name, ok: false, ms: Date.now() - started, error: message })
    }
  }
  const createTask = async (script) => {
    const response = await platformFetch(`${baseURL}/__simulator/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(script),
    })
    if (response.status !== 201) throw new Error(`control: ${response.status}`)
    return response.json()
  }
  const factories = Object.fromEntries(BUILT_IN_PROVIDERS.map((entry) => [entry.id, entry.factory]))
  const clients = []
  const clientFor = (provider, key = apiKey) => {
    const client = createClient({
      provider: factories[provider]({ baseURL, apiKey: key }),
      intervalMs: 20,
      minIntervalMs: 5,
      maxIntervalMs: 50,
      timeoutMs: 5_000,
    })
    clients.push(client)
    return client
  }
  const quick = { queuedMs: 200, runningMs: 800 }

  // Before any doubao read: its provider loads the adapter on the client's first call.
  await check('lazy provider: the first call loads the adapter (doubao)', async () => {
    const provider = factories.doubao({ baseURL, apiKey })
    assert(typeof provider.load === 'function', 'doubao() has load() before its first use')
    let before
    try {
      provider.buildRequest('t1')
    } catch (error) {
      before = error
    }
    assert(before instanceof TypeError && before.message.includes('load()'), String(before))
    const created = await createTask({ provider: 'doubao', queuedMs: 0, runningMs: 0 })
    const client = createClient({ provider, timeoutMs: 5_000 })
    clients.push(client)
    const task = await client.getTask(created.id)
    assert(task.status === 'succeeded', task.status)
  })

  await check('video-tasks/engine', async () => {
    assert(typeof createTransport === 'function', 'createTransport')
    assert(VideoTaskSchema.safeParse({ status: 'teleported' }).success === false, 'schema')
  })

  for (const provider of Object.keys(factories)) {
    await check(`waitFor ${provider}`, async () => {
      const created = await createTask({ provider, ...quick })
      const task = await clientFor(provider).waitFor(created.id)
      assert(task.status === 'succeeded' && task.progress === 100, task.status)
      assert(task.videoUrl || task.details.contentUrl || task.details.fileId, 'where the video is')
    })
  }

  await check('TaskFailedError', async () => {
    const created = await createTask({ provider: 'openai', ...quick, outcome: 'failed' })
    const error = await rejection(clientFor('openai').waitFor(created.id))
    assert(error instanceof TaskFailedError && error instanceof VideoTaskError, String(error))
    assert(typeof error.task.error.message === 'string', 'task.error.message')
  })

  await check('TaskCancelledError', async () => {
    const created = await createTask({ provider: 'check-result', ...quick, outcome: 'cancelled' })
    const error = await rejection(clientFor('check-result').waitFor(created.id))
    assert(error instanceof TaskCancelledError, String(error))
  })

  await check('AuthenticationError', async () => {
    const created = await createTask({ provider: 'doubao', ...quick })
    const error = await rejection(clientFor('doubao', 'wrong-key').waitFor(created.id))
    assert(error instanceof AuthenticationError && error.status === 401, String(error))
  })

  await check('WaitTimeoutError', async () => {
    const created = await createTask({ provider: 'openai', queuedMs: 3_600_000 })
    const error = await rejection(clientFor('openai').waitFor(created.id, { timeoutMs: 150 }))
    assert(error instanceof WaitTimeoutError, String(error))
  })

  await check('abort during a hanging request', async () => {
    const created = await createTask({ provider: 'generic-task', faults: [{ kind: 'hang' }] })
    const controller = new AbortController()
    const reason = new Error('user cancelled')
    const started = Date.now()
    const wait = clientFor('generic-task').waitFor(created.id, { signal: controller.signal })
    setTimeout(() => controller.abort(reason), 100)
    const error = await rejection(wait)
    assert(error === reason, `rejects with signal.reason, got ${error}`)
    assert(Date.now() - started < 1_500, 'quickly')
  })

  await check('default transport', async () => {
    const before = fetchCalls
    const created = await createTask({ provider: 'openai', queuedMs: 0, runningMs: 0 })
    await clientFor('openai').getTask(created.id)
    info.transport = fetchCalls > before ? 'fetch' : 'undici'
    assert(info.transport === 'fetch', 'the global fetch is the transport on workerd')
  })

  await check('close()', async () => {
    await Promise.all(clients.map((client) => client.close()))
  })

  globalThis.fetch = platformFetch
  info.cjs = 'n/a' // a Worker has no require()
  const passed = results.filter((result) => result.ok).length
  return { runtime: 'workerd', passed, failed: results.length - passed, info, results }
}
