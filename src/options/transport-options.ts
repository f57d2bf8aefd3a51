import type { ResponseValidationError } from '../errors.js'

/** The `fetch` signature the transport accepts (the global `fetch`, undici's, msw-patched, a proxy's). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>

/*
 * The transport's options, checked and defaulted: a module of its own, so that `createClient`
 * checks them at once without loading the transport (src/transport.ts loads with the client's
 * core on its first call; issue 12, "Cost of importing it").
 */

/** Options of `createTransport` (and of `createClient`, which passes them on). */
export interface TransportOptions {
  /**
   * A `fetch` function to use instead of the default: for proxies, tests through msw, or a
   * runtime's own `fetch` wrapper. Redirects are not followed either way, so credentials never
   * reach another origin.
   * @default undefined: on Node.js, undici's `request` over a keep-alive agent (undici is loaded
   * when the transport is created, never by importing the package); on Bun, Deno and edge
   * runtimes, the global `fetch`
   */
  fetch?: FetchFunction | undefined
  /**
   * How long to wait for the response headers, in milliseconds (rounded up to a whole
   * millisecond; at most 2_147_483_647, the longest a timer holds).
   * @default 30_000
   */
  headersTimeoutMs?: number | undefined
  /**
   * How long the body may pause between chunks (undici) or take in all (`fetch`), in
   * milliseconds (rounded up; at most 2_147_483_647).
   * @default 30_000
   */
  bodyTimeoutMs?: number | undefined
  /**
   * The largest body read; a larger one is cut off with a {@link ResponseValidationError}.
   * @default 1_048_576 (1 MiB)
   */
  maxResponseBytes?: number | undefined
}

/** The defaults of {@link TransportOptions}. */
export const TRANSPORT_DEFAULTS = {
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  maxResponseBytes: 1_048_576,
} as const

/** {@link TransportOptions} with their defaults filled in. */
export interface ResolvedTransportOptions {
  headersTimeoutMs: number
  bodyTimeoutMs: number
  maxResponseBytes: number
}

function positiveOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new TypeError(`Expected \`${name}\` to be a positive number, got ${String(value)}`)
  }
  return value
}

/*
 * A byte limit: finite and at least one byte. `Infinity` would switch off the one bound on what a
 * server can make the client buffer; below one byte every body is cut off and every read fails.
 */
function byteLimitOption(value: unknown): number {
  if (value === undefined) return TRANSPORT_DEFAULTS.maxResponseBytes
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
    throw new TypeError(
      `Expected \`maxResponseBytes\` to be a finite number of bytes, at least 1, got ${String(value)}`,
    )
  }
  return value
}

/** The longest delay a timer holds; a longer one fires at once (Node) or is refused (undici). */
const MAX_TIMEOUT_MS = 2_147_483_647

/**
 * A time limit: a positive number of milliseconds a timer can hold, rounded up to a whole
 * millisecond (undici refuses fractions).
 */
export function timeoutOption(name: string, value: unknown, fallback: number): number {
  const ms = positiveOption(name, value, fallback)
  if (ms > MAX_TIMEOUT_MS) {
    throw new TypeError(
      `Expected \`${name}\` to be at most ${MAX_TIMEOUT_MS} milliseconds, got ${String(value)}`,
    )
  }
  return Math.ceil(ms)
}

/** Validates transport options and fills in the defaults. */
export function resolveTransportOptions(options: TransportOptions = {}): ResolvedTransportOptions {
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new TypeError('Expected `fetch` to be a function')
  }
  return {
    headersTimeoutMs: timeoutOption(
      'headersTimeoutMs',
      options.headersTimeoutMs,
      TRANSPORT_DEFAULTS.headersTimeoutMs,
    ),
    bodyTimeoutMs: timeoutOption(
      'bodyTimeoutMs',
      options.bodyTimeoutMs,
      TRANSPORT_DEFAULTS.bodyTimeoutMs,
    ),
    maxResponseBytes: byteLimitOption(options.maxResponseBytes),
  }
}
