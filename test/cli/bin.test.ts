import { spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

/*
 * The `video-tasks` bin (package.json `bin`: bin/video-tasks.js) in the layouts it meets: a
 * fresh clone after `npm ci` (sources and tsx, no dist/), the published package (dist/ only),
 * and a broken copy (neither). Each layout is a temporary directory holding a copy of the shim;
 * the clone's src/ and node_modules are links to this repository's.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const dirs: string[] = []

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function layout(parts: { src?: boolean; dist?: string }): Promise<string> {
  // Inside node_modules/.cache so that nothing lands in the working tree.
  await mkdir(join(ROOT, 'node_modules/.cache'), { recursive: true })
  const dir = await mkdtemp(join(ROOT, 'node_modules/.cache/video-tasks-bin-'))
  dirs.push(dir)
  await mkdir(join(dir, 'bin'))
  await cp(join(ROOT, 'bin/video-tasks.js'), join(dir, 'bin/video-tasks.js'))
  await writeFile(join(dir, 'package.json'), await readFile(join(ROOT, 'package.json')))
  if (parts.src) {
    await symlink(join(ROOT, 'src'), join(dir, 'src'), 'dir')
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  }
  if (parts.dist !== undefined) {
    await mkdir(join(dir, 'dist'))
    await writeFile(join(dir, 'dist/cli.js'), parts.dist)
  }
  return dir
}

function runBin(dir: string, args: readonly string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(dir, 'bin/video-tasks.js'), ...args], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('the video-tasks bin', () => {
  it('runs from the sources in a clone with no build (npx video-tasks after npm ci)', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string
    }
    const dir = await layout({ src: true })
    const result = await runBin(dir, ['--version'])
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe(`${version}\n`)
    expect(result.code).toBe(0)
  }, 60_000)

  it('runs dist/cli.js when there is one (the published package), with the arguments', async () => {
    const dir = await layout({
      dist: 'console.log(JSON.stringify(process.argv.slice(2)))\n',
    })
    const result = await runBin(dir, ['wait', 'task_1', '--json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(['wait', 'task_1', '--json'])
  })

  it('says what is wrong, without a stack trace, in a copy with neither', async () => {
    const dir = await layout({})
    const result = await runBin(dir, ['--version'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'video-tasks: dist/cli.js is missing: this copy of the package is incomplete. Reinstall it.\n',
    )
  })

  it('is what package.json names as the bin, and is published', async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>
      files: string[]
    }
    expect(manifest.bin).toEqual({ 'video-tasks': 'bin/video-tasks.js' })
    expect(manifest.files).toContain('bin')
  })
})
