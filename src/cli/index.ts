#!/usr/bin/env node
/*
 * The `video-tasks` bin (built to dist/cli.js). See main.ts for the commands, docs/cli.md for
 * their use.
 */
import { processIO } from './common.js'
import { run } from './main.js'

// `video-tasks wait ... | head -1` closes the pipe early: that is not an error worth a trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

run(process.argv.slice(2), processIO()).then(
  (code) => {
    // exitCode, not exit(): piped output is flushed before the process ends. The unref'd timer
    // only fires if something unexpected (a socket, a timer) still holds the event loop.
    process.exitCode = code
    setTimeout(() => process.exit(code), 2_000).unref()
  },
  (error: unknown) => {
    console.error(error)
    process.exitCode = 1
  },
)
