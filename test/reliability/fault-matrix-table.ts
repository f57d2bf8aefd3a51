import {
  BUILT_IN_PROVIDERS,
  type BuiltInProviderEntry,
  type FaultCellOverride,
} from '../../src/providers/registry.js'
import type {
  ScriptedFault,
  SimulatedDialect,
  SimulatedProvider,
} from '../../src/simulator/index.js'

/*
 * The fault matrix: for each provider and each fault the simulator injects, what a wait must do.
 * test/e2e/fault-matrix.test.ts runs every cell against the simulator over real sockets, and
 * docs/fault-matrix.md is rendered from this table (the test checks the doc is up to date).
 */

/*
 * The columns are the registry's providers. What differs for one vendor (a fault it cannot send,
 * a cell in another dialect, a row only it has) comes from its registry entry's `faultMatrix`,
 * and the progress-backwards cell from its default dialect's progress style.
 */

/** Every built-in provider (the registry's order). */
export const PROVIDERS = BUILT_IN_PROVIDERS.map(
  (entry) => entry.id,
) as readonly string[] as readonly SimulatedProvider[]

const ENTRIES = new Map<string, BuiltInProviderEntry>(
  BUILT_IN_PROVIDERS.map((entry) => [entry.id, entry]),
)

function entryOf(provider: SimulatedProvider): BuiltInProviderEntry {
  const entry = ENTRIES.get(provider)
  if (!entry) throw new Error(`No registry entry for ${provider}`)
  return entry
}

/** The dialect each provider's cells use unless a cell says otherwise (the simulator's defaults). */
export const DEFAULT_DIALECTS = Object.fromEntries(
  PROVIDERS.map((provider) => [provider, entryOf(provider).dialects[0].name]),
) as Record<SimulatedProvider, SimulatedDialect>

/** The client's clock runs this many times faster than real time (see ScaledClock). */
export const SCALE = 100

/** The scripted task moves one step (running 0 → 1/3 → 2/3 → succeeded) per accepted read. */
export const STEP_MS = 1_000_000

/** A fault-free wait takes four reads: running, running, running, succeeded. */
export const BASE_READS = 4

/** Client settings of every cell (schedule times on the scaled clock, time limits real). */
export const CLIENT = {
  intervalMs: 1_000,
  minIntervalMs: 500,
  maxIntervalMs: 2_000,
  /** Real milliseconds (undici enforces it on a timer with about half a second of granularity). */
  headersTimeoutMs: 200,
  /** Real milliseconds (same granularity). */
  bodyTimeoutMs: 200,
  retries: 2,
}

/** The deadline of a cell, on the scaled clock, unless the row sets one. */
export const TIMEOUT_MS = 300_000

/** How long after its deadline (real milliseconds) a wait may settle. */
export const TOLERANCE_REAL_MS = 250

/** The `Retry-After` the rate-limit rows announce (20 s on the scaled clock). */
export const RETRY_AFTER_MS = 20_000

/** The errors a cell may expect. */
export const ERROR_NAMES = [
  'AuthenticationError',
  'PermissionDeniedError',
  'TaskNotFoundError',
  'ResponseValidationError',
  'ServerError',
  'WaitTimeoutError',
] as const

export type ErrorName = (typeof ERROR_NAMES)[number]

export type Expectation =
  | {
      outcome: 'succeed'
      /** Requests the simulator counts for the task. */
      reads: number
      /** The wait lasts at least this long on the client's clock (a server hint honoured). */
      minElapsedMs?: number
      /** Some read must report less progress than an earlier one, and onProgress never drops. */
      progressWentBack?: boolean
    }
  | {
      outcome: 'reject'
      error: ErrorName
      /** Requests the simulator counts. */
      reads: number
    }

export interface Cell {
  dialect: SimulatedDialect
  faults: ScriptedFault[]
  expect: Expectation
  /** What the doc says about this cell beyond the expectation. */
  note?: string
}

export interface Row {
  id: string
  /** The fault as the doc names it. */
  label: string
  /** How the simulator injects it. */
  injection: string
  /** Wait options beyond the client settings. */
  wait?: { timeoutMs?: number; maxConsecutiveFailures?: number }
  /** Client settings that differ from {@link CLIENT}. */
  client?: Partial<typeof CLIENT>
  /** The cell of each provider; `null` where the fault does not exist for that vendor. */
  cells: Record<SimulatedProvider, Cell | null>
}

