#!/usr/bin/env node
/*
 * The `video-tasks` command. In the published package it runs dist/cli.js. In a clone of the
 * repository before `npm run build` there is no dist/: it then runs the TypeScript sources
 * through tsx (a devDependency), so `npx video-tasks ...` works right after `npm ci`, as the
 * simulator's banner and docs/cli.md print it. Kept in plain JavaScript: it must run before any
 * build.
 */
import { existsSync } from 'node:fs'

const built = new URL('../dist/cli.js', import.meta.url)
const source = new URL('../src/cli/index.ts', import.meta.url)

if (existsSync(built)) {
  await import(built.href)
} else if (existsSync(source)) {
  let register
  try {
    ;({ register } = await import('tsx/esm/api'))
  } catch {
    process.stderr.write(
      'video-tasks: not built yet, and tsx (to run the sources) is not installed.\n' +
        'Run `npm ci` then `npm run build` in the repository.\n',
    )
    process.exit(1)
  }
  register()
  await import(source.href)
} else {
  process.stderr.write(
    'video-tasks: dist/cli.js is missing: this copy of the package is incomplete. Reinstall it.\n',
  )
  process.exit(1)
}
