import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The text of `test/fixtures/<provider>/<name>`, exactly as stored. */
export function fixtureText(provider: string, name: string): string {
  return readFileSync(
    fileURLToPath(new URL(`../fixtures/${provider}/${name}`, import.meta.url)),
    'utf8',
  )
}

/** A JSON fixture, parsed. */
export function fixtureJson(provider: string, name: string): unknown {
  return JSON.parse(fixtureText(provider, name))
}