const succeed = (extraReads: number, more: Partial<Expectation> = {}): Expectation =>
  ({ outcome: 'succeed', reads: BASE_READS + extraReads, ...more }) as Expectation

const reject = (error: ErrorName, reads: Expectation['reads'] = 2): Expectation => ({
  outcome: 'reject',
  error,
  reads,
})

/** The same cell for every provider, in its default dialect. */
function everywhere(faults: ScriptedFault[], expect: Expectation): Row['cells'] {
  return Object.fromEntries(
    PROVIDERS.map((provider) => [
      provider,
      { dialect: DEFAULT_DIALECTS[provider], faults, expect },
    ]),
  ) as Row['cells']
}

/** A registry entry's loosely typed cell, checked and typed for the table. */
function cellFrom(
  provider: SimulatedProvider,
  base: Cell | null,
  override: FaultCellOverride,
  where: string,
): Cell {
  const expectation = override.expect ?? base?.expect
  const faults = override.faults ?? base?.faults
  if (!expectation || !faults) throw new Error(`${where}: a new row needs faults and expect`)
  if (
    expectation.outcome === 'reject' &&
    !(ERROR_NAMES as readonly string[]).includes(expectation.error)
  ) {
    throw new Error(`${where}: unknown error ${expectation.error}`)
  }
  const dialect = override.dialect ?? base?.dialect ?? DEFAULT_DIALECTS[provider]
  if (!entryOf(provider).dialects.some((facts) => facts.name === dialect)) {
    throw new Error(`${where}: ${provider} has no dialect ${dialect}`)
  }
  const note = override.note ?? base?.note
  return {
    dialect: dialect as SimulatedDialect,
    faults: faults as ScriptedFault[],
    expect: expectation as Expectation,
    ...(note === undefined ? {} : { note }),
  }
}

