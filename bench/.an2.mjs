import * as esbuild from 'esbuild'
import { resolve } from 'node:path'
const root = resolve(import.meta.dirname, '..')
const r = await esbuild.build({ entryPoints: [process.argv[2] ?? 'dist/index.js'], bundle: true, minify: true, format: 'esm', platform: process.argv[3] ?? 'node', splitting: true, outdir: resolve(root, 'bo'), absWorkingDir: root, metafile: true, write: false, logLevel: 'silent', tsconfigRaw: '{}', ...(process.argv[4] === 'deps' ? {} : { packages: 'external' }), external: ['#undici-loader', '#node-loader'] })
const outputs = r.metafile.outputs
const entry = Object.keys(outputs).find((p) => outputs[p].entryPoint)
const loaded = new Set([entry])
for (const p of loaded) for (const i of outputs[p].imports) if (i.kind === 'import-statement' && i.path in outputs) loaded.add(i.path)
const by = {}
for (const p of loaded) for (const [k, v] of Object.entries(outputs[p].inputs)) by[k] = (by[k] ?? 0) + v.bytesInOutput
const rows = Object.entries(by).sort((a, b) => b[1] - a[1])
let total = 0; for (const [, v] of rows) total += v
console.log('static minified', total)
for (const [k, v] of rows.slice(0, Number(process.env.TOP ?? 40))) console.log(String(v).padStart(7), k)
