import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createCallbackHandler, toNodeListener } from '../../src/client/callback-handler.js'
import { createClient } from '../../src/client.js'
import { minimax } from '../../src/providers/registry.js'
import { fakeClock, useSimulators } from '../simulator/helpers.js'

/*
 * Vendor callbacks as nudges: the MiniMax verification handshake, status callbacks from the
 * simulator over a real node:http server, and the answers to what is not a callback.
 */

const start = useSimulators()
const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

async function listen(server: Server): Promise<string> {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const post = (body: unknown) =>
  new Request('http://hooks.test/cb', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

/** A client stand-in that records the ids it is nudged with. */
function recorder(nudged: string[], answer: (id: string) => boolean) {
  return {
    nudge(id: string) {
      nudged.push(id)
      return answer(id)
    },
  }
}

describe('createCallbackHandler', () => {
  it('a MiniMax task calling back is read twice and found done within ms of the callback', async () => {
    // The simulator's clock moves by hand: the task runs, then succeeds, only after the first read.
    const clock = fakeClock(Date.now())
    const sim = await start({ now: clock.now, createScript: { queuedMs: 1_000, runningMs: 1_000 } })
    const client = createClient({
      provider: minimax({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
      // Polling alone would read again only after a minute.
      intervalMs: 60_000,
      maxIntervalMs: 60_000,
      jitter: 0,
    })
    const nudges: number[] = []
    const handler = createCallbackHandler({
      nudge: (id) => {
        nudges.push(Date.now())
        return client.nudge(id)
      },
    })
    const hooks = await listen(createServer(toNodeListener(handler)))
    const created = await fetch(`${sim.baseURL}/v1/video_generation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a fox', callback_url: `${hooks}/minimax` }),
    })
    const { task_id: taskId } = (await created.json()) as { task_id: string }
    const wait = client.waitFor(taskId, { timeoutMs: 10_000 })
    await expect.poll(() => sim.requests(taskId)).toBe(1)
    clock.tick(1_000) // running: a 'processing' callback, which does not nudge
    await expect.poll(() => sim.task(taskId)?.callbacks).toBe(1)
    clock.tick(1_000) // succeeded: a 'success' callback, which does
    const task = await wait
    const doneAt = Date.now()
    await client.close()
    expect(task.status).toBe('succeeded')
    // The handshake passed (callbacks are only sent after it), 'processing' did not nudge,
    // 'success' did: one read at the start, one after the callback.
    await expect.poll(() => sim.task(taskId)?.callbacks).toBeGreaterThanOrEqual(2)
    expect(nudges).toHaveLength(1)
    expect(sim.requests(taskId)).toBe(2)
    expect(doneAt - (nudges[0] ?? 0)).toBeLessThan(1_000)
  })

  it('echoes the verification challenge and nudges nothing', async () => {
    const nudged: string[] = []
    const handler = createCallbackHandler(recorder(nudged, () => true))
    const answer = await handler(post({ challenge: 'c-123' }))
    expect(answer.status).toBe(200)
    expect(await answer.json()).toEqual({ challenge: 'c-123' })
    expect(nudged).toEqual([])
  })

  it('nudges by task_id (a long numeric id kept exact), and trusts nothing else in the body', async () => {
    const nudged: string[] = []
    const handler = createCallbackHandler(recorder(nudged, (id) => id === 't1'))
    const one = await handler(post({ task_id: 't1', status: 'success', file_id: 'evil' }))
    expect(await one.json()).toEqual({ ok: true, nudged: true })
    await handler(post('{"task_id": 115334141465231360123, "status": "failed"}'))
    await handler(post({ data: { taskId: 'gw-9', status: 'SUCCESS' } }))
    const progress = await handler(post({ task_id: 't1', status: 'processing' }))
    expect(await progress.json()).toEqual({ ok: true, nudged: false })
    expect(nudged).toEqual(['t1', '115334141465231360123', 'gw-9'])
    const any = createCallbackHandler(
      recorder(nudged, () => true),
      { nudgeOn: 'any' },
    )
    await any(post({ task_id: 't2', status: 'processing' }))
    expect(nudged.at(-1)).toBe('t2')
  })

  it("reads Kling's legacy `task_status` (bare or enveloped): only a final one nudges", async () => {
    // vendor-docs/native/kling.md "Callbacks": the legacy body is the task object, whose status
    // is `task_status` (`submitted`, `processing`, `succeed`, `failed`), sometimes in `data`.
    const nudged: string[] = []
    const handler = createCallbackHandler(recorder(nudged, () => true))
    const answers: Array<{ nudged?: boolean }> = []
    for (const body of [
      { task_id: '866889456698785798', task_status: 'submitted' },
      { task_id: '866889456698785798', task_status: 'processing' },
      { code: 0, data: { task_id: '866889456698785798', task_status: 'processing' } },
      { task_id: '866889456698785798', task_status: 'succeed' },
      { code: 0, data: { task_id: '866889456698785799', task_status: 'failed' } },
    ]) {
      answers.push((await (await handler(post(body))).json()) as { nudged?: boolean })
    }
    expect(answers.map((answer) => answer.nudged)).toEqual([false, false, false, true, true])
    expect(nudged).toEqual(['866889456698785798', '866889456698785799'])
  })

  it('answers 405, 400, 401 and 413 to what is not a good callback, nudging nothing', async () => {
    const nudged: string[] = []
    const client = recorder(nudged, () => true)
    const handler = createCallbackHandler(client, {
      verify: (request) => new URL(request.url).searchParams.get('token') === 'secret',
      maxBodyBytes: 100,
    })
    const signed = (body: string) =>
      new Request('http://hooks.test/cb?token=secret', { method: 'POST', body })
    expect((await handler(new Request('http://hooks.test/cb?token=secret'))).status).toBe(405)
    expect((await handler(signed('not json'))).status).toBe(400)
    expect((await handler(signed('{"status":"success"}'))).status).toBe(400)
    expect((await handler(post({ task_id: 't1' }))).status).toBe(401)
    expect((await handler(signed(JSON.stringify({ task_id: 'x'.repeat(200) })))).status).toBe(413)
    expect(nudged).toEqual([])
    expect((await handler(signed('{"task_id":"t1"}'))).status).toBe(200)
    expect(nudged).toEqual(['t1'])
    expect(() => createCallbackHandler(client, { nudgeOn: 'some' as never })).toThrow(/`nudgeOn`/)
    expect(() => createCallbackHandler({} as never)).toThrow(/`client`/)
  })
})