/** The rows every provider has, before the registry's per-vendor cells and rows. */
const COMMON_ROWS: Row[] = [
  {
    id: 'reset',
    label: 'connection reset',
    injection: '`reset` ×2 on the first read',
    cells: everywhere([{ kind: 'reset', times: 2 }], succeed(2)),
  },
  {
    id: 'hang',
    label: 'hang past the request limit',
    injection: '`hang` ×1 on the first read; `headersTimeoutMs` 200 ms',
    cells: everywhere([{ kind: 'hang', times: 1 }], succeed(1)),
  },
  {
    id: 'latency',
    label: 'latency under the request limit',
    injection: '`latency` 30 ms on every read',
    cells: everywhere([{ kind: 'latency', delayMs: 30 }], succeed(0)),
  },
  {
    id: 'rate-limit-seconds',
    label: '429 with `Retry-After` in seconds',
    injection: '`rate-limit` ×1, `Retry-After: 20`',
    cells: everywhere(
      [{ kind: 'rate-limit', times: 1, retryAfter: 'seconds', retryAfterMs: RETRY_AFTER_MS }],
      succeed(1, { minElapsedMs: RETRY_AFTER_MS }),
    ),
  },
  {
    id: 'rate-limit-date',
    label: '429 with `Retry-After` as an HTTP date',
    injection: '`rate-limit` ×1, `Retry-After: <now + 20 s>`',
    cells: everywhere(
      [{ kind: 'rate-limit', times: 1, retryAfter: 'http-date', retryAfterMs: RETRY_AFTER_MS }],
      succeed(1, { minElapsedMs: RETRY_AFTER_MS }),
    ),
  },
  {
    id: 'rate-limit-none',
    label: '429 without a hint',
    injection: '`rate-limit` ×2, no header',
    cells: everywhere([{ kind: 'rate-limit', times: 2, retryAfter: 'none' }], succeed(2)),
  },
  {
    id: 'retry-after-ms',
    label: '429 with `retry-after-ms`',
    injection: '`rate-limit` ×1, `retry-after-ms: 20000`',
    cells: everywhere(
      [{ kind: 'rate-limit', times: 1, retryAfter: 'ms', retryAfterMs: RETRY_AFTER_MS }],
      succeed(1, { minElapsedMs: RETRY_AFTER_MS }),
    ),
  },
  ...([500, 502, 503, 504] as const).map(
    (status): Row => ({
      id: `server-${status}-html`,
      label: `${status} with an HTML body`,
      injection: `\`server-error\` ${status} ×2, a proxy's HTML page`,
      cells: everywhere([{ kind: 'server-error', status, body: 'html', times: 2 }], succeed(2)),
    }),
  ),
  {
    id: 'server-500-vendor',
    label: "500 with the vendor's JSON error",
    injection: "`server-error` 500 ×2, the vendor's error body",
    cells: everywhere(
      [{ kind: 'server-error', status: 500, body: 'vendor', times: 2 }],
      succeed(2),
    ),
  },
  {
    id: 'empty-body',
    label: 'empty body (200)',
    injection: '`empty-body` on the second read',
    cells: everywhere(
      [{ kind: 'empty-body', afterReads: 1, times: 1 }],
      reject('ResponseValidationError'),
    ),
  },
  {
    id: 'truncated-json',
    label: 'truncated JSON (200)',
    injection: '`truncated-json` on the second read',
    cells: everywhere(
      [{ kind: 'truncated-json', afterReads: 1, times: 1 }],
      reject('ResponseValidationError'),
    ),
  },
  {
    id: 'wrong-shape',
    label: 'wrong shape (200)',
    injection: '`wrong-shape` on the second read',
    cells: everywhere(
      [{ kind: 'wrong-shape', afterReads: 1, times: 1 }],
      reject('ResponseValidationError'),
    ),
  },
  {
    id: 'unknown-status',
    label: 'unknown status word',
    injection: '`unknown-status` ×2 from the second read',
    cells: everywhere([{ kind: 'unknown-status', afterReads: 1, times: 2 }], succeed(2)),
  },
  {
    id: 'progress-backwards',
    label: 'progress going backwards',
    injection: '`progress-backwards` on the third read',
    // A dialect without progress has nothing to go back (its default dialect's style).
    cells: Object.fromEntries(
      PROVIDERS.map((provider) => {
        const faults: ScriptedFault[] = [{ kind: 'progress-backwards', afterReads: 2, times: 1 }]
        const dialect = entryOf(provider).dialects[0]
        const cell: Cell =
          dialect.progress === 'none'
            ? {
                dialect: dialect.name as SimulatedDialect,
                faults,
                expect: succeed(0),
                note: 'no progress field in this API: nothing to go back',
              }
            : {
                dialect: dialect.name as SimulatedDialect,
                faults,
                expect: succeed(0, { progressWentBack: true }),
              }
        return [provider, cell]
      }),
    ) as Row['cells'],
  },
  {
    id: 'unauthorized',
    label: '401',
    injection: '`unauthorized` on the second read',
    cells: everywhere(
      [{ kind: 'unauthorized', afterReads: 1, times: 1 }],
      reject('AuthenticationError'),
    ),
  },
  {
    id: 'forbidden',
    label: '403',
    injection: '`forbidden` on the second read',
    cells: everywhere(
      [{ kind: 'forbidden', afterReads: 1, times: 1 }],
      reject('PermissionDeniedError'),
    ),
  },
  {
    id: 'not-found',
    label: '404',
    injection: '`not-found` on the second read',
    cells: everywhere(
      [{ kind: 'not-found', afterReads: 1, times: 1 }],
      reject('TaskNotFoundError'),
    ),
  },
  {
    id: 'slow-body',
    label: 'slow body',
    injection: '`slow-body` on every read: 4 chunks 20 ms apart (under `bodyTimeoutMs`)',
    cells: everywhere([{ kind: 'slow-body', chunks: 4, delayMs: 20 }], succeed(0)),
  },
  {
    id: 'stalled-body',
    label: 'body stalled past the request limit',
    injection: '`slow-body` ×1: 2 chunks 1.5 s apart; `bodyTimeoutMs` 200 ms',
    cells: everywhere([{ kind: 'slow-body', chunks: 2, delayMs: 1_500, times: 1 }], succeed(1)),
  },
  {
    id: 'vendor-error-200',
    label: 'a 200 carrying a vendor error code',
    injection: '`vendor-error-200` ×1: the vendor\'s "rate limited" in a 200',
    cells: everywhere([{ kind: 'vendor-error-200', times: 1 }], succeed(1)),
  },
  {
    id: 'hang-every-read',
    label: 'a hang the deadline cuts off',
    injection:
      '`hang` from the second read on; deadline 30 s (0.3 s real), `headersTimeoutMs` 10 s (real)',
    wait: { timeoutMs: 30_000 },
    client: { headersTimeoutMs: 10_000 },
    // One good read, then one request that hangs until the deadline aborts it.
    cells: everywhere([{ kind: 'hang', afterReads: 1 }], reject('WaitTimeoutError', 2)),
  },
  {
    id: 'server-error-every-read',
    label: 'every read answers 503',
    injection: '`server-error` 503 from the second read on; `maxConsecutiveFailures: 2`',
    wait: { maxConsecutiveFailures: 2 },
    cells: everywhere(
      [{ kind: 'server-error', status: 503, afterReads: 1 }],
      // One good read, then two failed reads (the limit) of three requests each.
      reject('ServerError', 1 + 2 * (CLIENT.retries + 1)),
    ),
  },
]

