/** What kind of error a vendor's body code means, when the status alone does not say. */
export type ErrorKind = 'authentication' | 'permission' | 'not-found' | 'rate-limit' | 'server'

/** The kind an HTTP status says (also an HTTP-style `code` or `status` inside a 200 body). */
export function kindFromStatus(status: number | null): ErrorKind | undefined {
  if (status === 401) return 'authentication'
  if (status === 403) return 'permission'
  if (status === 404) return 'not-found'
  if (status === 429) return 'rate-limit'
  if (status !== null && status >= 500 && status <= 599) return 'server'
  return undefined
}

const KIND_PATTERNS: ReadonlyArray<[RegExp, ErrorKind]> = [
  [/task[_\s-]?not[_\s-]?(exist|found)|not[_\s-]?found|no such task|does not exist/i, 'not-found'],
  [/rate[_\s-]?limit|too many requests|quota exceeded|限流|频率/i, 'rate-limit'],
  [
    /invalid[_\s-]?(api[_\s-]?)?key|unauthori[sz]ed|authenticat|invalid[_\s-]?token|api key/i,
    'authentication',
  ],
  [/forbidden|permission|insufficient[_\s-]?(balance|quota|credits)|not allowed/i, 'permission'],
]

/**
 * The error kind a vendor's code or message says, for errors that arrive with a status that does
 * not say it (a 200 or 400 with `task_not_exist`, a 200 that says "rate limited").
 */
export function kindFromText(...values: unknown[]): ErrorKind | undefined {
  for (const value of values) {
    if (typeof value !== 'string' && typeof value !== 'number') continue
    const text = String(value)
    for (const [pattern, kind] of KIND_PATTERNS) if (pattern.test(text)) return kind
  }
  return undefined
}
