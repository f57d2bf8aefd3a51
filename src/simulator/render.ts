/*
 * What every vendor file renders into, and the pieces of an answer no vendor owns (a proxy's HTML
 * page, an unrelated JSON shape).
 */
import type { Snapshot, TaskRecord } from './timeline.js'
import type { TaskPhase } from './types.js'

/** A JSON value. */
export type Json =
  | null
  | boolean
  | number
  | string
  | readonly Json[]
  | { [key: string]: Json | undefined }

/** An answer before it goes on the wire. */
export interface Rendered {
  status: number
  body: Json
  headers?: Record<string, string>
}

/** What a status answer is rendered from. */
export interface StatusView {
  task: TaskRecord
  snap: Snapshot
  /** Replaces the status word (the `unknown-status` fault). */
  statusWord: string | undefined
  requestId: string
  /** The simulator's base URL, for answers that link back to the API (Gemini's file URIs). */
  baseURL?: string
}

/** The errors every vendor has its own body for. */
export const ERROR_STATUS = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'rate-limit': 429,
  'server-error': 500,
} as const

/** An error every vendor has its own body for. */
export type ErrorKind = keyof typeof ERROR_STATUS

/** Unix seconds of a ms timestamp. */
export const seconds = (ms: number): number => Math.floor(ms / 1000)

/** The status word of a phase, unless a fault overrides it. */
export function pick(
  phase: TaskPhase,
  words: Record<TaskPhase, string>,
  override: string | undefined,
): string {
  return override ?? words[phase]
}

/** Valid JSON of an unrelated shape (the `wrong-shape` fault). */
export function renderWrongShape(id: string | undefined): Rendered {
  return {
    status: 200,
    body: { object: 'list', data: [{ id: id ?? null, object: 'task.summary' }], has_more: false },
  }
}

const REASON_PHRASES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
}

/** A reverse proxy's HTML error page. */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${REASON_PHRASES[status] ?? 'Error'}`
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}