/**
 * The matrix: the common rows with each vendor's cells from its registry entry, and each
 * vendor's own rows after the row its entry names (`after`), `null` for the other vendors.
 */
function buildRows(): Row[] {
  const rows = COMMON_ROWS.map((row) => {
    const cells = { ...row.cells }
    for (const provider of PROVIDERS) {
      const override = entryOf(provider).faultMatrix?.cells?.[row.id]
      if (override === undefined) continue
      cells[provider] =
        override === null
          ? null
          : cellFrom(provider, cells[provider], override, `${provider} ${row.id}`)
    }
    return { ...row, cells }
  })
  for (const provider of PROVIDERS) {
    for (const own of entryOf(provider).faultMatrix?.rows ?? []) {
      if (rows.some((row) => row.id === own.id)) throw new Error(`Duplicate fault row ${own.id}`)
      const cells = Object.fromEntries(PROVIDERS.map((each) => [each, null])) as Row['cells']
      cells[provider] = cellFrom(provider, null, own, `${provider} ${own.id}`)
      const row: Row = { id: own.id, label: own.label, injection: own.injection, cells }
      const after = rows.findIndex((each) => each.id === own.after)
      rows.splice(after === -1 ? rows.length : after + 1, 0, row)
    }
  }
  return rows
}

export const ROWS: Row[] = buildRows()

/** Every cell that exists (not `null`), with its row and provider. */
export function cells(): Array<{ row: Row; provider: SimulatedProvider; cell: Cell }> {
  return ROWS.flatMap((row) =>
    PROVIDERS.flatMap((provider) => {
      const cell = row.cells[provider]
      return cell ? [{ row, provider, cell }] : []
    }),
  )
}

function describeCell(cell: Cell | null): string {
  if (!cell) return '—'
  const { expect } = cell
  const reads = `${expect.reads} reads`
  let text =
    expect.outcome === 'succeed'
      ? `✅ video, ${reads}${expect.minElapsedMs ? `, ≥ ${expect.minElapsedMs / 1000} s` : ''}`
      : `❌ \`${expect.error}\`, ${reads}`
  if (expect.outcome === 'succeed' && expect.progressWentBack)
    text += ', progress never reported back'
  if (cell.note) text += `; ${cell.note}`
  return text
}

export const DOC_START =
  '<!-- fault-matrix:start (generated from test/reliability/fault-matrix-table.ts) -->'
export const DOC_END = '<!-- fault-matrix:end -->'

/** The generated part of docs/fault-matrix.md. */
export function renderMatrix(): string {
  const header = `| fault | injected | ${PROVIDERS.map((provider) => `\`${provider}\``).join(' | ')} |`
  const rule = `| --- | --- | ${PROVIDERS.map(() => '---').join(' | ')} |`
  const lines = ROWS.map(
    (row) =>
      `| ${row.label} | ${row.injection} | ${PROVIDERS.map((provider) => describeCell(row.cells[provider])).join(' | ')} |`,
  )
  const count = cells().length
  return [
    DOC_START,
    '',
    `${count} cells (${ROWS.length} faults × ${PROVIDERS.length} providers, less the faults a vendor cannot send).`,
    '',
    header,
    rule,
    ...lines,
    '',
    DOC_END,
  ].join('\n')
}
