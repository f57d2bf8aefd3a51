/**
 * `video-tasks/simulator`: a local HTTP server that speaks the four vendor APIs the SDK polls
 * (OpenAI Sora and gateways, Doubao relay gateways, generic `/task/{id}` APIs, check-result
 * APIs), with scripted tasks, a controllable clock and injectable faults.
 *
 * It depends on node built-ins only and shares no code with the SDK's adapters: it speaks the
 * vendors' dialects from their docs, so it checks the adapters rather than mirroring them.
 *
 * @module video-tasks/simulator
 */

import { startServer } from './server.js'
import type { Simulator, SimulatorOptions } from './types.js'
import { validateOptions } from './validate.js'

export { simulatedBody } from './body.js'
// In-memory status answers and the vendor list, for tools on virtual time (bench/economy-child.mjs).
export {
  createStatusRenderer,
  type RenderedStatus,
  type RenderedTask,
  type SimulatedVendorFacts,
  type StatusFrame,
  type StatusRenderer,
  simulatedVendors,
} from './status-renderer.js'
export type {
  BodyFault,
  CdnRequest,
  DownloadScript,
  FaultKind,
  FaultSpec,
  ProgressMode,
  RandomFaults,
  ResolvedDownloadScript,
  ResolvedTaskScript,
  RetryAfterStyle,
  ScriptedFault,
  SimulatedDialect,
  SimulatedProvider,
  SimulatedTask,
  SimulatedTaskInfo,
  Simulator,
  SimulatorDialects,
  SimulatorOptions,
  SimulatorStats,
  TaskOutcome,
  TaskPhase,
  TaskScript,
} from './types.js'

/**
 * Starts a simulator on `127.0.0.1` (a free port by default).
 *
 * Routes (all need `Authorization: Bearer <apiKey>`; a missing or wrong key gets the vendor's
 * 401 body):
 * - `GET /v1/videos/{id}` and `GET /v1/videos/{id}/content[?variant=...]` (`openai`)
 * - `GET /v1/video/generations/{id}` (`doubao`)
 * - `GET /task/{id}` (`generic-task`)
 * - `POST /api/video-generations/check-result` with `{"taskId": id}` (`check-result`)
 * - `GET`, `POST` (create, with `callback_url`: a POST per status change, no handshake) and
 *   `DELETE` (cancel) on `/api/v3/contents/generations/tasks[/{id}]` (`ark`)
 * - `POST /text-to-video/{model}`, `GET /tasks?task_ids=...` (`kling`'s API-key routes) and the
 *   legacy `POST /v1/videos/{text2video|image2video}[/{id}]` with HS256 tokens signed with the
 *   simulator's key; `callback_url` (legacy) or `options.callback_url`: a POST per status change
 * - `POST /v1beta/models/{model}:predictLongRunning`, `GET /v1beta/{operation}`,
 *   `POST /v1beta/{operation}:cancel` and the file URI `GET /v1beta/files/{id}:download` (`gemini`;
 *   the key in `x-goog-api-key` or `?key=`): the file URI redirects to the CDN listener
 * - `GET /api/v1/tasks/{id}`, `POST /api/v1/tasks/{id}/cancel` and
 *   `POST /api/v1/services/aigc/video-generation/video-synthesis` (`dashscope`)
 * - `GET /v1/query/video_generation?task_id=...` (`minimax`: errors as HTTP 200 `base_resp`
 *   codes) and the file API `GET /v1/files/retrieve?file_id=...`, which also resolves the file
 *   ids of `generic-task`'s `minimax` dialect
 * - `GET /v1/tasks/{id}` and `DELETE /v1/tasks/{id}` (`runway`; every request needs
 *   `X-Runway-Version: 2024-11-06`, else a 400): a DELETE cancels a queued or running task and
 *   deletes a finished one (later reads are 404)
 * - `POST /v1/videos` (JSON or multipart), `POST /v1/video/generations`,
 *   `POST /v1/video_generation` (`minimax`, with `callback_url`: the `challenge` handshake, then
 *   callbacks), `POST /task/minimax/v1/video_generation` (`generic-task`),
 *   `POST /v1/text_to_video` and `POST /v1/image_to_video` (`runway`): the create routes; `x-simulator-script` (a JSON task script) and `x-simulator-fault` drive
 *   the task and the answer of one request
 * - `GET /files/{id}.mp4`: the default video URL, no key needed, 404 until the task succeeded,
 *   `Range`, a redirect to the CDN listener ({@link Simulator.cdnURL}) with `download.via: 'cdn'`
 * - the control endpoint: `POST /__simulator/tasks` (a {@link TaskScript} → 201 task),
 *   `GET /__simulator/tasks`, `GET /__simulator/tasks/{id}`, `GET /__simulator/stats`,
 *   `POST /__simulator/faults` ({@link RandomFaults} or `null`), `POST /__simulator/clock`
 *   (`{"advanceMs": n}`), `GET /__simulator/billing`.
 *
 * A task is visible on its own provider's routes only; elsewhere it is the vendor's 404.
 *
 * @param options - see {@link SimulatorOptions}; a wrong option rejects with a `TypeError`
 * naming it.
 * @returns the running {@link Simulator}; `await sim.close()` when done.
 *
 * @example
 * ```ts
 * import { startSimulator } from 'video-tasks/simulator'
 *
 * let clock = Date.UTC(2025, 0, 1)
 * const sim = await startSimulator({ now: () => clock })
 * const task = sim.createTask({
 *   provider: 'openai',
 *   dialect: 'gateway',
 *   queuedMs: 1_000,
 *   runningMs: 9_000,
 *   faults: [{ kind: 'rate-limit', times: 1, retryAfter: 'ms', retryAfterMs: 200 }],
 * })
 * const headers = { authorization: `Bearer ${sim.apiKey}` }
 * await fetch(task.statusUrl, { headers }) // 429 with retry-after-ms: 200
 * await fetch(task.statusUrl, { headers }) // 200 {"status": "pending", ...}
 * clock += 10_000
 * await fetch(task.statusUrl, { headers }) // 200 {"status": "completed", "url": ...}
 * sim.requests(task.id) // 3
 * await sim.close()
 * ```
 */
export async function startSimulator(options?: SimulatorOptions): Promise<Simulator> {
  return startServer(validateOptions(options))
}
