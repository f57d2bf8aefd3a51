/*
 * The `video-tasks` command line: dispatches to a command and turns usage errors into exit code
 * 64 with a hint. Kept apart from the entry (index.ts) so it can be called with any arguments
 * and streams.
 */
import packageJson from '../../package.json' with { type: 'json' }
import { type CliIO, describeError, EXIT, UsageError } from './common.js'
import { demoCommand } from './demo.js'
import { downloadCommand } from './download.js'
import { generateCommand } from './generate.js'
import { getCommand } from './get.js'
import { simulateCommand } from './simulate.js'
import { waitCommand } from './wait.js'

/** The package version, printed by `--version`. */
export const VERSION: string = packageJson.version

/** `video-tasks --help`. */
export const MAIN_HELP = `Usage: video-tasks <command> [options]

Polls video-generation tasks at OpenAI (and gateways), Doubao gateways, generic /task APIs and
check-result APIs, with one model and one polling loop.

Commands:
  generate        create a task and wait for it (the ref on stderr first)
  wait <taskId>   poll a task until it finishes; the exit code tells the outcome
  get <taskId>    read a task once and print it as JSON
  download <taskId> -o <file>
                  download a finished task's video(s), with a byte progress bar
  simulate        run a local simulator of the vendor APIs
  demo            run tasks on a simulator, watch them finish, download the videos

Options:
  -h, --help      this help (video-tasks <command> --help for a command's)
  -v, --version   the version

The API key is read from VIDEO_TASKS_API_KEY (or the variable --api-key-env names), never from
a flag. Docs: docs/cli.md in the repository.
`

type Command = (args: readonly string[], io: CliIO) => Promise<number>

const COMMANDS: Record<string, Command> = {
  generate: generateCommand,
  wait: waitCommand,
  get: getCommand,
  download: downloadCommand,
  simulate: simulateCommand,
  demo: demoCommand,
}

/** Runs the CLI with `argv` (without `node` and the script). Resolves with the exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    // `video-tasks help wait` reads like `video-tasks wait --help`.
    const topic = first === 'help' ? rest[0] : undefined
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) {
      return run([topic, '--help'], io)
    }
    const out = first === undefined ? io.stderr : io.stdout
    out.write(MAIN_HELP)
    return first === undefined ? EXIT.usage : EXIT.ok
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${VERSION}\n`)
    return EXIT.ok
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined
  if (command === undefined) {
    io.stderr.write(
      `video-tasks: unknown command ${JSON.stringify(first)}\nRun 'video-tasks --help' for the commands.\n`,
    )
    return EXIT.usage
  }
  try {
    return await command(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `video-tasks ${first}: ${error.message}\nRun 'video-tasks ${first} --help' for usage.\n`,
      )
      return EXIT.usage
    }
    io.stderr.write(`video-tasks ${first}: ${describeError(error)}\n`)
    return EXIT.error
  }
}
