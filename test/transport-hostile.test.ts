import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../src/client.js'
import { VideoTaskError, WaitTimeoutError } from '../src/errors.js'
import { VideoTaskSchema } from '../src/model-schemas.js'
import { openai } from '../src/providers/openai.js'

/*
 * Whatever a server sends over a real socket (encodings, framing, extreme numbers, the error
 * pages of web frameworks), the answer is a valid VideoTask or a typed VideoTaskError, and a
 * permanent error never makes a wait spin to its deadline.
 */

const json = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'vid',
    object: 'video',
    status: 'in_progress',
    progress: 40,
    created_at: 1_700_000_000,
    ...extra,
  })

type Handler = (request: IncomingMessage, response: ServerResponse, socket: Socket) => void

const raw =
  (text: string): Handler =>
  (_request, _response, socket) => {
    socket.end(text)
  }

const send =
  (status: number, body: string | Buffer, headers: Record<string, string> = {}): Handler =>
  (_request, response) => {
    response.writeHead(status, headers)
    response.end(body)
  }

const HTML_PAGES = {
  nginx404:
    '<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>',
  django400:
    '<!doctype html><html lang="en"><head><title>Bad Request (400)</title></head><body><h1>Bad Request (400)</h1></body></html>',
  express500:
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Error</title></head>\n<body><pre>Internal Server Error</pre></body></html>',
  cloudflare502:
    '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>',
}

const CASES: Record<string, { handler: Handler; permanent: boolean }> = {
  gzip: {
    handler: send(200, gzipSync(json()), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    }),
    permanent: true,
  },
  deflate: {
    handler: send(200, deflateSync(json()), {
      'content-type': 'application/json',
      'content-encoding': 'deflate',
    }),
    permanent: true,
  },
  br: {
    handler: send(200, brotliCompressSync(json()), {
      'content-type': 'application/json',
      'content-encoding': 'br',
    }),
    permanent: true,
  },
  'gzip bomb': {
    handler: send(200, gzipSync(Buffer.alloc(64 * 1024 * 1024, 32)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    }),
    permanent: true,
  },
  'chunked, one byte a chunk': {
    handler: (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      for (const char of json()) response.write(char)
      response.end()
    },
    permanent: true,
  },
  'close-delimited, no length': {
    handler: raw(
      `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${json()}`,
    ),
    permanent: true,
  },
  'utf-8 BOM': {
    handler: send(200, `\ufeff${json()}`, { 'content-type': 'application/json' }),
    permanent: true,
  },
  'utf-16 body': {
    handler: send(200, Buffer.from(`\ufeff${json()}`, 'utf16le'), {
      'content-type': 'application/json; charset=utf-16',
    }),
    permanent: true,
  },
  'latin-1 bytes': {
    handler: send(200, Buffer.from(json({ error: { message: 'caf\u00e9' } }), 'latin1'), {
      'content-type': 'application/json',
    }),
    permanent: true,
  },
  'progress 1e308': { handler: send(200, json({ progress: 1e308 })), permanent: true },
  'progress -1': { handler: send(200, json({ progress: -1 })), permanent: true },
  'progress as a huge literal': {
    handler: send(200, json().replace('"progress":40', `"progress":1${'0'.repeat(400)}`)),
    permanent: true,
  },
  'created_at 1e20': { handler: send(200, json({ created_at: 1e20 })), permanent: true },
  'created_at -1e20': { handler: send(200, json({ created_at: -1e20 })), permanent: true },
  'completed_at 2^53': {
    handler: send(200, json({ status: 'completed', completed_at: 9_007_199_254_740_992 })),
    permanent: true,
  },
  'an id of 100 KB': { handler: send(200, json({ id: 'x'.repeat(100_000) })), permanent: true },
  'nested 10,000 deep': {
    handler: send(200, `${'['.repeat(10_000)}${']'.repeat(10_000)}`),
    permanent: true,
  },
  '200 empty': { handler: send(200, ''), permanent: true },
  '204 no content': { handler: send(204, ''), permanent: true },
  'nginx 404 page': {
    handler: send(404, HTML_PAGES.nginx404, { 'content-type': 'text/html' }),
    permanent: true,
  },
  'django 400 page': {
    handler: send(400, HTML_PAGES.django400, { 'content-type': 'text/html' }),
    permanent: true,
  },
  '501 not implemented': {
    handler: send(501, '{"error":{"message":"not implemented"}}'),
    permanent: true,
  },
  '505 version not supported': { handler: send(505, ''), permanent: true },
  'express 500 page': {
    handler: send(500, HTML_PAGES.express500, { 'content-type': 'text/html' }),
    permanent: false,
  },
  'cloudflare 502 page': {
    handler: send(502, HTML_PAGES.cloudflare502, { 'content-type': 'text/html' }),
    permanent: false,
  },
  'content-length longer than the body': {
    handler: raw(
      `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\nconnection: close\r\n\r\n${json()}`,
    ),
    permanent: false,
  },
  'a status line of garbage': { handler: raw('HTTP/1.1 abc Nope\r\n\r\n'), permanent: false },
  '999 status': {
    handler: raw(
      `HTTP/1.1 999 Odd\r\ncontent-length: ${json().length}\r\nconnection: close\r\n\r\n${json()}`,
    ),
    permanent: false,
  },
}

let server: Server
let baseURL = ''
const hits = new Map<string, number>()

beforeAll(async () => {
  server = createServer((request, response) => {
    const name = decodeURIComponent((request.url ?? '').split('/').pop() ?? '')
    hits.set(name, (hits.get(name) ?? 0) + 1)
    const entry = CASES[name]
    if (!entry) {
      response.writeHead(500).end()
      return
    }
    entry.handler(request, response, request.socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('whatever the server sends', () => {
  it.each(Object.keys(CASES))('%s: a valid VideoTask or a typed error', async (name) => {
    const client = createClient({
      provider: openai({ baseURL, apiKey: 'sk-hostile-0123456789' }),
      intervalMs: 20,
      minIntervalMs: 10,
      maxIntervalMs: 40,
      retries: 1,
    })
    try {
      const outcome = await client.getTask(name).then(
        (task) => ({ ok: true as const, task }),
        (error: unknown) => ({ ok: false as const, error }),
      )
      if (outcome.ok) {
        expect(VideoTaskSchema.safeParse(outcome.task).success).toBe(true)
        expect(outcome.task.id).not.toBe('')
      } else {
        expect(outcome.error).toBeInstanceOf(VideoTaskError)
      }
      if (outcome.ok || !CASES[name]?.permanent) return
      // An answer that will never change is a permanent error: it never makes a wait spin to
      // its deadline.
      expect((outcome.error as VideoTaskError).retryable).toBe(false)
      hits.set(name, 0)
      const waited = await client
        .waitFor(name, { timeoutMs: 1_500 })
        .catch((error: unknown) => error)
      expect(waited).not.toBeInstanceOf(WaitTimeoutError)
      expect(hits.get(name)).toBe(1)
    } finally {
      await client.close()
    }
  })
})
