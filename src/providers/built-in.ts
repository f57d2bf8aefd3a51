import type { VideoTaskDetails } from '../model.js'
import {
  ARK_FACTS,
  ark,
  CHECK_RESULT_FACTS,
  checkResult,
  DASHSCOPE_FACTS,
  DOUBAO_FACTS,
  dashscope,
  doubao,
  GEMINI_FACTS,
  GENERIC_TASK_FACTS,
  gemini,
  genericTask,
  KLING_FACTS,
  kling,
  MINIMAX_FACTS,
  minimax,
  OPENAI_FACTS,
  openai,
  RUNWAY_FACTS,
  runway,
} from './factories.js'
import type { ProviderOptions } from './kit/provider-options.js'
import type { Provider, ProviderPollDefaults } from './kit/types.js'

/*
 * The built-in providers as the package exports them (`BUILT_IN_PROVIDERS`): each vendor's
 * factory (factories.ts: it checks the options and loads the adapter on first use), names,
 * and the simulator's dialects. The adapters themselves are not imported here: a program that
 * imports the package, or this list, parses none of them until it uses one (issue 12, "Cost of
 * importing it"). The package's own registry (registry.ts: descriptions, fault matrix, the eager
 * factories) builds on this list for the CLI and the tests.
 */

/** How a vendor reports progress: steady percentages, a few steps, or none. */
export type ProgressStyle = 'fine' | 'coarse' | 'none'

/** The id of a built-in provider. */
export type BuiltInProviderId =
  | 'openai'
  | 'doubao'
  | 'generic-task'
  | 'check-result'
  | 'minimax'
  | 'kling'
  | 'ark'
  | 'dashscope'
  | 'gemini'
  | 'runway'

/**
 * The built-in providers' ids, in registry order.
 *
 * Written out rather than read from `BUILT_IN_PROVIDERS`, so that a program that only checks an id (a
 * config file's `provider`) does not ship every adapter; test/providers/registry.test.ts checks
 * it against the list, in order.
 */
export const BUILT_IN_PROVIDER_IDS: readonly BuiltInProviderId[] = [
  'openai',
  'doubao',
  'generic-task',
  'check-result',
  'minimax',
  'kling',
  'ark',
  'dashscope',
  'gemini',
  'runway',
]

/**
 * Options a factory needs against the simulator beyond `{ baseURL, apiKey }` (the route a relay
 * serves where the vendor's own route is another vendor's in the simulator), by public entry:
 * kept out of the entries themselves, which show users only what {@link BuiltInProvider} says.
 */
const SIMULATOR_OPTIONS = /* @__PURE__ */ new WeakMap<object, Readonly<Record<string, unknown>>>()

/** The options {@link BuiltInProvider.forSimulator} adds for `entry` (the package's registry). */
export function simulatorOptionsOf(
  entry: BuiltInProvider,
): Readonly<Record<string, unknown>> | undefined {
  return SIMULATOR_OPTIONS.get(entry)
}

/**
 * `forSimulator` of an entry: `factory` pointed at a simulator (or any test server) with `apiKey`,
 * the entry's simulator options and `headers`. The package's registry builds its own with it.
 */
export function simulatorFactory(
  factory: BuiltInProvider['factory'],
  simulatorOptions: Readonly<Record<string, unknown>> | undefined,
): BuiltInProvider['forSimulator'] {
  return (baseURL, apiKey, headers) =>
    factory({
      ...simulatorOptions,
      baseURL,
      apiKey,
      ...(headers === undefined ? {} : { headers: { ...headers } }),
    })
}

function publicEntry<const Id extends BuiltInProviderId>(fields: {
  id: Id
  displayName: string
  // Each factory takes its own options type; all accept `{ baseURL, apiKey }`.
  factory: (options: ProviderOptions) => Pick<Provider, 'id'>
  exportName: string
  /** What the adapter and its factory share: the key rule and the poll timing. */
  facts: { readonly keyRequired: boolean; readonly pollDefaults: ProviderPollDefaults }
  simulatorOptions?: Readonly<Record<string, unknown>>
  progress: ProgressStyle
}): BuiltInProvider & { id: Id } {
  const factory = fields.factory as unknown as BuiltInProvider['factory']
  const { simulatorOptions } = fields
  const entry: BuiltInProvider & { id: Id } = Object.freeze({
    id: fields.id,
    displayName: fields.displayName,
    exportName: fields.exportName,
    factory,
    keyRequired: fields.facts.keyRequired,
    pollStyle: fields.facts.pollDefaults.adaptive ? 'adaptive' : 'backoff',
    progress: fields.progress,
    forSimulator: simulatorFactory(factory, simulatorOptions),
  })
  if (simulatorOptions !== undefined) SIMULATOR_OPTIONS.set(entry, simulatorOptions)
  return entry
}

/** Whether `id` is a built-in provider's id. */
export function isBuiltInProviderId(id: string): id is BuiltInProviderId {
  return (BUILT_IN_PROVIDER_IDS as readonly string[]).includes(id)
}

/**
 * A built-in provider as the package exports it: what a program needs to offer the providers by
 * id (a config file, a CLI of its own) or to point one at the simulator. The adapter's internals
 * and the shared tests' data stay in the package.
 */
