/*
 * Where a task's video is served from: the simulator's own `/files/` URL (which redirects to the
 * CDN with `download.via: 'cdn'`), the CDN listener (signed links, no key), or the content route.
 * Expiry and body faults apply on all three; `downloads.ts` streams the bytes.
 */
import { createHmac } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { controlError, type Wire } from './delivery.js'
import { expiredWire, noSuchKeyWire, serveBody } from './downloads.js'
import { decode } from './routing.js'
import type { Snapshot, TaskRecord } from './timeline.js'
import type { BodyFault, CdnRequest } from './types.js'

/** What the video server reads from the simulator. */
export interface VideoHost {
  task(id: string): TaskRecord | undefined
  snap(record: TaskRecord): Snapshot
  now(): number
  send(res: ServerResponse, wire: Wire): void
  /** The key CDN links are signed with. */
  secret: string
}

/** Serves tasks' videos and plays the CDN. */
export class VideoServer {
  /** The CDN listener's requests. */
  readonly cdnLog: CdnRequest[] = []
  /** The CDN listener's origin, once it listens. */
  cdnURL = ''

  constructor(private readonly host: VideoHost) {}

  /** The body fault for the next download of a task, if one is left. */
  private takeBodyFault(record: TaskRecord): BodyFault | undefined {
    const { faults } = record.script.download
    for (let index = 0; index < faults.length; index++) {
      const left = record.bodyFaultsLeft[index] ?? 0
      if (left <= 0) continue
      record.bodyFaultsLeft[index] = left - 1
      return faults[index]
    }
    return undefined
  }

  /** The signature of a CDN link: only links the simulator handed out are served. */
  private sign(id: string, expires: string): string {
    return createHmac('sha256', this.host.secret).update(`${id}\n${expires}`).digest('hex')
  }

  /**
   * A task's video: from the simulator's own `/files/` URL (`origin`, which redirects to the CDN
   * with `via: 'cdn'`), the CDN listener (`cdn`), or the content route (`content`, already
   * authorized; `content-to-cdn` for vendors whose content route redirects to storage).
   */
  async video(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    from: 'origin' | 'cdn' | 'content' | 'content-to-cdn',
    url?: URL,
  ): Promise<void> {
    const record = this.host.task(id)
    const snap = record === undefined ? undefined : this.host.snap(record)
    if (record === undefined || snap?.phase !== 'succeeded') {
      this.host.send(res, from === 'cdn' ? noSuchKeyWire() : controlError(404, 'No such file'))
      return
    }
    const { download } = record.script
    if (snap.expiresAt !== undefined && this.host.now() >= snap.expiresAt) {
      this.host.send(res, expiredWire(download.expiredStatus))
      return
    }
    if (from === 'cdn') {
      const expires = url?.searchParams.get('expires') ?? ''
      if (url?.searchParams.get('signature') !== this.sign(id, expires)) {
        this.host.send(res, expiredWire(403))
        return
      }
    }
    if ((from === 'origin' && download.via === 'cdn') || from === 'content-to-cdn') {
      const expires = String(snap.expiresAt === undefined ? 0 : Math.floor(snap.expiresAt / 1000))
      const location = `${this.cdnURL}/blobs/${encodeURIComponent(id)}.mp4?expires=${expires}&signature=${this.sign(id, expires)}`
      this.host.send(res, {
        status: 302,
        headers: { location, 'content-type': 'text/plain' },
        body: Buffer.from(`Found. Redirecting to ${location}`),
      })
      return
    }
    await serveBody({ req, res, download, fault: this.takeBodyFault(record) })
  }

  /** A request to the CDN listener: `/blobs/{id}.mp4?expires=...&signature=...`, no key. */
  async handleCdn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume()
    const url = new URL(req.url ?? '/', 'http://cdn.invalid')
    this.cdnLog.push({
      path: `${url.pathname}${url.search}`,
      range: req.headers.range,
      authorization: req.headers.authorization !== undefined,
      headerNames: Object.keys(req.headers).sort(),
    })
    const match = /^\/blobs\/([^/]+)\.mp4$/.exec(url.pathname)
    if (match === null || (req.method !== 'GET' && req.method !== 'HEAD')) {
      this.host.send(res, noSuchKeyWire())
      return
    }
    await this.video(req, res, decode(match[1] ?? ''), 'cdn', url)
  }
}
