import { describe, expect, it } from 'vitest'
import { checkKnownKeys, closestKey } from '../../src/options/check-known-keys.js'

const KNOWN = ['intervalMs', 'maxIntervalMs', 'minIntervalMs', 'timeoutMs', 'signal', 'apiKey']

describe('checkKnownKeys', () => {
  it('accepts known keys, also with undefined values', () => {
    expect(() => checkKnownKeys({ intervalMs: 1, signal: undefined }, KNOWN, 'x')).not.toThrow()
  })

  it('names an unknown key and the key it probably meant', () => {
    expect(() => checkKnownKeys({ intervalMS: 5 }, KNOWN, 'createClient options')).toThrow(
      new TypeError(
        `Unknown option \`intervalMS\` in createClient options; did you mean \`intervalMs\`? (accepted: ${KNOWN.join(', ')})`,
      ),
    )
  })

  it('rejects a misspelt key whose value is undefined', () => {
    expect(() => checkKnownKeys({ timeotMs: undefined }, KNOWN, 'waitFor options')).toThrow(
      /`timeotMs`.*did you mean `timeoutMs`/,
    )
  })

  it('suggests nothing when no key is close', () => {
    expect(() => checkKnownKeys({ colour: 'red' }, KNOWN, 'x')).toThrow(
      /^Unknown option `colour` in x \(accepted:/,
    )
  })

  it('keeps a hostile key short and on one line', () => {
    const key = `a\nb${'c'.repeat(500)}`
    let message = ''
    try {
      checkKnownKeys({ [key]: 1 }, KNOWN, 'x')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).not.toContain('\n')
    expect(message.length).toBeLessThan(200 + KNOWN.join(', ').length)
  })
})

describe('closestKey', () => {
  it.each([
    ['apikey', 'apiKey'],
    ['maxIntervalMS', 'maxIntervalMs'],
    ['minIntervallMs', 'minIntervalMs'],
    ['signl', 'signal'],
  ])('%s -> %s', (typo, expected) => {
    expect(closestKey(typo, KNOWN)).toBe(expected)
  })

  it('returns undefined for a short unrelated key', () => {
    expect(closestKey('ab', KNOWN)).toBeUndefined()
  })
})
