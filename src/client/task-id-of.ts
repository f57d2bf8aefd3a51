import type { VideoTaskDetails } from '../model.js'
import type { Provider } from '../providers/define-provider.js'
import { isTaskRef } from '../task-ref.js'

/** The task id of an id, a `TaskRef` (checked against the provider) or a task. */
export function taskIdOf(
  provider: Provider<VideoTaskDetails>,
  target: unknown,
  where: string,
): string {
  if (typeof target === 'string') return target
  if (isTaskRef(target)) {
    if (target.provider !== provider.id) {
      throw new TypeError(
        `Expected a TaskRef of provider ${provider.id} in ${where}, got one of ${target.provider}`,
      )
    }
    const origin = new URL(provider.baseURL).origin
    if (target.origin !== origin) {
      throw new TypeError(
        `Expected a TaskRef created on ${origin} in ${where}, got one from ${target.origin}`,
      )
    }
    return target.taskId
  }
  throw new TypeError(`Expected a task id, a TaskRef or a task in ${where}`)
}
