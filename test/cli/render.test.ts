import { describe, expect, it } from 'vitest'
import {
  colorFor,
  createBoard,
  formatDuration,
  formatTable,
  palette,
  progressBar,
  stripAnsi,
  truncate,
  visibleWidth,
} from '../../src/cli/render.js'
import type { VideoTask } from '../../src/model.js'

/** A stream that records what is written, as a terminal or not. */
function stream(isTTY: boolean, columns = 80) {
  const chunks: string[] = []
  return {
    isTTY,
    columns,
    chunks,
    write(text: string) {
      chunks.push(text)
      return true
    },
    get text() {
      return chunks.join('')
    },
  }
}

function task(
  status: VideoTask['status'],
  progress: number | null,
  vendorStatus: string = status,
): VideoTask {
  return {
    id: 'video_1',
    provider: 'openai',
    status,
    vendorStatus,
    progress,
    videoUrl: null,
    videoUrls: [],
    error: status === 'failed' ? { code: null, message: 'no' } : null,
    createdAt: null,
    completedAt: null,
    expiresAt: null,
    details: {},
    raw: {},
  } as VideoTask
}

describe('createBoard on a terminal', () => {
  it('redraws every row in place, hides the cursor while live and shows it at the end', () => {
    const out = stream(true, 120)
    let now = 0
    const board = createBoard(
      [
        { label: 'openai', taskId: 'video_1' },
        { label: 'doubao', taskId: 'cgt-2' },
      ],
      // A long frame: only explicit draws happen during the test.
      { stream: out, live: true, color: false, now: () => now, frameMs: 60_000 },
    )
    expect(out.chunks[0]).toBe('\u001b[?25l')
    now = 1_500
    board.update(0, task('running', 40, 'in_progress'))
    board.finish(0, 'succeeded', 'https://cdn.test/1.mp4')
    now = 2_000
    board.finish(1, 'failed', 'content policy')
    board.stop()
    board.stop()

    // First frame: two lines; each later frame moves up over them and clears each line.
    const frames = out.chunks.filter((chunk) => chunk.includes('\u001b[2K'))
    expect(frames).toHaveLength(4)
    expect(frames[0]?.startsWith('\u001b[2A')).toBe(false)
    for (const frame of frames.slice(1)) expect(frame.startsWith('\u001b[2A')).toBe(true)
    expect(out.chunks.at(-1)).toBe('\u001b[?25h')

    const last = stripAnsi(frames.at(-1) ?? '').split('\n')
    expect(last[0]).toMatch(
      /✔ openai +video_1 +█{20} 100% +succeeded +1\.5s +https:\/\/cdn\.test\/1\.mp4/,
    )
    expect(last[1]).toMatch(/✖ doubao +cgt-2 +░{20} +- +failed +2\.0s +content policy/)
  })

  it('never draws a line wider than the terminal, so the cursor arithmetic holds', () => {
    const out = stream(true, 40)
    const board = createBoard(
      [{ label: 'generic-task', detail: 'envelope-doc', taskId: '314052875571396' }],
      {
        stream: out,
        live: true,
        color: true,
        frameMs: 60_000,
      },
    )
    board.update(0, task('running', 12))
    board.finish(0, 'succeeded', 'https://cdn.example.com/a/very/long/path/to/the/video.mp4')
    board.stop()
    const lines = out.text.split('\n').map((line) => line.replace(/^.*\r/, ''))
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(39)
  })

  it('keeps the highest progress: a bar never moves back', () => {
    const out = stream(true)
    const board = createBoard([{ label: 'doubao', taskId: 'cgt-1' }], {
      stream: out,
      live: true,
      color: false,
      frameMs: 60_000,
    })
    board.update(0, task('running', 50))
    board.update(0, task('running', 20))
    board.progress(0, 30)
    board.stop()
    expect(stripAnsi(out.chunks.at(-2) ?? '')).toContain(' 50% ')
  })
})

