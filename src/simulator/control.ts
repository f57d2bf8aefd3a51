/*
 * The control endpoint (`/__simulator/...`): everything the `Simulator` object does, over HTTP,
 * for a simulator in another process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { controlError, jsonWire, parseJson, readBody, type Wire } from './delivery.js'
import type { Json } from './render.js'
import { decode } from './routing.js'
import type { SimulatedTask, SimulatedTaskInfo, SimulatorStats, TaskScript } from './types.js'

/** What the control endpoint drives. */
export interface Controlled {
  authorized(req: IncomingMessage): boolean
  send(res: ServerResponse, wire: Wire): void
  createTask(script: TaskScript): SimulatedTask
  taskIds(): string[]
  info(id: string): SimulatedTaskInfo | undefined
  stats(): SimulatorStats
  setFaults(faults: unknown): unknown
  advance(ms: number): number
  billing(): Json
}

/** Answers a request under `/__simulator`. */
export async function handleControl(
  core: Controlled,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  url: URL,
): Promise<void> {
  let raw: Buffer | 'too-large' = Buffer.alloc(0)
  if (method === 'POST') raw = await readBody(req)
  else req.resume()
  if (!core.authorized(req)) {
    core.send(res, controlError(401, 'The control endpoint needs the simulator bearer key'))
    return
  }
  if (raw === 'too-large') {
    core.send(res, controlError(413, 'Body too large'))
    return
  }
  const text = raw.toString('utf8')
  const path = url.pathname
  const body = () => {
    const parsed = parseJson(text)
    if (!parsed.ok) throw new TypeError('The body must be JSON')
    return parsed.value
  }
  const reply = (status: number, value: unknown) =>
    core.send(res, jsonWire({ status, body: value as Json }))
  try {
    if (path === '/__simulator/tasks' && method === 'POST') {
      reply(201, core.createTask(body() as TaskScript))
      return
    }
    if (path === '/__simulator/tasks' && method === 'GET') {
      reply(200, { tasks: core.taskIds().map((id) => core.info(id)) })
      return
    }
    const taskMatch = /^\/__simulator\/tasks\/([^/]+)$/.exec(path)
    if (taskMatch !== null && method === 'GET') {
      const info = core.info(decode(taskMatch[1] ?? ''))
      if (info === undefined) core.send(res, controlError(404, 'No such task'))
      else reply(200, info)
      return
    }
    if (path === '/__simulator/stats' && method === 'GET') {
      reply(200, core.stats())
      return
    }
    if (path === '/__simulator/billing' && method === 'GET') {
      reply(200, core.billing())
      return
    }
    if (path === '/__simulator/faults' && method === 'POST') {
      const value = body()
      reply(200, { faults: core.setFaults(value === undefined ? null : value) })
      return
    }
    if (path === '/__simulator/clock' && method === 'POST') {
      const value = body()
      const advanceMs =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>).advanceMs
          : undefined
      reply(200, { now: core.advance(advanceMs as number) })
      return
    }
    core.send(res, controlError(404, `No control route for ${method} ${path}`))
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    core.send(res, controlError(400, error.message))
  }
}
