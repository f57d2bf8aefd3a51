import { describe, expect, it } from 'vitest'
import { AuthenticationError, ResponseValidationError } from '../../src/errors.js'
import type { ProviderResponse } from '../../src/providers/define-provider.js'
import { parseFileRetrieveResponse } from '../../src/providers/generic-task.js'
import { checkResult, doubao, genericTask, openai } from '../../src/providers/registry.js'
import { fixtureJson, fixtureText } from '../support/fixtures.js'

/*
 * Where each seed adapter says a finished task's bytes are (`outputs`), and `expiresAt` where a
 * vendor tells it: from fixtures, no network.
 */

const KEY = 'sk-outputs-test-1234567890'

function response(body: string, url: string, status = 200): ProviderResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body,
    url,
    provider: 'test',
    taskId: 'task',
    receivedAt: Date.UTC(2025, 0, 1),
  }
}

describe('outputs', () => {
  it('openai official: the content route, with the key, on the base URL; expires_at kept', () => {
    const provider = openai({ baseURL: 'https://api.openai.com/v1', apiKey: KEY })
    const task = provider.parseResponse(
      response(fixtureText('openai', 'official-completed-no-url.json'), 'https://api.openai.com'),
    )
    expect(task.expiresAt).toEqual(new Date(1758945220 * 1000))
    const outputs = provider.outputs?.(task)
    expect(outputs).toEqual([
      [
        {
          kind: 'authenticated',
          request: {
            method: 'GET',
            url: `https://api.openai.com/v1/videos/${task.id}/content`,
            headers: expect.objectContaining({ authorization: `Bearer ${KEY}` }),
          },
        },
      ],
    ])
  })

  it('openai gateway: the URL, without the key when it is on another origin', () => {
    const provider = openai({ baseURL: 'https://gateway.example.com', apiKey: KEY })
    const task = provider.parseResponse(
      response(fixtureText('openai', 'gateway-metadata-url.json'), 'https://gateway.example.com'),
    )
    const [alternatives] = provider.outputs?.(task) ?? []
    expect(alternatives?.[0]).toEqual({
      kind: 'url',
      url: task.videoUrl,
      expiresAt: task.expiresAt,
    })
    expect(JSON.stringify(alternatives)).not.toContain(KEY)
  })

  it('doubao: a gateway proxy link on its own origin gets the key; Ark links expire 24 h after updated_at', () => {
    const provider = doubao({ baseURL: 'https://gateway.example.com', apiKey: KEY })
    const proxied = provider.parseResponse(
      response(
        fixtureText('doubao', 'gateway-success-result-url.json'),
        'https://gateway.example.com',
      ),
    )
    // The link is the gateway's own route, not Ark's: no documented lifetime.
    expect(proxied.expiresAt).toBeNull()
    expect(provider.outputs?.(proxied)).toEqual([
      [
        {
          kind: 'authenticated',
          request: expect.objectContaining({ url: proxied.videoUrl }),
        },
      ],
    ])
    const upstream = provider.parseResponse(
      response(
        fixtureText('doubao', 'gateway-success-upstream-link.json'),
        'https://gateway.example.com',
      ),
    )
    // vendor-docs/native/ark-seedance.md: valid 24 hours, from the terminal updated_at.
    expect(upstream.expiresAt).toEqual(new Date((1749720391 + 86_400) * 1000))
    expect(provider.outputs?.(upstream)).toEqual([
      [{ kind: 'url', url: upstream.videoUrl, expiresAt: upstream.expiresAt }],
    ])
  })

  it('check-result: one output per result_urls entry', () => {
    const provider = checkResult({ baseURL: 'https://api.example.com' })
    const task = provider.parseResponse(
      response(fixtureText('check-result', 'succeeded.json'), 'https://api.example.com'),
    )
    expect(provider.outputs?.(task)).toEqual([
      [
        {
          kind: 'url',
          url: 'https://your-domain.com/storage/videos/task_1234567890-1.mp4',
          expiresAt: null,
        },
      ],
      [
        {
          kind: 'url',
          url: 'https://your-domain.com/storage/videos/task_1234567890-2.mp4',
          expiresAt: null,
        },
      ],
    ])
  })

  it('generic-task: a reseller URL first, then the file_id through the file API with the key', () => {
    const provider = genericTask({ baseURL: 'https://api.minimax.io', apiKey: KEY })
    const task = provider.parseResponse(
      response(
        fixtureText('generic-task', 'minimax-success-with-url.json'),
        'https://api.minimax.io',
      ),
    )
    const [alternatives, ...rest] = provider.outputs?.(task) ?? []
    expect(rest).toEqual([])
    expect(alternatives?.map((location) => location.kind)).toEqual(['url', 'resolve'])
    const resolve = alternatives?.[1]
    if (resolve?.kind !== 'resolve') throw new Error('expected a resolve location')
    expect(resolve.request.url).toBe(
      'https://api.minimax.io/v1/files/retrieve?file_id=241342648594580',
    )
    expect(resolve.request.headers.authorization).toBe(`Bearer ${KEY}`)
    const file = resolve.parse(
      response(fixtureText('generic-task', 'files-retrieve.json'), resolve.request.url),
    )
    expect(file).toEqual({
      url: (
        fixtureJson('generic-task', 'files-retrieve.json') as { file: { download_url: string } }
      ).file.download_url,
      expiresAt: null,
    })
  })

  it('the file API: a base_resp error is typed, a missing download_url is not a URL', () => {
    const url = 'https://api.minimax.io/v1/files/retrieve?file_id=1'
    expect(() =>
      parseFileRetrieveResponse(
        response(fixtureText('generic-task', 'files-retrieve-error-1004.json'), url),
      ),
    ).toThrow(AuthenticationError)
    expect(() =>
      parseFileRetrieveResponse(
        response(
          '{"file":{"download_url":"javascript:alert(1)"},"base_resp":{"status_code":0}}',
          url,
        ),
      ),
    ).toThrow(ResponseValidationError)
    expect(() =>
      parseFileRetrieveResponse(response('{"base_resp":{"status_code":0}}', url, 404)),
    ).toThrow()
  })
})
