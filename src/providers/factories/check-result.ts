// STUB (being converted to a lazy factory, see factories/doubao.ts): the eager factory.
import { CHECK_RESULT, checkResult as eager } from '../check-result.js'

/** What the `check-result` adapter and its factory share. */
export const CHECK_RESULT_FACTS = {
  id: CHECK_RESULT.id,
  route: CHECK_RESULT.route,
  keyRequired: CHECK_RESULT.keyRequired,
  pollDefaults: CHECK_RESULT.pollDefaults,
}

/** The `check-result` provider. */
export const checkResult = eager
