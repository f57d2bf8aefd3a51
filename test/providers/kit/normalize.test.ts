import { describe, expect, it } from 'vitest'
import { retryAfterMs } from '../../../src/providers/kit/headers.js'
import {
  collectUrls,
  mapStatus,
  parseProgress,
  parseSize,
  parseTimestamp,
} from '../../../src/providers/kit/normalize.js'

describe('mapStatus', () => {
  it.each([
    ['queued', 'queued'],
    ['NOT_START', 'queued'],
    ['In_Queue', 'queued'],
    ['Preparing', 'queued'],
    ['generating', 'running'],
    ['IN_PROGRESS', 'running'],
    ['Success', 'succeeded'],
    ['done', 'succeeded'],
    ['FAILURE', 'failed'],
    ['expired', 'failed'],
    ['canceled', 'cancelled'],
    ['  running  ', 'running'],
    ['UNKNOWN', 'unknown'],
    ['paused', 'unknown'],
    ['', 'unknown'],
    ['constructor', 'unknown'],
    ['__proto__', 'unknown'],
  ] as const)('%j is %s', (word, status) => {
    expect(mapStatus(word)).toBe(status)
  })
})

describe('parseProgress', () => {
  it.each([
    [45, 45],
    ['30%', 30],
    [' 50 % ', 50],
    ['0.5', 50],
    [0.25, 25],
    [1, 1],
    [0, 0],
    [150, 100],
    [-5, 0],
    ['abc', null],
    ['', null],
    [null, null],
    [undefined, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [{}, null],
  ])('%j is %j', (value, expected) => {
    expect(parseProgress(value)).toBe(expected)
  })

  it('reads a fraction field as a fraction', () => {
    expect(parseProgress(1, { fraction: true })).toBe(100)
    expect(parseProgress(0.333, { fraction: true })).toBe(33.3)
  })
})

describe('parseTimestamp', () => {
  it('reads seconds, milliseconds, numeric strings and ISO dates; 0 and junk are null', () => {
    expect(parseTimestamp(1705334400)).toEqual(new Date(1705334400_000))
    expect(parseTimestamp(1705334400_000)).toEqual(new Date(1705334400_000))
    expect(parseTimestamp('1705334400')).toEqual(new Date(1705334400_000))
    expect(parseTimestamp('2024-01-15T16:00:00Z')).toEqual(new Date(1705334400_000))
    for (const value of [0, -1, null, undefined, 'soon', '', Number.NaN, {}]) {
      expect(parseTimestamp(value)).toBeNull()
    }
  })
})

describe('parseSize and collectUrls', () => {
  it('reads WIDTHxHEIGHT', () => {
    expect(parseSize('1920x1080')).toEqual({ width: 1920, height: 1080 })
    expect(parseSize('720X1280')).toEqual({ width: 720, height: 1280 })
    expect(parseSize('big')).toBeNull()
  })

  it('keeps distinct http(s) URLs in order and drops the rest', () => {
    expect(
      collectUrls(
        'https://a.test/1.mp4',
        ['https://a.test/1.mp4', 'http://b.test/2.mp4'],
        'task failed',
        'ftp://c',
        null,
      ),
    ).toEqual(['https://a.test/1.mp4', 'http://b.test/2.mp4'])
  })
})

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 0, 1)
  it('prefers retry-after-ms, then Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after-ms': '1500', 'retry-after': '9' }, now)).toBe(1500)
    expect(retryAfterMs({ 'retry-after': '9' }, now)).toBe(9000)
    expect(retryAfterMs({ 'retry-after': new Date(now + 30_000).toUTCString() }, now)).toBe(30_000)
    expect(retryAfterMs({ 'retry-after': new Date(now - 30_000).toUTCString() }, now)).toBe(0)
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeNull()
    expect(retryAfterMs({}, now)).toBeNull()
  })
})
