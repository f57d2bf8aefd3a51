import { ResponseValidationError, VideoTaskError } from '../../errors.js'
import type { VideoTaskDetails } from '../../model.js'
import { apiError } from './api-error.js'
import { checkLifecycle } from './check-definition.js'
import type { DefinitionLifecycle, ProviderCreateRequest, ProviderLifecycle } from './lifecycle.js'
import { assertTaskId } from './task-id.js'
import type { ProviderRequest, ProviderResponse } from './types.js'

/**
 * The create and cancel members of a provider, from its definition: the definition's members
 * checked (both halves of create given, a valid header name), their requests kept on the base
 * URL's origin, and anything but a `VideoTaskError` thrown while parsing turned into a
 * `ResponseValidationError`. Members the definition lacks stay absent.
 */
export function lifecycleMembers<TDetails extends VideoTaskDetails>(
  definition: DefinitionLifecycle<TDetails>,
  id: string,
  baseURL: string,
): ProviderLifecycle<TDetails> {
  const members: ProviderLifecycle<TDetails> = {}
  const { buildCreateRequest, parseCreateResponse, buildCancelRequest, parseCancelResponse } =
    definition
  const { header } = checkLifecycle(definition)
  const origin = new URL(baseURL).origin
  const helpers = { url: (path: string) => `${baseURL}${path.startsWith('/') ? path : `/${path}`}` }
  const onOrigin = <T extends ProviderRequest | ProviderCreateRequest>(
    request: T,
    what: string,
  ) => {
    if (new URL(request.url).origin !== origin) {
      throw new TypeError(
        `Provider ${id} built a ${what} request for another origin than its baseURL; credentials stay on ${origin}`,
      )
    }
    return request
  }
  if (buildCreateRequest && parseCreateResponse) {
    members.buildCreateRequest = (input) => onOrigin(buildCreateRequest(input, helpers), 'create')
    members.parseCreateResponse = (response) => {
      const created = guarded(id, response, () => parseCreateResponse(response))
      try {
        assertTaskId(created?.taskId)
      } catch (error) {
        throw unreadable(id, response, error)
      }
      return { ...created, task: created.task ?? null }
    }
    if (header !== undefined) (members as { idempotencyHeader?: string }).idempotencyHeader = header
  }
  if (buildCancelRequest) {
    members.buildCancelRequest = (taskId, route) => {
      assertTaskId(taskId)
      return onOrigin(buildCancelRequest(taskId, helpers, route), 'cancel')
    }
    members.parseCancelResponse = (response) =>
      guarded(id, response, () => {
        if (parseCancelResponse) return parseCancelResponse(response)
        if (response.status < 200 || response.status >= 300) throw apiError({ response })
      })
  }
  return members
}

function guarded<T>(id: string, response: ProviderResponse, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof VideoTaskError) throw error
    throw unreadable(id, response, error)
  }
}

function unreadable(id: string, response: ProviderResponse, error: unknown) {
  return new ResponseValidationError({
    message: `Provider ${id} could not read the answer: ${error instanceof Error ? error.message : String(error)} (HTTP ${response.status} from ${response.url})`,
    status: response.status,
    body: response.body,
    provider: id,
    url: response.url,
    retryable: response.status >= 500,
    cause: error,
  })
}
