// STUB (being converted to a lazy factory, see factories/doubao.ts): the eager factory.
import { kling as eager, KLING } from '../kling.js'

/** What the `kling` adapter and its factory share. */
export const KLING_FACTS = {
  id: KLING.id,
  route: KLING.route,
  keyRequired: KLING.keyRequired,
  pollDefaults: KLING.pollDefaults,
}

/** The `kling` provider. */
export const kling = eager
