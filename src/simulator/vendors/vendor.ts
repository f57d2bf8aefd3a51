/*
 * What a vendor file describes. The server knows no vendor by name: it reads these descriptions
 * from the table in `index.ts`, so a vendor is one file here and one line there.
 */
import type { ErrorKind, Rendered, StatusView } from '../render.js'
import type { FaultSpec, ProgressMode } from '../types.js'

/** What a route does. */
export type RouteKind = 'status' | 'content' | 'file' | 'create' | 'cancel'

/** One route of a vendor's API. */
export interface VendorRoute {
  method: 'GET' | 'POST' | 'DELETE'
  /** Matched against the path; the first group, if any, is the task id. */
  pattern: RegExp
  kind: RouteKind
  /**
   * The query parameter carrying the id, for routes that take it there (MiniMax's
   * `?task_id=`). @default `file_id` on `file` routes, else the pattern's first group
   */
  idParam?: string
  /**
   * The dialect this route belongs to, for vendors whose route families cannot read each other's
   * tasks (Kling): a create here makes a task of this dialect, and a status route here serves
   * only tasks of this dialect (any other id answers not-found, as the vendor does).
   */
  dialect?: string
}

/** What a vendor's {@link SimulatorVendor.authorize} check knows of a request. */
export interface AuthorizeContext {
  /** A request header (the first, when repeated), for keys not in `Authorization`. */
  header(name: string): string | undefined
  /** The request's path. */
  path: string
  /** The request's query (Gemini's `?key=`). */
  query: URLSearchParams
  /** The simulator's key (for Kling: the secret key tokens are signed with). */
  apiKey: string
  /** The simulator's clock, milliseconds since the epoch. */
  nowMs: number
  /** A request id for the error answer. */
  requestId: string
}

/** A create request as the server read it (JSON, or `multipart/form-data`). */
export interface CreateRequest {
  /** The JSON body's fields, or the multipart form's text fields. */
  fields: Record<string, unknown>
  /** The multipart form's file parts: field name -> size in bytes. */
  files: Record<string, number>
  /** The body's format. */
  format: 'json' | 'multipart'
  /** The request's path (a vendor with the model in the path reads it here). */
  path?: string
  /** The request's headers, lower-cased (DashScope's `x-dashscope-async`). */
  headers?: Readonly<Record<string, string>>
}

/** What a vendor takes from a create request, or why it refuses it. */
export type CreateInput =
  | {
      ok: true
      prompt: string
      model: string | undefined
      /** Where the simulator POSTs status callbacks (MiniMax-style `callback_url`). */
      callbackUrl: string | undefined
      /** What the task reports back from the request (OpenAI's `seconds` and `size`). */
      echo?: { seconds?: string; size?: string }
    }
  | {
      ok: false
      message: string
      /** The vendor's error answer for it. @default 'bad-request' */
      kind?: ErrorKind
    }

/** A vendor's create route. */
export interface VendorCreate<D extends string> {
  /** The dialect of tasks created here when the script names none. @default the simulator's */
  readonly dialect?: D
  /** Reads the fields the simulator needs; `ok: false` is the vendor's 400. */
  parse(request: CreateRequest): CreateInput
  /**
   * The answer to a create that made a task. `shape` is the request's
   * `x-simulator-create-shape` header, for vendors that answered in several shapes over time.
   */
  render(view: StatusView, dialect: D, shape: string | undefined): Rendered
  /** The body of a status callback, for vendors that call back. */
  callback?(view: StatusView): Rendered['body']
  /**
   * Whether callbacks start with MiniMax's `challenge` handshake; `false` POSTs each status
   * change straight away (Ark: unsigned, no handshake).
   * @default true
   */
  readonly callbackHandshake?: boolean
}

/**
 * A vendor's cancel route (`cancel` routes). A queued task (and a running one where
 * {@link VendorCancel.running} says so) reads `cancelled` from that moment on.
 */
