import * as esbuild from 'esbuild'
import { gzipSync } from 'node:zlib'
const entry = process.argv[2] ?? 'dist/index.js'
const r = await esbuild.build({ entryPoints:[entry], bundle:true, minify:true, format:'esm', platform:'browser', splitting:true, outdir:process.cwd()+'/bench-out', metafile:true, write:false, logLevel:'silent', ...(entry.endsWith('.ts')?{}:{tsconfigRaw:'{}'}), external:['#undici-loader','#node-loader','undici','node:*'] })
const outs = r.metafile.outputs
const entryPath = Object.keys(outs).find(p=>outs[p].entryPoint)
const loaded = new Set([entryPath]); for (const p of loaded) for (const i of outs[p].imports) if (i.kind==='import-statement' && i.path in outs) loaded.add(i.path)
const by = {}
let total=0
for (const p of loaded) for (const [inp, v] of Object.entries(outs[p].inputs)) { by[inp]=(by[inp]??0)+v.bytesInOutput; total+=v.bytesInOutput }
const files = new Map(r.outputFiles.map(f=>[f.path,f.contents]))
console.log('min total', total, 'gzip', gzipSync(Buffer.concat([...loaded].map(p=>files.get(process.cwd()+'/'+p))),{level:9}).length)
for (const [k,v] of Object.entries(by).sort((a,b)=>b[1]-a[1]).slice(0, Number(process.argv[3] ?? 40))) console.log(String(v).padStart(7), k)
