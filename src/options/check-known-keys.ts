/*
 * A misspelt option (`intervalMS`, `apikey`) is worse than a wrong value: without this check it
 * is ignored without a word and the default silently applies. Every options object a user
 * passes goes through here before its values are read.
 */

/**
 * Throws a `TypeError` naming the first key of `options` that is not in `known`, and the known
 * key it probably meant when one is close (same letters in another case, or one or two edits
 * away). Keys whose value is `undefined` are checked too: a typo is a typo.
 *
 * @param options - the object the user passed (only its own enumerable string keys are read)
 * @param known - every key the call accepts
 * @param where - what the options belong to, for the message (`createClient options`)
 */
export function checkKnownKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue
    const suggestion = closestKey(key, known)
    const hint = suggestion === undefined ? '' : `; did you mean \`${suggestion}\`?`
    throw new TypeError(
      `Unknown option \`${printable(key)}\` in ${where}${hint} (accepted: ${known.join(', ')})`,
    )
  }
}

/** The known key closest to `key`, or `undefined` when none is close enough to suggest. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase()
  const sameLetters = known.find((candidate) => candidate.toLowerCase() === lower)
  if (sameLetters !== undefined) return sameLetters
  let best: string | undefined
  let bestDistance = Math.min(2, Math.floor(key.length / 3))
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase(), bestDistance)
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

// A key may be anything a user (or an attacker feeding JSON) put there: keep the message short
// and on one line.
function printable(key: string): string {
  let oneLine = ''
  for (const character of key) {
    const code = character.codePointAt(0) ?? 0
    oneLine += code < 0x20 || code === 0x7f ? '?' : character
  }
  return oneLine.length > 40 ? `${oneLine.slice(0, 40)}…` : oneLine
}

/** Levenshtein distance, giving up (returning `limit + 1`) once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMinimum = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      )
      current.push(value)
      if (value < rowMinimum) rowMinimum = value
    }
    if (rowMinimum > limit) return limit + 1
    previous = current
  }
  return previous[b.length] ?? limit + 1
}
