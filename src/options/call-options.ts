import type { RetryListener } from '../logger.js'
import type { VideoTaskStatus } from '../model.js'
import { VIDEO_TASK_STATUSES } from '../model-statuses.js'
import type { Provider } from '../providers/define-provider.js'
import type { SubscriptionOptions } from '../wait/subscription.js'
import { checkKnownKeys } from './check-known-keys.js'
import {
  checkFunction,
  checkScheduleOptions,
  checkSignal,
  type ResolvedScheduleOptions,
  resolveScheduleOptions,
  SCHEDULE_KEYS,
  type ScheduleOptions,
} from './schedule-options.js'

/*
 * The options of one call (a wait, `getTask`, `observe`), checked when the call is made: used by
 * the client's core only, so a module of its own that loads with it (resolve-options.ts, which
 * `createClient` runs, is in what `import 'video-tasks'` loads; issue 12).
 */

type Exhaustive<TKeys, TListed> = [Exclude<TKeys, TListed>] extends [never] ? true : never

const CALLBACK_KEYS = [
  'onUpdate',
  'onStatusChange',
  'onProgress',
  'onPollState',
  'onRetry',
] as const

const WAIT_KEYS = [
  ...SCHEDULE_KEYS,
  'signal',
  ...CALLBACK_KEYS,
  'onStatus',
] as const satisfies readonly (keyof (SubscriptionOptions & ScheduleOptions))[]
const waitKeysListed: Exhaustive<
  keyof (SubscriptionOptions & ScheduleOptions),
  (typeof WAIT_KEYS)[number]
> = true

const GET_TASK_KEYS = ['signal', 'retries', 'onRetry'] as const
const OBSERVE_KEYS = ['signal'] as const

void waitKeysListed

/** Checks a wait's options (`waitFor`, `watch`, `resume`, `waitForAll`, `waitForAny`). */
export function checkWaitOptions(
  options: unknown,
  where: string,
): asserts options is SubscriptionOptions & ScheduleOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected the options to be an object')
  }
  checkKnownKeys(options, WAIT_KEYS, `${where} options`)
  const wait = options as SubscriptionOptions & ScheduleOptions
  checkScheduleOptions(wait)
  checkSignal(wait.signal)
  for (const name of CALLBACK_KEYS) checkFunction(name, wait[name])
  if (wait.onStatus !== undefined) {
    if (typeof wait.onStatus !== 'object' || wait.onStatus === null) {
      throw new TypeError('Expected `onStatus` to be an object of functions')
    }
    for (const [status, handler] of Object.entries(wait.onStatus)) {
      // A misspelt status (`succeded`) would silently never fire.
      if (!VIDEO_TASK_STATUSES.includes(status as VideoTaskStatus)) {
        throw new TypeError(
          `Expected \`onStatus.${status}\` to be one of ${VIDEO_TASK_STATUSES.join(', ')}`,
        )
      }
      checkFunction(`onStatus.${status}`, handler)
    }
  }
}

/**
 * The schedule of one wait: the client's defaults when the wait gives no schedule option of its
 * own (shared, no allocation), else the wait's over the client's over the provider's.
 */
export function resolveWaitSettings(
  pollDefaults: Provider['pollDefaults'],
  clientOptions: ScheduleOptions,
  clientDefaults: ResolvedScheduleOptions,
  waitOptions: ScheduleOptions,
): ResolvedScheduleOptions {
  return hasScheduleOptions(waitOptions)
    ? resolveScheduleOptions(pollDefaults, clientOptions, waitOptions)
    : clientDefaults
}

function hasScheduleOptions(options: ScheduleOptions): boolean {
  for (const key of SCHEDULE_KEYS) if (options[key] !== undefined) return true
  return false
}

/** Checks `getTask`'s options, or `observe`'s (`signal` only: one request, no retries). */
export function checkGetTaskOptions(
  options: unknown,
  where: 'getTask' | 'observe' = 'getTask',
): asserts options is {
  signal?: AbortSignal | undefined
  retries?: number | undefined
  onRetry?: RetryListener | undefined
} {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected the options to be an object')
  }
  checkKnownKeys(options, where === 'getTask' ? GET_TASK_KEYS : OBSERVE_KEYS, `${where} options`)
  const { signal, retries, onRetry } = options as {
    signal?: unknown
    retries?: unknown
    onRetry?: unknown
  }
  checkSignal(signal)
  checkFunction('onRetry', onRetry)
  checkScheduleOptions({ retries: retries as number | undefined })
}
