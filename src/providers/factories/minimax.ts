// STUB (being converted to a lazy factory, see factories/doubao.ts): the eager factory.
import { minimax as eager, MINIMAX } from '../minimax.js'

export { minimaxCallbackAnswer } from '../minimax.js'

/** What the `minimax` adapter and its factory share. */
export const MINIMAX_FACTS = {
  id: MINIMAX.id,
  route: MINIMAX.route,
  keyRequired: MINIMAX.keyRequired,
  pollDefaults: MINIMAX.pollDefaults,
}

/** The `minimax` provider. */
export const minimax = eager
