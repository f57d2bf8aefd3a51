import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type ErrorKind,
  type Json,
  proxyErrorPage,
  type Rendered,
  renderError,
  renderStatus,
  renderVendorError200,
  renderWrongShape,
  unknownStatusWord,
} from './dialects.js'
import { mulberry32 } from './prng.js'
import { backwardsProgress, snapshot, type TaskRecord } from './timeline.js'
import type {
  FaultSpec,
  ResolvedTaskScript,
  RetryAfterStyle,
  SimulatedDialect,
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
  validateRandomFaults,
  validateScript,
} from './validate.js'

/** The largest request body the simulator reads. */
const MAX_BODY_BYTES = 1 << 20

/** An answer ready for the wire. */
interface Wire {
  status: number
  headers: Record<string, string>
  body: Buffer
}

type RouteKind = 'status' | 'content' | 'file'

interface VendorRoute {
  provider: SimulatedProvider
  kind: RouteKind
  /** The task id from the path (status, content) or the file id (file). */
  id: string | undefined
}

const ROUTES: readonly {
  method: 'GET' | 'POST'
  pattern: RegExp
  provider: SimulatedProvider
  kind: RouteKind
}[] = [
  { method: 'GET', pattern: /^\/v1\/videos\/([^/]+)$/, provider: 'openai', kind: 'status' },
  {
    method: 'GET',
    pattern: /^\/v1\/videos\/([^/]+)\/content$/,
    provider: 'openai',
    kind: 'content',
  },
  {
    method: 'GET',
    pattern: /^\/v1\/video\/generations\/([^/]+)$/,
    provider: 'doubao',
    kind: 'status',
  },
  { method: 'GET', pattern: /^\/task\/([^/]+)$/, provider: 'generic-task', kind: 'status' },
  { method: 'GET', pattern: /^\/v1\/files\/retrieve$/, provider: 'generic-task', kind: 'file' },
  {
    method: 'POST',
    pattern: /^\/api\/video-generations\/check-result$/,
    provider: 'check-result',
    kind: 'status',
  },
]

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function matchRoute(method: string, url: URL): VendorRoute | 'wrong-method' | undefined {
  let wrongMethod = false
  for (const route of ROUTES) {
    const match = route.pattern.exec(url.pathname)
    if (match === null) continue
    if (route.method !== method) {
      wrongMethod = true
      continue
    }
    const segment = match[1]
    const id =
      route.kind === 'file'
        ? (url.searchParams.get('file_id') ?? undefined)
        : segment === undefined
          ? undefined
          : decode(segment)
    return { provider: route.provider, kind: route.kind, id }
  }
  return wrongMethod ? 'wrong-method' : undefined
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

function digits(count: number): string {
  const bytes = randomBytes(count)
  let text = String(((bytes[0] ?? 0) % 9) + 1)
  for (let index = 1; index < count; index++) text += String((bytes[index] ?? 0) % 10)
  return text
}

function randomTaskId(provider: SimulatedProvider, dialect: SimulatedDialect): string {
  switch (provider) {
    case 'openai':
      return dialect === 'official' ? `video_${hex(24)}` : `task_${hex(12)}`
    case 'doubao':
      return `cgt-${hex(6)}-${hex(3)}`
    case 'generic-task':
      return digits(15)
    case 'check-result':
      return `task_${hex(10)}`
  }
}

/** Placeholder bytes with the right magic numbers: an MP4 `ftyp` box, a WebP, a JPEG. */
function fakeAsset(id: string, variant: 'video' | 'thumbnail' | 'spritesheet'): Wire {
  const payload = Buffer.from(`video-tasks simulator ${variant} of ${id}`)
  if (variant === 'video') {
    const ftyp = Buffer.from('000000186674797069736f6d0000020069736f6d6d703431', 'hex')
    const mdat = Buffer.alloc(8)
    mdat.writeUInt32BE(8 + payload.length, 0)
    mdat.write('mdat', 4, 'latin1')
    return {
      status: 200,
      headers: { 'content-type': 'video/mp4' },
      body: Buffer.concat([ftyp, mdat, payload]),
    }
  }
  if (variant === 'thumbnail') {
    const header = Buffer.alloc(12)
    header.write('RIFF', 0, 'latin1')
    header.writeUInt32LE(4 + payload.length, 4)
    header.write('WEBP', 8, 'latin1')
    return {
      status: 200,
      headers: { 'content-type': 'image/webp' },
      body: Buffer.concat([header, payload]),
    }
  }
  return {
    status: 200,
    headers: { 'content-type': 'image/jpeg' },
    body: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), payload, Buffer.from([0xff, 0xd9])]),
  }
}

