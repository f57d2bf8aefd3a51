/**
 * The pure create members of the seed adapters: the shared input mapped to each vendor's fields,
 * what a vendor cannot express refused by name, `providerInput` winning, and create answers
 * (fixtures under test/fixtures/<provider>/create-*.json) read into a task id or a typed error.
 */
import { describe, expect, it } from 'vitest'
import { ApiError, RateLimitError, ResponseValidationError } from '../../src/errors.js'
import { checkResult } from '../../src/providers/check-result.js'
import { defineProvider, type ProviderResponse } from '../../src/providers/define-provider.js'
import { doubao } from '../../src/providers/doubao.js'
import { genericTask } from '../../src/providers/generic-task.js'
import type { ResolvedImage } from '../../src/providers/kit/lifecycle.js'
import { openai } from '../../src/providers/openai.js'
import { fixtureText } from '../support/fixtures.js'

const KEY = 'sk-create-test-0123456789'
const png: ResolvedImage = {
  kind: 'bytes',
  bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
  mediaType: 'image/png',
  fileName: 'frame.png',
}

function answer(provider: string, name: string, status = 200): ProviderResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: fixtureText(provider, name),
    url: 'https://api.test/create',
    provider,
    taskId: '',
    receivedAt: 0,
  }
}

function json(body: string | Uint8Array | undefined): Record<string, unknown> {
  return JSON.parse(String(body))
}

describe('openai create', () => {
  const provider = openai({ baseURL: 'https://api.openai.test/v1', apiKey: KEY })

  it('JSON with the mapped fields, the key, and providerInput winning', () => {
    const request = provider.buildCreateRequest?.({
      prompt: 'A fox',
      model: 'sora-2',
      durationSeconds: 8,
      size: '1280x720',
      providerInput: { size: '720x1280', metadata: { a: 1 } },
    })
    expect(request).toMatchObject({
      method: 'POST',
      url: 'https://api.openai.test/v1/videos',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    })
    expect(json(request?.body)).toEqual({
      prompt: 'A fox',
      model: 'sora-2',
      seconds: '8',
      size: '720x1280',
      metadata: { a: 1 },
    })
  })

  it('multipart when the image is bytes, the file part named input_reference', async () => {
    const request = provider.buildCreateRequest?.({
      prompt: 'Animate',
      durationSeconds: 4,
      image: png,
    })
    const type = request?.headers['content-type'] ?? ''
    expect(type).toMatch(/^multipart\/form-data; boundary=/)
    // Read back with the platform's own multipart parser.
    const form = await new Response(request?.body as Uint8Array, {
      headers: { 'content-type': type },
    }).formData()
    expect(form.get('prompt')).toBe('Animate')
    expect(form.get('seconds')).toBe('4')
    const file = form.get('input_reference') as File
    expect(file.name).toBe('frame.png')
    expect(file.type).toBe('image/png')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(png.bytes)
  })

  it('a boundary that occurs in the image is not used', async () => {
    const evil = new TextEncoder().encode('--video-tasks-boundary-7Hq2mZpT4vXc9LrN\r\n')
    const request = provider.buildCreateRequest?.({
      prompt: 'x',
      image: { ...png, bytes: evil },
    })
    const type = request?.headers['content-type'] ?? ''
    const form = await new Response(request?.body as Uint8Array, {
      headers: { 'content-type': type },
    }).formData()
    expect(new Uint8Array(await (form.get('input_reference') as File).arrayBuffer())).toEqual(evil)
  })

  it('refuses what the route cannot express, naming the field', () => {
    for (const [input, field] of [
      [{ prompt: 'x', aspectRatio: '16:9' }, 'aspectRatio'],
      [{ prompt: 'x', resolution: '720p' }, 'resolution'],
      [{ prompt: 'x', seed: 1 }, 'seed'],
      [{ prompt: 'x', durationSeconds: 4.5 }, 'durationSeconds'],
      [{ prompt: 'x', image: { kind: 'url', url: 'https://x.test/a.png' } }, 'image'],
      [{ prompt: 'x', callbackUrl: 'https://x.test/hook' }, 'callbackUrl'],
    ] as const) {
      expect(() => provider.buildCreateRequest?.(input as never)).toThrow(
        new RegExp(`\`${field}\``),
      )
    }
  })

  it('reads the queued video object; an error body is its typed error', () => {
    const created = provider.parseCreateResponse?.(answer('openai', 'create-official-queued.json'))
    expect(created?.taskId).toBe('video_68d7512d07848190b3e45da0ecbebcde004da08e1e0678d5')
    expect(created?.task?.status).toBe('queued')
    expect(() =>
      provider.parseCreateResponse?.(answer('openai', 'create-error-400.json', 400)),
    ).toThrow(ApiError)
  })
})

