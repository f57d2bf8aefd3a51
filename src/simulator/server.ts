/*
 * The simulator's state and its HTTP server. What a vendor answers lives in `vendors/`, what a
 * fault does in `faults.ts`, the control endpoint in `control.ts`, delivery in `delivery.ts`,
 * videos and the CDN in `video.ts` and `downloads.ts`, callbacks in `callbacks.ts`.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fakeAsset, isVariant } from './assets.js'
import { seedOf } from './body.js'
import { watchCallbacks } from './callbacks.js'
import { handleControl } from './control.js'
import { MAX_CREATE_BYTES, readCreateRequest } from './create-request.js'
import { controlError, Delivery, jsonWire, parseJson, readBody, type Wire } from './delivery.js'
import { FAULT_HANDLERS } from './faults.js'
import { digits, hex } from './ids.js'
import { mulberry32 } from './prng.js'
import { type ErrorKind, type Json, type Rendered, renderWrongShape } from './render.js'
import { decode, type MatchedRoute, matchRoute } from './routing.js'
import { backwardsProgress, type Snapshot, snapshot, type TaskRecord } from './timeline.js'
import type {
  FaultSpec,
  ResolvedTaskScript,
  SimulatedProvider,
  SimulatedTask,
  SimulatedTaskInfo,
  Simulator,
  SimulatorStats,
  TaskScript,
} from './types.js'
import {
  type ResolvedOptions,
  type ResolvedRandomFaults,
  validateFault,
  validateRandomFaults,
  validateScript,
} from './validate.js'
import { VENDOR_IDS, vendorOf } from './vendors/index.js'
import { VideoServer } from './video.js'

function emptyStats(): SimulatorStats {
  return {
    totalRequests: 0,
    requestsByProvider: Object.fromEntries(VENDOR_IDS.map((id) => [id, 0])) as Record<
      SimulatedProvider,
      number
    >,
    unauthorized: 0,
    tasks: 0,
    faults: {},
  }
}

/** The simulator's state and HTTP handling. */
class SimulatorCore {
  readonly tasks = new Map<string, TaskRecord>()
  private readonly fileIds = new Map<string, string>()
  readonly delivery = new Delivery()
  private readonly counters = emptyStats()
  /** Creates billed: all of them, and per idempotency key. */
  private readonly billed = { total: 0, byKey: new Map<string, number>() }
  /** Idempotency key -> the task its first create made (when the header is honoured). */
  private readonly idempotent = new Map<string, string>()
  private offset = 0
  private rng: () => number
  private randomFaults: ResolvedRandomFaults | null
  baseURL = ''
  readonly videos: VideoServer

  constructor(private readonly options: ResolvedOptions) {
    this.videos = new VideoServer({
      task: (id) => this.tasks.get(id),
      snap: (record) => this.snap(record),
      now: () => this.now(),
      send: (res, wire) => this.send(res, wire),
      secret: options.apiKey,
    })
    this.randomFaults = options.faults
    this.rng = mulberry32(options.faults?.seed ?? options.seed)
  }

  /** The simulator's clock: the injected clock plus {@link advance}s. */
  now(): number {
    return this.options.now() + this.offset
  }

