import type { VideoTaskDetails } from '../../model.js'
import { normalizeBaseURL } from './base-url.js'
import type { DefinitionLifecycle } from './lifecycle.js'
import type { ProviderDefinition, ProviderPollDefaults } from './types.js'

/*
 * The checks of a provider definition, apart from building the provider: `defineProvider` runs
 * them at once (a wrong definition throws there) and loads the code that builds the provider on
 * first use (kit/defined-provider.ts; issue 12, "Cost of importing it"). `createProvider` and
 * `lifecycleMembers` run the same functions, so both throw the same TypeErrors.
 */

const DEFAULT_POLL: ProviderPollDefaults = {
  intervalMs: 5_000,
  maxIntervalMs: 10_000,
  adaptive: false,
}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/

// RFC 9110 `token`: what a header name may be.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

/** A checked definition's id, base URL (normalized) and poll defaults (with the defaults). */
export interface CheckedDefinition {
  id: string
  baseURL: string
  pollDefaults: ProviderPollDefaults
}

/** Checks a definition as `createProvider` does; throws a `TypeError` naming what is wrong. */
export function checkDefinition<TDetails extends VideoTaskDetails>(
  definition: ProviderDefinition<TDetails>,
): CheckedDefinition {
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError('Expected a provider definition object')
  }
  if (typeof definition.id !== 'string' || !ID_PATTERN.test(definition.id)) {
    throw new TypeError(
      `Expected \`id\` to be lower-case letters, digits and dashes, got ${describe(definition.id)}`,
    )
  }
  const baseURL = normalizeBaseURL(definition.baseURL)
  for (const name of ['buildRequest', 'parseResponse'] as const) {
    if (typeof definition[name] !== 'function') {
      throw new TypeError(`Expected \`${name}\` to be a function`)
    }
  }
  if (definition.pollHintMs !== undefined && typeof definition.pollHintMs !== 'function') {
    throw new TypeError('Expected `pollHintMs` to be a function')
  }
  const pollDefaults = { ...DEFAULT_POLL, ...definition.pollDefaults }
  for (const name of ['intervalMs', 'maxIntervalMs'] as const) {
    const value = pollDefaults[name]
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new TypeError(`Expected \`pollDefaults.${name}\` to be a positive number`)
    }
  }
  const { minIntervalMs } = pollDefaults
  if (
    minIntervalMs !== undefined &&
    (typeof minIntervalMs !== 'number' ||
      !Number.isFinite(minIntervalMs) ||
      minIntervalMs <= 0 ||
      minIntervalMs > pollDefaults.intervalMs)
  ) {
    throw new TypeError(
      'Expected `pollDefaults.minIntervalMs` to be a positive number, at most `pollDefaults.intervalMs`',
    )
  }
  if (typeof pollDefaults.adaptive !== 'boolean') {
    throw new TypeError('Expected `pollDefaults.adaptive` to be a boolean')
  }
  if (pollDefaults.maxIntervalMs < pollDefaults.intervalMs) {
    throw new TypeError(
      'Expected `pollDefaults.maxIntervalMs` to be at least `pollDefaults.intervalMs`',
    )
  }
  checkLifecycle(definition)
  return { id: definition.id, baseURL, pollDefaults: Object.freeze(pollDefaults) }
}

/** Which lifecycle members a definition has; throws a `TypeError` for a wrong or lone one. */
export function checkLifecycle<TDetails extends VideoTaskDetails>(
  definition: DefinitionLifecycle<TDetails>,
): { hasCreate: boolean; hasCancel: boolean; header: string | undefined } {
  const { buildCreateRequest, parseCreateResponse, buildCancelRequest, parseCancelResponse } =
    definition
  const given = (value: unknown, name: string) => {
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`Expected \`${name}\` to be a function`)
    }
    return value !== undefined
  }
  const hasCreate = given(buildCreateRequest, 'buildCreateRequest')
  if (given(parseCreateResponse, 'parseCreateResponse') !== hasCreate) {
    throw new TypeError('Expected `buildCreateRequest` and `parseCreateResponse` together')
  }
  const hasCancel = given(buildCancelRequest, 'buildCancelRequest')
  if (given(parseCancelResponse, 'parseCancelResponse') && !hasCancel) {
    throw new TypeError('Expected `buildCancelRequest` with `parseCancelResponse`')
  }
  const header = definition.idempotencyHeader
  if (header !== undefined && (typeof header !== 'string' || !HEADER_NAME.test(header))) {
    throw new TypeError('Expected `idempotencyHeader` to be a header name')
  }
  return { hasCreate, hasCancel, header }
}
