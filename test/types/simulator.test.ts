/** Type tests of `video-tasks/simulator`'s public types. */

import {
  type FaultKind,
  type SimulatedDialect,
  type SimulatedProvider,
  type SimulatedTask,
  type SimulatedTaskInfo,
  type Simulator,
  type SimulatorDialects,
  type SimulatorOptions,
  startSimulator,
  type TaskScript,
} from 'video-tasks/simulator'
import { describe, expectTypeOf, it } from 'vitest'

describe('video-tasks/simulator types', () => {
  it('startSimulator', () => {
    expectTypeOf(startSimulator).parameters.toEqualTypeOf<[options?: SimulatorOptions]>()
    expectTypeOf(startSimulator).returns.resolves.toEqualTypeOf<Simulator>()
  })

  it('providers and dialects', () => {
    // The seed vendors; vendors added later extend the union.
    expectTypeOf<
      'openai' | 'doubao' | 'generic-task' | 'check-result'
    >().toExtend<SimulatedProvider>()
    expectTypeOf<keyof SimulatorDialects>().toEqualTypeOf<SimulatedProvider>()
    expectTypeOf<SimulatorDialects['openai']>().toEqualTypeOf<'official' | 'gateway'>()
    expectTypeOf<SimulatedDialect>().toEqualTypeOf<SimulatorDialects[SimulatedProvider]>()
    expectTypeOf<TaskScript['provider']>().toEqualTypeOf<SimulatedProvider>()
    expectTypeOf<TaskScript['outcome']>().toEqualTypeOf<
      'succeeded' | 'failed' | 'cancelled' | undefined
    >()
    expectTypeOf<'hang' | 'rate-limit' | 'server-error'>().toExtend<FaultKind>()
  })

  it('Simulator', () => {
    expectTypeOf<Simulator['createTask']>().toEqualTypeOf<(script: TaskScript) => SimulatedTask>()
    expectTypeOf<Simulator['task']>().returns.toEqualTypeOf<SimulatedTaskInfo | undefined>()
    expectTypeOf<Simulator['requests']>().returns.toEqualTypeOf<number>()
    expectTypeOf<Simulator['baseURL']>().toEqualTypeOf<string>()
    expectTypeOf<Simulator['close']>().returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf<SimulatedTask['contentUrl']>().toEqualTypeOf<string | undefined>()
  })
})
