/*
 * Run by Jest 30 (test/runtimes/jest-host.mjs) in a consumer project where `video-tasks` is
 * installed: Jest loads modules in a vm with `require` and no ES module support unless flagged,
 * so this is what a CommonJS user's test suite sees. The package must load, and work, that way.
 */
const { createClient, doubao, openai, TaskFailedError, VideoTaskError } = require('video-tasks')
const engine = require('video-tasks/engine')
const { startSimulator } = require('video-tasks/simulator')

let simulator

beforeAll(async () => {
  simulator = await startSimulator({ timeScale: 50 })
})

afterAll(async () => {
  await simulator?.close()
})

test('require resolves the CommonJS build', () => {
  expect(require.resolve('video-tasks')).toMatch(/dist[\\/]index\.cjs$/)
  expect(typeof createClient).toBe('function')
})

// First in the file: no doubao adapter loaded yet in this module registry.
test('the lazy path: a provider loads its adapter on the first call (doubao)', async () => {
  const provider = doubao({ baseURL: simulator.baseURL, apiKey: simulator.apiKey })
  expect(() => provider.buildRequest('t1')).toThrow(TypeError)
  expect(() => provider.buildRequest('t1')).toThrow('load()')
  const task = simulator.createTask({ provider: 'doubao', queuedMs: 0, runningMs: 0 })
  const client = createClient({ provider })
  try {
    expect((await client.getTask(task.id)).status).toBe('succeeded')
  } finally {
    await client.close()
  }
})

test('video-tasks/engine requires, and its names are not on the main entry', () => {
  expect(require.resolve('video-tasks/engine')).toMatch(/dist[\\/]engine\.cjs$/)
  expect(typeof engine.createTransport).toBe('function')
  expect(engine.VideoTaskSchema.safeParse({ status: 'teleported' }).success).toBe(false)
  expect('createTransport' in require('video-tasks')).toBe(false)
})

test('a wait succeeds against the simulator', async () => {
  const task = simulator.createTask({ provider: 'openai', queuedMs: 0, runningMs: 0 })
  const client = createClient({
    provider: openai({ baseURL: simulator.baseURL, apiKey: simulator.apiKey }),
  })
  try {
    const done = await client.waitFor(task.id, { timeoutMs: 10_000 })
    expect(done.status).toBe('succeeded')
    expect(done.id).toBe(task.id)
  } finally {
    await client.close()
  }
})

test('a failed task rejects with TaskFailedError carrying the failed task', async () => {
  const task = simulator.createTask({
    provider: 'openai',
    queuedMs: 0,
    runningMs: 0,
    outcome: 'failed',
  })
  const client = createClient({
    provider: openai({ baseURL: simulator.baseURL, apiKey: simulator.apiKey }),
  })
  try {
    const error = await client.waitFor(task.id, { timeoutMs: 10_000 }).catch((caught) => caught)
    expect(error).toBeInstanceOf(TaskFailedError)
    expect(error).toBeInstanceOf(VideoTaskError)
    expect(error.task.status).toBe('failed')
    expect(error.task.error.message.length).toBeGreaterThan(0)
  } finally {
    await client.close()
  }
})
