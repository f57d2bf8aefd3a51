import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliIO } from '../../src/cli/common.js'
import { run } from '../../src/cli/main.js'
import {
  BUILT_IN_PROVIDER_IDS,
  BUILT_IN_PROVIDERS,
  type BuiltInProviderId,
} from '../../src/providers/registry.js'
import { type Simulator, startSimulator } from '../../src/simulator/index.js'
import { HostileServer } from '../reliability/hostile-server.js'
import { idleClock } from '../support/idle-clock.js'

/*
 * The `video-tasks` bin as users run it: src/cli/index.ts bundled on the fly like tsup bundles
 * dist/cli.js (dependencies external), run with plain `node` in a child process against a
 * simulator in this process.
 *
 * The simulator's clock is driven by its request count: each read moves it one STEP, so what the
 * n-th read sees (and so how many reads a wait takes) is fixed, however fast the child polls.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Recognisable, so the tests can check it never appears in any output. */
const KEY = 'sk-cli-test-7d1c55e0-DO-NOT-PRINT'
const STEP_MS = 1_000
/** Read 1 queued, reads 2-4 running, read 5 final (5 s > 1.5 s + 3 s). */
const SCRIPT = { queuedMs: 1_500, runningMs: 3_000 }
const READS = 5
/** Fast polling for a local server. */
const FAST = ['--interval', '10', '--max-interval', '20']

let cli: string
let bundleDir: string
let sim: Simulator
const base = Date.UTC(2025, 5, 1)

beforeAll(async () => {
  const output = await build({
    entryPoints: [join(ROOT, 'src/cli/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    packages: 'external',
    outfile: 'cli.mjs',
  })
  // Inside node_modules (ignored by git) so the external packages resolve from the bundle.
  await mkdir(join(ROOT, 'node_modules/.cache'), { recursive: true })
  bundleDir = await mkdtemp(join(ROOT, 'node_modules/.cache/video-tasks-cli-'))
  cli = join(bundleDir, 'cli.mjs')
  await writeFile(cli, output.outputFiles[0]?.text ?? '')
  sim = await startSimulator({
    apiKey: KEY,
    now: () => base + (sim?.totalRequests() ?? 0) * STEP_MS,
  })
})

afterAll(async () => {
  await sim?.close()
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true })
})

interface Result {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** The environment of a child: no colour overrides and no key unless given. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'VIDEO_TASKS_API_KEY']) {
    if (!(name in extra)) delete env[name]
  }
  return env
}

