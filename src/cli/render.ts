/*
 * Terminal rendering shared by `video-tasks wait` and the demo: a live board with one progress
 * bar per task (redrawn in place with ANSI on a TTY), plain one-line-per-event output otherwise,
 * and a summary table. No dependency: the few escape sequences needed are written out here.
 */
import { isFinalStatus, type VideoTask } from '../model.js'

/** The stream a view writes to: `process.stdout` or anything with `write` (tests). */
export interface OutputStream {
  write(text: string): unknown
  /** Set by Node on a terminal. */
  isTTY?: boolean | undefined
  /** The terminal's width, on a TTY. */
  columns?: number | undefined
}

/** How a wait ended, as the CLI and the demo report it. */
export type Outcome = 'succeeded' | 'failed' | 'cancelled' | 'timeout' | 'aborted' | 'error'

/** What a row shows before it has an outcome: nothing read yet, or the last status. */
export type RowStatus = 'waiting' | VideoTask['status']

/** One task on a board. */
export interface BoardRow {
  /** The first column: the provider, say. */
  label: string
  /** An optional second column: the dialect, say. */
  detail?: string | undefined
  /** The task id. */
  taskId: string
}

/** Options of {@link createBoard}. */
export interface BoardOptions {
  /** Where to write. */
  stream: OutputStream
  /**
   * Redraw bars in place. Default: the stream is a TTY and `TERM` is not `dumb` (a dumb
   * terminal cannot move the cursor).
   */
  live?: boolean | undefined
  /** Colour the output. Default: `live`, unless `NO_COLOR` is set. */
  color?: boolean | undefined
  /** The clock, for elapsed times (tests inject one). @default Date.now */
  now?: (() => number) | undefined
  /** Milliseconds between redraws of the live board (the spinner and elapsed time tick). */
  frameMs?: number | undefined
}

/** A set of task rows, rendered live or as plain lines. */
export interface Board {
  /** Reports a task read for row `index`. */
  update(index: number, task: VideoTask): void
  /** Reports a progress (0-100) for row `index`; a value below the highest shown is ignored. */
  progress(index: number, progress: number): void
  /**
   * Shows why row `index` is retrying (`retrying: ECONNREFUSED`, `429, retry in 4 s`) until its
   * next read arrives: in the row on a live board, as a line otherwise.
   */
  retrying(index: number, note: string): void
  /** Ends row `index` with an outcome and a note (the video URL, the error). */
  finish(index: number, outcome: Outcome, note?: string): void
  /** Draws the last frame and releases the terminal (cursor, timer). Idempotent. */
  stop(): void
}

const ESC = '\u001b['
const ANSI_PATTERN = new RegExp(`${ESC.replace('[', '\\[')}[0-9;?]*[A-Za-z]`, 'g')

/** ANSI colours, or identity functions when colour is off. */
export interface Palette {
  green(text: string): string
  red(text: string): string
  yellow(text: string): string
  cyan(text: string): string
  dim(text: string): string
  bold(text: string): string
}

/** A palette that colours when `enabled`. */
export function palette(enabled: boolean): Palette {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `${ESC}${open}m${text}${ESC}${close}m` : text
  return {
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  }
}

/** Whether to colour output on `stream`, following the `NO_COLOR` / `FORCE_COLOR` conventions. */
export function colorFor(
  stream: OutputStream,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return stream.isTTY === true && env.TERM !== 'dumb'
}

/** Whether a live (in-place) board can be drawn on `stream`. */
export function liveFor(
  stream: OutputStream,
  env: Record<string, string | undefined> = process.env,
): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb'
}

/** `text` without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '')
}

/** The number of terminal columns `text` takes (ANSI sequences take none). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length
}

/**
 * Cuts `text` to `width` visible columns, keeping escape sequences intact, and resets styles if
 * it cut. A live board must never wrap: a wrapped line would break the cursor-up arithmetic.
 */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text
  let out = ''
  let shown = 0
  let index = 0
  while (index < text.length && shown < Math.max(0, width - 1)) {
    ANSI_PATTERN.lastIndex = index
    const match = ANSI_PATTERN.exec(text)
    if (match !== null && match.index === index) {
      out += match[0]
      index += match[0].length
      continue
    }
    const char = String.fromCodePoint(text.codePointAt(index) ?? 32)
    out += char
    index += char.length
    shown++
  }
  return `${out}…${text.includes(ESC) ? `${ESC}0m` : ''}`
}

