/*
 * What a request header can carry, checked when a provider or a client is created: a value that
 * cannot be sent (a line break, a character outside Latin-1) would otherwise surface at the
 * first read as a network-looking failure that is retried until the deadline. Messages name the
 * header, never its value: it is usually a credential.
 */

/** RFC 9110 `token`: what a header name may be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Whether `name` can be a request header's name (an RFC 9110 token). */
export function isHeaderName(name: string): boolean {
  return TOKEN.test(name)
}

/** Why a header value cannot be sent as it is, or `null` when it can. */
export function headerValueProblem(value: string): string | null {
  if (/[\r\n]/.test(value)) return 'a line break'
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point.
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return 'a control character'
  for (let index = 0; index < value.length; index++) {
    if (value.charCodeAt(index) > 0xff) {
      return 'a character outside Latin-1 (fetch and undici refuse it)'
    }
  }
  // fetch trims the value: the server would see another one than given.
  if (/^[\t ]|[\t ]$/.test(value)) return 'whitespace at its start or end'
  return null
}

/**
 * Throws a TypeError naming `label` (`apiKey`, `headers.x-api-key`) unless `value` can be sent
 * as a header value. The value is never repeated.
 */
export function checkHeaderValue(label: string, value: string): void {
  const problem = headerValueProblem(value)
  if (problem !== null) {
    throw new TypeError(
      `Expected \`${label}\` to be sendable as an HTTP header, but it holds ${problem} (the value is not repeated here)`,
    )
  }
}

/**
 * Throws a TypeError unless every header can be sent: names are HTTP tokens, values strings
 * that {@link checkHeaderValue} accepts. `prefix` makes the label (`headers.` gives
 * `headers.x-api-key`).
 */
export function checkRequestHeaders(headers: unknown, prefix: string): void {
  if (typeof headers !== 'object' || headers === null) {
    throw new TypeError(`Expected \`${prefix.replace(/\.$/, '')}\` to be an object of strings`)
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) {
      throw new TypeError(
        `Expected the names in \`${prefix.replace(/\.$/, '')}\` to be HTTP tokens (letters, digits, -); one is not (it is not repeated here)`,
      )
    }
    if (typeof value !== 'string')
      throw new TypeError(`Expected \`${prefix}${name}\` to be a string`)
    checkHeaderValue(`${prefix}${name}`, value)
  }
}