function start(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [cli, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Collects a child's output until it exits; `onStdout` sees the output so far. */
function finish(child: ChildProcess, onStdout?: (stdout: string) => void): Promise<Result> {
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    onStdout?.(stdout)
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

/** Runs the CLI to its end, and checks that the key appears nowhere in what it printed. */
async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  const result = await finish(start(args, env))
  expect(result.stdout + result.stderr).not.toContain(KEY)
  return result
}

/** Runs the CLI in this process, with streams that record, and the same check on the key. */
async function runHere(
  args: readonly string[],
  env: Record<string, string> = {},
  seams: Pick<CliIO, 'clock' | 'transport'> = {},
): Promise<Result> {
  const stdout: string[] = []
  const stderr: string[] = []
  const io: CliIO = {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
    env,
    onSignal: () => () => {},
    ...seams,
  }
  const code = await run(args, io)
  const result = { code, signal: null, stdout: stdout.join(''), stderr: stderr.join('') }
  expect(result.stdout + result.stderr).not.toContain(KEY)
  return result
}

const withKey = { VIDEO_TASKS_API_KEY: KEY }
const api = (provider: string) => ['--provider', provider, '--base-url', sim.baseURL]

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

describe('video-tasks wait', () => {
  it('exits 0 on success, with one JSON line per read and the outcome last', async () => {
    const task = sim.createTask({ provider: 'openai', dialect: 'gateway', ...SCRIPT })
    const result = await runCli(['wait', task.id, ...api('openai'), ...FAST], withKey)
    expect(result.code).toBe(0)
    const lines = jsonLines(result.stdout)
    expect(lines.map((line) => line.type)).toEqual([...Array(READS).fill('update'), 'outcome'])
    expect(lines.map((line) => line.status)).toEqual([
      'queued',
      'running',
      'running',
      'running',
      'succeeded',
      'succeeded',
    ])
    expect(lines.slice(0, READS).map((line) => line.reads)).toEqual([1, 2, 3, 4, 5])
    expect(lines.at(-1)).toMatchObject({
      type: 'outcome',
      outcome: 'succeeded',
      exitCode: 0,
      taskId: task.id,
      provider: 'openai',
      videoUrl: task.videoUrl,
      error: null,
      reads: READS,
    })
    expect(sim.requests(task.id)).toBe(READS)
  })

  it.each([
    ['failed', 2, 'check-result', 'documented'],
    ['cancelled', 3, 'generic-task', 'envelope'],
  ] as const)('exits with the code of a %s task (%i)', async (outcome, code, provider, dialect) => {
    const task = sim.createTask({
      provider,
      dialect,
      outcome,
      failureReason: 'Rejected by the filter',
      ...SCRIPT,
    })
    const result = await runCli(['wait', task.id, ...api(provider), ...FAST, '--json'], withKey)
    expect(result.code).toBe(code)
    const last = jsonLines(result.stdout).at(-1)
    expect(last).toMatchObject({
      type: 'outcome',
      outcome,
      exitCode: code,
      status: outcome,
      reads: READS,
    })
    if (outcome === 'failed') {
      expect(last?.error).toMatchObject({
        name: 'TaskFailedError',
        message: 'Rejected by the filter',
      })
    }
  })

  it('exits 4 when --timeout passes first', async () => {
    const task = sim.createTask({ provider: 'doubao', queuedMs: 1e12, runningMs: 1_000 })
    // On a virtual clock that moves only between requests (test/support/idle-clock.ts): with
    // the default backoff (x1.5, jitter up to -10%) from 200 ms, reads happen at 0, 180-200,
    // 450-500 and 855-950 ms and the fifth not before 1460 ms, so a 1.2 s deadline ends the
    // wait after exactly four reads, however busy the machine.
    const result = await runHere(
      ['wait', task.id, ...api('doubao'), '--interval', '200', '--timeout', '1.2s'],
      withKey,
      idleClock(),
    )
    expect(result.code).toBe(4)
    const lines = jsonLines(result.stdout)
    expect(lines.at(-1)).toMatchObject({
      outcome: 'timeout',
      exitCode: 4,
      status: 'queued',
      reads: 4,
      elapsedMs: 1_200,
      error: { name: 'WaitTimeoutError', cause: null },
    })
    expect(lines.filter((line) => line.type === 'update')).toHaveLength(4)
    expect(sim.requests(task.id)).toBe(4)
    expect(result.stderr).toMatch(/timeout: timed out after 1200 ms \(last status queued 10%\)$/m)
  })

  it('a timeout prints its cause: the reads kept failing with ECONNREFUSED', async () => {
    // A port nobody listens on: every request is refused.
    const closed = await new HostileServer(() => {}).start()
    const url = closed.url
    await closed.close()
    const result = await runHere(
      ['wait', 'task_refused', '--provider', 'doubao', '--base-url', url, '--timeout', '30s'],
      withKey,
      idleClock(),
    )
    expect(result.code).toBe(4)
    const outcome = jsonLines(result.stdout).at(-1)
    expect(outcome).toMatchObject({
      outcome: 'timeout',
      error: {
        name: 'WaitTimeoutError',
        cause: { name: 'ConnectionError', reason: 'ECONNREFUSED' },
      },
    })
    // The bar (plain lines off a terminal) says why it is retrying, then why it timed out.
    expect(result.stderr).toMatch(/retrying: ECONNREFUSED \(attempt 1, next in \d+ m?s\)/)
    expect(result.stderr).toMatch(
      /retrying: ECONNREFUSED \(1 failed read in a row, next in \d+ s\)/,
    )
    expect(result.stderr).toMatch(
      /timed out after 30000 ms \(no read answered; last failure: ECONNREFUSED/,
    )
  })

  it('shows "429, retry in 4 s" when the server asks to wait', async () => {
    const task = sim.createTask({
      provider: 'openai',
      dialect: 'gateway',
      ...SCRIPT,
      faults: [{ kind: 'rate-limit', retryAfterMs: 4_000, times: 1 }],
    })
    const result = await runHere(['wait', task.id, ...api('openai'), ...FAST], withKey, idleClock())
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('429, retry in 4 s')
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ outcome: 'succeeded' })
  })

  it('exits 1 on another error: a wrong key is a 401, and neither key is printed', async () => {
    const task = sim.createTask({ provider: 'openai', ...SCRIPT })
    const wrong = 'sk-wrong-key-0bd6e2f4-NOT-PRINTED'
    const result = await runCli(['wait', task.id, ...api('openai'), ...FAST], {
      VIDEO_TASKS_API_KEY: wrong,
    })
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).not.toContain(wrong)
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({
      outcome: 'error',
      exitCode: 1,
      error: { name: 'AuthenticationError', status: 401 },
      // Counted by the CLI even though the read brought no task.
      reads: 1,
    })
    expect(sim.requests(task.id)).toBe(1)
  })

  it('reads the key from the variable --api-key-env names', async () => {
    const task = sim.createTask({ provider: 'generic-task', dialect: 'minimax', ...SCRIPT })
    const result = await runCli(
      ['wait', task.id, ...api('generic-task'), ...FAST, '--api-key-env', 'MY_VENDOR_KEY'],
      { MY_VENDOR_KEY: KEY },
    )
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({
      outcome: 'succeeded',
      videoUrl: null,
      details: { fileId: expect.stringMatching(/^\d+$/) },
    })
  })

  it('stops cleanly on Ctrl-C (SIGINT) with exit code 130 and an outcome line', async () => {
    const task = sim.createTask({ provider: 'doubao', queuedMs: 1e12, runningMs: 1_000 })
    const child = start(['wait', task.id, ...api('doubao'), '--interval', '50'], withKey)
    let sent = false
    const result = await finish(child, (stdout) => {
      // After the first read, so the signal lands while the wait is running.
      if (!sent && stdout.includes('\n')) {
        sent = true
        child.kill('SIGINT')
      }
    })
    expect(result.signal).toBeNull()
    expect(result.code).toBe(130)
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ outcome: 'aborted', exitCode: 130 })
  })
})

