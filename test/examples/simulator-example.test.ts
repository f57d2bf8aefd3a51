/**
 * Runs examples/simulator.test.ts (a user's vitest file) as part of this suite: importing it
 * registers its `describe` blocks here. The main vitest include (`test/**`) does not reach
 * examples/, so this is the one place it runs.
 */
import '../../examples/simulator.test.js'
