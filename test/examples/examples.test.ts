/**
 * Runs every example in examples/ as a user would (`npx tsx examples/<name>.ts`, no arguments:
 * each starts `video-tasks/simulator` itself and runs offline), in a child process, and checks
 * that it exits 0 with its key lines. `video-tasks` resolves to src/ through tsconfig `paths`,
 * so no build is needed.
 */
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

// At most three at a time: more only slows each one down on a small machine.
let running = 0
const queue: (() => void)[] = []
async function runExample(name: string): Promise<Run> {
  if (running >= 3) await new Promise<void>((resolve) => queue.push(resolve))
  running += 1
  try {
    return await spawnExample(name)
  } finally {
    running -= 1
    queue.shift()?.()
  }
}

function spawnExample(name: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}`], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

const URL_ = String.raw`http://127\.0\.0\.1:\d+`

/**
 * What each example must print (each pattern somewhere in stdout). Only what does not depend on
 * timing: on a loaded machine a task may be past `queued` by the first read.
 */
const EXPECTED: Record<string, RegExp[]> = {
  'openai.ts': [
    /status: \w+ -> succeeded \(completed\)/,
    /progress: 100%/,
    new RegExp(
      `video \\(GET with Authorization: Bearer <key>\\): ${URL_}/v1/videos/video_\\w+/content`,
    ),
    /model: sora-2, \d+x\d+, \d+ s/,
  ],
  'doubao.ts': [/SUCCESS +succeeded +100%/, new RegExp(`video: ${URL_}/files/cgt-[\\w-]+\\.mp4`)],
  'generic-task.ts': [
    /: done \(succeeded\)/,
    /: Success \(succeeded\)/,
    new RegExp(`fileId -, video: ${URL_}/files/\\d+\\.mp4`),
    new RegExp(`fileId \\d+, video: ${URL_}/files/\\d+\\.mp4`),
  ],
  'check-result.ts': [/succeeded 100%/, new RegExp(`videos: ${URL_}/files/task_\\w+\\.mp4`)],
  'abort-and-timeout.ts': [
    /timeout: after \d+ ms and \d+ reads, still (queued|no answer)/,
    /abort: rejected with our reason \(true\) after \d+ ms/,
    /signal timeout: TimeoutError/,
  ],
  'many-tasks.ts': [
    /waitForAll: 8 videos in/,
    /requests: \d+ over 8 waits/,
    /waitForAny: cgt-[\w-]+ first \(2 of 3\)/,
    /task 1: succeeded/,
    /task 2: failed \(Video generation failed/,
    /task 3: succeeded/,
  ],
  'typed-callbacks.ts': [
    /\[succeeded\] 100%, model sora-2/,
    /\[failed\] Video generation failed: content policy violation \(code \w+\)/,
    /done: http/,
    /failed: Video generation failed/,
  ],
  'resume-after-restart.ts': [
    /stopped after 3 reads; state saved to/,
    /second process: resuming \d+ after 3 reads/,
    new RegExp(`done: ${URL_}/files/\\d+\\.mp4`),
  ],
}

describe('examples/', () => {
  const files = readdirSync(`${root}examples`).filter(
    (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
  )

  it('every runnable example is checked here', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  // Concurrently: each spends most of its time waiting on the simulator, not on the CPU.
  describe.concurrent('run offline against the simulator', () => {
    for (const [name, patterns] of Object.entries(EXPECTED)) {
      it(name, { timeout: 120_000 }, async () => {
        const run = await runExample(name)
        const context = `--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`
        expect(run.code, context).toBe(0)
        for (const pattern of patterns) expect(run.stdout, context).toMatch(pattern)
        expect(run.stderr.trim(), context).toBe('')
      })
    }
  })
})