describe('video-tasks get', () => {
  it('prints one read as JSON and exits 0, whatever the status', async () => {
    const task = sim.createTask({ provider: 'doubao', dialect: 'gateway-upper', ...SCRIPT })
    const result = await runCli(['get', task.id, ...api('doubao')], withKey)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      id: task.id,
      provider: 'doubao',
      status: 'queued',
      vendorStatus: 'QUEUED',
      progress: 10,
      raw: { code: 'success' },
    })
    expect(sim.requests(task.id)).toBe(1)
  })

  it('says on stderr why it retries; stdout stays the JSON of the task', async () => {
    const task = sim.createTask({
      provider: 'doubao',
      dialect: 'gateway-upper',
      ...SCRIPT,
      faults: [{ kind: 'server-error', status: 503, times: 1 }],
    })
    const result = await runHere(['get', task.id, ...api('doubao')], withKey, idleClock())
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(
      /^video-tasks get: retrying: 503 \(attempt 1, next in \d+ m?s\)\n$/,
    )
    expect(JSON.parse(result.stdout)).toMatchObject({ id: task.id, provider: 'doubao' })
    expect(sim.requests(task.id)).toBe(2)
  })

  it('exits 1 with the error on stderr for an unknown task', async () => {
    const result = await runCli(['get', 'video_missing', ...api('openai')], withKey)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^video-tasks get: TaskNotFoundError: /)
  })
})

