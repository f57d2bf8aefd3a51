import type { VideoTask, VideoTaskDetails, VideoTaskOf } from '../model.js'
import { checkWaitOptions, resolveWaitSettings } from '../options/call-options.js'
import {
  type ResolvedScheduleOptions,
  resolveScheduleOptions,
  type ScheduleOptions,
} from '../options/schedule-options.js'
import { assertTaskId, type Provider } from '../providers/define-provider.js'
import { groupWaits } from '../wait/group-waits.js'
import type { PollState } from '../wait/poll-state.js'
import {
  type Subscription,
  type SubscriptionOptions,
  subscribe,
  type WaitHost,
} from '../wait/subscription.js'

/** A wait's options as the client takes them (see `WaitOptions` in client.ts). */
type WaitOptions<TDetails extends VideoTaskDetails> = ScheduleOptions &
  SubscriptionOptions<TDetails>

/** What the waits of one client share. */
export interface WaitsContext<TDetails extends VideoTaskDetails> {
  /** The wait engine's host: timers, loops, pending waits. */
  host: WaitHost
  /** The client's provider. */
  provider: Provider<TDetails>
  /** The client's own options (the middle layer of every wait's schedule). */
  clientOptions: ScheduleOptions
  /** The client's resolved schedule, shared by waits without schedule options. */
  defaults: ResolvedScheduleOptions
  /** The error to refuse a new wait with once the client is closed, else `null`. */
  closedError(): Error | null
  /** Aborted, with the closed error, when the client closes. */
  closing: AbortSignal
}

/**
 * The client's waits: every call checks its id and options (naming the method in errors), then
 * subscribes to the wait engine. `group` checks once for all ids.
 */
export function createWaits<TDetails extends VideoTaskDetails>(context: WaitsContext<TDetails>) {
  const { host, provider, clientOptions, defaults } = context

  function start(
    taskId: string,
    waitOptions: WaitOptions<TDetails>,
    where: string,
    resumed: PollState | null,
    sink?: (task: VideoTask<TDetails>) => void,
  ): Subscription<TDetails> {
    const closed = context.closedError()
    if (closed) throw closed
    assertTaskId(taskId)
    checkWaitOptions(waitOptions, where)
    const settings = resolveWaitSettings(
      provider.pollDefaults,
      clientOptions,
      defaults,
      waitOptions,
    )
    waitOptions.signal?.throwIfAborted()
    const timeoutGiven = waitOptions.timeoutMs !== undefined
    return subscribe(host, taskId, waitOptions, settings, resumed, timeoutGiven, sink)
  }

  function wait(
    taskId: string,
    waitOptions: WaitOptions<TDetails> = {},
    where = 'waitFor',
    resumed: PollState | null = null,
  ): Promise<VideoTaskOf<'succeeded', TDetails>> {
    try {
      return start(taskId, waitOptions, where, resumed).promise as Promise<
        VideoTaskOf<'succeeded', TDetails>
      >
    } catch (error) {
      return Promise.reject(error)
    }
  }

  function group<T>(
    taskIds: readonly string[],
    waitOptions: WaitOptions<TDetails>,
    where: string,
    combine: (waits: Promise<VideoTaskOf<'succeeded', TDetails>>[]) => Promise<T>,
  ): Promise<T> {
    try {
      if (!Array.isArray(taskIds)) throw new TypeError('Expected `taskIds` to be an array')
      // Everything a single wait would refuse, refused once for the group (not as an
      // AggregateError of one refusal per id from waitForAny).
      const closed = context.closedError()
      if (closed) throw closed
      checkWaitOptions(waitOptions, where)
      resolveScheduleOptions(provider.pollDefaults, clientOptions, waitOptions)
      for (const taskId of taskIds) assertTaskId(taskId)
      waitOptions.signal?.throwIfAborted()
    } catch (error) {
      return Promise.reject(error)
    }
    return groupWaits(
      taskIds,
      [waitOptions.signal, context.closing],
      (id, signal) => wait(id, { ...waitOptions, signal }, where),
      combine,
    )
  }

  return { start, wait, group }
}
