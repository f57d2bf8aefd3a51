/*
 * Keeps credentials out of everything the package hands back: a server that echoes the key
 * ("invalid key sk-...") must not put it into an error message, a body excerpt or `task.raw`.
 */

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  // Gemini API keys (vendor-docs/native/gemini-veo.md "Auth and host").
  'x-goog-api-key',
  'cookie',
])

/** The replacement for a secret. */
export const REDACTED = '[REDACTED]'

/**
 * The secret values in request headers: each sensitive header's value and its token part, each
 * also as a JSON string escapes it (with and without `\/`, as PHP writes slashes; once, or twice
 * for JSON inside a JSON string) and as a URL encodes it. The body is redacted before it is
 * parsed, so an escaped echo (`sk-a\/b`) would otherwise come out of `JSON.parse` as the plain
 * key.
 */
export function secretsOf(headers: Readonly<Record<string, string>>): string[] {
  const secrets = new Set<string>()
  const add = (secret: string) => {
    const json = JSON.stringify(secret).slice(1, -1)
    const php = json.replaceAll('/', '\\/')
    // Escaped twice: an echo inside a JSON string that is itself inside a JSON body.
    const nested = JSON.stringify(php).slice(1, -1)
    const forms = [secret, json, php, nested, nested.replaceAll('/', '\\/'), uriEncoded(secret)]
    for (const form of forms) {
      if (form) secrets.add(form)
    }
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!SENSITIVE_HEADERS.has(name.toLowerCase()) || value.trim() === '') continue
    add(value)
    const token = /^\s*\S+\s+(\S.*)$/.exec(value)?.[1]?.trim()
    // Short tokens would redact ordinary words; real keys are long.
    if (token && token.length >= 8) add(token)
  }
  return [...secrets].sort((a, b) => b.length - a.length)
}

/** `encodeURIComponent`, or `undefined` for a string it refuses (a lone surrogate). */
function uriEncoded(text: string): string | undefined {
  try {
    return encodeURIComponent(text)
  } catch {
    return undefined
  }
}

/** `text` with every secret replaced by {@link REDACTED}. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.replaceAll(secret, REDACTED)
  }
  return result
}
