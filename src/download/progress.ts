/** What `onProgress` receives. */
export interface DownloadProgress {
  /** Bytes stored so far, counting bytes kept from before a resume. */
  receivedBytes: number
  /** The complete size, when the server announced it; otherwise `null`. */
  totalBytes: number | null
  /** The recent speed, over about the last second; 0 until two samples exist. */
  bytesPerSecond: number
}

/** How often `onProgress` is called at most while bytes flow (and once more at the end). */
export const PROGRESS_INTERVAL_MS = 100

/** How far back the speed looks. */
const SPEED_WINDOW_MS = 1000

/**
 * Turns a stream of byte counts into throttled progress reports: a report per chunk would be
 * thousands a second, more than a progress bar can show.
 */
export class ProgressMeter {
  readonly #now: () => number
  readonly #report: ((progress: DownloadProgress) => void) | undefined
  /** Recent samples as [time, bytes], oldest first. */
  #samples: [number, number][] = []
  #lastReportAt = Number.NEGATIVE_INFINITY

  constructor(now: () => number, report: ((progress: DownloadProgress) => void) | undefined) {
    this.#now = now
    this.#report = report
  }

  /** Records the byte count; reports it if the last report is old enough, or `force`. */
  update(receivedBytes: number, totalBytes: number | null, force = false): void {
    if (!this.#report) return
    const now = this.#now()
    if (!force && now - this.#lastReportAt < PROGRESS_INTERVAL_MS) return
    this.#lastReportAt = now
    this.#samples.push([now, receivedBytes])
    while (this.#samples.length > 2 && now - (this.#samples[0]?.[0] ?? now) > SPEED_WINDOW_MS) {
      this.#samples.shift()
    }
    const [startedAt, startBytes] = this.#samples[0] ?? [now, receivedBytes]
    const elapsedMs = now - startedAt
    const bytesPerSecond =
      elapsedMs > 0 ? Math.max(0, ((receivedBytes - startBytes) * 1000) / elapsedMs) : 0
    this.#report({ receivedBytes, totalBytes, bytesPerSecond })
  }

  /** Forgets the speed history (after a restart from zero, which would read as negative speed). */
  reset(): void {
    this.#samples = []
  }
}