/*
 * Usage errors and help end before any request. The bin is checked for a few; the rest run in
 * this process (the same `run` the bin calls), which is much faster than a child each.
 */
describe('usage errors, help and version', () => {
  it('the bin exits 64 on a usage error, with the hint on stderr and nothing on stdout', async () => {
    const result = await runCli(['wait', 'task_1', '--base-url', 'http://127.0.0.1:9'], withKey)
    expect(result.code).toBe(64)
    expect(result.stderr).toBe(
      `video-tasks wait: Missing --provider (${BUILT_IN_PROVIDER_IDS.join(', ')})\nRun 'video-tasks wait --help' for usage.\n`,
    )
    expect(result.stdout).toBe('')
  })

  it('the bin prints the help and the package version', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: video-tasks <command>')
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string
    }
    const result = await runCli(['--version'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${version}\n`)
  })

  it.each([
    [['wait'], /Missing <taskId>/],
    [['wait', 'task_1', '--base-url', 'http://127.0.0.1:9'], /Missing --provider/],
    [
      ['wait', 'task_1', '--provider', 'sora', '--base-url', 'http://127.0.0.1:9'],
      /Unknown --provider "sora"/,
    ],
    [['wait', 'task_1', '--provider', 'openai'], /Missing --base-url/],
    [
      ['wait', 'task_1', '--provider', 'openai', '--base-url', 'ftp://x'],
      /--base-url to use http or https/,
    ],
    [
      ['wait', 'task_1', '--provider', 'openai', '--base-url', 'http://x', '--timeout', 'soon'],
      /--timeout takes/,
    ],
    [
      ['wait', 'task_1', '--provider', 'openai', '--base-url', 'http://x', '--bogus'],
      /Unknown option '--bogus'/,
    ],
  ])('exits 64 on a usage error: %j', async (args, message) => {
    const result = await runHere(args, withKey)
    expect(result.code).toBe(64)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).toContain(`Run 'video-tasks wait --help' for usage.`)
    expect(result.stdout).toBe('')
  })

  it('exits 64 without the key variable, naming the variable', async () => {
    const result = await runHere([
      'wait',
      'task_1',
      '--provider',
      'doubao',
      '--base-url',
      'http://x',
    ])
    expect(result.code).toBe(64)
    expect(result.stderr).toContain('Set VIDEO_TASKS_API_KEY to the API key')
  })

  it('has no key flag, and does not echo a key given as one', async () => {
    for (const flag of [`--api-key=${KEY}`, '--api-key']) {
      const args = ['wait', 'task_1', '--provider', 'openai', '--base-url', 'http://x', flag]
      const result = await runHere(flag.includes('=') ? args : [...args, KEY])
      expect(result.code).toBe(64)
      expect(result.stderr).toContain('There is no --api-key flag')
    }
  })

  it('exits 64 on a bad port', async () => {
    const result = await runHere(['simulate', '--port', '70000'])
    expect(result.code).toBe(64)
    expect(result.stderr).toContain('--port takes 0-65535')
  })

  it.each([
    [[], 64, 'stderr', 'Usage: video-tasks <command>'],
    [['--help'], 0, 'stdout', 'Usage: video-tasks <command>'],
    [['wait', '--help'], 0, 'stdout', 'Usage: video-tasks wait <taskId>'],
    [['help', 'get'], 0, 'stdout', 'Usage: video-tasks get <taskId>'],
    [['simulate', '-h'], 0, 'stdout', 'Usage: video-tasks simulate'],
    [['demo', '--help'], 0, 'stdout', 'Usage: video-tasks demo'],
    [['launch'], 64, 'stderr', 'unknown command "launch"'],
  ] as const)('%j exits %i with %s', async (args, code, stream, text) => {
    const result = await runHere(args)
    expect(result.code).toBe(code)
    expect(result[stream]).toContain(text)
  })

  it('documents every exit code in wait --help', async () => {
    const { stdout } = await runHere(['wait', '--help'])
    for (const code of ['0 ', '1 ', '2 ', '3 ', '4 ', '64 ', '130 '])
      expect(stdout).toContain(`\n  ${code}`)
  })
})

describe('video-tasks simulate', () => {
  it('prints a working URL and key, serves tasks, and exits 0 on SIGTERM', async () => {
    const child = start(['simulate', '--time-scale', '1000'])
    let resolveBanner!: (stdout: string) => void
    const banner = new Promise<string>((resolve) => {
      resolveBanner = resolve
    })
    const done = finish(child, (stdout) => {
      if (stdout.includes('Press Ctrl-C to stop.')) resolveBanner(stdout)
    })
    const text = await banner
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1]
    const key = /API key: (\S+)/.exec(text)?.[1]
    expect(url).toBeDefined()
    expect(text).toContain(`curl -s ${url}/__simulator/tasks -H 'authorization: Bearer ${key}'`)
    // The printed recipe works: create a task through the control endpoint, then read it. Queued
    // for ever, so what the read sees does not depend on how fast the machine is.
    const created = await fetch(`${url}/__simulator/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: 'openai',
        dialect: 'gateway',
        id: 'task_cli_1',
        queuedMs: 1e12,
      }),
    })
    expect(created.status).toBe(201)
    const read = await fetch(`${url}/v1/videos/task_cli_1`, {
      headers: { authorization: `Bearer ${key}` },
    })
    expect(await read.json()).toMatchObject({ id: 'task_cli_1', status: 'pending' })

    // The printed wait runs as printed (npx video-tasks is this CLI; fast polling appended).
    const command = /^ {2}(VIDEO_TASKS_API_KEY=\S+) npx video-tasks (wait .+)$/m.exec(text)
    expect(command).not.toBeNull()
    const [variable, value] = (command?.[1] ?? '').split('=')
    const waited = await runCli([...(command?.[2] ?? '').split(' '), ...FAST], {
      [variable ?? '']: value ?? '',
    })
    expect(waited.code).toBe(0)
    expect(jsonLines(waited.stdout).at(-1)).toMatchObject({ outcome: 'succeeded' })

    child.kill('SIGTERM')
    const result = await done
    expect(result.signal).toBeNull()
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Simulator stopped after \d+ requests?\./)
  })
})

