/*
 * `#node-loader` on Node.js (the `node` condition of package.json `imports`): the `node:` modules
 * that file downloads, file inputs and checksums need, loaded on first use, never at import.
 * Bundlers for browsers, workers and edge runtimes pick ./node-loader.ts instead, so their
 * bundles name no `node:` module (scripts/smoke-package.mjs bundles the entry to check it).
 */

/** The `node:` modules the SDK uses outside the transport. */
export interface NodeModules {
  fs: typeof import('node:fs/promises')
  path: typeof import('node:path')
  crypto: typeof import('node:crypto')
}

/** Loads the `node:` modules, once. `undefined` where the build has none (./node-loader.ts). */
export type NodeLoader = () => Promise<NodeModules>

let nodeModules: Promise<NodeModules> | undefined

/** Loads `node:fs/promises`, `node:path` and `node:crypto` once, on first use. */
export const loadNodeModules: NodeLoader | undefined = () => {
  nodeModules ??= Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import('node:crypto'),
  ]).then(([fs, path, crypto]) => ({ fs, path, crypto }))
  return nodeModules
}