export interface VendorCancel {
  /**
   * What a cancel of a running task does: `cancel` it (Runway's `DELETE`), or `refuse`.
   * @default 'refuse'
   */
  readonly running?: 'cancel' | 'refuse'
  /**
   * What a cancel of a finished task does: `delete` forgets the task, which is then not found
   * (Ark's `DELETE`); `refuse` answers {@link VendorCancel.refused}.
   */
  readonly finished: 'delete' | 'refuse'
  /** The answer to a cancel that took effect (or deleted a finished task). */
  accepted(view: StatusView): Rendered
  /** The answer to a cancel the task's phase does not allow (running, or finished with `refuse`). */
  refused(view: StatusView, requestId: string): Rendered
}

/**
 * One vendor the simulator speaks, described from its docs (`/work/shared/vendor-docs` and the
 * vendor notes), never from the SDK's adapters.
 */
export interface SimulatorVendor<D extends string> {
  /** Its dialects, the default first. */
  readonly dialects: readonly [D, ...D[]]
  /** The model name of tasks whose script gives none. */
  readonly defaultModel: string
  /** How its tasks report progress unless the script says otherwise. */
  readonly defaultProgress: ProgressMode
  /** The progress formats a script may ask for, the default first. */
  readonly progressFormats: readonly [
    'integer' | 'fraction' | 'percent',
    ...('integer' | 'fraction' | 'percent')[],
  ]
  /** Its routes. */
  readonly routes: readonly VendorRoute[]
  /** The header carrying the request id on every answer, if the vendor sends one. */
  readonly requestIdHeader?: string
  /** The path that reads a task, from its URL-encoded id (and its dialect, where routes differ). */
  statusPath(encodedId: string, dialect: D): string
  /** The path of the task's content download, where the vendor has one. */
  contentPath?(encodedId: string): string
  /**
   * Whether the content route answers with a redirect to storage (the CDN listener, another
   * origin, a signed link that needs no key) instead of the bytes: Gemini's file download
   * (vendor-docs/native/gemini-veo.md "Download of the uri": the download redirects to storage).
   * @default false
   */
  readonly contentRedirect?: boolean
  /** For status routes read by POST: the task id from the JSON body. */
  statusIdFromBody?(body: unknown): string | undefined
  /** A random id shaped like the vendor's. */
  randomId(dialect: D): string
  /** The status answer of a task. */
  renderStatus(view: StatusView, dialect: D): Rendered
  /** The vendor's error answer. */
  renderError(dialect: D, kind: ErrorKind, requestId: string): Rendered
  /** A 200 carrying the vendor's error (the `vendor-error-200` fault). */
  renderVendorError200(dialect: D, fault: FaultSpec, requestId: string): Rendered
  /** The status word the `unknown-status` fault sends by default. */
  unknownStatusWord(dialect: D): string
  /** The file API's answer (`file` routes): where the task's file is. */
  renderFile?(view: StatusView, file: { bytes: number; downloadUrl: string }): Rendered
  /** The dialect a `file` route answers in (its errors). */
  readonly fileDialect?: D
  /**
   * Headers (lower-case names) every request must carry with exactly these values, beyond the
   * key (Runway's `X-Runway-Version`); a request without them gets the vendor's 400.
   */
  readonly requiredHeaders?: Readonly<Record<string, string>>
  /**
   * The answer to a `cancel` route (Runway's `DELETE /v1/tasks/{id}`): a queued or running task
   * ends cancelled, a finished one is deleted (later reads are the vendor's 404).
   * @default 204 without a body
   */
  renderCancel?(view: StatusView): Rendered | undefined
  /** Its create route's behaviour, when it has one in `routes`. */
  readonly create?: VendorCreate<D>
  /**
   * Checks a request's credentials, for vendors whose auth is more than `Bearer <apiKey>`
   * (Kling's signed tokens): `null` when they pass, else the vendor's refusal.
   * @default a bearer token equal to the simulator's key, else `renderError('unauthorized')`
   */
  authorize?(authorization: string | undefined, context: AuthorizeContext): Rendered | null
  /** Its cancel route's behaviour, when it has one in `routes`. */
  readonly cancel?: VendorCancel
}