/*
 * Every provider of the registry through the CLI (in process): `--provider <id>` waits for a task
 * in its simulator's default dialect, and the key is required exactly where the entry says.
 */
describe.each(BUILT_IN_PROVIDERS.map((entry) => [entry.id, entry] as const))(
  'video-tasks wait --provider %s',
  (id, entry) => {
    const provider = id as BuiltInProviderId
    it('waits for a task in the default dialect and prints its outcome', async () => {
      const task = sim.createTask({ provider, ...SCRIPT })
      const result = await runHere(['wait', task.id, ...api(provider), ...FAST, '--json'], withKey)
      expect(result.code).toBe(0)
      expect(jsonLines(result.stdout).at(-1)).toMatchObject({
        type: 'outcome',
        outcome: 'succeeded',
        taskId: task.id,
        provider: id,
        reads: READS,
      })
    })

    it(`${entry.keyRequired ? 'refuses to run' : 'runs'} without a key`, async () => {
      const task = sim.createTask({ provider, ...SCRIPT })
      const result = await runHere(['wait', task.id, ...api(provider), ...FAST, '--json'], {})
      if (entry.keyRequired) {
        expect(result.code).toBe(64)
        expect(result.stderr).toContain('Set VIDEO_TASKS_API_KEY to the API key')
        expect(sim.requests(task.id)).toBe(0)
      } else {
        // The simulator wants its key, so the read is refused: what matters is that one was sent.
        expect(result.code).not.toBe(64)
        expect(sim.requests(task.id)).toBeGreaterThan(0)
      }
    })
  },
)

