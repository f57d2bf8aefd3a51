import type { GenericTaskOptions, GenericTaskVideoDetails } from '../generic-task.js'
import { adapterModule, lazyProvider } from '../kit/lazy-provider.js'
import { type ProviderOptions, providerCredentials } from '../kit/provider-options.js'
import type { Provider, ProviderPollDefaults } from '../kit/types.js'

/** What the `generic-task` adapter and its factory share: see {@link genericTask}. */
export const GENERIC_TASK_FACTS = {
  id: 'generic-task',
  route: { method: 'GET', path: '/task/{id}' },
  keyRequired: true,
  // Neither shape reports progress, so there is no rate to predict the finish from.
  pollDefaults: { intervalMs: 5_000, maxIntervalMs: 10_000, adaptive: false },
} as const satisfies {
  id: string
  route: { method: 'GET'; path: `/${string}{id}${string}` }
  keyRequired: boolean
  pollDefaults: ProviderPollDefaults
}

/**
 * `genericTask`'s options split into the common provider options and the checked `createPath`
 * (`undefined` when not given: the adapter's default route). Both factories call it, so a bad
 * `createPath` is the same `TypeError` from either; the common options are left to
 * `providerCredentials`, which a value that is not an object reaches as it is.
 */
export function genericTaskOptions(options: GenericTaskOptions): {
  providerOptions: ProviderOptions
  createPath: string | undefined
} {
  if (typeof options !== 'object' || options === null) {
    return { providerOptions: options, createPath: undefined }
  }
  // Taken out even when `undefined` (`createPath: config.createPath`): it is a known option, not
  // a typo for the common ones' check to refuse.
  const { createPath, ...providerOptions } = options
  if (
    createPath !== undefined &&
    (typeof createPath !== 'string' || !/^\/[^?#\s]*$/.test(createPath))
  ) {
    throw new TypeError(
      `Expected \`createPath\` to be a path starting with /, got ${shown(createPath)}`,
    )
  }
  return { providerOptions, createPath }
}

/** A wrong `createPath` for the message: a string quoted, a number as is, else its type only. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value)
  }
  // A bigint would make JSON.stringify throw, and an object or a function may be anything.
  return `a value of type ${typeof value}`
}

const adapter = /* @__PURE__ */ adapterModule<
  GenericTaskOptions,
  Provider<GenericTaskVideoDetails>
>(() => import('../generic-task.js').then((module) => module.genericTask))

/**
 * Generic task APIs (`GET {baseURL}/task/{id}`): the documented `{code, data, ...}` envelope
 * and the bare MiniMax-style object the same route may answer with.
 *
 * Polls every 5 s at first, growing to 10 s. A succeeded MiniMax-style task often has no URL, only
 * `details.fileId`: see {@link GenericTaskVideoDetails} for how to resolve it.
 *
 * The options are checked here; the adapter loads on first use (see `Provider.load`).
 *
 * @example
 * ```ts
 * const client = createClient({
 *   provider: genericTask({ baseURL: 'https://api.example.com', apiKey: process.env.TASK_API_KEY }),
 * })
 * const task = await client.waitFor('314052875571396')
 * if (!task.videoUrl && task.details.fileId) {
 *   // MiniMax: GET /v1/files/retrieve?file_id=${task.details.fileId} -> file.download_url
 * }
 * ```
 */
export function genericTask(options: GenericTaskOptions): Provider<GenericTaskVideoDetails> {
  const { id, route, keyRequired, pollDefaults } = GENERIC_TASK_FACTS
  const { providerOptions } = genericTaskOptions(options)
  const { baseURL } = providerCredentials(id, providerOptions, keyRequired, route.path)
  return lazyProvider({ id, baseURL, pollDefaults }, options, adapter)
}
