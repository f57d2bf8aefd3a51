// STUB (being converted to a lazy factory, see factories/doubao.ts): the eager factory.
import { runway as eager, RUNWAY } from '../runway.js'

/** What the `runway` adapter and its factory share. */
export const RUNWAY_FACTS = {
  id: RUNWAY.id,
  route: RUNWAY.route,
  keyRequired: RUNWAY.keyRequired,
  pollDefaults: RUNWAY.pollDefaults,
}

/** The `runway` provider. */
export const runway = eager
