/*
 * `video-tasks get <taskId>`: one read, printed as the SDK's `VideoTask` in JSON.
 */
import { createClient } from '../client.js'
import {
  API_OPTIONS,
  type CliIO,
  DEFAULT_KEY_VARIABLE,
  describeError,
  EXIT,
  PROVIDER_IDS,
  parse,
  providerFromFlags,
  taskIdFrom,
} from './common.js'
import { retryNote } from './outcome.js'

/** `video-tasks get --help`. */
export const GET_HELP = `Usage: video-tasks get <taskId> --provider <id> --base-url <url> [options]

Reads a video task once and prints it as JSON: the normalised task (status, progress, videoUrl,
error, details) with the vendor's payload in "raw". Transient failures are retried twice.

Options:
  -p, --provider <id>       ${PROVIDER_IDS.join(' | ')}
  -u, --base-url <url>      the API's origin, e.g. https://api.openai.com
      --api-key-env <NAME>  the variable holding the API key (default ${DEFAULT_KEY_VARIABLE})
  -h, --help                this help

Exit codes: 0 the task was read (whatever its status), 1 error, 64 usage error, 130 Ctrl-C.

Example:
  VIDEO_TASKS_API_KEY=... video-tasks get cgt-2025 -p doubao -u https://gateway.example.com
`

/** Runs `video-tasks get`. Resolves with the exit code. */
export async function getCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, API_OPTIONS)
  if (values.help) {
    io.stdout.write(GET_HELP)
    return EXIT.ok
  }
  const taskId = taskIdFrom(positionals, 'get')
  const { provider } = providerFromFlags(values, io.env)
  const client = createClient({
    provider,
    ...(io.clock === undefined ? {} : { clock: io.clock }),
    ...(io.transport === undefined ? {} : { transport: io.transport }),
  })
  const controller = new AbortController()
  const interrupt = new Error('Interrupted')
  let signalled: 'SIGINT' | 'SIGTERM' | undefined
  const unsubscribe = io.onSignal((signal) => {
    signalled = signal
    unsubscribe()
    controller.abort(interrupt)
  })
  try {
    const task = await client.getTask(taskId, {
      signal: controller.signal,
      // Diagnostics on stderr: stdout stays the task's JSON.
      onRetry: (event) => io.stderr.write(`video-tasks get: ${retryNote(event)}\n`),
    })
    // The model's fields first, in the README's order, the vendor's payload last. Dates become
    // ISO strings; `raw` is the payload as received (an echoed key already redacted).
    const { id, provider: providerId, status, vendorStatus, progress, ...rest } = task
    const ordered = {
      id,
      provider: providerId,
      status,
      vendorStatus,
      progress,
      ...rest,
      raw: task.raw,
    }
    io.stdout.write(`${JSON.stringify(ordered, null, 2)}\n`)
    return EXIT.ok
  } catch (error) {
    if (error === interrupt) return signalled === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted
    io.stderr.write(`video-tasks get: ${describeError(error)}\n`)
    return EXIT.error
  } finally {
    unsubscribe()
    await client.close()
  }
}