/** `text` padded with spaces to `width` visible columns. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(text)))
  return align === 'left' ? text + fill : fill + text
}

/** A duration for people: `850ms`, `4.2s`, `1m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-'
  if (ms < 1_000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`
  const seconds = Math.floor(ms / 1_000)
  if (seconds < 3_600)
    return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`
  const minutes = Math.floor(seconds / 60)
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`
}

/**
 * A progress bar of `width` cells. With `progress` null (the vendor reports none) and `pulseAt`
 * given, a block slides along the bar instead, so a running task still looks alive.
 */
export function progressBar(progress: number | null, width: number, pulseAt?: number): string {
  if (progress === null) {
    if (pulseAt === undefined) return '░'.repeat(width)
    // A block bouncing end to end, one cell per 80 ms: always fully visible.
    const block = Math.max(1, Math.round(width / 5))
    const travel = Math.max(1, width - block)
    const step = Math.floor(pulseAt / 80) % (2 * travel)
    const start = step <= travel ? step : 2 * travel - step
    return '░'.repeat(start) + '█'.repeat(block) + '░'.repeat(Math.max(0, width - start - block))
  }
  const filled = Math.round((Math.min(100, Math.max(0, progress)) / 100) * width)
  return '█'.repeat(filled) + '░'.repeat(width - filled)
}

