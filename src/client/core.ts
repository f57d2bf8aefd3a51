import type { ClientOptions, GetTaskOptions, VideoTaskClient } from '../client.js'
import { VideoTaskError } from '../errors.js'
import { followSignals, markShared } from '../internal/abort-hub.js'
import type { RetryListener } from '../logger.js'
import type { VideoTask, VideoTaskDetails } from '../model.js'
import { checkGetTaskOptions } from '../options/call-options.js'
import type { ResolvedClientOptions } from '../options/resolve-options.js'
import {
  type ResolvedScheduleOptions,
  resolveScheduleOptions,
} from '../options/schedule-options.js'
import type { Provider } from '../providers/define-provider.js'
import { retryTransient } from '../retry-policy.js'
import type { TaskIdOrRef } from '../task-ref.js'
import {
  cancelRequestsOn,
  createDownloadTransport,
  createTransport,
  type DownloadTransport,
} from '../transport.js'
import type { LoopDependencies, PollLoop } from '../wait/poll-loop.js'
import { type PollState, parsePollState } from '../wait/poll-state.js'
import { RateLimiter } from '../wait/rate-limiter.js'
import type { WaitHost } from '../wait/subscription.js'
import { TimerQueue } from '../wait/timer-queue.js'
import { watchIterator } from '../wait/watch.js'
import { createClientLog, errorFields } from './log.js'
import { createReader } from './read.js'
import { type SubmitContext, taskIdOf } from './submit-context.js'
import { createWaits } from './waits.js'

/*
 * The client itself, built from checked options. `createClient` (src/client.ts) loads this module
 * with `import()` on the first call, together with the provider's adapter, so that `import
 * 'video-tasks'` does not parse the wait engine, the transport and the retry engine (issue 12,
 * "Cost of importing it"). The wait engine (src/wait/) knows time, the reader (read.ts) joins the
 * provider, the transport and the retry policy; this file puts a client together from them.
 */

type Submitter<TDetails extends VideoTaskDetails> = ReturnType<
  typeof import('./submit.js').createSubmitter<TDetails>
>

/**
 * A client from options `createClient` checked (`resolved`), for a provider whose members are
 * ready (loaded). Internal: users call `createClient`.
 */
