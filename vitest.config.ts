import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// `video-tasks` and its subpaths resolve to `src/`, as tsconfig's `paths` do for tsc, so every
// test file runs on a fresh clone without a build.
const source = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^video-tasks\/simulator$/, replacement: source('simulator/index.ts') },
      { find: /^video-tasks\/queue$/, replacement: source('queue/index.ts') },
      { find: /^video-tasks\/engine$/, replacement: source('engine/index.ts') },
      { find: /^video-tasks$/, replacement: source('index.ts') },
      // Node's side of package.json `imports` (./dist there): tests run on Node.js.
      { find: /^#undici-loader$/, replacement: source('internal/undici-loader-node.ts') },
      { find: /^#node-loader$/, replacement: source('internal/node-loader-node.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 10_000,
    setupFiles: ['test/support/preload.ts'],
  },
})
