/*
 * `#undici-loader` everywhere but Node.js (package.json `imports`: the `browser`, `worker`,
 * `workerd` and `edge-light` conditions, and the default): no undici, so a bundler following
 * this file adds neither undici nor its `node:` modules. The transport then uses the platform's
 * `fetch`, even when such a bundle runs on Node.js.
 */
import type { UndiciLoader } from './undici-loader-node.js'

/** No undici in this build: the transport uses the platform's `fetch`. */
export const loadUndici: UndiciLoader | undefined = undefined
