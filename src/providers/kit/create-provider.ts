import { isRetryableStatus, ResponseValidationError, VideoTaskError } from '../../errors.js'
import type { VideoTask, VideoTaskDetails } from '../../model.js'
import { checkDefinition } from './check-definition.js'
import type { TaskCheck } from './check-task.js'
import { lifecycleMembers } from './create-lifecycle.js'
import { assertTaskId } from './task-id.js'
import type { Provider, ProviderDefinition } from './types.js'

/**
 * Turns a definition into a frozen {@link Provider}: checks the definition, keeps requests on the
 * base URL's origin, and turns anything but a `VideoTaskError` thrown while parsing into a
 * `ResponseValidationError`. `checkTask`, when given, checks each task too (`defineProvider`
 * passes `checkVideoTask` for user adapters; the built-in ones pass `null`, see
 * `builtInProvider`): a parameter, not an import here, so that only programs that define a
 * provider bundle `VideoTaskSchema`'s check.
 */
export function createProvider<TDetails extends VideoTaskDetails>(
  definition: ProviderDefinition<TDetails>,
  checkTask: TaskCheck | null,
): Provider<TDetails> {
  const { baseURL, pollDefaults } = checkDefinition(definition)
  const id = definition.id
  const url = (path: string) => `${baseURL}${path.startsWith('/') ? path : `/${path}`}`
  const origin = new URL(baseURL).origin
  // A URL written as `{origin}/...` has that origin: the authority ends at the first `/`. Only
  // other spellings (upper case, a default port, another host) are parsed, which costs about
  // 1 µs and 0.3 KB a read (npm run bench figure 1).
  const originPath = `${origin}/`

  const provider: Provider<TDetails> = {
    ...lifecycleMembers(definition, id, baseURL),
    id,
    baseURL,
    pollDefaults,
    buildRequest(taskId) {
      assertTaskId(taskId)
      const request = definition.buildRequest(taskId, { url })
      const onOrigin = typeof request.url === 'string' && request.url.startsWith(originPath)
      if (!onOrigin && new URL(request.url).origin !== origin) {
        throw new TypeError(
          `Provider ${id} built a request for another origin than its baseURL; credentials stay on ${origin}`,
        )
      }
      return request
    },
    parseResponse(response) {
      let task: VideoTask<TDetails>
      try {
        task = definition.parseResponse(response)
      } catch (error) {
        if (error instanceof VideoTaskError) throw error
        throw new ResponseValidationError({
          message: `Provider ${id} could not read the response: ${error instanceof Error ? error.message : String(error)} (HTTP ${response.status} from ${response.url})`,
          status: response.status,
          body: response.body,
          provider: id,
          url: response.url,
          retryable: response.status >= 500 && isRetryableStatus(response.status),
          cause: error,
        })
      }
      checkTask?.(task, response, id)
      return task
    },
  }
  if (definition.pollHintMs) {
    const hint = definition.pollHintMs
    provider.pollHintMs = (response) => {
      const value = hint(response)
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null
    }
  }
  return Object.freeze(provider)
}
