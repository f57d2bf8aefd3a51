import { checkResult } from '../../src/providers/check-result.js'
import type { Provider } from '../../src/providers/define-provider.js'
import { doubao } from '../../src/providers/doubao.js'
import { genericTask } from '../../src/providers/generic-task.js'
import { openai } from '../../src/providers/openai.js'

/** The four built-in providers by id. */
export const PROVIDER_NAMES = ['openai', 'doubao', 'generic-task', 'check-result'] as const
export type ProviderName = (typeof PROVIDER_NAMES)[number]

/** A built-in provider on `baseURL` with `apiKey`. */
export function makeProvider(name: ProviderName, baseURL: string, apiKey: string): Provider {
  switch (name) {
    case 'openai':
      return openai({ baseURL, apiKey })
    case 'doubao':
      return doubao({ baseURL, apiKey })
    case 'generic-task':
      return genericTask({ baseURL, apiKey })
    case 'check-result':
      return checkResult({ baseURL, apiKey })
  }
}

/** The path each provider reads a task from, before the encoded id (check-result: the whole path). */
export const STATUS_PATHS: Record<ProviderName, string> = {
  openai: '/v1/videos/',
  doubao: '/v1/video/generations/',
  'generic-task': '/task/',
  'check-result': '/api/video-generations/check-result',
}
