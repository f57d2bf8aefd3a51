import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.js'

/** A `redis-server` child on 127.0.0.1, without persistence, in a temporary directory. */
export interface RedisServer {
  readonly host: '127.0.0.1'
  readonly port: number
  /** Stops the server and removes its directory. */
  stop(): Promise<void>
}

/** Whether `redis-server` is on the PATH (`.ci/run` installs it when missing). */
export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Starts `redis-server` on a free port; resolves once it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  let lastError: unknown
  // The port is free when picked but may be taken before redis binds it: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    const dir = mkdtempSync(join(tmpdir(), 'video-tasks-redis-'))
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        // BullMQ needs its keys kept: never evict.
        '--maxmemory-policy',
        'noeviction',
        '--loglevel',
        'notice',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    try {
      await waitForReady(child, port)
      return {
        host: '127.0.0.1',
        port,
        stop: async () => {
          await stopChild(child)
          rmSync(dir, { recursive: true, force: true })
        },
      }
    } catch (error) {
      lastError = error
      await stopChild(child)
      rmSync(dir, { recursive: true, force: true })
    }
  }
  throw lastError
}

function waitForReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(
      () => reject(new Error(`redis-server not ready on ${port}: ${output}`)),
      10_000,
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}: ${output}`))
    })
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
