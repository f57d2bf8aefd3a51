import { describe, expect, it } from 'vitest'
import { type DownloadProgress, ProgressMeter } from '../../src/download/progress.js'

/* The meter on an injected clock: throttling and speed are pure arithmetic on its readings. */

function meter() {
  let now = 0
  const reports: DownloadProgress[] = []
  const progress = new ProgressMeter(
    () => now,
    (report) => reports.push(report),
  )
  return { progress, reports, advance: (ms: number) => (now += ms) }
}

describe('ProgressMeter', () => {
  it('reports at most every 100 ms, and always when forced', () => {
    const { progress, reports, advance } = meter()
    progress.update(10, 1000)
    advance(50)
    progress.update(20, 1000)
    advance(49)
    progress.update(30, 1000)
    expect(reports.map((report) => report.receivedBytes)).toEqual([10])
    advance(1)
    progress.update(40, 1000)
    progress.update(50, 1000, true)
    expect(reports.map((report) => report.receivedBytes)).toEqual([10, 40, 50])
  })

  it('computes the speed over about the last second', () => {
    const { progress, reports, advance } = meter()
    progress.update(0, null)
    expect(reports.at(-1)?.bytesPerSecond).toBe(0)
    advance(500)
    progress.update(1000, null)
    expect(reports.at(-1)?.bytesPerSecond).toBe(2000)
    // A slow second later: the window forgets the fast start.
    for (let step = 0; step < 20; step++) {
      advance(100)
      progress.update(1000 + (step + 1) * 10, null)
    }
    expect(reports.at(-1)?.bytesPerSecond).toBeCloseTo(100, 0)
    expect(reports.at(-1)?.totalBytes).toBeNull()
  })

  it('starts the speed afresh after a reset (a restart is not negative speed)', () => {
    const { progress, reports, advance } = meter()
    progress.update(5000, null)
    advance(100)
    progress.reset()
    progress.update(100, null)
    expect(reports.at(-1)?.bytesPerSecond).toBe(0)
  })
})