/** A percentage for a row: `42%`, or `-` when unknown. */
function percent(progress: number | null): string {
  return progress === null ? '-' : `${Math.floor(progress)}%`
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/** The symbol and colour of each outcome. */
export function outcomeStyle(
  outcome: Outcome,
  colors: Palette,
): { icon: string; paint: (text: string) => string } {
  switch (outcome) {
    case 'succeeded':
      return { icon: '✔', paint: colors.green }
    case 'failed':
    case 'error':
      return { icon: '✖', paint: colors.red }
    case 'cancelled':
    case 'aborted':
      return { icon: '⊘', paint: colors.yellow }
    case 'timeout':
      return { icon: '⏱', paint: colors.yellow }
  }
}

interface RowState {
  row: BoardRow
  status: RowStatus
  vendorStatus: string | null
  /** The highest progress seen: a bar never moves back. */
  progress: number | null
  startedAt: number
  endedAt: number | null
  outcome: Outcome | null
  note: string
  /** Why the row is retrying, until the next read; `null` when it is not. */
  retry: string | null
}

/**
 * A board of task rows. On a live stream it redraws every row in place (cursor up, clear line)
 * every `frameMs` (so spinners turn and elapsed times tick) and at each outcome; elsewhere it prints one plain line per status change and
 * per outcome, so logs stay readable and the same from run to run.
 *
 * @example
 * ```ts
 * const board = createBoard([{ label: 'openai', taskId: 'video_123' }], { stream: process.stdout })
 * const task = await client.waitFor('video_123', {
 *   onUpdate: (task) => board.update(0, task),
 *   onProgress: (progress) => board.progress(0, progress),
 * })
 * board.finish(0, 'succeeded', task.videoUrl ?? '')
 * board.stop()
 * ```
 */
export function createBoard(rows: readonly BoardRow[], options: BoardOptions): Board {
  const { stream } = options
  const live = options.live ?? liveFor(stream)
  const colors = palette(options.color ?? (live && colorFor(stream)))
  const now = options.now ?? Date.now
  const started = now()
  const states: RowState[] = rows.map((row) => ({
    row,
    status: 'waiting',
    vendorStatus: null,
    progress: null,
    startedAt: started,
    endedAt: null,
    outcome: null,
    note: '',
    retry: null,
  }))
  const labelWidth = Math.max(0, ...rows.map((row) => visibleWidth(row.label)))
  const detailWidth = Math.max(0, ...rows.map((row) => visibleWidth(row.detail ?? '')))
  const idWidth = Math.min(28, Math.max(0, ...rows.map((row) => visibleWidth(row.taskId))))
  let drawn = 0
  let stopped = false
  let timer: ReturnType<typeof setInterval> | undefined

  const head = (state: RowState) => {
    const parts = [pad(state.row.label, labelWidth)]
    if (detailWidth > 0) parts.push(colors.dim(pad(state.row.detail ?? '', detailWidth)))
    parts.push(pad(truncate(state.row.taskId, idWidth), idWidth))
    return parts.join('  ')
  }

  const liveLine = (state: RowState, at: number): string => {
    const elapsed = formatDuration((state.endedAt ?? at) - state.startedAt)
    if (state.outcome !== null) {
      const { icon, paint } = outcomeStyle(state.outcome, colors)
      const bar =
        state.outcome === 'succeeded'
          ? paint(progressBar(100, 20))
          : progressBar(state.progress, 20)
      return `${paint(icon)} ${head(state)}  ${bar} ${pad(percent(state.outcome === 'succeeded' ? 100 : state.progress), 4, 'right')}  ${paint(pad(state.outcome, 9))} ${pad(elapsed, 7, 'right')}  ${colors.dim(state.note)}`
    }
    const spinner = colors.cyan(SPINNER[Math.floor(at / 80) % SPINNER.length] ?? '-')
    const running = state.status === 'running'
    const bar =
      state.progress === null && running
        ? colors.cyan(progressBar(null, 20, at - state.startedAt))
        : running
          ? colors.cyan(progressBar(state.progress, 20))
          : colors.dim(progressBar(state.progress, 20))
    // The vendor's own word last, dimmed: it is what the vendor's docs and dashboards show.
    const vendor =
      state.retry !== null
        ? colors.yellow(state.retry)
        : state.vendorStatus === null
          ? ''
          : colors.dim(state.vendorStatus)
    return `${spinner} ${head(state)}  ${bar} ${pad(percent(state.progress), 4, 'right')}  ${pad(state.status, 9)} ${pad(elapsed, 7, 'right')}  ${vendor}`
  }

  const draw = () => {
    const at = now()
    const width = Math.max(20, (stream.columns ?? 100) - 1)
    let frame = drawn > 0 ? `${ESC}${drawn}A` : ''
    for (const state of states) frame += `\r${ESC}2K${truncate(liveLine(state, at), width)}\n`
    drawn = states.length
    stream.write(frame)
  }

  const plain = (state: RowState, text: string) => {
    const elapsed = formatDuration(now() - state.startedAt)
    stream.write(`${pad(elapsed, 7, 'right')}  ${head(state)}  ${text}\n`)
  }

  const rowAt = (index: number): RowState | undefined => (stopped ? undefined : states[index])

  if (live) {
    // Hides the cursor while the board redraws, so it does not flicker over the bars.
    stream.write(`${ESC}?25l`)
    draw()
    timer = setInterval(draw, options.frameMs ?? 80)
    // The ticker only animates: it must never keep a finished process alive.
    timer.unref?.()
  }

  return {
    update(index, task) {
      const state = rowAt(index)
      if (!state || state.outcome !== null) return
      const changed = state.status !== task.status
      state.retry = null
      state.status = task.status
      state.vendorStatus = task.vendorStatus
      if (task.progress !== null && task.progress > (state.progress ?? -1)) {
        state.progress = task.progress
      }
      // A final status is printed once, by finish(), with its note.
      if (!live && changed && !isFinalStatus(task.status)) {
        const progress = task.progress === null ? '' : ` ${percent(task.progress)}`
        plain(state, `${task.status}${progress} (${task.vendorStatus})`)
      }
    },
    progress(index, progress) {
      const state = rowAt(index)
      if (!state || state.outcome !== null) return
      if (progress > (state.progress ?? -1)) state.progress = progress
    },
    retrying(index, note) {
      const state = rowAt(index)
      if (!state || state.outcome !== null) return
      state.retry = note
      if (!live) plain(state, note)
    },
    finish(index, outcome, note = '') {
      const state = rowAt(index)
      if (!state || state.outcome !== null) return
      state.outcome = outcome
      state.note = note
      state.endedAt = now()
      if (live) draw()
      else plain(state, note === '' ? outcome : `${outcome}: ${note}`)
    },
    stop() {
      if (stopped) return
      stopped = true
      if (timer !== undefined) clearInterval(timer)
      if (live) {
        draw()
        stream.write(`${ESC}?25h`)
      }
    },
  }
}

/** A column of {@link formatTable}. */
export interface TableColumn {
  header: string
  align?: 'left' | 'right' | undefined
}

/**
 * A table with a header row and aligned columns, two spaces apart. Cells may hold ANSI colours:
 * widths are computed on visible text. The last column is not padded, so long URLs do not drag
 * trailing spaces along.
 */
export function formatTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  colors: Palette = palette(false),
): string {
  const widths = columns.map((column, index) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[index] ?? ''))),
  )
  const line = (cells: readonly string[]) =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? ''
        return index === columns.length - 1 && column.align !== 'right'
          ? cell
          : pad(cell, widths[index] ?? 0, column.align)
      })
      .join('  ')
      .trimEnd()
  return [
    colors.bold(line(columns.map((column) => column.header))),
    ...rows.map((row) => line(row)),
  ].join('\n')
}