describe('doubao create', () => {
  const provider = doubao({ baseURL: 'https://gateway.test', apiKey: KEY })

  it('maps every shared field the gateway takes; an image as bytes becomes a data: URL', () => {
    const request = provider.buildCreateRequest?.({
      prompt: 'A fox',
      model: 'doubao-seedance-1-0-pro-250528',
      durationSeconds: 5,
      aspectRatio: '16:9',
      resolution: '1080p',
      image: png,
    })
    expect(request?.url).toBe('https://gateway.test/v1/video/generations')
    expect(json(request?.body)).toEqual({
      prompt: 'A fox',
      model: 'doubao-seedance-1-0-pro-250528',
      duration: 5,
      ratio: '16:9',
      resolution: '1080p',
      image: 'data:image/png;base64,iVBORwECAw==',
    })
    expect(() => provider.buildCreateRequest?.({ prompt: 'x', seed: 3 })).toThrow(/`seed`/)
  })

  it('reads both answer shapes; an error in a 200 is an ApiError, an empty answer unreadable', () => {
    expect(provider.parseCreateResponse?.(answer('doubao', 'create-task-object.json'))).toEqual({
      taskId: 'task_Vq3kD9mZx2LpR7tYh4NwB6cJ8sFa1GeU',
      task: null,
    })
    expect(
      provider.parseCreateResponse?.(answer('doubao', 'create-task-id-only.json')).taskId,
    ).toBe('cgt-20250612172542-6nbt2')
    expect(() => provider.parseCreateResponse?.(answer('doubao', 'create-error-200.json'))).toThrow(
      ApiError,
    )
    expect(() =>
      provider.parseCreateResponse?.({
        ...answer('doubao', 'create-task-id-only.json'),
        body: '{}',
      }),
    ).toThrow(ResponseValidationError)
  })
})

