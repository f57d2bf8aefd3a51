// STUB (being converted to a lazy factory, see factories/doubao.ts): the eager factory.
import { genericTask as eager, GENERIC_TASK } from '../generic-task.js'

/** What the `generic-task` adapter and its factory share. */
export const GENERIC_TASK_FACTS = {
  id: GENERIC_TASK.id,
  route: GENERIC_TASK.route,
  keyRequired: GENERIC_TASK.keyRequired,
  pollDefaults: GENERIC_TASK.pollDefaults,
}

/** The `generic-task` provider. */
export const genericTask = eager
