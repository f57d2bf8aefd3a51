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

export const PROVIDERS = ['openai', 'doubao', 'generic-task', 'check-result'] as const

/** The dialect each provider's cells use unless a cell says otherwise (the simulator's defaults). */
export const DEFAULT_DIALECTS: Record<SimulatedProvider, SimulatedDialect> = {
  openai: 'official',
  doubao: 'gateway-upper',
  'generic-task': 'envelope',
  'check-result': 'documented',
}

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

export type ErrorName =
  | 'AuthenticationError'
  | 'PermissionDeniedError'
  | 'TaskNotFoundError'
  | 'ResponseValidationError'
  | 'ServerError'
  | 'WaitTimeoutError'

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

export const ROWS: Row[] = [
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
    cells: {
      ...everywhere(
        [{ kind: 'progress-backwards', afterReads: 2, times: 1 }],
        succeed(0, { progressWentBack: true }),
      ),
      'generic-task': {
        dialect: 'envelope',
        faults: [{ kind: 'progress-backwards', afterReads: 2, times: 1 }],
        expect: succeed(0),
        note: 'no progress field in this API: nothing to go back',
      },
    },
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
    cells: {
      ...everywhere([{ kind: 'not-found', afterReads: 1, times: 1 }], reject('TaskNotFoundError')),
      doubao: {
        dialect: 'legacy',
        faults: [{ kind: 'not-found', afterReads: 1, times: 1 }],
        expect: reject('TaskNotFoundError'),
        note: '`legacy` dialect (the default gateway answers 400: next row)',
      },
    },
  },
  {
    id: 'task-not-exist',
    label: '400 `task_not_exist`',
    injection: '`not-found` on the second read, Doubao `gateway-upper`',
    cells: {
      openai: null,
      doubao: {
        dialect: 'gateway-upper',
        faults: [{ kind: 'not-found', afterReads: 1, times: 1 }],
        expect: reject('TaskNotFoundError'),
      },
      'generic-task': null,
      'check-result': null,
    },
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
    cells: {
      ...everywhere([{ kind: 'vendor-error-200', times: 1 }], succeed(1)),
      'generic-task': {
        dialect: 'envelope',
        faults: [{ kind: 'vendor-error-200', times: 1 }],
        expect: succeed(1),
        note: '`code: 50429`',
      },
    },
  },
  {
    id: 'vendor-error-200-minimax',
    label: 'a 200 carrying a vendor error code (MiniMax `base_resp`)',
    injection: '`vendor-error-200` ×1: `base_resp.status_code` 1002, then 1004',
    cells: {
      openai: null,
      doubao: null,
      'generic-task': {
        dialect: 'minimax',
        faults: [
          { kind: 'vendor-error-200', times: 1 },
          { kind: 'vendor-error-200', code: 1004, message: 'login fail', afterReads: 2, times: 1 },
        ],
        expect: reject('AuthenticationError', 3),
        note: '1002 (rate limited) is retried, 1004 (bad key) ends the wait',
      },
      'check-result': null,
    },
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
      // One good read, then three failed reads of three requests each.
      reject('ServerError', 1 + 3 * (CLIENT.retries + 1)),
    ),
  },
]

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