describe('video-tasks wait on a terminal (in process, with TTY-like streams)', () => {
  /** A terminal 100 columns wide; stdout and stderr recorded apart. */
  function terminal(
    env: Record<string, string> = {},
    tty: { stdout: boolean; stderr: boolean } = { stdout: true, stderr: true },
  ) {
    const out: string[] = []
    const err: string[] = []
    const io: CliIO = {
      stdout: { isTTY: tty.stdout, columns: 100, write: (text: string) => out.push(text) },
      stderr: { isTTY: tty.stderr, columns: 100, write: (text: string) => err.push(text) },
      env: { VIDEO_TASKS_API_KEY: KEY, TERM: 'xterm-256color', NO_COLOR: '1', ...env },
      onSignal: () => () => {},
    }
    return { io, stdout: () => out.join(''), stderr: () => err.join('') }
  }

  it('draws a progress bar in place on stderr and ends with the video URL on stdout', async () => {
    const task = sim.createTask({ provider: 'openai', dialect: 'official', ...SCRIPT })
    const { io, stdout, stderr } = terminal()
    const code = await run(['wait', task.id, ...api('openai'), ...FAST], io)
    expect(code).toBe(0)
    const bar = stderr()
    expect(bar + stdout()).not.toContain(KEY)
    expect(bar.startsWith('\u001b[?25l')).toBe(true)
    expect(bar).toContain('\u001b[1A\r\u001b[2K')
    expect(bar).toContain('\u001b[?25h')
    expect(bar).toMatch(/✔ openai +video_\w+…? +█{20} 100% +succeeded/)
    expect(stdout()).not.toContain('\u001b')
    expect(stdout()).toContain(`video: ${task.contentUrl} (with the API key)`)
    expect(stdout()).toMatch(/succeeded after [\d.]+m?s and 5 reads/)
  })

  it('piped into jq: stdout is JSON lines, stderr still shows the live bar', async () => {
    const task = sim.createTask({ provider: 'openai', dialect: 'gateway', ...SCRIPT })
    const { io, stdout, stderr } = terminal({}, { stdout: false, stderr: true })
    const code = await run(['wait', task.id, ...api('openai'), ...FAST], io)
    expect(code).toBe(0)
    const lines = jsonLines(stdout())
    expect(lines.map((line) => line.type)).toEqual([...Array(READS).fill('update'), 'outcome'])
    expect(lines.at(-1)).toMatchObject({ outcome: 'succeeded', videoUrl: task.videoUrl })
    expect(stderr()).toContain('\u001b[?25l')
    expect(stderr()).toMatch(/✔ openai +task_\w+…? +█{20} 100% +succeeded/)
  })

  it.each([
    ['--json', ['--json'], {}],
    ['TERM=dumb', [], { TERM: 'dumb' }],
  ])('prints JSON lines on stdout and plain lines on stderr with %s', async (_name, flags, env) => {
    const task = sim.createTask({ provider: 'check-result', ...SCRIPT })
    const { io, stdout, stderr } = terminal(env)
    const code = await run(['wait', task.id, ...api('check-result'), ...FAST, ...flags], io)
    expect(code).toBe(0)
    expect(stdout() + stderr()).not.toContain('\u001b')
    expect(jsonLines(stdout()).map((line) => line.type)).toEqual([
      ...Array(READS).fill('update'),
      'outcome',
    ])
    expect(stderr()).toMatch(/succeeded: https?:\/\//)
  })
})
