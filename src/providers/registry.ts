import type { VideoTaskDetails } from '../model.js'
import { ARK, ark } from './ark.js'
import {
  type BuiltInProvider,
  type BuiltInProviderId,
  type ProgressStyle,
  PUBLIC_BUILT_IN_PROVIDERS,
  simulatorFactory,
  simulatorOptionsOf,
} from './built-in.js'
import { CHECK_RESULT, checkResult } from './check-result.js'
import { DASHSCOPE, dashscope } from './dashscope.js'
import { DOUBAO, doubao } from './doubao.js'
import { GEMINI, gemini } from './gemini.js'
import { GENERIC_TASK, genericTask } from './generic-task.js'
import type { ProviderDescription, ProviderOptions } from './kit/index.js'
import type { Provider } from './kit/types.js'
import { KLING, kling } from './kling.js'
import { MINIMAX, minimax } from './minimax.js'
import { OPENAI, openai } from './openai.js'
import { RUNWAY, runway } from './runway.js'

/*
 * What the package exports of each built-in provider: its factory, its details type and its
 * options type if it has its own. `src/index.ts` re-exports this file.
 */
export {
  type ArkContentItem,
  type ArkOptions,
  type ArkProvider,
  type ArkProviderInput,
  type ArkRegion,
  type ArkVideoDetails,
  ark,
} from './ark.js'
export {
  type CheckResultCreateOptions,
  type CheckResultOptions,
  type CheckResultVideoDetails,
  checkResult,
} from './check-result.js'
export {
  type DashScopeOptions,
  type DashScopeProvider,
  type DashScopeProviderInput,
  type DashScopeRegion,
  type DashScopeVideoDetails,
  dashscope,
} from './dashscope.js'
export { type DoubaoProviderInput, type DoubaoVideoDetails, doubao } from './doubao.js'
export {
  type GeminiOptions,
  type GeminiProviderInput,
  type GeminiVideoDetails,
  gemini,
} from './gemini.js'
export {
  type GenericTaskOptions,
  type GenericTaskProviderInput,
  type GenericTaskVideoDetails,
  genericTask,
} from './generic-task.js'
export {
  type KlingOptions,
  type KlingProviderInput,
  type KlingRoute,
  type KlingVideoDetails,
  kling,
} from './kling.js'
export {
  type MiniMaxInput,
  type MiniMaxVideoDetails,
  minimax,
  minimaxCallbackAnswer,
} from './minimax.js'
export { type OpenAIProviderInput, type OpenAIVideoDetails, openai } from './openai.js'
export { type RunwayInput, type RunwayVideoDetails, runway } from './runway.js'

/*
 * The one list of built-in providers. The CLI (`--provider`), the demo, the smoke scripts and the
 * shared tests (end-to-end outcomes, fault matrix, fuzzing, secrets, boundaries) read it, so a
 * new vendor is one adapter file, one simulator vendor file, its fixtures and one entry here.
 */

/** What the shared tests need to know about one simulator dialect of a vendor. */
export interface SimulatorDialectFacts {
  /** The dialect's name, as the simulator spells it (`SimulatorDialects` in the simulator). */
  name: string
  /** Whether the dialect has a word for "cancelled"; without one a cancelled task reads as failed. */
  reportsCancelled: boolean
  /** How the dialect reports progress while a task runs. */
  progress: ProgressStyle
  /**
   * Whether a succeeded task has no public URL, only `details.contentUrl` (the official OpenAI
   * API), or only `details.fileId` (MiniMax).
   */
  video: 'url' | 'content-url' | 'file-id'
  /**
   * Whether the dialect tells a queued task from a running one; without (Gemini's operations,
   * `done` absent either way) a queued task reads as running.
   * @default true
   */
  reportsQueued?: boolean
}

/**
 * A cell of the fault matrix (test/reliability/fault-matrix-table.ts) that differs for this
 * vendor from the row's default. Typed loosely here because the providers do not import the
 * simulator; the table checks the shapes.
 */
