/*
 * The vendors' status answers without a server: for tools that run on virtual time with their
 * own model of a task's life (the request-economy benchmark), and answer each read in memory in
 * the vendor's own dialect. It reads the same vendor table as the server, so a vendor added
 * there is rendered here too.
 */
import { seedOf } from './body.js'
import type { Snapshot, TaskRecord } from './timeline.js'
import type {
  ResolvedTaskScript,
  SimulatedDialect,
  SimulatedProvider,
  SimulatorDialects,
  TaskPhase,
} from './types.js'
import { validateScript } from './validate.js'
import { VENDOR_IDS, vendorOf } from './vendors/index.js'

/** What the simulator knows of one vendor, for tools that iterate them (the benchmarks). */
export interface SimulatedVendorFacts {
  /** The provider id. */
  readonly provider: SimulatedProvider
  /** Its dialects, the default first. */
  readonly dialects: readonly SimulatedDialect[]
  /**
   * Whether a create with a callback URL makes the simulator POST status callbacks to it
   * (MiniMax with its `challenge` handshake; Ark and Kling without).
   */
  readonly callsBack: boolean
}

/** Every vendor the simulator speaks, in its table's order. */
export function simulatedVendors(): readonly SimulatedVendorFacts[] {
  return VENDOR_IDS.map((provider) => {
    const vendor = vendorOf(provider)
    return Object.freeze({
      provider,
      dialects: vendor.dialects as readonly SimulatedDialect[],
      callsBack: vendor.create?.callback !== undefined,
    })
  })
}

/** Where a task is at the moment of a read, as the caller's own model says. */
export interface StatusFrame {
  /** The task's phase. */
  phase: TaskPhase
  /** Progress 0-100 (the vendor renders it in its own format), or `undefined` for none. */
  progress?: number | undefined
  /** While queued: how far through its queued time, 0 to 1 (vendors that split the queue). */
  queuedFraction?: number | undefined
  /** When the task was created, ms since the epoch. */
  createdAt: number
  /** When it left the queue, once it has. */
  startedAt?: number | undefined
  /** When it finished, once it has. */
  finishedAt?: number | undefined
}

/** A status answer: what the vendor's status route would send. */
export interface RenderedStatus {
  status: number
  /** Lower-case header names. */
  headers: Record<string, string>
  /** The body, as JSON text. */
  body: string
}

/** A task the renderer knows: its id has the vendor's shape. */
export interface RenderedTask {
  readonly id: string
  readonly provider: SimulatedProvider
  readonly dialect: SimulatedDialect
}

/** Renders vendors' status answers in memory; see {@link createStatusRenderer}. */
export interface StatusRenderer {
  /** A task of `provider` (in its default dialect unless `dialect` says), with a vendor-shaped id. */
  task(provider: SimulatedProvider, dialect?: SimulatedDialect): RenderedTask
  /**
   * The task a request reads, by the vendor's status routes (path, query parameter, or the JSON
   * body of a POST), or `undefined` when it is not a status read of a known task.
   */
  taskOf(request: {
    method: string
    url: string
    body?: string | Uint8Array | undefined
  }): RenderedTask | undefined
  /** The vendor's status answer for `task` at `frame`. */
  render(task: RenderedTask, frame: StatusFrame): RenderedStatus
}

const DEFAULT_DIALECTS = Object.fromEntries(
  VENDOR_IDS.map((provider) => [provider, vendorOf(provider).dialects[0]]),
) as unknown as SimulatorDialects

/**
 * Renders status answers as the simulator's vendors send them, with no server and no clock: the
 * caller says where each task is. Ids are the vendor's shape; video URLs point at `baseURL`.
 *
 * @example
 * ```ts
 * const renderer = createStatusRenderer({ baseURL: 'https://vendor.example.test' })
 * const task = renderer.task('runway')
 * const answer = renderer.render(task, { phase: 'running', progress: 40, createdAt: Date.now() })
 * ```
 */
export function createStatusRenderer(options: { baseURL: string }): StatusRenderer {
  if (typeof options?.baseURL !== 'string' || !URL.canParse(options.baseURL)) {
    throw new TypeError('Expected `options.baseURL` to be an absolute URL')
  }
  const baseURL = options.baseURL.replace(/\/+$/, '')
  const records = new Map<string, TaskRecord>()
  const key = (provider: string, id: string) => `${provider}\n${id}`
  const routes = VENDOR_IDS.flatMap((provider) =>
    vendorOf(provider)
      .routes.filter((route) => route.kind === 'status')
      .map((route) => ({ ...route, provider })),
  )
  const publicTask = (record: TaskRecord): RenderedTask => ({
    id: record.script.id,
    provider: record.script.provider,
    dialect: record.script.dialect,
  })

  return {
    task(provider, dialect) {
      const validated = validateScript(
        { provider, ...(dialect === undefined ? {} : { dialect }) },
        DEFAULT_DIALECTS,
      )
      const vendor = vendorOf(validated.provider)
      let id: string
      do id = vendor.randomId(validated.dialect)
      while (records.has(key(provider, id)))
      const { pollAfterMs: _poll, seconds: _seconds, size: _size, download, ...rest } = validated
      const script: ResolvedTaskScript = {
        ...rest,
        id,
        download: { ...download, seed: download.seed ?? seedOf(id) },
        videoUrl: `${baseURL}/files/${encodeURIComponent(id)}.mp4`,
      }
      const record: TaskRecord = {
        script,
        createdAt: 0,
        reads: 0,
        contentReads: 0,
        faultsLeft: [],
        lastProgress: undefined,
        fileId: String(seedOf(id)),
        callbacks: 0,
        bodyFaultsLeft: [],
      }
      records.set(key(provider, id), record)
      return publicTask(record)
    },
    taskOf(request) {
      const url = new URL(request.url)
      for (const route of routes) {
        if (route.method !== request.method) continue
        const match = route.pattern.exec(url.pathname)
        if (match === null) continue
        const vendor = vendorOf(route.provider)
        let id: string | undefined
        if (route.idParam !== undefined) id = url.searchParams.get(route.idParam) ?? undefined
        else if (match[1] !== undefined) id = decodeURIComponent(match[1])
        else if (vendor.statusIdFromBody !== undefined && request.body !== undefined) {
          const text =
            typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body)
          try {
            id = vendor.statusIdFromBody(JSON.parse(text))
          } catch {
            id = undefined
          }
        }
        const record = id === undefined ? undefined : records.get(key(route.provider, id))
        if (record !== undefined) return publicTask(record)
      }
      return undefined
    },
    render(task, frame) {
      const record = records.get(key(task.provider, task.id))
      if (record === undefined) throw new TypeError(`Unknown task '${task.id}' of ${task.provider}`)
      const snap: Snapshot = {
        phase: frame.phase,
        elapsedMs: 0,
        queuedFraction: frame.phase === 'queued' ? (frame.queuedFraction ?? 0) : 1,
        progress: frame.progress,
        createdAt: frame.createdAt,
        startedAt: frame.startedAt,
        finishedAt: frame.finishedAt,
        expiresAt: undefined,
      }
      const rendered = vendorOf(task.provider).renderStatus(
        { task: record, snap, statusWord: undefined, requestId: 'req_render', baseURL },
        task.dialect,
      )
      return {
        status: rendered.status,
        headers: { 'content-type': 'application/json', ...rendered.headers },
        body: JSON.stringify(rendered.body),
      }
    },
  }
}
