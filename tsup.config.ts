import { defineConfig, type Options } from 'tsup'

const shared: Options = {
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
  sourcemap: true,
  // Keep `node:events`, `node:http`: the form Deno, Bun and edge runtimes' Node.js compatibility
  // resolve without a bare-name fallback.
  removeNodeProtocol: false,
  // dist/ is emptied by `npm run build` before tsup runs: the configs below build in parallel,
  // and one config's clean would delete another's output.
  clean: false,
}

const entries = {
  index: 'src/index.ts',
  simulator: 'src/simulator/index.ts',
  queue: 'src/queue/index.ts',
  engine: 'src/engine/index.ts',
  // `#undici-loader` (package.json `imports`): undici on Node.js, nothing for browsers, workers
  // and edge runtimes. Left as an import in the entries, so each consumer's resolver picks one.
  'undici-loader': 'src/internal/undici-loader.ts',
  'undici-loader-node': 'src/internal/undici-loader-node.ts',
  // `#node-loader`: `node:fs`, `node:path` and `node:crypto` on Node.js, nothing elsewhere.
  'node-loader': 'src/internal/node-loader.ts',
  'node-loader-node': 'src/internal/node-loader-node.ts',
}
const external = ['#undici-loader', '#node-loader']
/*
 * zod/mini goes inside the build (only the parts the schemas use): importing `zod/mini` from
 * node_modules evaluates zod's whole barrel (core, JSON Schema, every locale: some 80 files),
 * about 0.85x the cold import of classic `zod` (bench figure 5, measured 2026-12-06), where the
 * goal is 0.5x. A bundled copy interoperates with a user's zod: zod 4 keeps its config and
 * registry on globalThis and `instanceof` checks traits (scripts/smoke-package.mjs checks it).
 * `zod` stays a dependency for the types (the .d.ts files import `zod/mini`).
 */
const bundled = [/^zod(\/|$)/]

export default defineConfig([
  {
    ...shared,
    entry: entries,
    format: ['esm'],
    external,
    // p-retry (and is-network-error) inside too, as in the CommonJS build: two fewer packages
    // to resolve and load on import (cold import 0.54x -> 0.41x zod, bench figure 5, one run
    // under load), about 1.2 kB min+gzip more in the entry.
    noExternal: [...bundled, /^p-retry$/, /^is-network-error$/],
    // Code only some users run (downloads, submit, the callback handler) sits in chunks the
    // entry loads with import() on first use: not parsed by a process that only waits.
    splitting: true,
    dts: {
      entry: {
        index: entries.index,
        simulator: entries.simulator,
        queue: entries.queue,
        engine: entries.engine,
      },
    },
  },
  {
    ...shared,
    entry: entries,
    format: ['cjs'],
    external,
    dts: {
      entry: {
        index: entries.index,
        simulator: entries.simulator,
        queue: entries.queue,
        engine: entries.engine,
      },
    },
    // ESM-only dependencies go inside the CommonJS build: Node.js before 20.19 and Jest cannot
    // `require()` an ES module (p-retry, and its is-network-error, are ESM-only).
    noExternal: [...bundled, /^p-retry$/, /^is-network-error$/],
    esbuildOptions(options) {
      // CommonJS loads undici with require(), not import(): import() in CommonJS fails where a
      // loader runs modules in a vm without ESM support (Jest without --experimental-vm-modules).
      options.supported = { ...options.supported, 'dynamic-import': false }
    },
  },
  {
    ...shared,
    // The `video-tasks` bin: dist/cli.js (ESM, as the package is), with the source's hashbang.
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    dts: false,
    // The CLI bundles the SDK it needs (it uses internals the package does not export, such as
    // the registry's entries); its errors are still recognised by a user's copy of the package
    // (`instanceof` works across copies). `#undici-loader` and `#node-loader` stay imports, so
    // they resolve through the package's `imports` map as in the main entry.
    external,
  },
])
