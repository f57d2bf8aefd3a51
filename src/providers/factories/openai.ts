// STUB (being converted to a lazy factory, see factories/doubao.ts): the eager factory.
import { openai as eager, OPENAI } from '../openai.js'

/** What the `openai` adapter and its factory share. */
export const OPENAI_FACTS = {
  id: OPENAI.id,
  route: OPENAI.route,
  keyRequired: OPENAI.keyRequired,
  pollDefaults: OPENAI.pollDefaults,
}

/** The `openai` provider. */
export const openai = eager
