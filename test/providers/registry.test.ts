import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import {
  ApiError,
  AuthenticationError,
  ResponseValidationError,
  TaskNotFoundError,
} from '../../src/errors.js'
import * as sdk from '../../src/index.js'
import type { ProviderResponse } from '../../src/providers/define-provider.js'
import {
  BUILT_IN_PROVIDER_IDS,
  BUILT_IN_PROVIDERS,
  type BuiltInProviderId,
  builtInProviderEntry,
  isBuiltInProviderId,
} from '../../src/providers/registry.js'
import {
  type SimulatedProvider,
  type Simulator,
  startSimulator,
} from '../../src/simulator/index.js'

/*
 * The registry against what it describes: the package's exports, the providers its factories
 * build, and the simulator whose dialects and routes it names. Every check runs for every entry,
 * so a new entry is held to the same.
 */

const KEY = 'sk-registry-0123456789'
let sim: Simulator

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY })
})
afterAll(async () => {
  await sim.close()
})

function response(
  id: BuiltInProviderId,
  status: number,
  body: unknown,
  taskId = 'task_1',
): ProviderResponse {
  return {
    status,
    headers: {},
    body: JSON.stringify(body),
    url: `https://api.example.test/${taskId}`,
    provider: id,
    taskId,
    receivedAt: 0,
  }
}

it('ids are unique, in order, and the simulator serves each of them', () => {
  expect(new Set(BUILT_IN_PROVIDER_IDS).size).toBe(BUILT_IN_PROVIDERS.length)
  expect(BUILT_IN_PROVIDER_IDS).toEqual(BUILT_IN_PROVIDERS.map((entry) => entry.id))
  expectTypeOf<BuiltInProviderId>().toExtend<SimulatedProvider>()
  for (const entry of BUILT_IN_PROVIDERS) expect(isBuiltInProviderId(entry.id), entry.id).toBe(true)
  expect(isBuiltInProviderId('toString')).toBe(false)
  expect(isBuiltInProviderId('OpenAI')).toBe(false)
  expect(isBuiltInProviderId('')).toBe(false)
  expect(builtInProviderEntry('__proto__')).toBeUndefined()
})