export interface BuiltInProvider {
  /** The provider id (`task.provider`, the CLI's `--provider`, the simulator's provider name). */
  readonly id: BuiltInProviderId
  /** The vendor's name for people (`OpenAI-compatible /v1/videos`). */
  readonly displayName: string
  /** The factory's name as the package exports it (`genericTask`). */
  readonly exportName: string
  /**
   * The factory (`openai`, `doubao`, ...). `apiKey` may be left out only when
   * {@link BuiltInProvider.keyRequired} is `false`; otherwise the factory throws a `TypeError`.
   */
  readonly factory: (
    options: Omit<ProviderOptions, 'apiKey'> & { apiKey?: string },
  ) => Provider<VideoTaskDetails>
  /** Whether the vendor requires an API key. */
  readonly keyRequired: boolean
  /** `adaptive` when the schedule aims at the finish predicted from progress, else `backoff`. */
  readonly pollStyle: 'adaptive' | 'backoff'
  /**
   * How fine the vendor's progress is while a task runs (in the simulator's default dialect):
   * `fine` (steady percentages, which an adaptive schedule aims with), `coarse` (a few steps), or
   * `none`.
   */
  readonly progress: ProgressStyle
  /** The provider pointed at a simulator (or any test server) with `apiKey`. */
  forSimulator(
    baseURL: string,
    apiKey: string,
    headers?: Readonly<Record<string, string>>,
  ): Provider<VideoTaskDetails>
}

/**
 * The built-in providers, in the order the CLI and the docs list them.
 *
 * @example
 * ```ts
 * import { BUILT_IN_PROVIDERS } from 'video-tasks'
 *
 * const entry = BUILT_IN_PROVIDERS.find((each) => each.id === config.provider)
 * const provider = entry?.factory({ baseURL: config.baseURL, apiKey: config.apiKey })
 * ```
 */
export const PUBLIC_BUILT_IN_PROVIDERS = /* @__PURE__ */ Object.freeze([
  /* @__PURE__ */ publicEntry({
    id: 'openai',
    displayName: 'OpenAI-compatible /v1/videos',
    factory: openai,
    exportName: 'openai',
    facts: OPENAI_FACTS,
    progress: 'fine',
  }),
  /* @__PURE__ */ publicEntry({
    id: 'doubao',
    displayName: 'Doubao (Seedance) through relay gateways',
    factory: doubao,
    exportName: 'doubao',
    facts: DOUBAO_FACTS,
    progress: 'coarse',
  }),
  /* @__PURE__ */ publicEntry({
    id: 'generic-task',
    displayName: 'Generic /task/{id} (envelope or MiniMax-style)',
    factory: genericTask,
    exportName: 'genericTask',
    facts: GENERIC_TASK_FACTS,
    simulatorOptions: { createPath: '/task/minimax/v1/video_generation' },
    progress: 'none',
  }),
  /* @__PURE__ */ publicEntry({
    id: 'check-result',
    displayName: 'POST /api/video-generations/check-result (Sora 2 resellers)',
    factory: checkResult,
    exportName: 'checkResult',
    facts: CHECK_RESULT_FACTS,
    progress: 'fine',
  }),
  /* @__PURE__ */ publicEntry({
    id: 'minimax',
    displayName: 'MiniMax (Hailuo) native API',
    factory: minimax,
    exportName: 'minimax',
    facts: MINIMAX_FACTS,
    progress: 'none',
  }),
  /* @__PURE__ */ publicEntry({
    id: 'kling',
    displayName: 'Kling (Kuaishou) native API',
    factory: kling,
    exportName: 'kling',
    facts: KLING_FACTS,
    progress: 'none',
  }),
  /* @__PURE__ */ publicEntry({
    id: 'ark',
    displayName: 'Seedance on Volcengine Ark / BytePlus ModelArk (native)',
    factory: ark,
    exportName: 'ark',
    facts: ARK_FACTS,
    progress: 'none',
  }),
  /* @__PURE__ */ publicEntry({
    id: 'dashscope',
    displayName: 'Wan on Alibaba Cloud Model Studio (DashScope, native)',
    factory: dashscope,
    exportName: 'dashscope',
    facts: DASHSCOPE_FACTS,
    progress: 'none',
  }),
  /* @__PURE__ */ publicEntry({
    id: 'gemini',
    displayName: 'Veo on the Gemini API',
    factory: gemini,
    exportName: 'gemini',
    facts: GEMINI_FACTS,
    progress: 'none',
  }),
  /* @__PURE__ */ publicEntry({
    id: 'runway',
    displayName: 'Runway developer API',
    factory: runway,
    exportName: 'runway',
    facts: RUNWAY_FACTS,
    progress: 'fine',
  }),
] as const satisfies readonly BuiltInProvider[])

/** Fails to compile when the id list and the entries' ids differ (a vendor added or gone). */
type SameIds<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const idsListed: SameIds<BuiltInProviderId, (typeof PUBLIC_BUILT_IN_PROVIDERS)[number]['id']> = true
void idsListed
