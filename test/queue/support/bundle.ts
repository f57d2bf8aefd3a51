import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/**
 * Bundles a worker script of test/queue/support with esbuild (packages stay external) into
 * `support/.<name>.mjs` and returns its path: a plain `node` child starts in a fraction of the
 * time a TypeScript loader takes on a busy machine.
 */
export async function bundleWorker(name: string): Promise<string> {
  const output = await build({
    entryPoints: [fileURLToPath(new URL(`./${name}.ts`, import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    packages: 'external',
    outfile: `${name}.mjs`,
  })
  const path = fileURLToPath(new URL(`./.${name}.mjs`, import.meta.url))
  await writeFile(path, output.outputFiles[0]?.text ?? '')
  return path
}
