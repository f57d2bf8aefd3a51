import type { OutcomeContext, QueueOutcome } from 'video-tasks/queue'

/** Collects `onOutcome` calls; `waitFor(n)` resolves once n arrived (rejects after a limit). */
export function outcomeCollector() {
  const calls: { outcome: QueueOutcome; context: OutcomeContext }[] = []
  let waiters: { count: number; resolve: () => void }[] = []
  return {
    calls,
    onOutcome(outcome: QueueOutcome, context: OutcomeContext) {
      calls.push({ outcome, context })
      waiters = waiters.filter((waiter) => {
        if (calls.length < waiter.count) return true
        waiter.resolve()
        return false
      })
    },
    waitFor(count: number, limitMs = 8_000): Promise<void> {
      if (calls.length >= count) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${calls.length} of ${count} outcomes after ${limitMs} ms`)),
          limitMs,
        )
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      })
    },
  }
}
