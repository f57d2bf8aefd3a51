/**
 * `video-tasks generate` in this process against the simulator: the ref on stderr before the
 * result on stdout, input refused before anything is sent (exit 64), a lost create answer
 * reported as "may have been created" without a second POST, and the key printed nowhere.
 * `--download`: the file written with byte progress on stderr, a bad path refused before the
 * create, a failed download pointing at `video-tasks download` (not a second generate).
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CliIO } from '../../src/cli/common.js'
import { run } from '../../src/cli/main.js'
import { type Simulator, simulatedBody, startSimulator } from '../../src/simulator/index.js'
import type { TaskScript } from '../../src/simulator/types.js'
import { parseTaskRef } from '../../src/task-ref.js'

const KEY = 'sk-cli-generate-5b0e-DO-NOT-PRINT'
const env = { VIDEO_TASKS_API_KEY: KEY }
let sim: Simulator
let directory: string
const base = Date.UTC(2026, 0, 1)

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'video-tasks-generate-'))
})
afterAll(async () => {
  await rm(directory, { recursive: true, force: true })
})
afterEach(async () => {
  await sim?.close()
})

async function simulator(download?: TaskScript['download']) {
  // Each request moves the simulator's clock a second: tasks finish after a fixed read count.
  sim = await startSimulator({
    apiKey: KEY,
    now: () => base + (sim?.totalRequests() ?? 0) * 1_000,
    createScript: { queuedMs: 1_500, runningMs: 1_000, ...(download ? { download } : {}) },
  })
  return sim
}

/** Runs the CLI with streams that record, in one log so the order of writes shows. */
async function generate(
  args: readonly string[],
  options: { terminal?: boolean; interruptWhen?: RegExp } = {},
) {
  const log: { stream: 'stdout' | 'stderr'; text: string }[] = []
  let interrupt: ((signal: 'SIGINT' | 'SIGTERM') => void) | undefined
  const io: CliIO = {
    stdout: {
      isTTY: options.terminal === true,
      write: (text: string) => log.push({ stream: 'stdout', text }),
    },
    stderr: {
      write: (text: string) => {
        log.push({ stream: 'stderr', text })
        // Ctrl-C the moment stderr shows this (a signal arrives between two writes).
        if (options.interruptWhen?.test(text)) interrupt?.('SIGINT')
      },
    },
    env: options.terminal ? { ...env, TERM: 'xterm-256color', NO_COLOR: '1' } : env,
    onSignal: (handler) => {
      interrupt = handler
      return () => {
        interrupt = undefined
      }
    },
  }
  const code = await run(['generate', ...args], io)
  const text = (stream: string) =>
    log
      .filter((entry) => entry.stream === stream)
      .map((entry) => entry.text)
      .join('')
  const all = log.map((entry) => entry.text).join('')
  expect(all).not.toContain(KEY)
  return { code, log, stdout: text('stdout'), stderr: text('stderr') }
}

const api = (provider: string) => ['--provider', provider, '--base-url', sim.baseURL]