export interface FaultCellOverride {
  /** The dialect the cell runs in, when not the vendor's default. */
  dialect?: string
  /** The faults the simulator injects, when not the row's. */
  faults?: readonly Readonly<Record<string, unknown>>[]
  /** What the wait must do, when not the row's default. */
  expect?:
    | { outcome: 'succeed'; reads: number; minElapsedMs?: number; progressWentBack?: boolean }
    | { outcome: 'reject'; error: string; reads: number }
  /** What the doc says about the cell. */
  note?: string
}

/** A fault-matrix row only some vendors can produce (Doubao's 400 `task_not_exist`). */
export interface VendorFaultRow extends FaultCellOverride {
  /** The row id, unique in the matrix. */
  id: string
  /** The fault as the doc names it. */
  label: string
  /** How the simulator injects it. */
  injection: string
  /** The id of the row this one follows in the matrix (at the end when absent). */
  after?: string
}

/** One built-in provider. */
export interface BuiltInProviderEntry {
  /** The provider id (`task.provider`, the CLI's `--provider`, the simulator's provider name). */
  id: string
  /** The vendor's name for people (`OpenAI-compatible /v1/videos`). */
  displayName: string
  /**
   * The factory users call (`openai`, `doubao`, ...). `apiKey` may be left out only when
   * {@link keyRequired} is `false`; otherwise the factory throws a `TypeError`.
   */
  factory: (
    options: Omit<ProviderOptions, 'apiKey'> & { apiKey?: string },
  ) => Provider<VideoTaskDetails>
  /** The factory's name as the package exports it (`genericTask`). */
  exportName: string
  /** The adapter as data: route, key, poll defaults, parser. */
  description: ProviderDescription<VideoTaskDetails>
  /** Whether the vendor requires an API key (`keyRequired` of the description). */
  keyRequired: boolean
  /**
   * `adaptive` when the progress is fine enough to aim at the predicted finish, `backoff` when
   * the interval only grows (`pollDefaults.adaptive`).
   */
  pollStyle: 'adaptive' | 'backoff'
  /** The simulator's dialects of this vendor; the first is the simulator's default. */
  dialects: readonly [SimulatorDialectFacts, ...SimulatorDialectFacts[]]
  /**
   * The provider pointed at a simulator (or any test server) with `apiKey`; `headers` are sent
   * on every request (the demo's `x-simulator-script`).
   */
  forSimulator(
    baseURL: string,
    apiKey: string,
    headers?: Readonly<Record<string, string>>,
  ): Provider<VideoTaskDetails>
  /**
   * Options the factory needs against the simulator beyond `{ baseURL, apiKey }` (the route a
   * relay serves where the vendor's own route is another vendor's in the simulator).
   */
  simulatorOptions?: Readonly<Record<string, unknown>>
  /**
   * What the fault matrix expects of this vendor beyond the rows' defaults: cells that differ
   * (by row id; `null` where the vendor cannot produce the fault) and rows of its own.
   */
  faultMatrix?: {
    cells?: Readonly<Record<string, FaultCellOverride | null>>
    rows?: readonly VendorFaultRow[]
  }
}

function entry<const Id extends BuiltInProviderId>(fields: {
  id: Id
  // Each factory takes its own options type; all accept `{ baseURL, apiKey }`.
  factory: (options: ProviderOptions) => Pick<Provider, 'id'>
  description: ProviderDescription<VideoTaskDetails>
  dialects: readonly [SimulatorDialectFacts, ...SimulatorDialectFacts[]]
  faultMatrix?: BuiltInProviderEntry['faultMatrix']
}): BuiltInProviderEntry & { id: Id } {
  const factory = fields.factory as unknown as BuiltInProviderEntry['factory']
  const shown = PUBLIC_BUILT_IN_PROVIDERS.find((each) => each.id === fields.id) as
    | BuiltInProvider
    | undefined
  if (shown === undefined) throw new Error(`No public entry for built-in provider ${fields.id}`)
  const { displayName, exportName } = shown
  const simulatorOptions = simulatorOptionsOf(shown)
  return Object.freeze({
    ...fields,
    displayName,
    exportName,
    ...(simulatorOptions === undefined ? {} : { simulatorOptions }),
    factory,
    keyRequired: fields.description.keyRequired,
    pollStyle: fields.description.pollDefaults.adaptive ? 'adaptive' : 'backoff',
    forSimulator: simulatorFactory(factory, simulatorOptions),
  })
}

