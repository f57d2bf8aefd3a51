/** Where downloaded bytes go: a temporary file or a stream. The engine writes in order. */
export interface DownloadSink {
  /** Whether `reset` can drop bytes already stored (a file can; a stream's reader has them). */
  readonly restartable: boolean
  /**
   * Takes a chunk after the ones before it; returns nothing when the sink can take more at once,
   * or a promise that resolves when it can (it may still be storing the chunk: see `flush`), so
   * the caller must not reuse the chunk's memory.
   */
  write(chunk: Uint8Array): Promise<void> | undefined
  /** Resolves once every chunk taken is stored; rejects with the first storage error. */
  flush(): Promise<void>
  /** Drops every byte stored, to start over. */
  reset(): Promise<void>
  /** Makes the verified bytes final (rename into place, close the stream). */
  commit(): Promise<void>
  /** Removes every trace after a failure; never rejects. */
  discard(reason: unknown): Promise<void>
}
