import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { createClient } from '../src/client.js'
import {
  RateLimitError,
  TaskCancelledError,
  TaskFailedError,
  TaskNotFoundError,
  WaitTimeoutError,
} from '../src/errors.js'
import { checkResult } from '../src/providers/check-result.js'
import type { Provider } from '../src/providers/define-provider.js'
import { doubao } from '../src/providers/doubao.js'
import { genericTask } from '../src/providers/generic-task.js'
import { openai } from '../src/providers/openai.js'
import type { PollState } from '../src/wait/schedule.js'
import { fixtureText } from './support/fixtures.js'
import { useMswServer } from './support/msw.js'
import { VirtualClock } from './support/virtual-clock.js'

/*
 * Client flows for each provider through the `fetch` seam (msw), in virtual time: the wait
 * follows a script of fixture payloads, one per read.
 */

const server = useMswServer()
const KEY = 'sk-flow-test-123456789'

interface Case {
  name: string
  provider: Provider
  method: 'get' | 'post'
  route: string
  queued: string
  running: string
  succeeded: string
  failed: string
  cancelled?: string
  notFound: { fixture: string; status: number }
}

const cases: Case[] = [
  {
    name: 'openai',
    provider: openai({ baseURL: 'https://openai.flow.test', apiKey: KEY }),
    method: 'get',
    route: 'https://openai.flow.test/v1/videos/:id',
    queued: 'openai/official-queued.json',
    running: 'openai/official-in-progress.json',
    succeeded: 'openai/doc-completed.json',
    failed: 'openai/doc-failed.json',
    cancelled: 'openai/gateway-cancelled.json',
    notFound: { fixture: 'openai/doc-not-found.json', status: 404 },
  },
  {
    name: 'doubao',
    provider: doubao({ baseURL: 'https://doubao.flow.test', apiKey: KEY }),
    method: 'get',
    route: 'https://doubao.flow.test/v1/video/generations/:id',
    queued: 'doubao/gateway-queued.json',
    running: 'doubao/gateway-in-progress.json',
    succeeded: 'doubao/gateway-success-result-url.json',
    failed: 'doubao/gateway-failure-timeout.json',
    notFound: { fixture: 'doubao/error-task-not-exist.json', status: 400 },
  },
  {
    name: 'generic-task',
    provider: genericTask({ baseURL: 'https://generic.flow.test', apiKey: KEY }),
    method: 'get',
    route: 'https://generic.flow.test/task/:id',
    queued: 'generic-task/minimax-queueing.json',
    running: 'generic-task/minimax-processing.json',
    succeeded: 'generic-task/doc-minimax-success.json',
    failed: 'generic-task/minimax-fail.json',
    notFound: { fixture: 'generic-task/error-404.json', status: 404 },
  },
  {
    name: 'check-result',
    provider: checkResult({ baseURL: 'https://check.flow.test', apiKey: KEY }),
    method: 'post',
    route: 'https://check.flow.test/api/video-generations/check-result',
    queued: 'check-result/pending.json',
    running: 'check-result/doc-running.json',
    succeeded: 'check-result/succeeded.json',
    failed: 'check-result/failed-refunded.json',
    cancelled: 'check-result/cancelled.json',
    notFound: { fixture: 'check-result/doc-error-404.json', status: 404 },
  },
]

function fixture(path: string): string {
  const [provider, name] = path.split('/') as [string, string]
  return fixtureText(provider, name)
}

/** Answers each request with the next payload of the script (the last one repeats). */
function script(
  testCase: Case,
  steps: Array<string | { fixture: string; status: number; headers?: Record<string, string> }>,
) {
  const requests: Request[] = []
  const queue = [...steps]
  server.use(
    http[testCase.method](testCase.route, ({ request }) => {
      requests.push(request.clone())
      const step = (queue.length > 1 ? queue.shift() : queue[0]) as (typeof steps)[number]
      const {
        fixture: path,
        status,
        headers,
      } = typeof step === 'string' ? { fixture: step, status: 200, headers: {} } : step
      return new HttpResponse(fixture(path), {
        status,
        headers: { 'content-type': 'application/json', ...headers },
      })
    }),
  )
  return requests
}

