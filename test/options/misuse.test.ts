import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client.js'
import { checkResult } from '../../src/providers/check-result.js'
import { defineProvider } from '../../src/providers/define-provider.js'
import { doubao } from '../../src/providers/doubao.js'
import { genericTask } from '../../src/providers/generic-task.js'
import { openai } from '../../src/providers/openai.js'

/*
 * Misuse fails fast with a TypeError naming the option, when the provider or the client is
 * created, not at a read that then retries until the deadline; no message repeats a secret.
 */

const SECRET = 'sk-SECRET-4f9a8b7c6d5e'
const BASE = 'https://api.example.test'

function refusal(make: () => unknown): TypeError {
  let caught: unknown
  try {
    make()
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(TypeError)
  const message = (caught as Error).message
  expect(message).not.toContain(SECRET)
  expect(message).not.toContain('SECRET')
  return caught as TypeError
}

const FACTORIES = {
  openai: (options: Record<string, unknown>) => openai(options as never),
  doubao: (options: Record<string, unknown>) => doubao(options as never),
  genericTask: (options: Record<string, unknown>) => genericTask(options as never),
  checkResult: (options: Record<string, unknown>) => checkResult(options as never),
}

describe('an API key that cannot be sent is refused up front, without repeating it', () => {
  const KEYS: Array<[string, string]> = [
    ['a line break', `${SECRET}\r\nX-Evil: 1`],
    ['a lone LF', `${SECRET}\n`],
    ['a NUL', `${SECRET}\0`],
    ['a control character', `${SECRET}\u0007`],
    ['DEL', `${SECRET}\u007f`],
    ['a character outside Latin-1', `${SECRET}€`],
    ['an emoji', `${SECRET}🔑`],
    ['leading whitespace', ` ${SECRET}`],
    ['trailing whitespace', `${SECRET}\t`],
  ]
  for (const [factory, make] of Object.entries(FACTORIES)) {
    it.each(KEYS)(`${factory}(): a key with %s`, (_, apiKey) => {
      const error = refusal(() => make({ baseURL: BASE, apiKey }))
      expect(error.message).toContain('apiKey')
    })
  }

  it.each(KEYS)('a header of your own with %s', (_, value) => {
    const error = refusal(() =>
      openai({ baseURL: BASE, apiKey: 'sk-fine-123456789', headers: { 'x-api-key': value } }),
    )
    expect(error.message).toContain('x-api-key')
  })

  it('a header name that is not a token', () => {
    const error = refusal(() =>
      openai({ baseURL: BASE, apiKey: 'sk-fine-123456789', headers: { [`x-${SECRET} bad`]: 'v' } }),
    )
    expect(error.message).toContain('headers')
  })

  // Inside `Bearer …`, a space at the key's start is not at the header value's start.
  const INSIDE = KEYS.filter(([what]) => what !== 'leading whitespace')

  it.each(INSIDE)('a hand-made provider whose request carries a header with %s', (_, value) => {
    const base = openai({ baseURL: BASE, apiKey: 'sk-fine-123456789' })
    const provider = {
      ...base,
      buildRequest: (taskId: string) => ({
        ...base.buildRequest(taskId),
        headers: { authorization: `Bearer ${value}` },
      }),
    }
    const error = refusal(() => createClient({ provider }))
    expect(error.message).toContain('authorization')
  })

  it.each(INSIDE)('defineProvider with a header holding %s', (_, value) => {
    refusal(() =>
      createClient({
        provider: defineProvider({
          id: 'acme',
          baseURL: BASE,
          headers: { authorization: `Bearer ${value}` },
          buildRequest: (taskId: string) => ({
            method: 'GET',
            url: `${BASE}/tasks/${taskId}`,
            headers: { authorization: `Bearer ${value}` },
          }),
          parseResponse: () => {
            throw new Error('not reached')
          },
        } as never),
      }),
    )
  })
})

describe('a base URL that cannot work is refused, without repeating it', () => {
  it.each([
    ['a key passed as the URL', SECRET],
    ['a host without a scheme', `api.example.test/${SECRET}`],
    ['a line break the URL parser would drop', `https://api.example.test/v1\r\n${SECRET}`],
    ['a tab the URL parser would drop', `https://api.example.test/\t${SECRET}`],
    ['credentials', `https://user:${SECRET}@api.example.test`],
    ['a query holding the key', `https://api.example.test/?key=${SECRET}`],
    ['another scheme', `ftp://api.example.test/${SECRET}`],
  ])('%s', (_, baseURL) => {
    const error = refusal(() => openai({ baseURL, apiKey: 'sk-fine-123456789' }))
    expect(error.message).toContain('baseURL')
  })
})

describe('numbers that cannot work are refused at createClient', () => {
  const provider = openai({ baseURL: BASE, apiKey: SECRET })
  it.each([
    ['maxResponseBytes', Number.POSITIVE_INFINITY],
    ['maxResponseBytes', 0.5],
    ['maxResponseBytes', Number.NaN],
    ['headersTimeoutMs', Number.POSITIVE_INFINITY],
    ['bodyTimeoutMs', -1],
    ['maxRequestsPerSecond', Number.NaN],
    ['maxRequestsPerSecond', 0],
    ['intervalMs', Number.POSITIVE_INFINITY],
    ['minIntervalMs', Number.NaN],
    ['timeoutMs', -5],
    ['retries', 1.5],
    ['jitter', 2],
  ])('%s: %s', (name, value) => {
    const error = refusal(() => createClient({ provider, [name]: value }))
    expect(error.message).toContain(name)
  })
})