describe('generic-task (MiniMax-style) create', () => {
  it('the default and a configured path; resolution as MiniMax writes it; the callback URL', () => {
    const plain = genericTask({ baseURL: 'https://relay.test', apiKey: KEY })
    expect(plain.buildCreateRequest?.({ prompt: 'x' }).url).toBe(
      'https://relay.test/v1/video_generation',
    )
    const relay = genericTask({
      baseURL: 'https://relay.test',
      apiKey: KEY,
      createPath: '/task/minimax/v1/video_generation',
    })
    const request = relay.buildCreateRequest?.({
      prompt: 'x',
      model: 'MiniMax-Hailuo-02',
      durationSeconds: 6,
      resolution: '768p',
      image: { kind: 'url', url: 'https://cdn.test/a.png' },
      callbackUrl: 'https://app.test/hook',
      providerInput: { prompt_optimizer: false },
    })
    expect(request?.url).toBe('https://relay.test/task/minimax/v1/video_generation')
    expect(json(request?.body)).toEqual({
      prompt: 'x',
      model: 'MiniMax-Hailuo-02',
      duration: 6,
      resolution: '768P',
      first_frame_image: 'https://cdn.test/a.png',
      callback_url: 'https://app.test/hook',
      prompt_optimizer: false,
    })
    expect(() => relay.buildCreateRequest?.({ prompt: 'x', size: '1280x720' })).toThrow(/`size`/)
    expect(() =>
      genericTask({ baseURL: 'https://relay.test', apiKey: KEY, createPath: 'no-slash' }),
    ).toThrow(/`createPath`/)
    expect(() =>
      genericTask({ baseURL: 'https://relay.test', apiKey: KEY, createPth: '/x' } as never),
    ).toThrow(/createPth/)
  })

  it('reads task_id (an unsafe number from the text); base_resp errors are typed', () => {
    const provider = genericTask({ baseURL: 'https://relay.test', apiKey: KEY })
    expect(
      provider.parseCreateResponse?.(answer('generic-task', 'create-minimax.json')).taskId,
    ).toBe('106916112212032')
    expect(
      provider.parseCreateResponse?.(answer('generic-task', 'create-minimax-unsafe-id.json'))
        .taskId,
    ).toBe('9007199254740993123')
    expect(() =>
      provider.parseCreateResponse?.(answer('generic-task', 'create-minimax-error-2013.json')),
    ).toThrow(/invalid params, duration/)
    expect(() =>
      provider.parseCreateResponse?.(answer('generic-task', 'create-minimax-error-1002.json')),
    ).toThrow(RateLimitError)
  })
})

describe('user-supplied creates: checkResult and defineProvider', () => {
  it('checkResult takes a create through its options; requests stay on its origin', () => {
    const provider = checkResult({
      baseURL: 'https://reseller.test',
      apiKey: KEY,
      buildCreateRequest: (input, { url, headers }) => ({
        method: 'POST',
        url: url('/api/v1/video/sora-video'),
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: input.prompt }),
      }),
      parseCreateResponse: (response) => ({ taskId: JSON.parse(response.body).taskId, task: null }),
    })
    const request = provider.buildCreateRequest?.({ prompt: 'x' })
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(
      provider.parseCreateResponse?.({
        ...answer('openai', 'create-error-400.json'),
        body: '{"taskId":"t1"}',
      }).taskId,
    ).toBe('t1')
    // An answer the user's parser cannot read is a ResponseValidationError, not a TypeError.
    expect(() =>
      provider.parseCreateResponse?.({ ...answer('openai', 'create-error-400.json'), body: '{}' }),
    ).toThrow(ResponseValidationError)
    expect(() =>
      checkResult({ baseURL: 'https://r.test', buildCreateRequest: () => ({}) } as never),
    ).toThrow(/together/)
  })

  it('defineProvider: a create for another origin is refused; half a create is refused', () => {
    const base = {
      id: 'acme',
      baseURL: 'https://acme.test',
      buildRequest: () => ({ method: 'GET' as const, url: 'https://acme.test/x', headers: {} }),
      parseResponse: () => {
        throw new Error('unused')
      },
    }
    const leaky = defineProvider({
      ...base,
      buildCreateRequest: () => ({ method: 'POST', url: 'https://evil.test/steal', headers: {} }),
      parseCreateResponse: () => ({ taskId: 'x', task: null }),
    })
    expect(() => leaky.buildCreateRequest?.({ prompt: 'x' })).toThrow(/another origin/)
    expect(() =>
      defineProvider({
        ...base,
        buildCreateRequest: () => ({ method: 'POST', url: '', headers: {} }),
      }),
    ).toThrow(/together/)
    expect(() =>
      defineProvider({
        ...base,
        buildCreateRequest: () => ({ method: 'POST', url: 'https://acme.test/c', headers: {} }),
        parseCreateResponse: () => ({ taskId: 'x', task: null }),
        idempotencyHeader: 'Bad Header',
      }),
    ).toThrow(/`idempotencyHeader`/)
  })
})
