/*
 * Vitest setup (vitest.config.ts `setupFiles`): loads the client's core module before a test file
 * runs, as a process has after its first call, and the code `defineProvider` wraps definitions
 * with. A client on a ready provider (an adapter's own factory, `defineProvider`'s) is then the
 * loaded client at once, so tests on a virtual clock start
 * their waits in the same tick, as before the lazy entry (issue 12). The built-in adapters are
 * not preloaded: the exported factories' lazy path is tested as users meet it
 * (test/providers/factories/, test/client/lazy-client.test.ts, test/e2e/first-use-load.test.ts),
 * and a test on a virtual clock that uses an exported factory calls `preload(provider)` first.
 */
import { loadClientCore } from '../../src/client.js'
import { loadDefinedProviders } from '../../src/providers/define-provider.js'

await Promise.all([loadClientCore(), loadDefinedProviders()])
