/** Type tests of custom providers: defineProvider and the types around it. */

import {
  createClient,
  defineProvider,
  type Provider,
  type ProviderDefinition,
  type ProviderPollDefaults,
  type ProviderRequest,
  type ProviderResponse,
  type VideoTask,
  type VideoTaskClient,
  type VideoTaskDetails,
  type VideoTaskOf,
} from 'video-tasks'
import { describe, expectTypeOf, it } from 'vitest'

type AcmeDetails = Pick<VideoTaskDetails, 'model'> & { region?: string }

const acmeTask = (raw: unknown): VideoTask<AcmeDetails> => ({
  id: 'job_1',
  provider: 'acme',
  status: 'running',
  vendorStatus: 'working',
  progress: null,
  videoUrl: null,
  videoUrls: [],
  error: null,
  createdAt: null,
  completedAt: null,
  expiresAt: null,
  details: { region: 'eu' },
  raw,
})

describe('defineProvider', () => {
  it('infers the details type from parseResponse and hands it to the client', () => {
    const acme = defineProvider({
      id: 'acme',
      baseURL: 'https://api.acme.test',
      buildRequest: (taskId, { url }) => {
        expectTypeOf(taskId).toEqualTypeOf<string>()
        expectTypeOf(url).toEqualTypeOf<(path: string) => string>()
        return { method: 'GET', url: url(`/jobs/${taskId}`), headers: {} }
      },
      parseResponse: (response) => {
        expectTypeOf(response).toEqualTypeOf<ProviderResponse>()
        return acmeTask(response.body)
      },
    })
    expectTypeOf(acme).toEqualTypeOf<Provider<AcmeDetails>>()
    const client = createClient({ provider: acme })
    expectTypeOf(client).toEqualTypeOf<VideoTaskClient<AcmeDetails>>()
    expectTypeOf(client.waitFor).returns.resolves.toEqualTypeOf<
      VideoTaskOf<'succeeded', AcmeDetails>
    >()
  })

  it('an explicit type argument checks the tasks parseResponse returns', () => {
    expectTypeOf(defineProvider<AcmeDetails>)
      .parameter(0)
      .toEqualTypeOf<ProviderDefinition<AcmeDetails>>()
    defineProvider<{ region?: string }>({
      id: 'acme',
      baseURL: 'https://api.acme.test',
      buildRequest: (_, { url }) => ({ method: 'GET', url: url('/'), headers: {} }),
      // @ts-expect-error: details.region must be a string
      parseResponse: () => ({ ...acmeTask(null), details: { region: 1 } }),
    })
  })

  it('a task of the wrong shape does not type-check', () => {
    const definition: ProviderDefinition = {
      id: 'acme',
      baseURL: 'https://api.acme.test',
      buildRequest: (_, { url }) => ({ method: 'GET', url: url('/'), headers: {} }),
      // @ts-expect-error: a succeeded task has progress 100 and error null
      parseResponse: () => ({ ...acmeTask(null), status: 'succeeded', progress: 50 }),
    }
    expectTypeOf(definition).not.toBeAny()
  })

  it('ProviderDefinition, Provider and their parts', () => {
    expectTypeOf<ProviderDefinition['pollDefaults']>().toEqualTypeOf<
      Partial<ProviderPollDefaults> | undefined
    >()
    expectTypeOf<ProviderPollDefaults>().toEqualTypeOf<{
      intervalMs: number
      maxIntervalMs: number
      minIntervalMs?: number | undefined
      adaptive: boolean
    }>()
    expectTypeOf<ProviderRequest['method']>().toEqualTypeOf<'GET' | 'POST' | 'DELETE'>()
    expectTypeOf<ProviderRequest['body']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<Provider<AcmeDetails>['parseResponse']>().returns.toEqualTypeOf<
      VideoTask<AcmeDetails>
    >()
    expectTypeOf<Provider['buildRequest']>().toEqualTypeOf<
      (taskId: string, route?: string) => ProviderRequest
    >()
    expectTypeOf<Provider['id']>().toEqualTypeOf<string>()
    expectTypeOf<ProviderResponse['headers']>().toEqualTypeOf<Readonly<Record<string, string>>>()
  })
})
