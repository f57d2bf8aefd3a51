import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BuildOptions, build, type Metafile } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * Figure 5 counts what `import` of the entry evaluates: the entry's output and the chunks it
 * imports statically. With `import()` in the package (the client's core, the adapters), esbuild
 * makes each `import()` target an entry point of its own, so "the first output with an
 * entryPoint" can be a lazy chunk (it was: Kling's 3 kB token signer stood for the whole entry).
 */

interface EntryOutputs {
  entryPath: string
  loaded: Set<string>
  lazy: string[]
}
type EntryOutputsFunction = (outputs: Metafile['outputs'], entryName: string) => EntryOutputs

let entryOutputs: EntryOutputsFunction
let work: string

beforeAll(async () => {
  // A plain .mjs script of the bench, loaded as the bench loads it (no declarations to import).
  const module = (await import(new URL('../../bench/imports.mjs', import.meta.url).href)) as {
    entryOutputs: EntryOutputsFunction
  }
  entryOutputs = module.entryOutputs
  work = mkdtempSync(join(tmpdir(), 'video-tasks-imports-test-'))
})

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

const output = (entryPoint: string | undefined, imports: { path: string; kind: string }[]) =>
  ({
    bytes: 1,
    inputs: {},
    exports: [],
    imports: imports.map((each) => ({ ...each, kind: each.kind as 'import-statement' })),
    ...(entryPoint === undefined ? {} : { entryPoint }),
  }) as Metafile['outputs'][string]

describe('entryOutputs', () => {
  it('picks the given entry, not a lazy chunk listed first that is an entry point too', () => {
    const outputs: Metafile['outputs'] = {
      'out/lazy.js': output('src/lazy.js', [{ path: 'out/shared.js', kind: 'import-statement' }]),
      'out/stdin.js': output('<stdin>', [
        { path: 'out/shared.js', kind: 'import-statement' },
        { path: 'out/lazy.js', kind: 'dynamic-import' },
      ]),
      'out/shared.js': output(undefined, [{ path: 'out/deep.js', kind: 'import-statement' }]),
      'out/deep.js': output(undefined, []),
      'out/stdin.js.map': output(undefined, []),
    }
    const picked = entryOutputs(outputs, '<stdin>')
    expect(picked.entryPath).toBe('out/stdin.js')
    expect([...picked.loaded].sort()).toEqual(['out/deep.js', 'out/shared.js', 'out/stdin.js'])
    expect(picked.lazy).toEqual(['out/lazy.js'])
  })

  it('throws, naming the entry, when no output (or more than one) is that entry', () => {
    const outputs: Metafile['outputs'] = { 'out/lazy.js': output('src/lazy.js', []) }
    expect(() => entryOutputs(outputs, 'dist/index.js')).toThrow(/dist\/index\.js.*src\/lazy\.js/)
  })

  it("matches esbuild's names for a file entry and a stdin entry in a split build", async () => {
    writeFileSync(join(work, 'static.js'), 'export const s = "static-code"\n')
    writeFileSync(join(work, 'lazy.js'), 'export const l = "lazy-code"\n')
    const source =
      'import { s } from "./static.js"\nglobalThis.x = [s, () => import("./lazy.js")]\n'
    writeFileSync(join(work, 'entry.js'), source)
    const common = {
      bundle: true,
      format: 'esm' as const,
      splitting: true,
      outdir: join(work, 'out'),
      absWorkingDir: work,
      metafile: true,
      write: false,
      logLevel: 'silent' as const,
    }
    const entries: [string, BuildOptions][] = [
      ['entry.js', { entryPoints: [join(work, 'entry.js')] }],
      ['<stdin>', { stdin: { contents: source, resolveDir: work, loader: 'js' } }],
    ]
    for (const [entryName, entry] of entries) {
      const result = await build({ ...common, ...entry })
      const { metafile, outputFiles } = result
      if (!metafile || !outputFiles) throw new Error('esbuild gave no metafile or outputs')
      const { loaded, lazy } = entryOutputs(metafile.outputs, entryName)
      const text = (paths: Iterable<string>) =>
        [...paths]
          .map((path) => outputFiles.find((file) => file.path === join(work, path))?.text)
          .join('\n')
      expect(text(loaded), entryName).toContain('static-code')
      expect(text(loaded), entryName).not.toContain('lazy-code')
      expect(text(lazy), entryName).toContain('lazy-code')
    }
  })
})
