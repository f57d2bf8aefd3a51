import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/*
 * The house's layers (CONTRIBUTING.md, src/internal/README.md), checked on the source: no import
 * runs back up. Bottom up: the model and private helpers; the errors and the retry policy; the
 * transport, the provider kit and the providers, and the wait engine beside them; the option
 * resolver and downloads; the client joining them; the entry points; the CLI on top. The
 * simulator imports nothing of the SDK.
 */

const source = resolve(import.meta.dirname, '../src')

/** The layer of a source file, by its path under src/ (first match wins). */
const LAYERS: readonly (readonly [RegExp, number, string])[] = [
  [/^model\.ts$/, 0, 'model'],
  [/^model-schemas\.ts$/, 0, 'model'],
  [/^model-statuses\.ts$/, 0, 'model'],
  [/^internal\//, 0, 'internal'],
  [/^errors\.ts$/, 1, 'errors'],
  [/^retry-policy\.ts$/, 1, 'retry-policy'],
  [/^task-ref\.ts$/, 1, 'task-ref'],
  [/^logger\.ts$/, 1, 'logger'],
  [/^options\/check-known-keys\.ts$/, 1, 'options-kit'],
  [/^options\/transport-options\.ts$/, 1, 'options-kit'],
  [/^transport\.ts$/, 2, 'transport'],
  [/^providers\/kit\//, 2, 'providers'],
  [/^providers\//, 2, 'providers'],
  [/^wait\//, 2, 'wait'],
  [/^download\//, 3, 'download'],
  [/^options\//, 3, 'options'],
  [/^client\.ts$/, 4, 'client'],
  [/^client\//, 4, 'client'],
  [/^callbacks?\//, 4, 'client'],
  [/^index\.ts$/, 5, 'index'],
  [/^engine\//, 5, 'engine'],
  [/^queue\//, 5, 'queue'],
  [/^cli\//, 6, 'cli'],
]

/** Pairs of groups on one level that must not know each other. */
const STRANGERS = new Set([
  'providers>transport',
  'providers>wait',
  'transport>providers',
  'transport>wait',
  'wait>providers',
  'wait>transport',
  'index>queue',
  'index>engine',
  'engine>index',
  'queue>index',
])

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name)
    if (entry.isDirectory()) return filesUnder(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Import specifiers of a file, comments stripped so an `import()` in TSDoc is no import. */
function importsOf(file: string): string[] {
  const code = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
  return [
    ...code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g),
    ...code.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] as string)
}

function layerOf(file: string): { rank: number; group: string } | undefined {
  const path = relative(source, file).replaceAll('\\', '/')
  for (const [pattern, rank, group] of LAYERS) if (pattern.test(path)) return { rank, group }
  return undefined
}

function resolveRelative(importer: string, specifier: string): string {
  return resolve(dirname(importer), specifier).replace(/\.js$/, '.ts')
}

const files = filesUnder(source)
const sdkFiles = files.filter((file) => !relative(source, file).startsWith('simulator'))

describe('layers', () => {
  it('every source file has a layer', () => {
    const unplaced = sdkFiles.filter((file) => layerOf(file) === undefined)
    expect(unplaced.map((file) => relative(source, file))).toEqual([])
  })

  it('no import runs back up, and strangers on one level do not meet', () => {
    const violations: string[] = []
    for (const file of sdkFiles) {
      const from = layerOf(file)
      if (from === undefined) continue
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.')) continue
        const target = resolveRelative(file, specifier)
        if (!target.startsWith(source) || target.endsWith('.json')) continue
        if (relative(source, target).startsWith('simulator')) {
          if (from.group !== 'cli') violations.push(`${relative(source, file)} -> simulator`)
          continue
        }
        const to = layerOf(target)
        if (to === undefined || to.group === from.group) continue
        const upward = to.rank > from.rank
        const sideways = to.rank === from.rank && from.rank !== 1
        if (upward || sideways || STRANGERS.has(`${from.group}>${to.group}`)) {
          violations.push(
            `${relative(source, file)} (${from.group}) -> ${relative(source, target)} (${to.group})`,
          )
        }
      }
    }
    expect(violations).toEqual([])
  })

  it('the simulator imports nothing of the SDK', () => {
    const leaks: string[] = []
    for (const file of files.filter((path) => relative(source, path).startsWith('simulator'))) {
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.') && !specifier.startsWith('#')) continue
        const target = resolveRelative(file, specifier)
        if (specifier.startsWith('#') || !relative(source, target).startsWith('simulator')) {
          leaks.push(`${relative(source, file)} -> ${specifier}`)
        }
      }
    }
    expect(leaks).toEqual([])
  })

  it('the main entry pulls neither the simulator, the queue, the CLI nor a queue engine', () => {
    const seen = new Set<string>()
    const bare = new Set<string>()
    const pending = [join(source, 'index.ts')]
    while (pending.length > 0) {
      const file = pending.pop() as string
      if (seen.has(file)) continue
      seen.add(file)
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('.')) pending.push(resolveRelative(file, specifier))
        else bare.add(specifier.split('/')[0] as string)
      }
    }
    const reached = [...seen].map((file) => relative(source, file).replaceAll('\\', '/'))
    expect(reached.filter((path) => /^(simulator|queue|cli)\//.test(path))).toEqual([])
    expect([...bare].filter((name) => ['bullmq', 'ioredis', 'pg'].includes(name))).toEqual([])
    // The walk itself works: the entry reaches the client and the wait engine.
    expect(reached).toContain('client.ts')
    expect(reached.some((path) => path.startsWith('wait/'))).toBe(true)
  })
})