function client(testCase: Case, clock: VirtualClock) {
  return createClient({
    provider: testCase.provider,
    fetch: (input, init) => fetch(input, init),
    clock,
    random: () => 0,
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
  })
}

describe.each(cases)('$name through the fetch seam', (testCase) => {
  it('waits through queued and running to the succeeded task, firing each callback by its rule', async () => {
    const requests = script(testCase, [
      testCase.queued,
      testCase.running,
      testCase.running,
      testCase.succeeded,
    ])
    const clock = new VirtualClock()
    const updates: string[] = []
    const changes: string[] = []
    const progress: number[] = []
    const task = await clock.run(
      client(testCase, clock).waitFor('task-1', {
        onUpdate: (each) => updates.push(each.status),
        onStatusChange: (each, previous) =>
          changes.push(`${previous?.status ?? 'none'}->${each.status}`),
        onProgress: (value) => progress.push(value),
      }),
    )
    expect(task.status).toBe('succeeded')
    expect(task.provider).toBe(testCase.name)
    expect(task.videoUrl ?? task.details.fileId).toBeTruthy()
    expect(requests).toHaveLength(4)
    expect(
      requests.every((request) => request.headers.get('authorization') === `Bearer ${KEY}`),
    ).toBe(true)
    expect(updates).toEqual(['queued', 'running', 'running', 'succeeded'])
    expect(changes).toEqual(['none->queued', 'queued->running', 'running->succeeded'])
    // Progress only rises; the final 100 is always reported.
    expect(progress.at(-1)).toBe(100)
    expect([...progress].sort((a, b) => a - b)).toEqual(progress)
    expect(new Set(progress).size).toBe(progress.length)
  })

  it('rejects a failed task with TaskFailedError and the vendor message', async () => {
    script(testCase, [testCase.running, testCase.failed])
    const clock = new VirtualClock()
    const error = await clock
      .run(client(testCase, clock).waitFor('task-1'))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TaskFailedError)
    const failed = (error as TaskFailedError).task
    expect(failed.status).toBe('failed')
    expect(failed.error?.message.length).toBeGreaterThan(0)
    expect((error as Error).message).toContain(failed.error?.message ?? '')
  })

  it('ends at once on an unknown task', async () => {
    const requests = script(testCase, [testCase.notFound])
    const clock = new VirtualClock()
    await expect(clock.run(client(testCase, clock).waitFor('task-1'))).rejects.toBeInstanceOf(
      TaskNotFoundError,
    )
    expect(requests).toHaveLength(1)
  })

  it('times out with the last task when the task stays running', async () => {
    script(testCase, [testCase.running])
    const clock = new VirtualClock()
    const started = clock.now()
    const error = await clock
      .run(client(testCase, clock).waitFor('task-1', { timeoutMs: 45_000 }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(clock.now() - started).toBe(45_000)
    expect((error as WaitTimeoutError).lastTask?.status).toBe('running')
  })

  it('shares one loop between two waits, and resumes from a saved state', async () => {
    const requests = script(testCase, [testCase.queued, testCase.running, testCase.succeeded])
    const clock = new VirtualClock()
    const flows = client(testCase, clock)
    const [first, second] = await clock.run(
      Promise.all([flows.waitFor('task-1'), flows.waitFor('task-1')]),
    )
    expect(first).toBe(second)
    expect(requests).toHaveLength(3)

    script(testCase, [testCase.running, testCase.succeeded])
    let saved: PollState | undefined
    const controller = new AbortController()
    const stopped = flows.waitFor('task-2', {
      signal: controller.signal,
      onPollState: (state) => {
        saved = JSON.parse(JSON.stringify(state))
      },
    })
    await clock.advance(0)
    controller.abort()
    await stopped.catch(() => {})
    expect(saved?.reads).toBe(1)
    const resumed = await clock.run(
      createClient({
        provider: testCase.provider,
        clock,
        fetch: (input, init) => fetch(input, init),
      }).resume(saved as PollState),
    )
    expect(resumed.status).toBe('succeeded')
  })

  it('waitForAll and waitForAny over several tasks', async () => {
    script(testCase, [testCase.succeeded])
    const clock = new VirtualClock()
    const flows = client(testCase, clock)
    const all = await clock.run(flows.waitForAll(['a', 'b', 'c']))
    expect(all).toHaveLength(3)
    const any = await clock.run(flows.waitForAny(['d', 'e']))
    expect(any.status).toBe('succeeded')
  })
})

// Only OpenAI-compatible gateways and check-result have a cancelled status.
describe.each(cases.filter((testCase) => testCase.cancelled))('$name cancelled', (testCase) => {
  it('rejects a cancelled task with TaskCancelledError', async () => {
    script(testCase, [testCase.running, testCase.cancelled as string])
    const clock = new VirtualClock()
    await expect(clock.run(client(testCase, clock).waitFor('task-1'))).rejects.toBeInstanceOf(
      TaskCancelledError,
    )
  })
})

describe('rate limits through the fetch seam', () => {
  it('follows a 429 Retry-After from the vendor, then succeeds', async () => {
    const testCase = cases[0] as Case
    const rateLimited = {
      fixture: 'openai/official-error-429.json',
      status: 429,
      headers: { 'retry-after': '7' },
    }
    const requests = script(testCase, [rateLimited, testCase.succeeded])
    const clock = new VirtualClock()
    const started = clock.now()
    const times: number[] = []
    const task = await clock.run(
      client(testCase, clock).waitFor('task-1', {
        onUpdate: () => times.push(clock.now() - started),
      }),
    )
    expect(task.status).toBe('succeeded')
    expect(requests).toHaveLength(2)
    expect(times).toEqual([7_000])
  })

  it('a Doubao 429 in Chinese without Retry-After is retried with backoff', async () => {
    const testCase = cases[1] as Case
    const saturated = { fixture: 'doubao/error-upstream-saturated.json', status: 429 }
    const retried = script(testCase, [saturated, saturated, saturated, testCase.succeeded])
    const clock = new VirtualClock()
    const task = await clock.run(client(testCase, clock).waitFor('task-1', { retries: 3 }))
    expect(task.status).toBe('succeeded')
    expect(retried).toHaveLength(4)
    const once = script(testCase, [saturated])
    const error = await clock
      .run(client(testCase, clock).getTask('task-1', { retries: 0 }))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBeNull()
    expect(once).toHaveLength(1)
  })

  it('maxRequestsPerSecond caps requests across many waits', async () => {
    const testCase = cases[2] as Case
    const requests = script(testCase, [testCase.running])
    const clock = new VirtualClock()
    const capped = createClient({
      provider: testCase.provider,
      fetch: (input, init) => fetch(input, init),
      clock,
      maxRequestsPerSecond: 5,
    })
    const controller = new AbortController()
    const waits = Array.from({ length: 20 }, (_, index) =>
      capped.waitFor(`t${index}`, { signal: controller.signal }).catch(() => {}),
    )
    await clock.advance(2_000)
    // In 2 s at 5 per second: the reads at 0, 200, ..., 2000 ms.
    expect(requests).toHaveLength(11)
    controller.abort()
    await Promise.all(waits)
  })
})

describe('check-result sends the id in a JSON body', () => {
  it('POSTs {"taskId": id} for every read', async () => {
    const testCase = cases[3] as Case
    const requests = script(testCase, [testCase.succeeded])
    const clock = new VirtualClock()
    await clock.run(client(testCase, clock).waitFor('task/../x?y'))
    expect(await requests[0]?.json()).toEqual({ taskId: 'task/../x?y' })
    expect(requests[0]?.headers.get('content-type')).toContain('application/json')
  })
})
