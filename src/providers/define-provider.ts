import type { VideoTaskDetails } from '../model.js'
import { checkVideoTask } from './kit/check-task.js'
import { createProvider } from './kit/create-provider.js'
import type { Provider, ProviderDefinition } from './kit/types.js'

export { normalizeBaseURL } from './kit/base-url.js'
export { assertTaskId, encodeTaskId } from './kit/task-id.js'
export type {
  Provider,
  ProviderDefinition,
  ProviderPollDefaults,
  ProviderRequest,
  ProviderResponse,
} from './kit/types.js'

/**
 * Defines a provider for a vendor the package does not ship, with the same interface as the
 * built-in four. The result validates each task it returns against `VideoTaskSchema`, so a
 * mapping mistake is a `ResponseValidationError`, not a silent wrong answer.
 *
 * @example
 * ```ts
 * const acme = defineProvider({
 *   id: 'acme',
 *   baseURL: 'https://api.acme.test',
 *   buildRequest: (taskId, { url }) => ({
 *     method: 'GET',
 *     url: url(`/jobs/${encodeURIComponent(taskId)}`),
 *     headers: { authorization: `Bearer ${process.env.ACME_KEY}` },
 *   }),
 *   parseResponse: (response) => {
 *     const job = JSON.parse(response.body)
 *     return {
 *       id: job.id, provider: 'acme', status: job.done ? 'succeeded' : 'running',
 *       vendorStatus: String(job.state), progress: job.done ? 100 : null,
 *       videoUrl: job.url ?? null, videoUrls: job.url ? [job.url] : [], error: null,
 *       createdAt: null, completedAt: null, expiresAt: null, details: {}, raw: job,
 *     }
 *   },
 * })
 * ```
 */
export function defineProvider<TDetails extends VideoTaskDetails = VideoTaskDetails>(
  definition: ProviderDefinition<TDetails>,
): Provider<TDetails> {
  return createProvider(definition, checkVideoTask)
}
