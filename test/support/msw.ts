import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { readTask } from '../../src/client/read-task.js'
import type { VideoTaskDetails } from '../../src/model.js'
import type { Provider } from '../../src/providers/define-provider.js'
import { createTransport } from '../../src/transport.js'

/**
 * An msw server for one test file, started before its tests and reset after each one.
 * Unhandled requests fail the test: nothing reaches a real network.
 */
export function useMswServer() {
  const server = setupServer()
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())
  return server
}

/** Reads a task once through the `fetch` seam (msw intercepts the global fetch). */
export async function readThroughFetch<TDetails extends VideoTaskDetails>(
  provider: Provider<TDetails>,
  taskId: string,
) {
  const transport = createTransport({ fetch: (input, init) => fetch(input, init) })
  return readTask(provider, transport, taskId, { now: () => Date.UTC(2024, 0, 15, 16) })
}

/** Reads a task once through the `fetch` seam, expecting an error; resolves with that error. */
export function readErrorThroughFetch<TDetails extends VideoTaskDetails>(
  provider: Provider<TDetails>,
  taskId: string,
): Promise<unknown> {
  return readThroughFetch(provider, taskId).then(
    () => expect.unreachable('expected an error'),
    (error: unknown) => error,
  )
}