function jsonWire(rendered: Rendered, extraHeaders: Record<string, string> = {}): Wire {
  return {
    status: rendered.status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...rendered.headers,
      ...extraHeaders,
    },
    body: Buffer.from(JSON.stringify(rendered.body)),
  }
}

function retryHeaders(style: RetryAfterStyle, ms: number, now: number): Record<string, string> {
  const seconds = String(Math.ceil(ms / 1000))
  switch (style) {
    case 'seconds':
      return { 'retry-after': seconds }
    case 'http-date':
      // HTTP dates have whole seconds: round up, so the date is never before now + ms.
      return { 'retry-after': new Date(Math.ceil((now + ms) / 1000) * 1000).toUTCString() }
    case 'ms':
      return { 'retry-after-ms': String(Math.round(ms)) }
    case 'ms-and-seconds':
      return { 'retry-after-ms': String(Math.round(ms)), 'retry-after': seconds }
    case 'none':
      return {}
  }
}

async function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > MAX_BODY_BYTES) return 'too-large'
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: text.trim() === '' ? undefined : JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

function controlError(status: number, message: string): Wire {
  return jsonWire({ status, body: { error: { message, type: 'simulator' } } })
}

function emptyStats(): SimulatorStats {
  return {
    totalRequests: 0,
    requestsByProvider: { openai: 0, doubao: 0, 'generic-task': 0, 'check-result': 0 },
    unauthorized: 0,
    tasks: 0,
    faults: {},
  }
}

/** The simulator's state and HTTP handling. */
class SimulatorCore {
  readonly tasks = new Map<string, TaskRecord>()
  private readonly fileIds = new Map<string, string>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly counters = emptyStats()
  private offset = 0
  private rng: () => number
  private randomFaults: ResolvedRandomFaults | null
  private closed = false
  baseURL = ''

  constructor(private readonly options: ResolvedOptions) {
    this.randomFaults = options.faults
    this.rng = mulberry32(options.faults?.seed ?? options.seed)
  }

  /** The simulator's clock: the injected clock plus {@link advance}s. */
  now(): number {
    return this.options.now() + this.offset
  }

