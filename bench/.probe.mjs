import { runImports } from './imports.mjs'
const r = await runImports({ spawns: 0, log: () => {} })
console.log(JSON.stringify({ entry: r.bundle.entry, browser: r.bundle.browser }))
