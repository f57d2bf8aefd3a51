import type { VideoTask, VideoTaskDetails } from '../../model.js'
import type { ProviderRequest, ProviderResponse } from './types.js'

/*
 * The pure half of a job's life beyond the read: create, cancel, and where the output bytes are.
 * Adapters only build requests and parse answers; the client sends them, reads files named by a
 * path, retries (or, for a create, refuses to), downloads and waits.
 */

/**
 * A reference image as the user gives it: a URL (`https:` or `data:`), bytes, or a file path.
 * The client reads a path or a `Blob` into bytes before the adapter sees it, so adapters stay
 * pure: they receive a {@link ResolvedImage}.
 */
export type ImageInput =
  | string
  | URL
  | Blob
  | Uint8Array
  | { path: string; mediaType?: string | undefined }

/** An image as an adapter receives it. */
export type ResolvedImage =
  | { kind: 'url'; url: string }
  | { kind: 'bytes'; bytes: Uint8Array; mediaType: string; fileName: string }

/**
 * What every vendor's create shares. Each provider maps these to its own fields and refuses,
 * with a `TypeError` naming the field, what it cannot express.
 */
export interface VideoInput {
  /** What the video shows. */
  prompt: string
  /** The vendor's model name. @default the provider's default model */
  model?: string | undefined
  /** Length in seconds. */
  durationSeconds?: number | undefined
  /** `WIDTHxHEIGHT`, such as `1280x720`. Give this or `aspectRatio`, not both. */
  size?: string | undefined
  /** `16:9`, `9:16`, `1:1`, ... */
  aspectRatio?: string | undefined
  /** `480p`, `720p`, `1080p`, ... */
  resolution?: string | undefined
  /** A reference (first-frame) image. */
  image?: ImageInput | undefined
  /** A seed, where the vendor takes one. */
  seed?: number | undefined
}

/** The input a create request is built from: the shared fields, the image resolved, the bag. */
export interface CreateRequestInput<TProviderInput extends object = Record<string, unknown>>
  extends Omit<VideoInput, 'image'> {
  /** The reference image, already read into bytes or kept as a URL. */
  image?: ResolvedImage | undefined
  /** Vendor fields beyond the shared ones, typed per provider; they win over mapped fields. */
  providerInput?: TProviderInput | undefined
  /** The idempotency key, when the provider declares a header it honours. */
  idempotencyKey?: string | undefined
  /** Where the vendor should POST status callbacks, when it sends them. */
  callbackUrl?: string | undefined
}

/**
 * A create request: a {@link ProviderRequest} whose body may be bytes (`multipart/form-data`
 * with an image file) as well as JSON text.
 */
export interface ProviderCreateRequest extends Omit<ProviderRequest, 'body'> {
  /** JSON text, or the bytes of a multipart body (its `content-type` header names the boundary). */
  body?: string | Uint8Array | undefined
}

/** What a create answer says. */
export interface CreatedTask<TDetails extends VideoTaskDetails = VideoTaskDetails> {
  /** The vendor's task id. */
  taskId: string
  /** The task, when the answer is a full task object (OpenAI-compatible, newer gateways). */
  task: VideoTask<TDetails> | null
  /**
   * The route family the task was created on, when a vendor has several that cannot read each
   * other's tasks (Kling's legacy and API-key routes). Carried in the `TaskRef`.
   */
  route?: string | undefined
}

/** Where a finished task's bytes are, in the order a download should try them. */
export type OutputLocation =
  /** A public or pre-signed URL: no key is sent. */
  | { kind: 'url'; url: string; expiresAt?: Date | null | undefined }
  /** A route on the provider's own origin that needs the key (`/v1/videos/{id}/content`). */
  | { kind: 'authenticated'; request: ProviderRequest }
  /**
   * A request whose answer names the URL (the MiniMax file API): the client sends `request`,
   * `parse` returns the download URL (and its expiry when known) or throws a typed error.
   */
  | {
      kind: 'resolve'
      request: ProviderRequest
      parse: (response: ProviderResponse) => { url: string; expiresAt?: Date | null | undefined }
    }

/** The lifecycle members a provider may have beyond reading; all optional. */
export interface ProviderLifecycle<
  TDetails extends VideoTaskDetails = VideoTaskDetails,
  TProviderInput extends object = Record<string, unknown>,
> {
  /** Builds the create request. Throws a `TypeError` for input the vendor cannot take. */
  buildCreateRequest?(input: CreateRequestInput<TProviderInput>): ProviderCreateRequest
  /** Turns a create answer into the task id (and task), or throws a typed error. */
  parseCreateResponse?(response: ProviderResponse): CreatedTask<TDetails>
  /**
   * The header the vendor honours for idempotent creates (same key, same task, billed once).
   * Without one, a create is never sent twice unless it provably never reached the server.
   */
  readonly idempotencyHeader?: string | undefined
  /** Builds the cancel request; absent when the vendor cannot cancel. */
  buildCancelRequest?(taskId: string, route?: string): ProviderRequest
  /** Checks a cancel answer; throws a typed error when the vendor refused. */
  parseCancelResponse?(response: ProviderResponse): void
  /** Where a task's outputs are, one entry per output (`result_urls`), best first. */
  outputs?(task: VideoTask<TDetails>): OutputLocation[][]
}

/** Joins a path onto the provider's base URL. */
export interface UrlHelpers {
  /** Joins `path` onto the base URL. */
  url(path: string): string
}

/**
 * The create and cancel members a user-written definition (`defineProvider`, `checkResult`'s
 * options) may give: the same pure interface as the built-in adapters', with the URL helper.
 * `createProvider` keeps every request they build on the base URL's origin.
 */
export interface DefinitionLifecycle<TDetails extends VideoTaskDetails = VideoTaskDetails> {
  /**
   * Builds the create request from the checked input. Throw a `TypeError` naming the field for
   * input the vendor cannot take. Give `parseCreateResponse` with it.
   */
  buildCreateRequest?(input: CreateRequestInput, helpers: UrlHelpers): ProviderCreateRequest
  /** Reads the create answer: the task id (and the task, when the answer is one). */
  parseCreateResponse?(response: ProviderResponse): CreatedTask<TDetails>
  /**
   * The header the vendor honours for idempotent creates. Declare it only when the vendor
   * documents it: a create whose answer was lost is then resent with the same key.
   */
  idempotencyHeader?: string | undefined
  /** Builds the cancel request for a task id. */
  buildCancelRequest?(taskId: string, helpers: UrlHelpers, route?: string): ProviderRequest
  /**
   * Checks the cancel answer and throws a typed error when the vendor refused.
   * @default any 2xx is success; another status is the `ApiError` of its class
   */
  parseCancelResponse?(response: ProviderResponse): void
}
