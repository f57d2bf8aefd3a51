#!/usr/bin/env node
import assert from 'node:assert/strict'
/*
 * Imports the built package by its name, as ESM and as CommonJS, the way users do, and checks
 * that errors from one copy are recognised by the other's classes; that `video-tasks/engine`
 * holds the engine's parts and the main entry none of them; that a built-in provider loads its
 * adapter on first use from dist/ (fresh processes, both formats); and what bundles hold.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const esm = await import('video-tasks')
const cjs = createRequire(import.meta.url)('video-tasks')
const engineEsm = await import('video-tasks/engine')
const engineCjs = createRequire(import.meta.url)('video-tasks/engine')

const names = [
  'createClient',
  'BUILT_IN_PROVIDERS',
  // Every registered provider's factory, under the name its registry entry gives.
  ...esm.BUILT_IN_PROVIDERS.map((entry) => entry.exportName),
  'defineProvider',
  'VideoTaskError',
  'ApiError',
  'AuthenticationError',
  'PermissionDeniedError',
  'TaskNotFoundError',
  'RateLimitError',
  'ServerError',
  'ConnectionError',
  'ResponseValidationError',
  'TaskFailedError',
  'TaskCancelledError',
  'WaitTimeoutError',
]
for (const name of names) {
  assert.equal(typeof esm[name], typeof cjs[name], name)
  assert.ok(esm[name], `ESM export ${name}`)
  assert.ok(cjs[name], `CJS export ${name}`)
}
/*
 * `video-tasks/engine`: the parts under the client, out of the main entry so that `import
 * 'video-tasks'` stays small (issue 12, "Cost of importing it"; src/engine/index.ts). Exactly
 * these values, from both builds, and none of them from the main entry: a moved export that comes
 * back by accident (or a new one in either place) fails here. Their types stay in both.
 */