  advance(ms: number): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new TypeError(`advance(ms): ms must be a finite number >= 0, got ${String(ms)}`)
    }
    this.offset += ms / this.options.timeScale
  }

  setFaults(faults: unknown): void {
    if (faults === null) {
      this.randomFaults = null
      return
    }
    const resolved = validateRandomFaults(faults, 'faults')
    this.randomFaults = resolved
    if (resolved.seed !== undefined) this.rng = mulberry32(resolved.seed)
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

  createTask(script: TaskScript): SimulatedTask {
    const validated = validateScript(script, this.options.dialects)
    let id = validated.id
    if (id === undefined) {
      do id = randomTaskId(validated.provider, validated.dialect)
      while (this.tasks.has(id))
    } else if (this.tasks.has(id)) {
      throw new TypeError(`script.id must be unique, but a task '${id}' already exists`)
    }
    let fileId: string
    do fileId = digits(15)
    while (this.fileIds.has(fileId))
    const { pollAfterMs, ...rest } = validated
    const resolved: ResolvedTaskScript = {
      ...rest,
      id,
      videoUrl: validated.videoUrl ?? `${this.baseURL}/files/${encodeURIComponent(id)}.mp4`,
      ...(pollAfterMs === undefined ? {} : { pollAfterMs }),
    }
    const record: TaskRecord = {
      script: resolved,
      createdAt: this.now(),
      reads: 0,
      contentReads: 0,
      faultsLeft: resolved.faults.map((fault) => fault.times ?? Number.POSITIVE_INFINITY),
      lastProgress: undefined,
      fileId,
    }
    this.tasks.set(id, record)
    this.fileIds.set(fileId, id)
    this.counters.tasks++
    return this.publicTask(record)
  }

  publicTask(record: TaskRecord): SimulatedTask {
    const { id, provider, dialect, videoUrl } = record.script
    const encoded = encodeURIComponent(id)
    const paths: Record<SimulatedProvider, string> = {
      openai: `/v1/videos/${encoded}`,
      doubao: `/v1/video/generations/${encoded}`,
      'generic-task': `/task/${encoded}`,
      'check-result': '/api/video-generations/check-result',
    }
    const task: SimulatedTask = {
      id,
      provider,
      dialect,
      createdAt: record.createdAt,
      statusUrl: `${this.baseURL}${paths[provider]}`,
      videoUrl,
    }
    if (provider === 'openai') task.contentUrl = `${this.baseURL}${paths.openai}/content`
    return task
  }

  info(id: string): SimulatedTaskInfo | undefined {
    const record = this.tasks.get(id)
    if (record === undefined) return undefined
    const snap = snapshot(record, this.now(), this.options.timeScale)
    return {
      ...this.publicTask(record),
      script: record.script,
      phase: snap.phase,
      progress: snap.progress,
      elapsedMs: snap.elapsedMs,
      reads: record.reads,
      contentReads: record.contentReads,
      faultsLeft: [...record.faultsLeft],
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

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid')
    const method = req.method ?? 'GET'
    if (url.pathname === '/__simulator' || url.pathname.startsWith('/__simulator/')) {
      await this.control(req, res, method, url)
      return
    }
    const fileMatch = /^\/files\/([^/]+)\.mp4$/.exec(url.pathname)
    if (fileMatch !== null && (method === 'GET' || method === 'HEAD')) {
      req.resume()
      const record = this.tasks.get(decode(fileMatch[1] ?? ''))
      const ready =
        record !== undefined &&
        snapshot(record, this.now(), this.options.timeScale).phase === 'succeeded'
      this.send(
        res,
        ready ? fakeAsset(record.script.id, 'video') : controlError(404, 'No such file'),
      )
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
    await this.vendor(req, res, route, url)
  }

  private authorized(req: IncomingMessage): boolean {
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

  private async vendor(
    req: IncomingMessage,
    res: ServerResponse,
    route: VendorRoute,
    url: URL,
  ): Promise<void> {
    const { provider } = route
    this.counters.totalRequests++
    this.counters.requestsByProvider[provider]++
    let id = route.id
    let badRequest = false
    if (provider === 'check-result') {
      const text = await readBody(req)
      const parsed = text === 'too-large' ? { ok: false as const } : parseJson(text)
      const taskId =
        parsed.ok && typeof parsed.value === 'object' && parsed.value !== null
          ? (parsed.value as Record<string, unknown>).taskId
          : undefined
      if (typeof taskId === 'string' && taskId !== '') id = taskId
      else badRequest = true
    } else {
      req.resume()
    }

    let record: TaskRecord | undefined
    if (route.kind === 'file') {
      const taskId = id === undefined ? undefined : this.fileIds.get(id)
      record = taskId === undefined ? undefined : this.tasks.get(taskId)
      if (record?.script.dialect !== 'minimax') record = undefined
    } else {
      record = id === undefined ? undefined : this.tasks.get(id)
      if (record?.script.provider !== provider) record = undefined
    }
    const dialect: SimulatedDialect =
      route.kind === 'file'
        ? 'minimax'
        : (record?.script.dialect ?? this.options.dialects[provider])
    const requestId = `req_${hex(16)}`
    const extra: Record<string, string> = provider === 'openai' ? { 'x-request-id': requestId } : {}
    if (record !== undefined) {
      if (route.kind === 'status') record.reads++
      else record.contentReads++
    }
    const error = (kind: ErrorKind, headers: Record<string, string> = {}) =>
      jsonWire(renderError(provider, dialect, kind, requestId), { ...extra, ...headers })

    if (!this.authorized(req)) {
      this.counters.unauthorized++
      this.send(res, error('unauthorized'))
      return
    }

    // Draw for every authorized request, so the random stream depends only on the request count.
    const randomFault = this.drawRandomFault()
    const scripted =
      record !== undefined && route.kind === 'status' ? this.takeScriptedFault(record) : undefined
    const fault = scripted ?? randomFault
    if (fault !== undefined) {
      this.counters.faults[fault.kind] = (this.counters.faults[fault.kind] ?? 0) + 1
    }

    const normal = (): Wire => {
      if (badRequest) return error('bad-request')
      if (record === undefined) return error('not-found')
      if (route.kind === 'status') {
        return jsonWire(this.statusAnswer(record, requestId, fault), extra)
      }
      if (route.kind === 'file') return jsonWire(this.fileAnswer(record))
      return this.contentAnswer(record, url, error)
    }

    switch (fault?.kind) {
      case undefined:
        this.send(res, normal())
        return
      case 'hang':
        // Never answer: the client gives up, or close() destroys the connection.
        return
      case 'reset':
        req.socket.resetAndDestroy()
        return
      case 'latency': {
        const wire = normal()
        this.schedule(res, fault.delayMs ?? 250, () => this.send(res, wire))
        return
      }
      case 'slow-body':
        this.sendSlowly(res, normal(), fault.chunks ?? 4, fault.delayMs ?? 50)
        return
      case 'rate-limit':
        this.send(
          res,
          error(
            'rate-limit',
            retryHeaders(fault.retryAfter ?? 'seconds', fault.retryAfterMs ?? 1000, this.now()),
          ),
        )
        return
      case 'server-error': {
        const status = fault.status ?? 502
        const headers = retryHeaders(
          fault.retryAfter ?? 'none',
          fault.retryAfterMs ?? 1000,
          this.now(),
        )
        if (fault.body === 'vendor') {
          const wire = error('server-error', headers)
          this.send(res, { ...wire, status })
        } else {
          this.send(res, {
            status,
            headers: { 'content-type': 'text/html', ...headers },
            body: Buffer.from(proxyErrorPage(status)),
          })
        }
        return
      }
      case 'empty-body':
        this.send(res, {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', ...extra },
          body: Buffer.alloc(0),
        })
        return
      case 'truncated-json': {
        const wire = normal()
        this.send(res, { ...wire, body: wire.body.subarray(0, Math.floor(wire.body.length / 2)) })
        return
      }
      case 'wrong-shape':
        this.send(res, jsonWire(renderWrongShape(id), extra))
        return
      case 'vendor-error-200':
        this.send(res, jsonWire(renderVendorError200(provider, dialect, fault, requestId), extra))
        return
      case 'unauthorized':
        this.send(res, error('unauthorized'))
        return
      case 'forbidden':
        this.send(res, error('forbidden'))
        return
      case 'not-found':
        this.send(res, error('not-found'))
        return
      case 'progress-backwards':
      case 'unknown-status':
        // Handled while rendering the status answer.
        this.send(res, normal())
        return
    }
  }

  private statusAnswer(
    record: TaskRecord,
    requestId: string,
    fault: FaultSpec | undefined,
  ): Rendered {
    const snap = snapshot(record, this.now(), this.options.timeScale)
    if (fault?.kind === 'progress-backwards' && snap.progress !== undefined) {
      const base = Math.min(snap.progress, record.lastProgress ?? snap.progress)
      if (base > 0) snap.progress = backwardsProgress(base, record.script.progress)
    }
    const statusWord =
      fault?.kind === 'unknown-status'
        ? (fault.statusWord ?? unknownStatusWord(record.script.dialect))
        : undefined
    const rendered = renderStatus({ task: record, snap, statusWord, requestId })
    if (snap.progress !== undefined) record.lastProgress = snap.progress
    return rendered
  }

  private contentAnswer(record: TaskRecord, url: URL, error: (kind: ErrorKind) => Wire): Wire {
    const variant = url.searchParams.get('variant') ?? 'video'
    if (variant !== 'video' && variant !== 'thumbnail' && variant !== 'spritesheet') {
      return error('bad-request')
    }
    const snap = snapshot(record, this.now(), this.options.timeScale)
    if (snap.phase !== 'succeeded') return error('not-found')
    return fakeAsset(record.script.id, variant)
  }

  private fileAnswer(record: TaskRecord): Rendered {
    const snap = snapshot(record, this.now(), this.options.timeScale)
    if (snap.phase !== 'succeeded') {
      return renderError('generic-task', 'minimax', 'not-found', '')
    }
    const file: Json = {
      file_id: record.fileId,
      bytes: fakeAsset(record.script.id, 'video').body.length,
      created_at: Math.floor((snap.finishedAt ?? snap.createdAt) / 1000),
      filename: 'output.mp4',
      purpose: 'video_generation',
      download_url: record.script.videoUrl,
    }
    return { status: 200, body: { file, base_resp: { status_code: 0, status_msg: 'success' } } }
  }

  /* ----------------------------------------------------------------------------------------------
   * Control endpoint
   */

  private async control(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
  ): Promise<void> {
    let text = ''
    if (method === 'POST') text = await readBody(req)
    else req.resume()
    if (!this.authorized(req)) {
      this.send(res, controlError(401, 'The control endpoint needs the simulator bearer key'))
      return
    }
    if (text === 'too-large') {
      this.send(res, controlError(413, 'Body too large'))
      return
    }
    const path = url.pathname
    const body = () => {
      const parsed = parseJson(text)
      if (!parsed.ok) throw new TypeError('The body must be JSON')
      return parsed.value
    }
    const reply = (status: number, value: unknown) =>
      this.send(res, jsonWire({ status, body: value as Json }))
    try {
      if (path === '/__simulator/tasks' && method === 'POST') {
        reply(201, this.createTask(body() as TaskScript))
        return
      }
      if (path === '/__simulator/tasks' && method === 'GET') {
        reply(200, { tasks: [...this.tasks.keys()].map((id) => this.info(id)) })
        return
      }
      const taskMatch = /^\/__simulator\/tasks\/([^/]+)$/.exec(path)
      if (taskMatch !== null && method === 'GET') {
        const info = this.info(decode(taskMatch[1] ?? ''))
        if (info === undefined) this.send(res, controlError(404, 'No such task'))
        else reply(200, info)
        return
      }
      if (path === '/__simulator/stats' && method === 'GET') {
        reply(200, this.stats())
        return
      }
      if (path === '/__simulator/faults' && method === 'POST') {
        const value = body()
        this.setFaults(value === undefined ? null : value)
        reply(200, { faults: this.randomFaults })
        return
      }
      if (path === '/__simulator/clock' && method === 'POST') {
        const value = body()
        const advanceMs =
          typeof value === 'object' && value !== null
            ? (value as Record<string, unknown>).advanceMs
            : undefined
        this.advance(advanceMs as number)
        reply(200, { now: this.now() })
        return
      }
      this.send(res, controlError(404, `No control route for ${method} ${path}`))
    } catch (error) {
      if (!(error instanceof TypeError)) throw error
      this.send(res, controlError(400, error.message))
    }
  }

  /* ----------------------------------------------------------------------------------------------
   * Delivery and life cycle
   */

  private send(res: ServerResponse, wire: Wire): void {
    if (res.destroyed || res.headersSent) return
    res.writeHead(wire.status, { ...wire.headers, 'content-length': String(wire.body.length) })
    res.end(wire.body)
  }

  private sendSlowly(res: ServerResponse, wire: Wire, chunks: number, delayMs: number): void {
    if (res.destroyed) return
    res.writeHead(wire.status, { ...wire.headers, 'content-length': String(wire.body.length) })
    res.flushHeaders()
    const size = Math.max(1, Math.ceil(wire.body.length / chunks))
    let offset = 0
    const step = () => {
      if (res.destroyed) return
      const piece = wire.body.subarray(offset, offset + size)
      offset += size
      if (offset >= wire.body.length) res.end(piece)
      else {
        res.write(piece)
        this.schedule(res, delayMs, step)
      }
    }
    this.schedule(res, delayMs, step)
  }

  /** A timer tied to a response: cleared when the response closes or the simulator does. */
  private schedule(res: ServerResponse, ms: number, run: () => void): void {
    if (this.closed) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      res.off('close', cancel)
      run()
    }, ms)
    const cancel = () => {
      clearTimeout(timer)
      this.timers.delete(timer)
    }
    this.timers.add(timer)
    res.once('close', cancel)
  }

  shutdown(): void {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }
}

/** Starts the HTTP server of a simulator. See `startSimulator` in `index.ts`. */
export async function startServer(options: ResolvedOptions): Promise<Simulator> {
  const core = new SimulatorCore(options)
  const server: Server = createServer((req, res) => core.handle(req, res))
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error)
    server.once('error', onError)
    server.listen(options.port, options.host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address
  core.baseURL = `http://${hostPart}:${address.port}`
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
    setFaults: (faults) => core.setFaults(faults),
    advance: (ms) => core.advance(ms),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        core.shutdown()
        // Resolve a macrotask after the server's close callback, once libuv released the handles.
        server.close(() => setImmediate(resolve))
        server.closeAllConnections()
      })
      return closing
    },
  }
  return simulator
}
