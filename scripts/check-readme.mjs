#!/usr/bin/env node
/*
 * Type-checks every ```ts block of README.md against the package's sources, so the README's
 * examples cannot rot. Each block becomes its own module in .readme-check/ (git-ignored), with
 * `video-tasks` mapped to src/index.ts.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = `${root}.readme-check`
const readme = readFileSync(`${root}README.md`, 'utf8')
const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1])

rmSync(out, { recursive: true, force: true })
mkdirSync(out)
blocks.forEach((code, index) => {
  writeFileSync(`${out}/block-${String(index + 1).padStart(2, '0')}.mts`, `${code}\nexport {}\n`)
})
writeFileSync(
  `${out}/tsconfig.json`,
  JSON.stringify({
    extends: '../tsconfig.json',
    compilerOptions: {
      noEmit: true,
      noUnusedLocals: false,
      paths: {
        'video-tasks': ['../src/index.ts'],
        'video-tasks/simulator': ['../src/simulator/index.ts'],
        '#undici-loader': ['../src/internal/undici-loader-node.ts'],
        '#node-loader': ['../src/internal/node-loader-node.ts'],
      },
    },
    include: ['*.mts'],
  }),
)
try {
  execFileSync(
    process.execPath,
    [`${root}node_modules/typescript/bin/tsc`, '-p', `${out}/tsconfig.json`],
    {
      stdio: 'inherit',
    },
  )
} catch {
  console.error('README.md: a ```ts block does not compile (files in .readme-check/)')
  process.exit(1)
}
rmSync(out, { recursive: true, force: true })
console.log(`README.md: ${blocks.length} TypeScript blocks compile`)
