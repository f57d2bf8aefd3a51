import type { VideoTaskDetails } from '../model.js'
import type { ResolvedScheduleOptions } from '../options/schedule-options.js'
import type { Provider } from '../providers/define-provider.js'
import { assertTaskId } from '../providers/kit/task-id.js'
import { isTaskRef, parseTaskRef, type TaskIdOrRef, type TaskRef } from '../task-ref.js'
import type { Transport } from '../transport.js'
import type { RateLimiter } from '../wait/rate-limiter.js'
import type { TimerQueue } from '../wait/timer-queue.js'

/*
 * What a client's create, cancel and every ref-taking call share. Apart from submit.ts: every
 * call resolves refs, while submit.ts (with the input checks of video-input.ts) is loaded with
 * import() on the first submit, generate or cancel (bench figure 5).
 */

/** What the client's create, cancel and ref handling share. */
export interface SubmitContext<TDetails extends VideoTaskDetails> {
  provider: Provider<TDetails>
  transport: Transport
  limiter: RateLimiter
  queue: TimerQueue
  random: () => number
  /** The client's resolved schedule: `retries` and the delays between retries. */
  defaults: ResolvedScheduleOptions
  /** The error to refuse a call with once the client is closed, else `null`. */
  closedError(): Error | null
  /** Route families of tasks seen in refs (or created), by task id, for `buildRequest`. */
  routes: Map<string, string>
}

/**
 * The task id of an id or a {@link TaskRef}, after checking that the ref belongs to this
 * client's provider (its id and its base URL's origin). Remembers a ref's route.
 */
export function taskIdOf<TDetails extends VideoTaskDetails>(
  context: Pick<SubmitContext<TDetails>, 'provider' | 'routes'>,
  idOrRef: TaskIdOrRef,
  where: string,
): string {
  if (typeof idOrRef === 'string' || !isTaskRefLike(idOrRef)) {
    assertTaskId(idOrRef)
    return idOrRef
  }
  const ref = parseTaskRef(idOrRef)
  const { provider } = context
  if (ref.provider !== provider.id) {
    throw new TypeError(
      `Expected a TaskRef of provider ${provider.id} in ${where}, got one of ${ref.provider}`,
    )
  }
  const origin = new URL(provider.baseURL).origin
  if (ref.origin !== origin) {
    throw new TypeError(
      `Expected a TaskRef for ${origin} in ${where}, got one for ${ref.origin}: the key is only sent to the client's own origin`,
    )
  }
  assertTaskId(ref.taskId)
  if (ref.route !== undefined) context.routes.set(ref.taskId, ref.route)
  return ref.taskId
}

function isTaskRefLike(value: unknown): value is TaskRef {
  return isTaskRef(value) || (typeof value === 'object' && value !== null && 'taskId' in value)
}
