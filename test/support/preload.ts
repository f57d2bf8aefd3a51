/*
 * Vitest setup (vitest.config.ts `setupFiles`): loads the client's core module and every
 * built-in adapter before a test file runs, as a process does after its first call. A client
 * created then is the loaded client at once, so tests on a virtual clock start their waits in the
 * same tick as before the lazy entry (issue 12). The lazy path itself, where the first call loads
 * the code, has its own tests, which start cold in a fresh module graph
 * (test/client/lazy-client.test.ts; scripts/smoke-package.mjs on the built package).
 */
import { loadClientCore } from '../../src/client.js'
import { PUBLIC_BUILT_IN_PROVIDERS } from '../../src/providers/built-in.js'

if (process.env.VIDEO_TASKS_COLD !== '1') {
  await loadClientCore()
  for (const entry of PUBLIC_BUILT_IN_PROVIDERS) {
    await entry.forSimulator('http://127.0.0.1:9', 'preload-key').load?.()
  }
}