const engineNames = [
  'observeTask',
  'observationOfFailure',
  'resolvePollSettings',
  'backoffDelayMs',
  'classifyFailure',
  'isTransient',
  'retryAfterDelayMs',
  'createTransport',
  'createDownloadTransport',
  'STREAM_DEFAULTS',
  'outcomeOf',
  'taskToJson',
  'parsePollState',
  'pollStateSchema',
  'pollStep',
  'stepOutcome',
  'decideNext',
  'initialPollState',
  'VideoTaskSchema',
  'videoTaskDetailsSchema',
  'videoTaskFailureSchema',
  'videoTaskStatusSchema',
]
for (const [name, engine, main] of [
  ['ESM', engineEsm, esm],
  ['CJS', engineCjs, cjs],
]) {
  assert.deepEqual(
    Object.keys(engine).sort(),
    [...engineNames].sort(),
    `video-tasks/engine exports (${name})`,
  )
  for (const each of engineNames) assert.ok(engine[each], `${name} engine export ${each}`)
  assert.deepEqual(
    engineNames.filter((each) => each in main),
    [],
    `the main entry (${name}) exports none of video-tasks/engine's names`,
  )
}
assert.equal(typeof engineEsm.createTransport, typeof engineCjs.createTransport)
assert.notEqual(engineEsm.pollStep, engineCjs.pollStep, 'two copies of the engine')
assert.notEqual(esm.ApiError, cjs.ApiError, 'two copies')
const fromCjs = new cjs.RateLimitError({
  status: 429,
  message: 'slow',
  provider: 'x',
  url: 'https://x.test',
})
assert.ok(
  fromCjs instanceof esm.RateLimitError &&
    fromCjs instanceof esm.ApiError &&
    fromCjs instanceof esm.VideoTaskError,
)
assert.ok(!(fromCjs instanceof esm.ServerError))
assert.ok(esm.RateLimitError.is(fromCjs))
// The exported schemas come from the copy of zod/mini bundled into dist/ (tsup.config.ts): a
// user's own zod composes them, recognises them and parses with them, from either build.
const { z } = await import('zod')
const core = await import('zod/v4/core')
const succeeded = {
  ...{ id: 'vid_1', provider: 'openai', vendorStatus: 'completed', progress: 100, error: null },
  ...{ videoUrl: 'https://cdn.test/v.mp4', videoUrls: ['https://cdn.test/v.mp4'], raw: {} },
  ...{ createdAt: new Date(0), completedAt: null, expiresAt: null, details: {} },
  status: 'succeeded',
}
for (const [name, module] of [
  ['ESM', engineEsm],
  ['CJS', engineCjs],
]) {
  assert.ok(module.VideoTaskSchema instanceof core.$ZodType, `${name} schema is a zod schema`)
  const list = z.array(module.VideoTaskSchema)
  assert.equal(list.parse([succeeded])[0].status, 'succeeded', name)
  assert.equal(list.safeParse([{ ...succeeded, status: 'teleported' }]).success, false, name)
  assert.equal(typeof module.VideoTaskSchema['~standard'].validate, 'function', name)
}
const simulatorEsm = await import('video-tasks/simulator')
const simulatorCjs = createRequire(import.meta.url)('video-tasks/simulator')
assert.equal(typeof simulatorEsm.startSimulator, 'function')
assert.equal(typeof simulatorCjs.startSimulator, 'function')
const simulator = await simulatorEsm.startSimulator()
const task = simulator.createTask({ provider: 'openai', queuedMs: 0, runningMs: 0 })
const client = esm.createClient({
  provider: esm.openai({ baseURL: simulator.baseURL, apiKey: simulator.apiKey }),
})
const done = await client.waitFor(task.id, { timeoutMs: 10_000 })
assert.equal(done.status, 'succeeded')
await client.close()
// The code loaded on first use (submit, downloads) runs from both builds: ESM chunks, CJS inline.
for (const [name, module] of [
  ['ESM', esm],
  ['CJS', cjs],
]) {
  const lazyClient = module.createClient({
    provider: module.openai({ baseURL: simulator.baseURL, apiKey: simulator.apiKey }),
  })
  const ref = await lazyClient.submit({ prompt: 'a red fox in snow' })
  assert.equal(typeof ref.taskId, 'string', `${name} submit`)
  const created = simulator.createTask({ provider: 'openai', queuedMs: 0, runningMs: 0 })
  const finished = await lazyClient.waitFor(created.id, { timeoutMs: 10_000 })
  let received = 0
  const download = await module.downloadToStream({
    url: finished.details.contentUrl,
    headers: { authorization: `Bearer ${simulator.apiKey}` },
    to: new WritableStream({
      write(chunk) {
        received += chunk.byteLength
      },
    }),
  })
  assert.ok(download.bytes > 0 && download.bytes === received, `${name} download`)
  await lazyClient.close()
}
await simulator.close()
/*
 * The lazy path, from the BUILT package in a fresh Node.js process per format (nothing loaded
 * before): `doubao(...)` returns a provider whose adapter is not loaded (`buildRequest` throws a
 * TypeError naming `load()`), `createClient` loads its core and the adapter on the first call,
 * and `getTask` reads a task from a node:http server on 127.0.0.1 (the doubao route,
 * src/providers/doubao.ts). It proves the `import()` targets are in the package and resolve from
 * dist/ as ESM (chunks) and as CommonJS.
 */
{
  const { createServer } = await import('node:http')
  const { spawn } = await import('node:child_process')
  const key = 'sk-smoke-lazy'
  const reads = []
  const server = createServer((request, response) => {
    reads.push(`${request.method} ${request.url} ${request.headers.authorization}`)
    const found =
      request.method === 'GET' &&
      request.url === '/v1/video/generations/t1' &&
      request.headers.authorization === `Bearer ${key}`
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' })
    response.end(
      found
        ? JSON.stringify({
            code: 'success',
            data: {
              task_id: 't1',
              status: 'SUCCESS',
              progress: '100%',
              fail_reason: 'https://cdn.test/v.mp4',
            },
          })
        : JSON.stringify({ code: 'task_not_exist', message: 'not found', data: null }),
    )
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const baseURL = `http://127.0.0.1:${server.address().port}`
  // The same body for both formats, in an async function (no top-level await in CommonJS).
  const body = (load) => `
(async () => {
  const { createClient, doubao } = ${load}
  const provider = doubao({ baseURL: ${JSON.stringify(baseURL)}, apiKey: ${JSON.stringify(key)} })
  let before
  try { provider.buildRequest('t1') } catch (error) { before = error }
  if (!(before instanceof TypeError) || !before.message.includes('load()')) {
    throw new Error('buildRequest before load: ' + before)
  }
  if (typeof provider.load !== 'function') throw new Error('no provider.load')
  const client = createClient({ provider })
  const task = await client.getTask('t1')
  await client.close()
  const loaded = await provider.load()
  const request = loaded.buildRequest('t1')
  process.stdout.write(JSON.stringify({
    status: task.status, provider: task.provider, videoUrl: task.videoUrl,
    url: request.url, sameBase: loaded.baseURL === provider.baseURL,
  }))
})().catch((error) => { console.error(error); process.exit(1) })
`
  // Each child resolves `video-tasks` as the package resolves itself (exports, from its root).
  const packageRoot = new URL('..', import.meta.url).pathname
  const formats = {
    ESM: ['--input-type=module', '--eval', body("await import('video-tasks')")],
    CJS: ['--input-type=commonjs', '--eval', body("require('video-tasks')")],
  }
  try {
    for (const [format, childArgs] of Object.entries(formats)) {
      const before = reads.length
      // Asynchronous (not spawnSync): this process's server answers the child.
      const child = await new Promise((resolve, reject) => {
        const running = spawn(process.execPath, childArgs, { cwd: packageRoot })
        let stdout = ''
        let stderr = ''
        running.stdout.on('data', (chunk) => {
          stdout += chunk
        })
        running.stderr.on('data', (chunk) => {
          stderr += chunk
        })
        const timer = setTimeout(() => running.kill(), 30_000)
        running.on('error', reject)
        running.on('close', (status) => {
          clearTimeout(timer)
          resolve({ status, stdout, stderr })
        })
      })
      assert.equal(child.status, 0, `${format} lazy child: ${child.stderr}`)
      const answer = JSON.parse(child.stdout)
      assert.deepEqual(
        answer,
        {
          status: 'succeeded',
          provider: 'doubao',
          videoUrl: 'https://cdn.test/v.mp4',
          url: `${baseURL}/v1/video/generations/t1`,
          sameBase: true,
        },
        `${format} lazy path`,
      )
      assert.deepEqual(
        reads.slice(before),
        [`GET /v1/video/generations/t1 Bearer ${key}`],
        `${format}: one read, the adapter's request`,
      )
    }
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}
// Every built-in factory loads its adapter on first use (src/providers/factories.ts; issue 12).
const lazyFactories = esm.BUILT_IN_PROVIDERS.map((entry) => entry.id)
// Code some users never run loads on first use: what `import('video-tasks')` evaluates (the
// entry and the chunks it imports statically) holds none of it (bench figure 5).
{
  const { readFileSync: read } = await import('node:fs')
  const dist = new URL('../dist/', import.meta.url)
  const loaded = new Set(['index.js'])
  for (const file of loaded) {
    const code = read(new URL(file, dist), 'utf8')
    for (const [, next] of code.matchAll(/^(?:import|export)[^;]*?from '\.\/([^']+)'/gm)) {
      loaded.add(next)
    }
  }
  const statically = [...loaded].map((file) => read(new URL(file, dist), 'utf8')).join('\n')
  for (const lazy of [
    'src/download/engine.ts',
    'src/download/to-file.ts',
    'src/client/submit.ts',
    'src/client/callback-answer.ts',
    // The client's core and the wait engine load on createClient's first call.
    'src/client/core.ts',
    'src/wait/poll-loop.ts',
    ...lazyFactories.map((id) => `src/providers/${id}.ts`),
  ]) {
    assert.ok(!statically.includes(`// ${lazy}\n`), `${lazy} is not in the entry's static graph`)
  }
  // The scan sees what `import` does load: createClient's checks and the public factories.
  assert.ok(statically.includes('// src/client.ts\n'), 'the scan sees src/client.ts')
  assert.ok(statically.includes('// src/providers/factories.ts\n'), 'the scan sees the factories')
}
// Bundlers with their default settings, no externals: a browser bundle and a neutral one (what
// workers and edge runtimes get) hold neither undici nor a `node:` import, and run on the
// platform's `fetch` (here Node.js's, counted) against the simulator.
const { build } = await import('esbuild')
const { mkdtempSync, rmSync } = await import('node:fs')
const { tmpdir } = await import('node:os')
const { join } = await import('node:path')
const { pathToFileURL } = await import('node:url')
const bundleDir = mkdtempSync(join(tmpdir(), 'video-tasks-bundles-'))
const bundleSimulator = await simulatorEsm.startSimulator()
const platformFetch = globalThis.fetch
let fetchCalls = 0
globalThis.fetch = (...fetchArgs) => {
  fetchCalls += 1
  return platformFetch(...fetchArgs)
}
try {
  for (const platform of ['browser', 'neutral']) {
    const outfile = join(bundleDir, `${platform}.mjs`)
    const result = await build({
      stdin: {
        contents: [
          "export { createClient, openai, TaskFailedError } from 'video-tasks'",
          "export { VideoTaskSchema, createTransport } from 'video-tasks/engine'",
        ].join('\n'),
        resolveDir: new URL('..', import.meta.url).pathname,
        loader: 'js',
      },
      // As in a user's project: the repository's tsconfig `paths` (video-tasks -> src/) unused.
      tsconfigRaw: '{}',
      bundle: true,
      format: 'esm',
      platform,
      outfile,
      metafile: true,
      logLevel: 'silent',
    })
    const inputs = Object.keys(result.metafile.inputs)
    assert.deepEqual(
      inputs.filter((input) =>
        /node_modules\/undici\/|^node:|undici-loader-node|node-loader-node/.test(input),
      ),
      [],
      `${platform} bundle inputs`,
    )
    const code = readFileSync(outfile, 'utf8')
    assert.doesNotMatch(code, /from ["']node:|require\(["']node:|import\(["']node:/, platform)
    const bundled = await import(pathToFileURL(outfile).href)
    const before = fetchCalls
    const bundledTask = bundleSimulator.createTask({
      provider: 'openai',
      queuedMs: 0,
      runningMs: 0,
    })
    const bundledClient = bundled.createClient({
      provider: bundled.openai({
        baseURL: bundleSimulator.baseURL,
        apiKey: bundleSimulator.apiKey,
      }),
    })
    const bundledDone = await bundledClient.waitFor(bundledTask.id, { timeoutMs: 10_000 })
    assert.equal(bundledDone.status, 'succeeded', platform)
    // The engine's schema, bundled from video-tasks/engine, parses in the bundle too.
    assert.equal(bundled.VideoTaskSchema.safeParse(succeeded).success, true, `${platform} schema`)
    assert.ok(fetchCalls > before, `${platform} bundle reads through the platform's fetch`)
    await bundledClient.close()
  }
} finally {
  globalThis.fetch = platformFetch
  await bundleSimulator.close()
  rmSync(bundleDir, { recursive: true, force: true })
}
/*
 * A web app that imports one provider ships that adapter only (issue 12, "Cost of importing
 * it"): dist/ is a few big files, so `"sideEffects": false` cannot drop an unused adapter; only
 * statement-level purity can (pure annotations, schemas built on first use: see
 * src/providers/kit/lazy.ts). For each built-in provider, `createClient` + its factory bundled
 * for browsers as a user's esbuild does (splitting, minified); the bundle's source map, chained
 * through dist/'s own maps, names the src/ modules whose code is in it: those its mappings point
 * at (its `sources` lists every module of dist/index.js, kept or not).
 */
{
  const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  // The source lines (0-based) that a source map's mappings use, by index into `sources`
  // (Base64 VLQ, source map v3).
  const mappedLines = (mappings) => {
    const used = new Map()
    let source = 0
    let line = 0
    for (const segment of mappings.split(/[;,]/)) {
      const fields = []
      let value = 0
      let shift = 0
      for (const character of segment) {
        const digit = BASE64.indexOf(character)
        value += (digit & 31) << shift
        shift += 5
        if ((digit & 32) === 0) {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1)
          value = 0
          shift = 0
        }
      }
      // [column, source, line, column(, name)]: source and line are relative to the last ones.
      if (fields.length >= 4) {
        source += fields[1]
        line += fields[2]
        if (!used.has(source)) used.set(source, new Set())
        used.get(source).add(line)
      }
    }
    return used
  }
  const repository = new URL('..', import.meta.url).pathname
  /*
   * The src/ modules whose code is in a browser bundle of `names` imported from the package:
   * `modules`, what the bundle can run (the entry's output and every chunk it imports, statically
   * or with `import()`; esbuild also writes a chunk for an `import()` in code it dropped, which
   * nothing loads); `loaded`, what `import` evaluates (the entry's output and the chunks it
   * imports statically); and `lines`, the source lines (0-based) of each module that `modules`'
   * outputs hold code of.
   */
  const modulesIn = async (names, engineNames = []) => {
    const all = [...names, ...engineNames]
    const result = await build({
      stdin: {
        contents: [
          `import { ${names.join(', ')} } from 'video-tasks'`,
          ...(engineNames.length
            ? [`import { ${engineNames.join(', ')} } from 'video-tasks/engine'`]
            : []),
          `globalThis.used = [${all.join(', ')}]`,
        ].join('\n'),
        resolveDir: repository,
        loader: 'js',
      },
      tsconfigRaw: '{}',
      bundle: true,
      minify: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      sourcemap: 'external',
      outdir: join(tmpdir(), 'video-tasks-one-provider'),
      absWorkingDir: repository,
      metafile: true,
      write: false,
      logLevel: 'silent',
    })
    const outputs = result.metafile.outputs
    // The stdin entry's output (esbuild names that entry `<stdin>`), not merely the first output
    // with an `entryPoint`: each `import()` target (the client's core, the adapters loaded on
    // first use) is an entry point of its own when splitting.
    const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint === '<stdin>')
    assert.ok(entry, `the bundle of ${names.join(', ')} has its entry's output`)
    const reach = (kinds) => {
      const reached = new Set([entry])
      for (const path of reached) {
        for (const { path: next, kind } of outputs[path].imports) {
          if (kinds.includes(kind) && next in outputs) reached.add(next)
        }
      }
      // As the source maps' paths: absolute.
      return new Set([...reached].map((path) => `${join(repository, path)}.map`))
    }
    const runnable = reach(['import-statement', 'dynamic-import'])
    const statically = reach(['import-statement'])
    const modules = new Set()
    const loaded = new Set()
    const lines = new Map()
    for (const file of result.outputFiles) {
      if (!runnable.has(file.path)) continue
      const map = JSON.parse(file.text)
      for (const [index, used] of mappedLines(map.mappings)) {
        const at = map.sources[index].lastIndexOf('src/')
        if (at === -1) continue
        const module = map.sources[index].slice(at)
        modules.add(module)
        if (statically.has(file.path)) loaded.add(module)
        lines.set(module, new Set([...(lines.get(module) ?? []), ...used]))
      }
    }
    return { modules, loaded, lines }
  }
  /*
   * The lines of src/model-schemas.ts's `export const <name>` declarations (the declaration up to the
   * next top-level line, a closing `})()` included): where their code would map from.
   */
  const modelSource = readFileSync(join(repository, 'src/model-schemas.ts'), 'utf8').split('\n')
  const declarationLines = (name) => {
    const start = modelSource.findIndex((line) => line.startsWith(`export const ${name}:`))
    assert.ok(start !== -1, `src/model-schemas.ts declares ${name}`)
    let end = start + 1
    while (end < modelSource.length && !/^[^\s})]/.test(modelSource[end])) end += 1
    return Array.from({ length: end - start }, (_, offset) => start + offset)
  }
  // Schemas only programs that parse a task with them (or define a provider) need: built in
  // @__PURE__ IIFEs (src/model-schemas.ts), so a bundle that never uses them drops them and the zod
  // code only they use. A top-level call without the annotation would bring them back.
  const droppableSchemas = ['VideoTaskSchema', 'videoTaskFailureSchema', 'videoTaskDetailsSchema']
  const adapter = (id) => `src/providers/${id}.ts`
  // Only Kling signs tokens; the registry's list is for programs that offer every provider by id.
  const tokens = 'src/providers/kit/hs256-token.ts'
  // Every adapter (and Kling's token signer) loads with import(): a one-provider bundle holds
  // that adapter only, and none of them in what `import` loads.
  const optional = [...lazyFactories.map(adapter), 'src/providers/registry.ts', tokens]
  for (const { id, exportName } of esm.BUILT_IN_PROVIDERS) {
    const { modules, loaded, lines } = await modulesIn(['createClient', exportName])
    const expected = id === 'kling' ? [adapter(id), tokens] : [adapter(id)]
    for (const file of expected) assert.ok(modules.has(file), `${exportName} bundle holds ${file}`)
    assert.deepEqual(
      optional.filter((file) => modules.has(file) && !expected.includes(file)),
      [],
      `a bundle of createClient + ${exportName} holds code it does not use`,
    )
    // Kling's token signer loads on the first signed request (src/providers/kling.ts).
    assert.ok(!loaded.has(tokens), `importing createClient + ${exportName} loads ${tokens}`)
    // A converted factory loads its adapter with `import()` on first use (`Provider.load`), and
    // `createClient` its core on its first call: importing them evaluates neither. (A factory
    // file still a stub re-exports the adapter's factory, so its adapter loads on import.)
    if (lazyFactories.includes(id)) {
      assert.ok(!loaded.has(adapter(id)), `importing ${exportName} loads ${adapter(id)}`)
    }
    assert.ok(modules.has('src/client/core.ts'), 'the scan sees the client core')
    assert.ok(
      !loaded.has('src/client/core.ts'),
      `importing createClient + ${exportName} loads src/client/core.ts`,
    )
    const modelLines = lines.get('src/model-schemas.ts') ?? new Set()
    assert.deepEqual(
      droppableSchemas.filter((name) =>
        declarationLines(name).some((line) => modelLines.has(line)),
      ),
      [],
      `a bundle of createClient + ${exportName} holds src/model-schemas.ts schemas it never parses with`,
    )
    // DOWNLOAD_DEFAULTS comes from its own module (src/download/defaults.ts): the download
    // option resolver loads with the download code, on first use.
    assert.ok(modules.has('src/download/options.ts'), 'the scan sees the download options')
    assert.ok(
      !loaded.has('src/download/options.ts'),
      `importing createClient + ${exportName} loads the download option resolver`,
    )
  }
  // The schemas are still there for a program that uses them (the scan can see them).
  const withSchema = await modulesIn(['createClient', 'doubao'], ['VideoTaskSchema'])
  assert.ok(
    declarationLines('VideoTaskSchema').some((line) =>
      withSchema.lines.get('src/model-schemas.ts')?.has(line),
    ),
    'a bundle that imports VideoTaskSchema holds it',
  )
  // Checking a config file's provider id ships no adapter either.
  const { modules: idCheck } = await modulesIn(['isBuiltInProviderId', 'BUILT_IN_PROVIDER_IDS'])
  // The id list and check are in the public registry (src/providers/built-in.ts).
  assert.ok(idCheck.has('src/providers/built-in.ts'), 'the id check is in its bundle')
  assert.deepEqual(
    [...lazyFactories.map(adapter), tokens].filter((file) => idCheck.has(file)),
    [],
    'a bundle of isBuiltInProviderId holds no adapter',
  )
}
// The bin, built: it imports the SDK through the package's own entry points.
const { execFileSync } = await import('node:child_process')
const version = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version
const printed = execFileSync(
  process.execPath,
  [new URL('../dist/cli.js', import.meta.url).pathname, '--version'],
  { encoding: 'utf8' },
)
assert.equal(printed.trim(), version)
console.log(
  `smoke: ${names.length} exports from ESM and CJS, ${engineNames.length} from video-tasks/engine (none of them from the main entry); errors recognised across copies;`,
)
console.log(
  'smoke: video-tasks/simulator imports both ways; a wait against it succeeded; the bin runs',
)
console.log(
  'smoke: esbuild browser and neutral bundles (no externals) hold no undici or node: and wait through fetch',
)
console.log(
  `smoke: createClient + one provider, bundled for browsers, holds that adapter only (${esm.BUILT_IN_PROVIDERS.length} providers), no VideoTaskSchema, download option resolver, client core or token signer on import; isBuiltInProviderId, none`,
)
console.log(
  `smoke: the lazy path (doubao, built package, fresh ESM and CJS processes) reads a task; adapters loaded on first use: ${lazyFactories.join(', ')}`,
)