/*
 * The calls at the top of this module are annotated pure (each builds a frozen object): a user's
 * bundler then drops the registry, and with it every adapter, when the program only uses a
 * factory or two (issue 12, "Cost of importing it"; src/providers/kit/lazy.ts says more).
 */

/** Every built-in provider, in the order the CLI and the docs list them. */
export const BUILT_IN_PROVIDERS = [
  /* @__PURE__ */ entry({
    id: 'openai',
    factory: openai,
    description: OPENAI as ProviderDescription<VideoTaskDetails>,
    dialects: [
      { name: 'official', reportsCancelled: false, progress: 'fine', video: 'content-url' },
      { name: 'gateway', reportsCancelled: true, progress: 'fine', video: 'url' },
    ],
  }),
  /* @__PURE__ */ entry({
    id: 'doubao',
    factory: doubao,
    description: DOUBAO as ProviderDescription<VideoTaskDetails>,
    dialects: [
      { name: 'gateway-upper', reportsCancelled: false, progress: 'coarse', video: 'url' },
      { name: 'legacy', reportsCancelled: false, progress: 'coarse', video: 'url' },
      { name: 'second-shape', reportsCancelled: false, progress: 'none', video: 'url' },
    ],
    faultMatrix: {
      cells: {
        'not-found': {
          dialect: 'legacy',
          note: '`legacy` dialect (the default gateway answers 400: next row)',
        },
      },
      rows: [
        {
          id: 'task-not-exist',
          after: 'not-found',
          label: '400 `task_not_exist`',
          injection: '`not-found` on the second read, Doubao `gateway-upper`',
          dialect: 'gateway-upper',
          faults: [{ kind: 'not-found', afterReads: 1, times: 1 }],
          expect: { outcome: 'reject', error: 'TaskNotFoundError', reads: 2 },
        },
      ],
    },
  }),
  /* @__PURE__ */ entry({
    id: 'generic-task',
    factory: genericTask,
    description: GENERIC_TASK as ProviderDescription<VideoTaskDetails>,
    dialects: [
      { name: 'envelope', reportsCancelled: true, progress: 'none', video: 'url' },
      { name: 'envelope-doc', reportsCancelled: true, progress: 'none', video: 'url' },
      { name: 'minimax', reportsCancelled: false, progress: 'none', video: 'file-id' },
    ],
    faultMatrix: {
      cells: { 'vendor-error-200': { note: '`code: 50429`' } },
      rows: [
        {
          id: 'vendor-error-200-minimax',
          after: 'vendor-error-200',
          label: 'a 200 carrying a vendor error code (MiniMax `base_resp`)',
          injection: '`vendor-error-200` ×1: `base_resp.status_code` 1002, then 1004',
          dialect: 'minimax',
          faults: [
            { kind: 'vendor-error-200', times: 1 },
            {
              kind: 'vendor-error-200',
              code: 1004,
              message: 'login fail',
              afterReads: 2,
              times: 1,
            },
          ],
          expect: { outcome: 'reject', error: 'AuthenticationError', reads: 3 },
          note: '1002 (rate limited) is retried, 1004 (bad key) ends the wait',
        },
      ],
    },
  }),
  /* @__PURE__ */ entry({
    id: 'check-result',
    factory: checkResult,
    description: CHECK_RESULT as ProviderDescription<VideoTaskDetails>,
    dialects: [{ name: 'documented', reportsCancelled: true, progress: 'fine', video: 'url' }],
  }),
  /* @__PURE__ */ entry({
    id: 'minimax',
    factory: minimax,
    description: MINIMAX as unknown as ProviderDescription<VideoTaskDetails>,
    dialects: [{ name: 'v1', reportsCancelled: false, progress: 'none', video: 'file-id' }],
    faultMatrix: {
      cells: {
        'vendor-error-200': { note: '`base_resp.status_code` 1002 (rate limit) in a 200' },
        unauthorized: { note: 'HTTP 200 with `base_resp` 1004 (MiniMax answers errors with 200)' },
        'not-found': { note: 'HTTP 200 with `base_resp` 2013 `invalid task_id`' },
      },
    },
  }),
  /* @__PURE__ */ entry({
    id: 'kling',
    factory: kling,
    description: KLING as ProviderDescription<VideoTaskDetails>,
    dialects: [{ name: 'tasks', reportsCancelled: false, progress: 'none', video: 'url' }],
  }),
  /* @__PURE__ */ entry({
    id: 'ark',
    factory: ark,
    description: ARK as ProviderDescription<VideoTaskDetails>,
    dialects: [
      { name: 'ark-api', reportsCancelled: true, progress: 'none', video: 'url' },
      { name: 'ark-relay', reportsCancelled: true, progress: 'none', video: 'url' },
    ],
    faultMatrix: {
      cells: {
        'vendor-error-200': {
          note: 'Ark sends errors with their status; a proxy passing a 429 body on in a 200 is read by its code',
        },
      },
    },
  }),
  /* @__PURE__ */ entry({
    id: 'dashscope',
    factory: dashscope,
    description: DASHSCOPE as ProviderDescription<VideoTaskDetails>,
    dialects: [{ name: 'dashscope', reportsCancelled: true, progress: 'none', video: 'url' }],
    faultMatrix: {
      cells: {
        'not-found': {
          note: 'HTTP 200 `UNKNOWN` (an unknown or expired id, which never changes) ends the wait at once',
        },
        'vendor-error-200': {
          note: 'DashScope sends `Throttling` as a 429; a proxy passing it on in a 200 is read by its code',
        },
      },
    },
  }),
  /* @__PURE__ */ entry({
    id: 'gemini',
    factory: gemini,
    description: GEMINI as ProviderDescription<VideoTaskDetails>,
    dialects: [
      {
        name: 'gemini-api',
        reportsCancelled: false,
        reportsQueued: false,
        progress: 'none',
        video: 'content-url',
      },
    ],
    faultMatrix: {
      cells: {
        'unknown-status': {
          expect: { outcome: 'succeed', reads: 4 },
          note: 'no status word in this API: the answer is unchanged',
        },
        'vendor-error-200': { note: "Google's `{error}` body with HTTP 200, as a relay passes it" },
      },
    },
  }),
  /* @__PURE__ */ entry({
    id: 'runway',
    factory: runway,
    description: RUNWAY as unknown as ProviderDescription<VideoTaskDetails>,
    dialects: [{ name: '2024-11-06', reportsCancelled: true, progress: 'fine', video: 'url' }],
    faultMatrix: {
      cells: {
        'vendor-error-200': { note: "a proxy's 200 `{error}`: Runway itself uses the status" },
      },
    },
  }),
] as const satisfies readonly BuiltInProviderEntry[]

/** Fails to compile when the list above and the registry's ids differ (a vendor added or gone). */
type SameIds<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const idsListed: SameIds<BuiltInProviderId, (typeof BUILT_IN_PROVIDERS)[number]['id']> = true
void idsListed

/** The registry entry of `id`, or `undefined` when no built-in provider has that id. */
export function builtInProviderEntry(id: string): BuiltInProviderEntry | undefined {
  return BUILT_IN_PROVIDERS.find((each) => each.id === id)
}

export {
  BUILT_IN_PROVIDER_IDS,
  type BuiltInProvider,
  type BuiltInProviderId,
  isBuiltInProviderId,
  type ProgressStyle,
  PUBLIC_BUILT_IN_PROVIDERS,
} from './built-in.js'
