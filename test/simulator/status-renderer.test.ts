import { describe, expect, it } from 'vitest'
import type { ProviderResponse } from '../../src/providers/define-provider.js'
import { BUILT_IN_PROVIDERS } from '../../src/providers/registry.js'
import {
  createStatusRenderer,
  type SimulatedProvider,
  simulatedVendors,
} from '../../src/simulator/index.js'

/*
 * The simulator's in-memory status renderer (what the request-economy benchmark answers reads
 * with), checked for every registry entry through the entry's own adapter: the request the
 * adapter builds finds the task, and the answer reads back as the phase it was rendered at.
 */

const BASE = 'https://vendor.example.test'
const START = Date.UTC(2026, 0, 1)

function response(
  id: string,
  rendered: ReturnType<ReturnType<typeof createStatusRenderer>['render']>,
  provider: string,
): ProviderResponse {
  return { ...rendered, url: BASE, provider, taskId: id, receivedAt: START }
}

describe('createStatusRenderer', () => {
  it.each(BUILT_IN_PROVIDERS.map((entry) => [entry.id, entry] as const))(
    '%s: the adapter finds the task and reads each phase back',
    (_, entry) => {
      const renderer = createStatusRenderer({ baseURL: BASE })
      const provider = entry.forSimulator(BASE, 'sk-render')
      const task = renderer.task(entry.id as SimulatedProvider)
      const other = renderer.task(entry.id as SimulatedProvider)
      expect(other.id).not.toBe(task.id)
      const request = provider.buildRequest(task.id)
      expect(renderer.taskOf(request)).toEqual(task)
      expect(renderer.taskOf(provider.buildRequest(other.id))).toEqual(other)
      // An id the renderer never made is nobody's.
      expect(renderer.taskOf(provider.buildRequest(`${task.id}0`))).toBeUndefined()

      const facts = entry.dialects[0]
      const fine = facts.progress === 'fine'
      const frames = [
        { phase: 'queued', progress: fine ? 0 : undefined, queuedFraction: 0.5, createdAt: START },
        {
          phase: 'running',
          progress: fine ? 40 : undefined,
          createdAt: START,
          startedAt: START + 1_000,
        },
        {
          phase: 'succeeded',
          progress: fine ? 100 : undefined,
          createdAt: START,
          startedAt: START + 1_000,
          finishedAt: START + 9_000,
        },
      ] as const
      const read = frames.map((frame) =>
        provider.parseResponse(response(task.id, renderer.render(task, frame), entry.id)),
      )
      expect(read.map((each) => each.id)).toEqual([task.id, task.id, task.id])
      expect(read.map((each) => each.status)).toEqual([
        facts.reportsQueued === false ? 'running' : 'queued',
        'running',
        'succeeded',
      ])
      if (fine) expect(read[1]?.progress).toBe(40)
      else expect(read[1]?.progress).toBeNull()
    },
  )

  it('knows which vendors call back (the benchmark callback rows)', () => {
    const calling = simulatedVendors()
      .filter((vendor) => vendor.callsBack)
      .map((vendor) => vendor.provider)
    expect(calling.sort()).toEqual(['ark', 'generic-task', 'kling', 'minimax'])
    expect(
      simulatedVendors()
        .map((vendor) => vendor.provider)
        .sort(),
    ).toEqual(BUILT_IN_PROVIDERS.map((entry) => entry.id).sort())
  })

  it('refuses a base URL that is not one, and a task it does not know', () => {
    expect(() => createStatusRenderer({ baseURL: 'not a url' })).toThrow(TypeError)
    expect(() => createStatusRenderer(undefined as never)).toThrow(/baseURL/)
    const renderer = createStatusRenderer({ baseURL: BASE })
    expect(() =>
      renderer.render(
        { id: 'nope', provider: 'openai', dialect: 'official' },
        { phase: 'queued', createdAt: START },
      ),
    ).toThrow(TypeError)
    expect(() => renderer.task('nobody' as SimulatedProvider)).toThrow(TypeError)
  })
})
