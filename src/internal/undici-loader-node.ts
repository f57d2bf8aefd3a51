/*
 * `#undici-loader` on Node.js (the `node` condition of package.json `imports`): loads undici on
 * first use, never at import. Bundlers for browsers, workers and edge runtimes pick
 * ./undici-loader.ts instead, so their bundles hold no undici and no `node:` module.
 */

/** Loads undici, once. `undefined` where the build has no undici (./undici-loader.ts). */
export type UndiciLoader = () => Promise<typeof import('undici')>

let undiciModule: Promise<typeof import('undici')> | undefined

/**
 * Loads undici once, when the first transport is created on Node.js: importing the package never
 * loads it (Bun resolves `undici` to a stand-in without `Agent#request`; Deno and edge runtimes
 * need not have it). The CommonJS build turns this `import()` into `require()` (tsup.config.ts).
 */
export const loadUndici: UndiciLoader | undefined = () => {
  undiciModule ??= import('undici')
  return undiciModule
}