  advance(ms: number): number {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new TypeError(`advance(ms): ms must be a finite number >= 0, got ${String(ms)}`)
    }
    this.offset += ms / this.options.timeScale
    return this.now()
  }

  setFaults(faults: unknown): ResolvedRandomFaults | null {
    if (faults === null) {
      this.randomFaults = null
      return null
    }
    const resolved = validateRandomFaults(faults, 'faults')
    this.randomFaults = resolved
    if (resolved.seed !== undefined) this.rng = mulberry32(resolved.seed)
    return resolved
  }

  stats(): SimulatorStats {
    return {
      ...this.counters,
      requestsByProvider: { ...this.counters.requestsByProvider },
      faults: { ...this.counters.faults },
    }
  }

  totalRequests(): number {
    return this.counters.totalRequests
  }

  billedCount(key?: string): number {
    return key === undefined ? this.billed.total : (this.billed.byKey.get(key) ?? 0)
  }

  billing(): Json {
    return { total: this.billed.total, byKey: Object.fromEntries(this.billed.byKey) }
  }

  snap(record: TaskRecord): Snapshot {
    return snapshot(record, this.now(), this.options.timeScale)
  }

  createTask(script: TaskScript): SimulatedTask {
    return this.publicTask(this.addTask(script))
  }

  private addTask(script: TaskScript): TaskRecord {
    const validated = validateScript(script, this.options.dialects)
    const vendor = vendorOf(validated.provider)
    let id = validated.id
    if (id === undefined) {
      do id = vendor.randomId(validated.dialect)
      while (this.tasks.has(id))
    } else if (this.tasks.has(id)) {
      throw new TypeError(`script.id must be unique, but a task '${id}' already exists`)
    }
    let fileId: string
    do fileId = digits(15)
    while (this.fileIds.has(fileId))
    const { pollAfterMs, seconds, size, download, ...rest } = validated
    const resolved: ResolvedTaskScript = {
      ...rest,
      id,
      download: { ...download, seed: download.seed ?? seedOf(id) },
      videoUrl: validated.videoUrl ?? `${this.baseURL}/files/${encodeURIComponent(id)}.mp4`,
      ...(pollAfterMs === undefined ? {} : { pollAfterMs }),
      ...(seconds === undefined ? {} : { seconds }),
      ...(size === undefined ? {} : { size }),
    }
    const record: TaskRecord = {
      script: resolved,
      createdAt: this.now(),
      reads: 0,
      contentReads: 0,
      faultsLeft: resolved.faults.map((fault) => fault.times ?? Number.POSITIVE_INFINITY),
      lastProgress: undefined,
      fileId,
      callbacks: 0,
      bodyFaultsLeft: download.faults.map((fault) => fault.times ?? 1),
    }
    this.tasks.set(id, record)
    this.fileIds.set(fileId, id)
    this.counters.tasks++
    return record
  }

  publicTask(record: TaskRecord): SimulatedTask {
    const { id, provider, dialect, videoUrl } = record.script
    const vendor = vendorOf(provider)
    const encoded = encodeURIComponent(id)
    const task: SimulatedTask = {
      id,
      provider,
      dialect,
      createdAt: record.createdAt,
      statusUrl: `${this.baseURL}${vendor.statusPath(encoded, dialect)}`,
      videoUrl,
    }
    if (vendor.contentPath !== undefined) {
      task.contentUrl = `${this.baseURL}${vendor.contentPath(encoded)}`
    }
    return task
  }

  info(id: string): SimulatedTaskInfo | undefined {
    const record = this.tasks.get(id)
    if (record === undefined) return undefined
    const snap = this.snap(record)
    return {
      ...this.publicTask(record),
      script: record.script,
      phase: snap.phase,
      progress: snap.progress,
      elapsedMs: snap.elapsedMs,
      reads: record.reads,
      contentReads: record.contentReads,
      faultsLeft: [...record.faultsLeft],
      callbacks: record.callbacks,
      bodyFaultsLeft: [...record.bodyFaultsLeft],
    }
  }

  /* ----------------------------------------------------------------------------------------------
   * HTTP
   */

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      if (res.destroyed) return
      if (res.headersSent) {
        res.destroy()
        return
      }
      this.send(res, controlError(500, `simulator error: ${String(error)}`))
    })
  }

  send(res: ServerResponse, wire: Wire): void {
    this.delivery.send(res, wire)
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid')
    const method = req.method ?? 'GET'
    if (url.pathname === '/__simulator' || url.pathname.startsWith('/__simulator/')) {
      await handleControl(
        {
          authorized: (request) => this.authorized(request),
          send: (response, wire) => this.send(response, wire),
          createTask: (script) => this.createTask(script),
          taskIds: () => [...this.tasks.keys()],
          info: (id) => this.info(id),
          stats: () => this.stats(),
          setFaults: (faults) => this.setFaults(faults),
          advance: (ms) => this.advance(ms),
          billing: () => this.billing(),
        },
        req,
        res,
        method,
        url,
      )
      return
    }
    const fileMatch = /^\/files\/([^/]+)\.mp4$/.exec(url.pathname)
    if (fileMatch !== null && (method === 'GET' || method === 'HEAD')) {
      req.resume()
      await this.videos.video(req, res, decode(fileMatch[1] ?? ''), 'origin')
      return
    }
    const route = matchRoute(method, url)
    if (route === undefined) {
      req.resume()
      this.send(res, controlError(404, `No route for ${method} ${url.pathname}`))
      return
    }
    if (route === 'wrong-method') {
      req.resume()
      this.send(res, controlError(405, `Method ${method} not allowed on ${url.pathname}`))
      return
    }
    if (route.kind === 'create') await this.create(req, res, route, url.pathname)
    else await this.vendor(req, res, route, url)
  }

  /** `null` when the vendor's auth check passes, else its refusal. */
  private vendorRefusal(
    req: IncomingMessage,
    vendor: ReturnType<typeof vendorOf>,
    path: string,
    requestId: string,
  ): Rendered | 'unauthorized' | null {
    if (vendor.authorize === undefined) return this.authorized(req) ? null : 'unauthorized'
    return vendor.authorize(header(req, 'authorization'), {
      header: (name) => header(req, name),
      path,
      query: new URL(req.url ?? '/', 'http://simulator.invalid').searchParams,
      apiKey: this.options.apiKey,
      nowMs: this.now(),
      requestId,
    })
  }

  authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization
    if (header === undefined) return false
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)
    return match?.[1] === this.options.apiKey
  }

  private drawRandomFault(): FaultSpec | undefined {
    const faults = this.randomFaults
    if (faults === null || faults.rate === 0) return undefined
    if (this.rng() >= faults.rate) return undefined
    return faults.kinds[Math.floor(this.rng() * faults.kinds.length)]
  }

  private takeScriptedFault(record: TaskRecord): FaultSpec | undefined {
    const { faults } = record.script
    for (let index = 0; index < faults.length; index++) {
      const fault = faults[index]
      const left = record.faultsLeft[index] ?? 0
      if (fault === undefined || left <= 0) continue
      if (record.reads <= (fault.afterReads ?? 0)) continue
      record.faultsLeft[index] = left - 1
      return fault
    }
    return undefined
  }

  private countFault(fault: FaultSpec | undefined): void {
    if (fault !== undefined) {
      this.counters.faults[fault.kind] = (this.counters.faults[fault.kind] ?? 0) + 1
    }
  }

  /** Answers `normal` through `fault` (or directly without one). */
  private deliver(
    req: IncomingMessage,
    res: ServerResponse,
    fault: FaultSpec | undefined,
    context: {
      normal: () => Wire
      error: (kind: ErrorKind, headers?: Record<string, string>) => Wire
      vendorError200: () => Wire
      wrongShape: () => Wire
      extraHeaders: Record<string, string>
    },
  ): void {
    if (fault === undefined) {
      this.send(res, context.normal())
      return
    }
    FAULT_HANDLERS[fault.kind]({
      ...context,
      fault,
      req,
      res,
      delivery: this.delivery,
      now: this.now(),
    })
  }

  private async vendor(
    req: IncomingMessage,
    res: ServerResponse,
    route: MatchedRoute,
    url: URL,
  ): Promise<void> {
    const { provider } = route
    const vendor = vendorOf(provider)
    this.counters.totalRequests++
    this.counters.requestsByProvider[provider]++
    let id = route.id
    let badRequest = false
    if (route.kind === 'status' && vendor.statusIdFromBody !== undefined) {
      const raw = await readBody(req)
      const parsed = raw === 'too-large' ? { ok: false as const } : parseJson(raw.toString('utf8'))
      id = parsed.ok ? vendor.statusIdFromBody(parsed.value) : undefined
      badRequest = id === undefined
    } else {
      req.resume()
    }

    let record: TaskRecord | undefined
    if (route.kind === 'file') {
      const taskId = id === undefined ? undefined : this.fileIds.get(id)
      record = taskId === undefined ? undefined : this.tasks.get(taskId)
      // A file API serves the files of every task whose own vendor names one in this dialect
      // (MiniMax's `/v1/files/retrieve` serves `minimax` tasks and `generic-task` relays' ones).
      if (record !== undefined) {
        const owner = vendorOf(record.script.provider)
        if (owner.renderFile === undefined || record.script.dialect !== owner.fileDialect) {
          record = undefined
        }
      }
    } else {
      record = id === undefined ? undefined : this.tasks.get(id)
      if (record?.script.provider !== provider) record = undefined
      // A route family reads only its own tasks (Kling: the wrong family answers not-found).
      if (route.dialect !== undefined && record?.script.dialect !== route.dialect) {
        record = undefined
      }
    }
    const dialect: string =
      route.kind === 'file'
        ? (vendor.fileDialect ?? vendor.dialects[0])
        : (record?.script.dialect ?? route.dialect ?? this.options.dialects[provider])
    const requestId = `req_${hex(16)}`
    const extraHeaders: Record<string, string> =
      vendor.requestIdHeader === undefined ? {} : { [vendor.requestIdHeader]: requestId }
    if (record !== undefined) {
      if (route.kind === 'status') record.reads++
      else if (route.kind !== 'cancel') record.contentReads++
    }
    const error = (kind: ErrorKind, headers: Record<string, string> = {}) =>
      jsonWire(vendor.renderError(dialect, kind, requestId), { ...extraHeaders, ...headers })

    const refusal = this.vendorRefusal(req, vendor, url.pathname, requestId)
    if (refusal !== null) {
      this.counters.unauthorized++
      this.send(
        res,
        refusal === 'unauthorized' ? error('unauthorized') : jsonWire(refusal, extraHeaders),
      )
      return
    }
    if (!hasRequiredHeaders(req, vendor.requiredHeaders)) {
      this.send(res, error('bad-request'))
      return
    }

    // Draw for every authorized request, so the random stream depends only on the request count.
    const randomFault = this.drawRandomFault()
    const scripted =
      record !== undefined && route.kind === 'status' ? this.takeScriptedFault(record) : undefined
    const fault = scripted ?? randomFault
    this.countFault(fault)

    const found = record
    if (fault === undefined && found !== undefined && route.kind === 'content') {
      const answer = this.contentAnswer(found, url, error)
      // Gemini's file URI redirects to storage (`contentRedirect`); the others stream the bytes.
      const from = vendor.contentRedirect === true ? 'content-to-cdn' : 'content'
      if (answer === 'video') await this.videos.video(req, res, found.script.id, from)
      else this.send(res, answer)
      return
    }
    const normal = (): Wire => {
      if (badRequest) return error('bad-request')
      if (found === undefined) return error('not-found')
      if (route.kind === 'status') {
        return jsonWire(this.statusAnswer(found, requestId, fault), extraHeaders)
      }
      if (route.kind === 'file') return jsonWire(this.fileAnswer(found, requestId))
      if (route.kind === 'cancel')
        return jsonWire(this.cancelAnswer(found, requestId), extraHeaders)
      const answer = this.contentAnswer(found, url, error)
      // A faulted content request: the small placeholder stands in for the streamed video.
      return answer === 'video' ? fakeAsset(found.script.id, 'video') : answer
    }
    this.deliver(req, res, fault, {
      normal,
      error,
      vendorError200: () =>
        jsonWire(
          vendor.renderVendorError200(dialect, fault ?? { kind: 'vendor-error-200' }, requestId),
          extraHeaders,
        ),
      wrongShape: () => jsonWire(renderWrongShape(id), extraHeaders),
      extraHeaders,
    })
    // After the answer was rendered: the next read sees the task that much further on.
    if (route.kind === 'status' && found !== undefined && this.options.advancePerReadMs > 0) {
      this.advance(this.options.advancePerReadMs)
    }
  }

  private statusAnswer(
    record: TaskRecord,
    requestId: string,
    fault: FaultSpec | undefined,
  ): Rendered {
    const snap = this.snap(record)
    const vendor = vendorOf(record.script.provider)
    if (fault?.kind === 'progress-backwards' && snap.progress !== undefined) {
      const base = Math.min(snap.progress, record.lastProgress ?? snap.progress)
      if (base > 0) snap.progress = backwardsProgress(base, record.script.progress)
    }
    const statusWord =
      fault?.kind === 'unknown-status'
        ? (fault.statusWord ?? vendor.unknownStatusWord(record.script.dialect))
        : undefined
    const rendered = vendor.renderStatus(
      { task: record, snap, statusWord, requestId, baseURL: this.baseURL },
      record.script.dialect,
    )
    if (snap.progress !== undefined) record.lastProgress = snap.progress
    return rendered
  }

  private contentAnswer(
    record: TaskRecord,
    url: URL,
    error: (kind: ErrorKind) => Wire,
  ): Wire | 'video' {
    const variant = url.searchParams.get('variant') ?? 'video'
    if (!isVariant(variant)) return error('bad-request')
    if (this.snap(record).phase !== 'succeeded') return error('not-found')
    // The video itself streams, with Range and body faults (see `video`).
    if (variant === 'video') return 'video'
    return fakeAsset(record.script.id, variant)
  }

  /**
   * A cancel: a queued task reads `cancelled` from now on; a running one is refused (or, for
   * vendors that cancel running tasks (Runway), cancelled too); a finished
   * one is refused or, for vendors whose cancel deletes (Ark), forgotten.
   */
  private cancelAnswer(record: TaskRecord, requestId: string): Rendered {
    const vendor = vendorOf(record.script.provider)
    const cancel = vendor.cancel
    if (cancel === undefined)
      return vendor.renderError(record.script.dialect, 'not-found', requestId)
    const view = () => ({ task: record, snap: this.snap(record), statusWord: undefined, requestId })
    const { phase } = this.snap(record)
    if (phase === 'queued' || (phase === 'running' && cancel.running === 'cancel')) {
      record.cancelledAt = this.now()
      return cancel.accepted(view())
    }
    if (phase === 'running' || cancel.finished === 'refuse')
      return cancel.refused(view(), requestId)
    this.tasks.delete(record.script.id)
    this.fileIds.delete(record.fileId)
    return cancel.accepted(view())
  }

  private fileAnswer(record: TaskRecord, requestId: string): Rendered {
    const vendor = vendorOf(record.script.provider)
    const snap = this.snap(record)
    const view = { task: record, snap, statusWord: undefined, requestId }
    return (
      vendor.renderFile?.(view, {
        bytes: record.script.download.bytes,
        downloadUrl: record.script.videoUrl,
      }) ?? vendor.renderError(record.script.dialect, 'not-found', requestId)
    )
  }

  /* ----------------------------------------------------------------------------------------------
   * Creating tasks
   */

  private async create(
    req: IncomingMessage,
    res: ServerResponse,
    route: MatchedRoute,
    path: string,
  ): Promise<void> {
    const { provider } = route
    const vendor = vendorOf(provider)
    const create = vendor.create
    this.counters.totalRequests++
    this.counters.requestsByProvider[provider]++
    const raw = await readBody(req, MAX_CREATE_BYTES)
    const dialect = route.dialect ?? create?.dialect ?? this.options.dialects[provider]
    const requestId = `req_${hex(16)}`
    const extraHeaders: Record<string, string> =
      vendor.requestIdHeader === undefined ? {} : { [vendor.requestIdHeader]: requestId }
    const error = (kind: ErrorKind, headers: Record<string, string> = {}) =>
      jsonWire(vendor.renderError(dialect, kind, requestId), { ...extraHeaders, ...headers })
    const refusal = this.vendorRefusal(req, vendor, path, requestId)
    if (refusal !== null) {
      this.counters.unauthorized++
      this.send(
        res,
        refusal === 'unauthorized' ? error('unauthorized') : jsonWire(refusal, extraHeaders),
      )
      return
    }
    if (create === undefined) {
      this.send(res, error('not-found'))
      return
    }
    if (!hasRequiredHeaders(req, vendor.requiredHeaders)) {
      this.send(res, error('bad-request'))
      return
    }
    // A fault for this one request: `x-simulator-fault: reset` or a fault object as JSON.
    let fault: FaultSpec | undefined
    let script: Partial<TaskScript> = { ...this.options.createScript }
    try {
      const faultHeader = header(req, 'x-simulator-fault')
      if (faultHeader !== undefined) {
        const parsed = faultHeader.trim().startsWith('{') ? JSON.parse(faultHeader) : faultHeader
        fault = validateFault(parsed, 'x-simulator-fault', false)
      }
      const scriptHeader = header(req, 'x-simulator-script')
      if (scriptHeader !== undefined) {
        const parsed: unknown = JSON.parse(scriptHeader)
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          throw new TypeError('x-simulator-script must be a JSON object (a task script)')
        }
        script = { ...script, ...(parsed as Partial<TaskScript>) }
      }
    } catch (caught) {
      const message = caught instanceof Error ? caught.message : String(caught)
      this.send(res, controlError(400, `simulator header: ${message}`))
      return
    }
    // Drawn whatever the header says, so the random stream depends only on the request count.
    const randomFault = this.drawRandomFault()
    fault ??= randomFault
    this.countFault(fault)
    if (raw === 'too-large') {
      this.send(res, { ...error('bad-request'), status: 413 })
      return
    }
    const request = readCreateRequest(req.headers['content-type'], raw)
    const input =
      'error' in request
        ? { ok: false as const, kind: undefined }
        : create.parse({ ...request, path, headers: requestHeaders(req) })
    if (!input.ok) {
      this.send(res, error(input.kind ?? 'bad-request'))
      return
    }
    const key =
      this.options.idempotencyHeader === null
        ? undefined
        : header(req, this.options.idempotencyHeader)
    const existing = key === undefined ? undefined : this.idempotent.get(key)
    let record = existing === undefined ? undefined : this.tasks.get(existing)
    if (record === undefined) {
      try {
        record = this.addTask({
          dialect: route.dialect ?? create.dialect,
          ...script,
          provider,
          prompt: input.prompt,
          ...(input.model === undefined ? {} : { model: input.model }),
          ...input.echo,
        } as TaskScript)
      } catch (caught) {
        if (!(caught instanceof TypeError)) throw caught
        this.send(res, controlError(400, `simulator script: ${caught.message}`))
        return
      }
      // Billed: every create that made a task, whatever happens to its answer afterwards.
      this.billed.total++
      const billingKey = header(req, this.options.idempotencyHeader ?? 'idempotency-key')
      if (billingKey !== undefined) {
        this.billed.byKey.set(billingKey, (this.billed.byKey.get(billingKey) ?? 0) + 1)
      }
      if (key !== undefined) this.idempotent.set(key, record.script.id)
      if (input.callbackUrl !== undefined && create.callback !== undefined) {
        watchCallbacks(record, input.callbackUrl, this)
      }
    }
    const created = record
    const shape = header(req, 'x-simulator-create-shape')
    const normal = () =>
      jsonWire(
        create.render(
          {
            task: created,
            snap: this.snap(created),
            statusWord: undefined,
            requestId,
            baseURL: this.baseURL,
          },
          created.script.dialect,
          shape,
        ),
        extraHeaders,
      )
    this.deliver(req, res, fault, {
      normal,
      error,
      vendorError200: () =>
        jsonWire(
          vendor.renderVendorError200(dialect, fault ?? { kind: 'vendor-error-200' }, requestId),
          extraHeaders,
        ),
      wrongShape: () => jsonWire(renderWrongShape(created.script.id), extraHeaders),
      extraHeaders,
    })
  }

  shutdown(): void {
    this.delivery.shutdown()
  }
}

