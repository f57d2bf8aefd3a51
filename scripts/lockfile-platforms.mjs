#!/usr/bin/env node
/*
 * Adds the lockfile entries of platform-specific optional packages (esbuild, rollup, Biome
 * binaries for other operating systems and CPUs) that the npm registry mirror of our machines
 * does not serve. Without them `npm ci` refuses the lockfile as out of sync; with them it skips
 * the packages as not for this platform, exactly as it would with the full registry.
 *
 * Run after `npm install` changes package-lock.json: `node scripts/lockfile-platforms.mjs`.
 */
import { readFileSync, writeFileSync } from 'node:fs'

const path = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(path, 'utf8'))
const packages = lock.packages

const OS = [
  'aix',
  'android',
  'darwin',
  'freebsd',
  'linux',
  'netbsd',
  'openbsd',
  'openharmony',
  'sunos',
  'win32',
  'cygwin',
]
const CPU = [
  'arm64',
  'x64',
  'ia32',
  'arm',
  'loong64',
  'mips64el',
  'ppc64',
  'riscv64',
  's390x',
  'wasm32',
]

function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const os = parts.find((part) => OS.includes(part))
  const cpu =
    parts.find((part) => CPU.includes(part)) ?? (name.includes('wasm') ? 'wasm32' : undefined)
  return {
    os,
    cpu,
    libc: parts.includes('musl') ? 'musl' : parts.includes('gnu') ? 'glibc' : undefined,
  }
}

let added = 0
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = location === '' ? '' : `${location}/`
    const candidates = [`${base}node_modules/${name}`, `node_modules/${name}`]
    if (candidates.some((candidate) => packages[candidate])) continue
    const { os, cpu, libc } = platformOf(name)
    if (!os && !cpu) continue
    packages[`node_modules/${name}`] = {
      version,
      dev: entry.dev,
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    }
    added++
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
)
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`lockfile-platforms: added ${added} entries`)
