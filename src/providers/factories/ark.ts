// STUB (being converted to a lazy factory, see factories/doubao.ts): the eager factory.
import { ARK, ark as eager } from '../ark.js'

/** What the `ark` adapter and its factory share. */
export const ARK_FACTS = {
  id: ARK.id,
  route: ARK.route,
  keyRequired: ARK.keyRequired,
  pollDefaults: ARK.pollDefaults,
}

/** The `ark` provider. */
export const ark = eager