/** Whether a request carries every header a vendor requires, with its value. */
function hasRequiredHeaders(
  req: IncomingMessage,
  required: Readonly<Record<string, string>> | undefined,
): boolean {
  if (required === undefined) return true
  return Object.entries(required).every(([name, value]) => header(req, name) === value)
}

/** The request's headers, lower-cased, the first value of a repeated one. */
function requestHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    const first = Array.isArray(value) ? value[0] : value
    if (first !== undefined) headers[name] = first
  }
  return headers
}

/** A request header's value (the first, when repeated). */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

/** Starts the HTTP server of a simulator. See `startSimulator` in `index.ts`. */
export async function startServer(options: ResolvedOptions): Promise<Simulator> {
  const core = new SimulatorCore(options)
  const server: Server = createServer((req, res) => core.handle(req, res))
  await listen(server, options.port, options.host)
  const address = server.address() as AddressInfo
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address
  core.baseURL = `http://${hostPart}:${address.port}`
  // The CDN: a second listener on another port, so another origin than the API's.
  const cdn: Server = createServer((req, res) => {
    core.videos.handleCdn(req, res).catch(() => res.destroy())
  })
  try {
    await listen(cdn, 0, options.host)
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    throw error
  }
  core.videos.cdnURL = `http://${hostPart}:${(cdn.address() as AddressInfo).port}`
  let closing: Promise<void> | undefined

  const simulator: Simulator = {
    baseURL: core.baseURL,
    apiKey: options.apiKey,
    port: address.port,
    createTask: (script) => core.createTask(script),
    task: (id) => core.info(id),
    requests: (id) => core.tasks.get(id)?.reads ?? 0,
    totalRequests: () => core.totalRequests(),
    stats: () => core.stats(),
    billed: (key) => core.billedCount(key),
    cdnURL: core.videos.cdnURL,
    cdnRequests: () => [...core.videos.cdnLog],
    setFaults: (faults) => {
      core.setFaults(faults)
    },
    advance: (ms) => {
      core.advance(ms)
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        core.shutdown()
        let open = 2
        // Resolve a macrotask after both close callbacks, once libuv released the handles.
        const done = () => {
          open--
          if (open === 0) setImmediate(resolve)
        }
        server.close(done)
        cdn.close(done)
        server.closeAllConnections()
        cdn.closeAllConnections()
      })
      return closing
    },
  }
  return simulator
}
