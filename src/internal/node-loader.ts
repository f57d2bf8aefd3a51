/*
 * `#node-loader` everywhere but Node.js (package.json `imports`: the `browser`, `worker`,
 * `workerd` and `edge-light` conditions, and the default): no `node:` module, so a bundler
 * following this file adds none. Downloads to a file path then fail with a TypeError that says to
 * pass a `WritableStream`; streams and URLs work everywhere.
 */
import type { NodeLoader } from './node-loader-node.js'

/** No `node:` modules in this build. */
export const loadNodeModules: NodeLoader | undefined = undefined
