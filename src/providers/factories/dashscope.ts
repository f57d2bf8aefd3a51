// STUB (being converted to a lazy factory, see factories/doubao.ts): the eager factory.
import { DASHSCOPE, dashscope as eager } from '../dashscope.js'

/** What the `dashscope` adapter and its factory share. */
export const DASHSCOPE_FACTS = {
  id: DASHSCOPE.id,
  route: DASHSCOPE.route,
  keyRequired: DASHSCOPE.keyRequired,
  pollDefaults: DASHSCOPE.pollDefaults,
}

/** The `dashscope` provider. */
export const dashscope = eager
