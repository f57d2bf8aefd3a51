import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isMiniMaxTask, miniMaxTaskSchema } from '../../../src/providers/kit/base-resp.js'
import { expectGuardExact, objectOf, trickyObject } from '../../support/shape-guards.js'

describe('isMiniMaxTask (parseShape’s guard before miniMaxTaskSchema)', () => {
  it('passes only what miniMaxTaskSchema returns unchanged', () => {
    const baseResp = objectOf(['status_code', 'status_msg'])
    expectGuardExact(
      isMiniMaxTask,
      miniMaxTaskSchema(),
      fc.oneof(
        objectOf(['task_id', 'status', 'file_id', 'base_resp'], baseResp),
        // The refinement's other arm: no status, a `base_resp` object.
        fc.record({ base_resp: baseResp, task_id: objectOf([]) }, { requiredKeys: ['base_resp'] }),
      ),
      [
        ...trickyObject({ task_id: '1', status: 'Success', file_id: 2 }),
        ...trickyObject({ base_resp: { status_code: 0 } }),
        // A `base_resp` that zod would copy into another object.
        { base_resp: Object.create(null) },
        { base_resp: Object.create({ status_code: 1004 }) },
        { status: 'Success', base_resp: new Date(0) },
      ],
    )
  })

  it('follows the refinement: a status string, or a base_resp object', () => {
    expect(isMiniMaxTask({ status: 'Processing' })).toBe(true)
    expect(isMiniMaxTask({ status: '', base_resp: null })).toBe(true)
    expect(isMiniMaxTask({ base_resp: { status_code: 2013, status_msg: 'invalid' } })).toBe(true)
    expect(isMiniMaxTask({ base_resp: { status_code: '1004', extra: [] } })).toBe(true)
    expect(isMiniMaxTask({})).toBe(false)
    expect(isMiniMaxTask({ status: null, base_resp: null })).toBe(false)
    expect(isMiniMaxTask({ base_resp: [] })).toBe(false)
    expect(isMiniMaxTask({ status: 'Success', base_resp: 'ok' })).toBe(false)
  })

  it('refuses NaN and infinite ids and codes, which zod refuses', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(isMiniMaxTask({ status: 'Success', task_id: bad })).toBe(false)
      expect(isMiniMaxTask({ status: 'Success', file_id: bad })).toBe(false)
      expect(isMiniMaxTask({ status: 'Success', base_resp: { status_code: bad } })).toBe(false)
      expect(miniMaxTaskSchema().safeParse({ status: 'Success', task_id: bad }).success).toBe(false)
    }
    expect(isMiniMaxTask({ status: 'Success', base_resp: { status_msg: 0 } })).toBe(false)
  })
})
