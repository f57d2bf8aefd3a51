import { dirname, relative, resolve } from 'node:path'
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
}

const src = resolve('src')

export default defineConfig([
  {
    ...shared,
    entry: {
      index: 'src/index.ts',
      simulator: 'src/simulator/index.ts',
      queue: 'src/queue/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: ['!cli.js', '!cli.js.map'],
    esbuildOptions(options, { format }) {
      // CommonJS loads undici with require(), not import(): import() in CommonJS fails where a
      // loader runs modules in a vm without ESM support (Jest without --experimental-vm-modules).
      if (format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false }
    },
  },
  {
    ...shared,
    // The `video-tasks` bin: dist/cli.js (ESM, as the package is), with the source's hashbang.
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    esbuildPlugins: [
      {
        // The CLI imports the SDK and the simulator through the package's own entry points
        // instead of bundling second copies of them.
        name: 'cli-uses-package-entries',
        setup(build) {
          build.onResolve({ filter: /^\.\.?\// }, (args) => {
            const target = resolve(dirname(args.importer), args.path)
            const inside = relative(src, target)
            if (inside.startsWith('..') || inside.startsWith('cli/')) return undefined
            if (args.path.endsWith('.json')) return undefined
            return {
              path: inside.startsWith('simulator/') ? 'video-tasks/simulator' : 'video-tasks',
              external: true,
            }
          })
        },
      },
    ],
  },
])