describe.each(BUILT_IN_PROVIDERS.map((entry) => [entry.id, entry] as const))('%s', (id, entry) => {
  const provider = id as BuiltInProviderId

  const shown = sdk.BUILT_IN_PROVIDERS.find((each) => each.id === id)

  it('is exported by the package under its export name, with its public entry', () => {
    expect(shown).toBeDefined()
    expect((sdk as Record<string, unknown>)[entry.exportName]).toBe(shown?.factory)
    expect(shown).toMatchObject({
      displayName: entry.displayName,
      exportName: entry.exportName,
      keyRequired: entry.keyRequired,
      pollStyle: entry.pollStyle,
    })
    // The public entry says how fine the progress is: the default dialect's.
    expect(shown?.progress).toBe(entry.dialects[0].progress)
  })

  /*
   * The exported factory checks the options and loads the adapter on first use; the adapter's
   * own factory (the registry's) builds the provider at once. Both must take and refuse the same
   * options with the same messages, and build the same provider.
   */
  it('its exported factory refuses what the adapter refuses, with the same message', () => {
    const exported = shown?.factory as (options: unknown) => unknown
    const eager = entry.factory as (options: unknown) => unknown
    const base = { ...entry.simulatorOptions, baseURL: 'https://api.example.test', apiKey: KEY }
    const hostile: unknown[] = [
      undefined,
      null,
      'https://api.example.test',
      42,
      [],
      { ...base, baseURL: 'ftp://api.example.test' },
      { ...base, baseURL: 'https://user:pass@api.example.test' },
      { ...base, baseURL: 'not a url' },
      { ...base, baseURL: 42 },
      { ...base, apiKey: '' },
      { ...base, apiKey: 'line\nbreak' },
      { ...base, apiKey: 42 },
      { ...base, headers: 'x' },
      { ...base, headers: { 'x-a': 42 } },
      { ...base, headers: { 'bad header': 'v' } },
      { ...base, timeoutMs: 5 },
      { ...base, baseUrl: 'https://api.example.test' },
    ]
    for (const options of hostile) {
      const outcome = (factory: (options: unknown) => unknown) => {
        try {
          factory(options)
          return 'accepted'
        } catch (error) {
          return error instanceof TypeError ? `TypeError: ${error.message}` : String(error)
        }
      }
      expect(outcome(exported), JSON.stringify(options)).toBe(outcome(eager))
    }
  })

  it('its exported factory builds, once loaded, the provider the adapter builds', async () => {
    const options = { headers: { 'x-trace': 'a' } }
    const exported = shown?.forSimulator(sim.baseURL, KEY, options.headers)
    const eager = entry.forSimulator(sim.baseURL, KEY, options.headers)
    expect(exported?.id).toBe(eager.id)
    expect(exported?.baseURL).toBe(eager.baseURL)
    expect(exported?.pollDefaults).toEqual(eager.pollDefaults)
    const loaded = (await exported?.load?.()) ?? exported
    expect(loaded?.buildRequest('task_1')).toEqual(eager.buildRequest('task_1'))
    expect(Object.keys(loaded ?? {}).sort()).toEqual(Object.keys(eager).sort())
  })

  it('builds the provider its entry describes', () => {
    const built = entry.forSimulator('https://api.example.test', KEY)
    expect(built.id).toBe(id)
    expect(built.baseURL).toBe('https://api.example.test')
    expect(built.pollDefaults).toEqual(entry.description.pollDefaults)
    expect(entry.pollStyle).toBe(entry.description.pollDefaults.adaptive ? 'adaptive' : 'backoff')
    expect(entry.keyRequired).toBe(entry.description.keyRequired)
  })

  it('requires a key exactly when its entry says so', () => {
    const build = () => entry.factory({ baseURL: 'https://api.example.test' })
    if (entry.keyRequired) {
      expect(build).toThrow(TypeError)
      expect(build).toThrow(/apiKey/)
    } else {
      expect(build().buildRequest('task_1').headers.authorization).toBeUndefined()
    }
  })

  it("reads tasks on the simulator's route in every dialect its entry lists", () => {
    const built = entry.forSimulator(sim.baseURL, KEY)
    for (const [index, facts] of entry.dialects.entries()) {
      const task = sim.createTask({
        provider,
        // The first dialect is the simulator's default: no dialect given.
        ...(index === 0 ? {} : { dialect: facts.name as never }),
      })
      expect(task.dialect).toBe(facts.name)
      const request = built.buildRequest(task.id)
      expect(request.url).toBe(task.statusUrl)
      expect(request.method).toBe(entry.description.route.method)
      if (request.method === 'POST')
        expect(JSON.parse(request.body ?? '')).toEqual({ taskId: task.id })
    }
  })

  it('reads its error bodies as its entry says', () => {
    const parse = (status: number, body: unknown) => {
      try {
        return entry.description.parseTask(response(provider, status, body), {
          url: (path) => `https://api.example.test${path}`,
        })
      } catch (error) {
        return error
      }
    }
    const notExist = { code: 'task_not_exist', message: 'task_not_exist' }
    for (const status of entry.description.errorBodies.kindFromBodyOn) {
      expect(parse(status, notExist), `HTTP ${status}`).toBeInstanceOf(TaskNotFoundError)
    }
    // Where the body does not decide, the status does: a 409 saying "not found" is no 404.
    expect(parse(409, notExist)).toBeInstanceOf(ApiError)
    expect(parse(409, notExist)).not.toBeInstanceOf(TaskNotFoundError)
    const unauthorized = parse(401, { code: 401, message: 'Invalid token' }) as ApiError
    expect(unauthorized).toBeInstanceOf(AuthenticationError)
    expect(unauthorized.message).toBe('Invalid token')
  })

  it.runIf(entry.description.envelope)(
    'reads its envelope by the success codes it declares',
    () => {
      const rules = entry.description.envelope
      if (!rules) return
      const parse = (body: unknown) =>
        entry.description.parseTask(response(provider, 200, body), {
          url: (path) => `https://api.example.test${path}`,
        })
      for (const code of [...rules.successCodes, String(rules.successCodes[0]), 'Success']) {
        const task = parse({ code, message: 'Success', data: { status: 'running', task_id: 't' } })
        expect(task.status, `code ${JSON.stringify(code)}`).toBe('running')
      }
      const failing = () =>
        parse({ code: 'quota_exhausted', message: 'No credits left', data: null })
      expect(failing).toThrow(ApiError)
      expect(failing).toThrow('No credits left')
      // A success code without a task is no task either.
      expect(() => parse({ code: rules.successCodes[0], message: 'Success', data: null })).toThrow(
        ResponseValidationError,
      )
    },
  )
})
