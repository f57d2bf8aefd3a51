#!/usr/bin/env node
/*
 * What weighs in figure 5's ESM entry: the source modules in what `import` loads (the entry's
 * output and the chunks it imports statically, as bench/imports.mjs counts it), by minified
 * bytes, heaviest first. Built from src/index.ts as tsup builds dist/ (esbuild, zod bundled,
 * split at each import(), zod and p-retry inside), so each line is a source file.
 *
 *   node bench/imports-weight.mjs [--browser] [--top 40]
 *
 * `--browser` bundles the other dependencies too, for `platform: 'browser'` (the browser
 * figure).
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { entryOutputs } from './imports.mjs'
import { root } from './lib/dist.mjs'

const { values } = parseArgs({
  options: { browser: { type: 'boolean', default: false }, top: { type: 'string', default: '40' } },
})
const esbuild = await import('esbuild')
const result = await esbuild.build({
  entryPoints: [resolve(root, 'src/index.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: values.browser ? 'browser' : 'node',
  splitting: true,
  outdir: resolve(root, 'bench-out'),
  absWorkingDir: root,
  metafile: true,
  write: false,
  logLevel: 'silent',
  // The loaders stay imports in dist/ (package.json `imports` picks one per platform).
  external: ['#undici-loader', '#node-loader', ...(values.browser ? [] : ['undici'])],
})
const outputs = result.metafile.outputs
// src/index.ts's output, not a chunk of an `import()` target (entry points too when splitting).
const { loaded } = entryOutputs(outputs, 'src/index.ts')
const bytes = new Map()
for (const path of loaded) {
  for (const [input, { bytesInOutput }] of Object.entries(outputs[path].inputs)) {
    bytes.set(input, (bytes.get(input) ?? 0) + bytesInOutput)
  }
}
const rows = [...bytes].sort((a, b) => b[1] - a[1])
const total = rows.reduce((sum, [, size]) => sum + size, 0)
console.log(`${total} B minified in what import loads (${loaded.size} files)`)
for (const [input, size] of rows.slice(0, Number(values.top))) {
  console.log(`${String(size).padStart(8)}  ${input}`)
}
