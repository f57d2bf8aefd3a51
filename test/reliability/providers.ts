import type { Provider } from '../../src/providers/define-provider.js'
import {
  BUILT_IN_PROVIDER_IDS,
  type BuiltInProviderId,
  builtInProviderEntry,
} from '../../src/providers/registry.js'

/** The built-in providers by id, from the registry. */
export const PROVIDER_NAMES = BUILT_IN_PROVIDER_IDS
export type ProviderName = BuiltInProviderId

/** A built-in provider on `baseURL` with `apiKey`. */
export function makeProvider(name: ProviderName, baseURL: string, apiKey: string): Provider {
  const entry = builtInProviderEntry(name)
  if (!entry) throw new Error(`No built-in provider ${name}`)
  return entry.forSimulator(baseURL, apiKey)
}

/**
 * The path each provider reads a task from, before the encoded id (a POST route: the whole
 * path), from the route in its registry entry.
 */
export const STATUS_PATHS = Object.fromEntries(
  BUILT_IN_PROVIDER_IDS.map((name) => {
    const route = builtInProviderEntry(name)?.description.route
    if (!route) throw new Error(`No route for ${name}`)
    return [name, route.method === 'GET' ? route.path.replace(/\{id\}$/, '') : route.path]
  }),
) as Record<ProviderName, string>
