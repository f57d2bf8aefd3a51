import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/*
 * Child processes of the benchmarks, talking JSON over Node's IPC channel. A child can be pinned
 * to one CPU with `taskset` (Linux), so the simulator and a load generator each own a core and
 * never share one unseen.
 */

let tasksetChecked
/** Whether `taskset` can pin processes here (Linux with util-linux). */
export function canPin() {
  if (tasksetChecked === undefined) {
    const probe = spawnSync('taskset', ['-c', '0', process.execPath, '-e', ''], { stdio: 'ignore' })
    tasksetChecked = probe.status === 0
  }
  return tasksetChecked
}

/** The absolute path of a file next to the bench scripts. */
export function benchFile(name) {
  return fileURLToPath(new URL(`../${name}`, import.meta.url))
}

/**
 * Starts `node [execArgv] script [args]` with an IPC channel. `cpu` pins it to one CPU when
 * `taskset` is available. Returns helpers to await a message of a type, send one, and stop it.
 */
export function startChild(script, args = [], options = {}) {
  const nodeArgs = [...(options.execArgv ?? []), script, ...args]
  const pin = options.cpu !== undefined && canPin()
  const command = pin ? 'taskset' : process.execPath
  const commandArgs = pin ? ['-c', String(options.cpu), process.execPath, ...nodeArgs] : nodeArgs
  const child = spawn(command, commandArgs, {
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, ...options.env },
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const queue = []
  const waiting = []
  let exited = null
  child.on('message', (message) => {
    const index = waiting.findIndex((entry) => entry.type === message.type)
    if (index >= 0) waiting.splice(index, 1)[0].resolve(message)
    else queue.push(message)
  })
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal }
      for (const entry of waiting.splice(0)) {
        entry.reject(
          new Error(
            `${script} exited (${signal ?? code}) before sending "${entry.type}"\n${stderr}`,
          ),
        )
      }
      resolve(exited)
    })
  })
  return {
    child,
    pinned: pin,
    /** Resolves with the next message of `type` (queued or future). */
    next(type, timeoutMs = 120_000) {
      const index = queue.findIndex((message) => message.type === type)
      if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0])
      if (exited) {
        return Promise.reject(new Error(`${script} exited before sending "${type}"\n${stderr}`))
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`${script} sent no "${type}" within ${timeoutMs} ms\n${stderr}`))
        }, timeoutMs)
        waiting.push({
          type,
          resolve: (message) => {
            clearTimeout(timer)
            resolve(message)
          },
          reject: (error) => {
            clearTimeout(timer)
            reject(error)
          },
        })
      })
    },
    send(message) {
      child.send(message)
    },
    /** Waits for the child to exit; a non-zero exit rejects with its stderr. */
    async done() {
      const { code, signal } = await exit
      if (code !== 0) throw new Error(`${script} failed (${signal ?? code})\n${stderr}`)
    },
    /** Ends the child (SIGTERM) and waits for it. */
    async stop() {
      if (!exited) child.kill('SIGTERM')
      await exit
    },
  }
}

/** Runs a child that sends one `{ type: 'result', ... }` message and exits; resolves with it. */
export async function runChild(script, args = [], options = {}) {
  const handle = startChild(script, args, options)
  try {
    const result = await handle.next('result', options.timeoutMs)
    await handle.done()
    return result
  } finally {
    await handle.stop()
  }
}