describe('createBoard elsewhere', () => {
  it('prints one plain line per status change and per outcome, without escape codes', () => {
    const out = stream(false)
    let now = 0
    const board = createBoard([{ label: 'openai', detail: 'official', taskId: 'video_1' }], {
      stream: out,
      now: () => now,
    })
    board.update(0, task('queued', 0))
    now = 500
    board.update(0, task('queued', 0))
    board.update(0, task('running', 10, 'in_progress'))
    board.update(0, task('running', 60, 'in_progress'))
    now = 4_200
    // A final status is printed once, by finish, with its note.
    board.update(0, task('succeeded', 100, 'completed'))
    board.finish(0, 'succeeded', 'https://cdn.test/1.mp4')
    board.stop()
    expect(out.text).not.toContain('\u001b')
    expect(out.text.split('\n').filter(Boolean)).toEqual([
      '    0ms  openai  official  video_1  queued 0% (queued)',
      '  500ms  openai  official  video_1  running 10% (in_progress)',
      '   4.2s  openai  official  video_1  succeeded: https://cdn.test/1.mp4',
    ])
  })
})

describe('formatting helpers', () => {
  it('formats durations for people', () => {
    expect([850, 4_249, 59_999, 65_000, 3_723_000].map(formatDuration)).toEqual([
      '850ms',
      '4.2s',
      '59.9s',
      '1m 05s',
      '1h 02m',
    ])
  })

  it('draws progress bars, and a pulse when the vendor reports no progress', () => {
    expect(progressBar(0, 10)).toBe('░░░░░░░░░░')
    expect(progressBar(55, 10)).toBe('██████░░░░')
    expect(progressBar(100, 10)).toBe('██████████')
    expect(progressBar(null, 10)).toBe('░░░░░░░░░░')
    // The pulse bounces: 8 cells of travel out, 8 back, always two cells wide.
    const pulses = [0, 80, 640, 1_280].map((at) => progressBar(null, 10, at))
    expect(pulses).toEqual(['██░░░░░░░░', '░██░░░░░░░', '░░░░░░░░██', '██░░░░░░░░'])
  })

  it('truncates on visible width, keeping colours intact', () => {
    const colors = palette(true)
    const text = `${colors.green('succeeded')} https://cdn.test/video.mp4`
    const cut = truncate(text, 15)
    expect(visibleWidth(cut)).toBe(15)
    expect(stripAnsi(cut)).toBe('succeeded http…')
    expect(cut.endsWith('\u001b[0m')).toBe(true)
    expect(truncate('short', 15)).toBe('short')
  })

  it('aligns table columns on visible width, numbers to the right', () => {
    const colors = palette(true)
    const table = formatTable(
      [
        { header: 'provider' },
        { header: 'outcome' },
        { header: 'reads', align: 'right' },
        { header: 'video' },
      ],
      [
        ['openai', colors.green('succeeded'), '9', 'https://a.test/1.mp4'],
        ['check-result', colors.red('failed'), '12', 'Upstream error'],
      ],
    )
    expect(stripAnsi(table).split('\n')).toEqual([
      'provider      outcome    reads  video',
      'openai        succeeded      9  https://a.test/1.mp4',
      'check-result  failed        12  Upstream error',
    ])
  })

  it('colours only where wanted: NO_COLOR, FORCE_COLOR, TTY, TERM=dumb', () => {
    const tty = { write: () => true, isTTY: true }
    const pipe = { write: () => true, isTTY: false }
    expect(colorFor(tty, {})).toBe(true)
    expect(colorFor(pipe, {})).toBe(false)
    expect(colorFor(tty, { NO_COLOR: '1' })).toBe(false)
    expect(colorFor(pipe, { FORCE_COLOR: '1' })).toBe(true)
    expect(colorFor(tty, { TERM: 'dumb' })).toBe(false)
  })
})
