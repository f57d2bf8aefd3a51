import type { ResolvedTaskScript, TaskPhase } from './types.js'

/** A task as the simulator keeps it. */
export interface TaskRecord {
  script: ResolvedTaskScript
  /** Creation time on the simulator's clock (real ms). */
  createdAt: number
  /** Status reads. */
  reads: number
  /** Content downloads and file look-ups. */
  contentReads: number
  /** For each scripted fault, how many more reads it affects. */
  faultsLeft: number[]
  /** The progress the last status answer reported. */
  lastProgress: number | undefined
  /** The MiniMax-style `file_id` of the video. */
  fileId: string
  /** Status callbacks delivered (tasks created with a callback URL). */
  callbacks: number
  /** For each download fault, how many more downloads it affects. */
  bodyFaultsLeft: number[]
  /** When a cancel route cancelled the task (real ms on the simulator's clock). */
  cancelledAt?: number | undefined
}

/** Where a task is at one moment. */
export interface Snapshot {
  phase: TaskPhase
  /** Virtual ms since creation. */
  elapsedMs: number
  /** How far through its queued time the task is, from 0 to 1 (1 once it left the queue). */
  queuedFraction: number
  /** Progress 0-100, or `undefined` with `progress: 'none'`. */
  progress: number | undefined
  /** Real ms timestamps on the simulator's clock. */
  createdAt: number
  startedAt: number | undefined
  finishedAt: number | undefined
  /** When the video's links expire (real ms on the simulator's clock), if they do. */
  expiresAt: number | undefined
}

/** Coarse progress steps while running, like Doubao gateways. */
const COARSE_RUNNING = [20, 30, 50] as const
/** Every coarse value, ascending. */
export const COARSE_STEPS = [0, 10, 20, 30, 50, 100] as const

/** Computes where `task` is at `now` (real ms on the simulator's clock). */
export function snapshot(task: TaskRecord, now: number, timeScale: number): Snapshot {
  const { queuedMs, runningMs, outcome, progress: mode } = task.script
  const elapsedMs = Math.max(0, (now - task.createdAt) * timeScale)
  const realAt = (virtualMs: number) => task.createdAt + virtualMs / timeScale
  let phase: TaskPhase
  if (elapsedMs < queuedMs) phase = 'queued'
  else if (elapsedMs < queuedMs + runningMs) phase = 'running'
  else phase = outcome
  // A task cancelled through a vendor's cancel route (while queued; Runway's also while running).
  const cancelled = task.cancelledAt !== undefined && now >= task.cancelledAt
  if (cancelled) phase = 'cancelled'
  const queuedFraction = phase === 'queued' ? elapsedMs / queuedMs : 1
  const runningFraction = phase === 'running' ? (elapsedMs - queuedMs) / runningMs : 0
  let progress: number | undefined
  if (mode === 'fine') {
    if (phase === 'running') progress = Math.min(99, Math.max(0, Math.floor(runningFraction * 100)))
    else progress = phase === 'succeeded' ? 100 : 0
  } else if (mode === 'coarse') {
    if (phase === 'queued') progress = 10
    else if (phase === 'running') {
      progress = COARSE_RUNNING[Math.min(2, Math.floor(runningFraction * 3))] ?? 50
    } else progress = 100
  }
  return {
    phase,
    elapsedMs,
    queuedFraction,
    progress,
    createdAt: task.createdAt,
    startedAt:
      phase === 'queued' || (cancelled && (task.cancelledAt ?? 0) < realAt(queuedMs))
        ? undefined
        : realAt(queuedMs),
    finishedAt: cancelled
      ? task.cancelledAt
      : phase === 'queued' || phase === 'running'
        ? undefined
        : realAt(queuedMs + runningMs),
    expiresAt:
      task.script.download.expiresAfterMs === undefined
        ? undefined
        : realAt(queuedMs + runningMs + task.script.download.expiresAfterMs),
  }
}

/** A progress strictly below `base` (when `base > 0`): half of it, snapped to a coarse step. */
export function backwardsProgress(base: number, mode: 'fine' | 'coarse' | 'none'): number {
  const half = Math.floor(base / 2)
  if (mode !== 'coarse') return half
  let snapped = 0
  for (const step of COARSE_STEPS) if (step <= half) snapped = step
  return snapped < base ? snapped : 0
}
