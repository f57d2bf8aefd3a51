/*
 * Run by Jest 30 (test/runtimes/jest-host.mjs) in a consumer project where `video-tasks` is
 * installed: Jest loads modules in a vm with `require` and no ES module support unless flagged,
 * so this is what a CommonJS user's test suite sees. The package must load, and work, that way.
 */
const { createClient, openai, TaskFailedError, VideoTaskError } = require('video-tasks')
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
