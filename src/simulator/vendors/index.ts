/*
 * The vendor table: every API the simulator speaks. Adding a vendor is one file in this folder
 * and one line here; the routing, the validation, the stats and the dialect types read it.
 */
import { ark } from './ark.js'
import { checkResult } from './check-result.js'
import { dashscope } from './dashscope.js'
import { doubao } from './doubao.js'
import { gemini } from './gemini.js'
import { genericTask } from './generic-task.js'
import { kling } from './kling.js'
import { minimax } from './minimax.js'
import { openai } from './openai.js'
import { runway } from './runway.js'
import type { SimulatorVendor } from './vendor.js'

/** Every simulated vendor by provider id (the SDK's provider ids). */
export const VENDORS = {
  openai,
  doubao,
  'generic-task': genericTask,
  'check-result': checkResult,
  kling,
  minimax,
  ark,
  dashscope,
  gemini,
  runway,
} as const

/** A provider id of the table. */
export type VendorId = keyof typeof VENDORS

/** The dialects of each vendor, from the table. */
export type VendorDialects = {
  [P in VendorId]: (typeof VENDORS)[P] extends SimulatorVendor<infer D> ? D : never
}

/** Every provider the simulator serves, in table order. */
export const VENDOR_IDS = Object.keys(VENDORS) as VendorId[]

/** A vendor's description, with its dialect type widened for code that serves any vendor. */
export function vendorOf(provider: VendorId): SimulatorVendor<string> {
  return VENDORS[provider] as unknown as SimulatorVendor<string>
}
