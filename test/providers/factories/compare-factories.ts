import { relative, resolve } from 'node:path'
import * as esbuild from 'esbuild'
import { expect } from 'vitest'
import type { CreateRequestInput } from '../../../src/providers/kit/lifecycle.js'
import type { Provider, ProviderResponse } from '../../../src/providers/kit/types.js'
import { expectNoSecret } from '../../support/assertions.js'

/*
 * What every lazy factory test (test/providers/factories/<id>.test.ts) holds a public factory
 * (src/providers/factories.ts) to: the adapter's eager factory's behaviour, message for
 * message, before and after the adapter loads.
 */

// biome-ignore lint/suspicious/noExplicitAny: each vendor's details and provider input differ.
type AnyProvider = Provider<any, any>
// biome-ignore lint/suspicious/noExplicitAny: the factories take each vendor's own options.
type Factory = (options: any) => AnyProvider

/** What `build` threw, or `undefined` when it returned. */
function thrown(build: () => unknown): unknown {
  try {
    build()
  } catch (error) {
    return error
  }
  return undefined
}

/**
 * Both factories refuse `options` synchronously with a `TypeError` of the same message, which
 * repeats no `secret` given.
 */
export function expectSameRefusal(
  publicFactory: Factory,
  eagerFactory: Factory,
  options: unknown,
  secret?: string,
): void {
  const fromEager = thrown(() => eagerFactory(options))
  const fromPublic = thrown(() => publicFactory(options))
  expect(fromEager, 'the eager factory refuses').toBeInstanceOf(TypeError)
  expect(fromPublic, 'the public factory refuses, at once').toBeInstanceOf(TypeError)
  expect((fromPublic as Error).message).toBe((fromEager as Error).message)
  if (secret !== undefined) expectNoSecret(secret, fromPublic)
}

/** A provider not loaded yet: the eager one's facts, members that say to load it, no key shown. */
export function expectUnloaded(lazy: AnyProvider, ready: AnyProvider, key?: string): void {
  expect(lazy.load, 'a lazy provider has load()').toBeTypeOf('function')
  expect(lazy.id).toBe(ready.id)
  expect(lazy.baseURL).toBe(ready.baseURL)
  expect(lazy.pollDefaults).toEqual(ready.pollDefaults)
  for (const use of [
    () => lazy.buildRequest('task_1'),
    () => lazy.parseResponse({} as ProviderResponse),
  ]) {
    expect(use).toThrow(TypeError)
    expect(use).toThrow(/load\(\)/)
  }
  // The create members come with the adapter: a client loads it before it creates.
  expect(lazy.buildCreateRequest).toBeUndefined()
  if (key !== undefined) expectNoSecret(key, lazy)
}

/**
 * `loaded` (a public provider after `load()`, or one created once the adapter was loaded) builds
 * what `ready` (the eager factory's, same options) builds: the read, and the create for `input`.
 */
export function expectSameRequests(
  loaded: AnyProvider,
  ready: AnyProvider,
  input?: CreateRequestInput<Record<string, unknown>>,
): void {
  expect(loaded.load, 'a loaded provider loads nothing more').toBeUndefined()
  expect(loaded.id).toBe(ready.id)
  expect(loaded.baseURL).toBe(ready.baseURL)
  expect(loaded.pollDefaults).toEqual(ready.pollDefaults)
  expect(Object.keys(loaded).sort()).toEqual(Object.keys(ready).sort())
  expect(loaded.buildRequest('task_1')).toEqual(ready.buildRequest('task_1'))
  expect(loaded.idempotencyHeader).toBe(ready.idempotencyHeader)
  if (input !== undefined) {
    expect(loaded.buildCreateRequest?.(input)).toEqual(ready.buildCreateRequest?.(input))
  }
}

/**
 * For each of `optionsList` (good options), the public factory's provider before load
 * ({@link expectUnloaded}) and once `load()` resolved ({@link expectSameRequests}) against the
 * eager factory's. Resolves with the loaded providers, in order.
 */
export async function expectLoadsTheSame<TOptions>(
  publicFactory: (options: TOptions) => AnyProvider,
  eagerFactory: (options: TOptions) => AnyProvider,
  optionsList: readonly TOptions[],
  key: string,
  inputFor?: (options: TOptions) => CreateRequestInput<Record<string, unknown>> | undefined,
): Promise<AnyProvider[]> {
  const pairs = optionsList.map((options) => ({
    options,
    lazy: publicFactory(options),
    ready: eagerFactory(options),
  }))
  for (const { lazy, ready } of pairs) expectUnloaded(lazy, ready, key)
  const loaded = await Promise.all(
    pairs.map(async (pair) => ({ ...pair, loaded: await (pair.lazy.load?.() ?? pair.lazy) })),
  )
  for (const { options, loaded: provider, ready } of loaded) {
    expectSameRequests(provider, ready, inputFor?.(options))
  }
  return loaded.map((pair) => pair.loaded)
}

/**
 * The source files a program importing `file` loads at once, and those it loads only through an
 * `import()`: `file` bundled by esbuild for the browser, split, tree-shaken (paths relative to
 * the repository, only files that kept some code).
 */
export async function bundledInputs(file: string): Promise<{ atOnce: string[]; later: string[] }> {
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    splitting: true,
    outdir: 'bundled-inputs',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const outputs = result.metafile.outputs
  const entry = Object.keys(outputs).find((path) => {
    const entryPoint = outputs[path]?.entryPoint
    return entryPoint !== undefined && resolve(entryPoint) === resolve(file)
  })
  expect(entry, 'the entry has an output').toBeDefined()
  const loaded = new Set([entry as string])
  for (const path of loaded) {
    for (const imported of outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && imported.path in outputs) {
        loaded.add(imported.path)
      }
    }
  }
  const inputsOf = (paths: string[]) =>
    paths.flatMap((path) =>
      Object.entries(outputs[path]?.inputs ?? {})
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([input]) => relative(process.cwd(), resolve(input)).replaceAll('\\', '/')),
    )
  return {
    atOnce: inputsOf([...loaded]),
    later: inputsOf(Object.keys(outputs).filter((path) => !loaded.has(path))),
  }
}
