import { expect, it, vi } from 'vitest'
import { lazy } from '../../../src/providers/kit/lazy.js'

it('builds nothing until first asked, then once, and hands back the same value', () => {
  const build = vi.fn(() => ({ built: true }))
  const get = lazy(build)
  expect(build).not.toHaveBeenCalled()
  const first = get()
  expect(get()).toBe(first)
  expect(build).toHaveBeenCalledTimes(1)
})

it('builds again after a failed build, rather than caching the failure as undefined', () => {
  let attempts = 0
  const get = lazy(() => {
    attempts += 1
    if (attempts === 1) throw new Error('first build fails')
    return { attempt: attempts }
  })
  expect(() => get()).toThrow('first build fails')
  expect(get()).toEqual({ attempt: 2 })
  expect(get()).toEqual({ attempt: 2 })
})