describe('video-tasks generate', () => {
  it('creates, prints the ref on stderr first, then the result on stdout', async () => {
    await simulator()
    const result = await generate([
      ...api('openai'),
      '--prompt',
      'A red fox in snow',
      '--duration',
      '8',
      '--size',
      '1280x720',
      '--interval',
      '5',
      '--json',
    ])
    expect(result.code).toBe(0)
    expect(result.log[0]?.stream).toBe('stderr')
    const submitted = JSON.parse(result.stderr.trim()) as { type: string; ref: unknown }
    expect(submitted.type).toBe('submitted')
    const ref = parseTaskRef(submitted.ref)
    const outcome = JSON.parse(result.stdout.trim())
    expect(outcome).toMatchObject({
      type: 'outcome',
      outcome: 'succeeded',
      exitCode: 0,
      taskId: ref.taskId,
      status: 'succeeded',
      reads: sim.requests(ref.taskId),
    })
    expect(sim.task(ref.taskId)?.script).toMatchObject({ seconds: '8', size: '1280x720' })
    expect(sim.billed()).toBe(1)
  })

  it('sends a file given to --image as bytes (openai: a multipart file part)', async () => {
    await simulator()
    const path = join(directory, 'frame.png')
    await writeFile(path, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]))
    const result = await generate([
      ...api('openai'),
      '--prompt',
      'Animate',
      '--image',
      path,
      '--interval',
      '5',
      '--json',
    ])
    expect(result.code).toBe(0)
    expect(sim.billed()).toBe(1)
  })

  it('refuses bad input with exit 64 before anything is sent', async () => {
    await simulator()
    const cases = [
      ['--prompt', 'a', '--duration', '-3'],
      ['--prompt', 'a', '--size', 'big'],
      ['--prompt', 'a', '--aspect-ratio', '16:9'], // openai cannot express it
      ['--prompt', 'a', '--image', join(directory, 'missing.png')],
      ['--duration', '4'],
    ]
    for (const flags of cases) {
      const result = await generate([...api('openai'), ...flags])
      expect(result.code, flags.join(' ')).toBe(64)
    }
    expect(sim.stats().totalRequests).toBe(0)
  })

  it('a lost create answer: exit 1, "may have been created", and one POST only', async () => {
    await simulator()
    sim.setFaults({ rate: 1, kinds: ['reset'] })
    const result = await generate([...api('doubao'), '--prompt', 'A red fox'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/may have been created/)
    expect(sim.stats().totalRequests).toBe(1)
    expect(sim.billed()).toBe(1)
    const json = await generate([...api('doubao'), '--prompt', 'again', '--json'])
    expect(JSON.parse(json.stdout.trim())).toMatchObject({
      outcome: 'error',
      mayHaveBeenCreated: true,
      ref: null,
    })
  })

  it('--download: the file, byte progress on stderr, stdout only the outcome', async () => {
    await simulator({ bytes: 3_000_000, seed: 7 })
    const dir = await mkdtemp(join(directory, 'download-'))
    const to = join(dir, 'fox.mp4')
    const result = await generate([
      ...api('openai'),
      '--prompt',
      'A red fox in snow',
      '--interval',
      '5',
      '--download',
      to,
    ])
    expect(result.code).toBe(0)
    expect(await sha(to)).toBe(expectedSha(7, 3_000_000))
    expect(await readdir(dir)).toEqual(['fox.mp4'])
    // One JSON line on stdout, nothing else: progress and the ref are stderr's.
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      outcome: 'succeeded',
      exitCode: 0,
      files: [{ path: to, bytes: 3_000_000 }],
      downloadError: null,
    })
    expect(result.stderr).toMatch(/fox\.mp4 \S+ 100% 3\.0 MB \/ 3\.0 MB {2}\S+ (B|kB|MB|GB)\/s/)
    // The progress comes after the ref: a crash mid-download still left the way back.
    const submittedAt = result.stderr.indexOf('"submitted"')
    expect(submittedAt).toBeGreaterThanOrEqual(0)
    expect(submittedAt).toBeLessThan(result.stderr.indexOf('100%'))
    expect(sim.billed()).toBe(1)
  })

  it('--download on a terminal: the summary names the file and its size', async () => {
    await simulator({ bytes: 1_500_000, seed: 8 })
    const dir = await mkdtemp(join(directory, 'download-'))
    const to = join(dir, 'fox.mp4')
    const result = await generate(
      [...api('doubao'), '--prompt', 'A fox', '--interval', '5', '--download', to],
      { terminal: true },
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^succeeded after .+\nvideo: .+\n/)
    expect(result.stdout).toContain(`file: ${to} (1.5 MB)\n`)
    expect(result.stdout).not.toContain('%')
    expect(await sha(to)).toBe(expectedSha(8, 1_500_000))
  })

  it('--download to a folder that does not exist: exit 64 before the create, nothing billed', async () => {
    await simulator()
    for (const to of [join(directory, 'missing', 'out.mp4'), directory, ' ']) {
      const result = await generate([...api('openai'), '--prompt', 'A fox', '--download', to])
      expect(result.code, to).toBe(64)
      expect(result.stderr, to).toMatch(/--download/)
    }
    expect(sim.stats().totalRequests).toBe(0)
    expect(sim.billed()).toBe(0)
  })

  it('a failed download after a paid generation: exit 1, no file, and the download command', async () => {
    // The link expires the moment the video is ready: the download (and its one refresh) fail.
    await simulator({ bytes: 100_000, expiresAfterMs: 0, expiredStatus: 410 })
    const dir = await mkdtemp(join(directory, "it's "))
    const to = join(dir, "fox's clip.mp4")
    const result = await generate([
      ...api('doubao'),
      '--prompt',
      'A fox',
      '--interval',
      '5',
      '--download',
      to,
    ])
    expect(result.code).toBe(1)
    expect(await readdir(dir)).toEqual([])
    expect(sim.billed()).toBe(1)
    const outcome = JSON.parse(result.stdout.trim())
    expect(outcome).toMatchObject({
      outcome: 'succeeded',
      exitCode: 1,
      files: [],
      downloadError: { name: 'DownloadExpiredError' },
    })
    expect(result.stderr).toMatch(/video is ready but its download failed: DownloadExpiredError/)
    expect(result.stderr).toMatch(/generating again would bill a new video/)
    // The printed command, read as a shell would, is `download <the ref> -o <the path>`.
    const command = /\n {2}video-tasks (download .*)\n/.exec(result.stderr)?.[1] ?? ''
    expect(shellWords(command)).toEqual(['download', JSON.stringify(outcome.ref), '-o', to])
  })

  it('Ctrl-C during --download: exit 130, no partial file, and the download command', async () => {
    await simulator({ bytes: 20_000_000 })
    const dir = await mkdtemp(join(directory, 'interrupted-'))
    const to = join(dir, 'fox.mp4')
    const result = await generate(
      [...api('openai'), '--prompt', 'A fox', '--interval', '5', '--download', to],
      { interruptWhen: /fox\.mp4 .* \d+% / },
    )
    expect(result.code).toBe(130)
    expect(await readdir(dir)).toEqual([])
    expect(result.stderr).toMatch(/video is ready but its download was interrupted/)
    expect(result.stderr).toMatch(
      /\n {2}video-tasks download '\{"version":1,.*\}' -o \S+fox\.mp4\n/,
    )
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ outcome: 'succeeded', exitCode: 130 })
    expect(sim.billed()).toBe(1)
  })

  it('is listed in the main help', async () => {
    const log: string[] = []
    await run(['--help'], {
      stdout: { write: (text: string) => log.push(text) },
      stderr: { write: (text: string) => log.push(text) },
      env: {},
      onSignal: () => () => {},
    })
    expect(log.join('')).toMatch(/generate\s+create a task/)
  })
})

const sha = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')

function expectedSha(seed: number, bytes: number): string {
  const hash = createHash('sha256')
  for (const chunk of simulatedBody(seed, bytes)) hash.update(chunk)
  return hash.digest('hex')
}

/** Splits a POSIX shell line of plain and single-quoted words (`'\\''` for a quote). */
function shellWords(line: string): string[] {
  const words: string[] = []
  let word: string | null = null
  for (let index = 0; index < line.length; index++) {
    const char = line[index] ?? ''
    if (char === ' ') {
      if (word !== null) words.push(word)
      word = null
    } else if (char === "'") {
      const end = line.indexOf("'", index + 1)
      if (end < 0) throw new Error(`Unclosed quote in ${line}`)
      word = (word ?? '') + line.slice(index + 1, end)
      index = end
    } else if (char === '\\') {
      word = (word ?? '') + (line[index + 1] ?? '')
      index++
    } else {
      word = (word ?? '') + char
    }
  }
  if (word !== null) words.push(word)
  return words
}
