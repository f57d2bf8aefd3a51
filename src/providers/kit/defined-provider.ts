import type { VideoTaskDetails } from '../../model.js'
import { checkVideoTask } from './check-task.js'
import { createProvider } from './create-provider.js'
import type { Provider, ProviderDefinition } from './types.js'

/**
 * The provider `defineProvider` returns once its code is loaded: the definition's members wrapped
 * (requests kept on the base URL's origin, parse errors typed) and each task checked as
 * `VideoTaskSchema` does. Loaded with `import()` on first use (define-provider.ts).
 */
export function definedProvider<TDetails extends VideoTaskDetails>(
  definition: ProviderDefinition<TDetails>,
): Provider<TDetails> {
  return createProvider(definition, checkVideoTask)
}
