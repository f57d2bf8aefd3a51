// STUB (being converted to a lazy factory, see factories/doubao.ts): the eager factory.
import { gemini as eager, GEMINI } from '../gemini.js'

/** What the `gemini` adapter and its factory share. */
export const GEMINI_FACTS = {
  id: GEMINI.id,
  route: GEMINI.route,
  keyRequired: GEMINI.keyRequired,
  pollDefaults: GEMINI.pollDefaults,
}

/** The `gemini` provider. */
export const gemini = eager