export function createClientCore<TDetails extends VideoTaskDetails>(
  options: ClientOptions<TDetails>,
  resolved: ResolvedClientOptions<Provider<TDetails>>,
): VideoTaskClient<TDetails> {
  const { provider, clock, random, maxRequestsPerSecond, defaults, onRetry } = resolved
  const log = createClientLog(resolved.log.logger, resolved.log.level)
  const ownsTransport = options.transport === undefined
  const transport = options.transport ?? createTransport(options)
  const queue = new TimerQueue(clock)
  const limiter = new RateLimiter(queue, maxRequestsPerSecond)
  const routes = new Map<string, string>()
  const reader = createReader(provider, transport, limiter, queue, random, (id) => routes.get(id), {
    log,
    onRetry,
  })
  let closed = false
  const closedError = () => new VideoTaskError('This video-tasks client is closed')
  // Aborted by close(): every getTask and observe in flight (a read, a rate-limit slot, a retry
  // sleep) and every group stops at once with the closed error, so no request leaves after
  // close() resolves.
  const closing = new AbortController()
  // A call without a signal of its own passes this one down as is: on Node 20 an AbortController
  // costs about 5 µs (makeTransferable), a sixth of a read's CPU (bench/profile.mjs sdk-get).
  // Every layer below removes its listener when its part ends (test/client/signal.test.ts counts
  // them); a transport the user passed in joins it through one relay for all its requests
  // (markShared, SignalRelay), the client's own cancels all its requests on it. Retry sleeps and rate-capped slots still listen on it directly, any number at
  // once: on Node that must not warn (MaxListenersExceededWarning). EventTarget elsewhere does not.
  unlimitedListeners(closing.signal)
  markShared(closing.signal)
  // The transport this client made cancels all its requests when the client closes, so reads
  // that carry the closing signal give undici none (cancelRequestsOn says why).
  const cancelRequests = ownsTransport ? cancelRequestsOn(transport, closing.signal) : undefined
  /** The signal of one call: the client's own when the caller gave none. */
  const sharedCall = { signal: closing.signal, release: () => {} }
  const callSignal = (signal: AbortSignal | undefined) =>
    signal === undefined ? sharedCall : followSignals(signal, closing.signal)
  const loops = new Map<string, PollLoop>()
  // One object for all of this client's loops.
  const loopDependencies: LoopDependencies = {
    read: reader.read,
    reports: reader,
    queue,
    random,
    onIdle: (idle) => {
      if (loops.get(idle.taskId) === idle) loops.delete(idle.taskId)
    },
  }
  const host: WaitHost = {
    queue,
    waits: new Set(),
    loops,
    loopDependencies,
    providerId: provider.id,
  }
  let downloads: DownloadTransport | undefined
  const retryRuntime = {
    sleep: (delayMs: number, signal: AbortSignal | undefined) =>
      queue.sleepUntil(queue.now() + delayMs, signal),
    random,
  }

  const { start, wait, group } = createWaits<TDetails>({
    host,
    provider,
    clientOptions: options,
    defaults,
    closedError: () => (closed ? closedError() : null),
    closing: closing.signal,
  })

  const submitContext: SubmitContext<TDetails> = {
    ...{ provider, transport, limiter, queue, random, defaults, routes },
    closedError: () => (closed ? closedError() : null),
  }
  // Loaded on the first submit, generate or cancel: a process that only waits never parses the
  // create path and its input checks (bench figure 5).
  let submitter: Promise<Submitter<TDetails>> | undefined
  const loadSubmitter = () =>
    (submitter ??= import('./submit.js').then(({ createSubmitter }) =>
      createSubmitter(submitContext),
    ))
  const idOf = (idOrRef: TaskIdOrRef, where: string) => taskIdOf(submitContext, idOrRef, where)
  // Not an array: left to `group`, which refuses it with its own message.
  // getTask with a signal of its own (followed beside the closing one) or a warn log.
  const getTaskWatched = async (
    taskId: string,
    settings: ResolvedScheduleOptions,
    signal: AbortSignal | undefined,
    onRetry: RetryListener | undefined,
  ): Promise<VideoTask<TDetails>> => {
    const call = callSignal(signal)
    try {
      const result = await reader.read(taskId, settings, call.signal, noop, undefined, onRetry)
      return result.task
    } catch (error) {
      if (reader.logs('warn') && !call.signal?.aborted && error instanceof VideoTaskError) {
        if (error.retryable) {
          reader.log(
            'warn',
            taskId,
            `giving up on reading task ${taskId} after ${settings.retries + 1} attempts`,
            {
              attempts: settings.retries + 1,
              ...errorFields(error),
            },
          )
        }
      }
      throw error
    } finally {
      call.release()
    }
  }
  const idsOf = (idsOrRefs: readonly TaskIdOrRef[], where: string) =>
    (Array.isArray(idsOrRefs)
      ? idsOrRefs.map((each) => (typeof each === 'string' ? each : idOf(each, where)))
      : idsOrRefs) as readonly string[]

  const client: VideoTaskClient<TDetails> = {
    provider,
    getTask(idOrRef, getOptions) {
      let taskId: string
      let settings: ResolvedScheduleOptions
      try {
        if (closed) throw closedError()
        taskId = idOf(idOrRef, 'getTask')
        checkGetTaskOptions(getOptions === undefined ? NO_OPTIONS : getOptions)
        settings =
          getOptions?.retries === undefined
            ? defaults
            : resolveScheduleOptions(provider.pollDefaults, options, {
                retries: getOptions.retries,
              })
      } catch (error) {
        return Promise.reject(error)
      }
      const onRetry = getOptions?.onRetry
      // The common call (no signal of its own, no warn log) is one promise on top of the read:
      // an async wrapper with its try/finally cost about 0.4 KB and 1 µs a read (npm run bench
      // figure 1 at 1,000 reads in flight).
      if (getOptions?.signal === undefined && !reader.logs('warn')) {
        return reader.read(taskId, settings, closing.signal, noop, undefined, onRetry).then(taskOf)
      }
      return getTaskWatched(taskId, settings, getOptions?.signal, onRetry)
    },
    async observe(idOrRef, observeOptions = {}) {
      if (closed) throw closedError()
      const taskId = idOf(idOrRef, 'observe')
      checkGetTaskOptions(observeOptions, 'observe')
      const call = callSignal(observeOptions.signal)
      try {
        return await reader.observe(taskId, call.signal)
      } finally {
        call.release()
      }
    },
    // Not async: an async wrapper holds one more promise and reaction per wait (96 B, npm run
    // bench figure 2) for as long as the wait lasts.
    waitFor(idOrRef, waitOptions) {
      let taskId: string
      try {
        taskId = idOf(idOrRef, 'waitFor')
      } catch (error) {
        return Promise.reject(error)
      }
      return wait(taskId, waitOptions)
    },
    async download(task, downloadOptions) {
      if (closed) throw closedError()
      // Loaded on first use: a process that only waits never evaluates the download code.
      const { downloadTask } = await import('./download.js')
      // One listener on a user's signal shared by many downloads (the hub's), and close() stops
      // them: below here everything listens on this call's own signal.
      const given =
        typeof downloadOptions === 'object' && downloadOptions !== null
          ? downloadOptions.signal
          : undefined
      const call =
        given === undefined || given instanceof AbortSignal
          ? followSignals(given, closing.signal)
          : undefined
      const callOptions = call ? { ...downloadOptions, signal: call.signal } : downloadOptions
      try {
        return await downloadTask(
          {
            provider,
            transport,
            downloadTransport: () => {
              downloads ??= createDownloadTransport({ fetch: options.fetch })
              return downloads
            },
            taskIdOf: (target) => idOf(target, 'download'),
            getTask: (taskId, signal) => client.getTask(taskId, { signal }),
            retry: (attempt, signal) =>
              retryTransient(attempt, defaults.retries, defaults, retryRuntime, signal),
            now: () => queue.now(),
          },
          task,
          callOptions,
        )
      } finally {
        call?.release()
      }
    },
    nudge(task) {
      const taskId = idOf(task, 'nudge')
      return loops.get(taskId)?.nudge() ?? false
    },
    resume(state, waitOptions) {
      let parsed: PollState
      try {
        parsed = parsePollState(state)
      } catch (error) {
        return Promise.reject(error)
      }
      if (parsed.provider !== provider.id) {
        return Promise.reject(
          new TypeError(
            `Expected \`state\` of provider ${provider.id}, got one of ${parsed.provider}`,
          ),
        )
      }
      return wait(parsed.taskId, waitOptions, 'resume', parsed)
    },
    watch: (idOrRef, waitOptions = {}) =>
      watchIterator<TDetails>((sink) =>
        start(idOf(idOrRef, 'watch'), waitOptions, 'watch', null, sink),
      ),
    submit: async (input, submitOptions) => (await loadSubmitter()).submit(input, submitOptions),
    async generate(input, generateOptions = {}) {
      if (closed) throw closedError()
      const submitter = await loadSubmitter()
      const { submitOptions, waitOptions, onSubmitted } =
        submitter.checkGenerateOptions(generateOptions)
      const startedAt = queue.now()
      const ref = await submitter.submit(input, submitOptions)
      if (onSubmitted) await onSubmitted(ref)
      let reads = 0
      const { timeoutMs } = waitOptions
      const task = await wait(
        ref.taskId,
        {
          ...waitOptions,
          // The deadline counts from the submit.
          ...(timeoutMs === undefined || timeoutMs === Number.POSITIVE_INFINITY
            ? {}
            : { timeoutMs: Math.max(1, timeoutMs - (queue.now() - startedAt)) }),
          onPollState: (state) => {
            reads = state.reads
            waitOptions.onPollState?.(state)
          },
        },
        'generate',
      )
      const outputs = provider.outputs?.(task)
      return {
        task,
        ref,
        elapsedMs: Math.round(queue.now() - startedAt),
        reads,
        ...(outputs === undefined ? {} : { outputs }),
      }
    },
    cancel: async (idOrRef, cancelOptions) =>
      (await loadSubmitter()).cancel(idOrRef, cancelOptions),
    async waitForAll(taskIds, waitOptions = {}) {
      const ids = idsOf(taskIds, 'waitForAll')
      return group(ids, waitOptions, 'waitForAll', (waits) => Promise.all(waits))
    },
    async waitForAny(taskIds, waitOptions = {}) {
      const ids = idsOf(taskIds, 'waitForAny')
      return group(ids, waitOptions, 'waitForAny', (waits) => Promise.any(waits))
    },
    async close() {
      if (closed) return
      closed = true
      const error = closedError()
      closing.abort(error)
      cancelRequests?.()
      // Leaving stops each loop, which aborts its read in flight and cancels its sleep.
      for (const subscription of [...host.waits]) subscription.leave(error)
      if (ownsTransport) await transport.close()
      await downloads?.close()
    },
    [Symbol.asyncDispose]() {
      return client.close()
    },
  }
  return client
}

/**
 * Lifts Node's listener warning limit on a signal the client shares between its own calls
 * (`events.setMaxListeners`, reached through `process.getBuiltinModule` so that no `node:` import
 * enters the bundle); a no-op where there is no such API.
 */
const NO_OPTIONS: GetTaskOptions = Object.freeze({})
const noop = () => {}
const taskOf = <TTask>(read: { task: TTask }): TTask => read.task

function unlimitedListeners(signal: AbortSignal): void {
  try {
    const node = (
      globalThis as {
        process?: { getBuiltinModule?: (id: string) => unknown }
      }
    ).process
    const events = node?.getBuiltinModule?.('node:events') as
      | { setMaxListeners?: (n: number, ...targets: EventTarget[]) => void }
      | undefined
    events?.setMaxListeners?.(0, signal)
  } catch {}
}
