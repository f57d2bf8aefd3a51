import { readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { downloadToFile } from '../../src/download/index.js'
import { DownloadError, DownloadExpiredError } from '../../src/errors.js'
import { createDownloadTransport } from '../../src/transport.js'
import { BODY, type SeenRequest, sendBody, sha256, startServer, tempDirectory } from './servers.js'

/*
 * The key goes to the provider's origin only, whatever the redirects: the provider and the CDN
 * are two real servers (two origins), and the CDN's received headers are the evidence.
 */

const KEY = 'sk-download-test-0123456789abcdef'
const CREDENTIALS = {
  authorization: `Bearer ${KEY}`,
  'x-api-key': KEY,
  'x-gateway-token': 'gateway-secret-token',
  cookie: 'session=secret-cookie',
}

function redirect(response: ServerResponse, location: string, status = 302) {
  response.writeHead(status, { location })
  response.end()
}

/** Asserts a request carried none of the credential headers, under any name or value. */
function expectNoCredentials(request: SeenRequest | undefined) {
  expect(request).toBeDefined()
  const headers = request?.headers ?? {}
  for (const name of Object.keys(CREDENTIALS)) expect(headers[name]).toBeUndefined()
  expect(JSON.stringify(headers)).not.toContain(KEY)
  expect(JSON.stringify(headers)).not.toContain('secret')
}

describe('redirects and credentials', () => {
  it('follows a redirect to the CDN without the key, and the provider gets the key', async () => {
    const cdn = await startServer((request, response) => sendBody(request, response, BODY))
    const provider = await startServer((_request, response) =>
      redirect(response, `${cdn.origin}/signed/v.mp4?sig=abc`),
    )
    const dir = await tempDirectory()
    await downloadToFile({
      url: `${provider.origin}/v1/videos/v_1/content`,
      headers: CREDENTIALS,
      to: join(dir, 'v.mp4'),
    })
    expect(provider.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(provider.requests[0]?.headers['x-gateway-token']).toBe('gateway-secret-token')
    expectNoCredentials(cdn.requests[0])
    expect(cdn.requests[0]?.url).toBe('/signed/v.mp4?sig=abc')
    expect(sha256(await readFile(join(dir, 'v.mp4')))).toBe(sha256(BODY))
  })

  it.each([301, 303, 307, 308])('drops credentials on a %i to another origin', async (status) => {
    const cdn = await startServer((request, response) => sendBody(request, response, BODY))
    const provider = await startServer((_request, response) =>
      redirect(response, `${cdn.origin}/v.mp4`, status),
    )
    const dir = await tempDirectory()
    await downloadToFile({ url: `${provider.origin}/c`, headers: CREDENTIALS, to: join(dir, 'v') })
    expectNoCredentials(cdn.requests[0])
  })

  it('never sends the key again once a chain went back and forth between the origins', async () => {
    // provider -> cdn -> provider -> cdn -> provider (serves the body).
    let cdnOrigin = ''
    const provider = await startServer((request, response, index) => {
      if (index === 0) redirect(response, `${cdnOrigin}/hop-1`)
      else if (index === 1) redirect(response, `${cdnOrigin}/hop-3`)
      else sendBody(request, response, BODY)
    })
    const cdn = await startServer((_request, response, index) =>
      redirect(response, index === 0 ? `${provider.origin}/hop-2` : `${provider.origin}/hop-4`),
    )
    cdnOrigin = cdn.origin
    const dir = await tempDirectory()
    await downloadToFile({ url: `${provider.origin}/c`, headers: CREDENTIALS, to: join(dir, 'v') })
    expect(cdn.requests).toHaveLength(2)
    for (const request of cdn.requests) expectNoCredentials(request)
    // Back on the provider's origin by a foreign server's redirect: still no key.
    expect(provider.requests).toHaveLength(3)
    expect(provider.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expectNoCredentials(provider.requests[1])
    expectNoCredentials(provider.requests[2])
  })

  it('keeps the key on redirects within the provider origin', async () => {
    const provider = await startServer((request, response, index) =>
      index === 0 ? redirect(response, '/elsewhere') : sendBody(request, response, BODY),
    )
    const dir = await tempDirectory()
    await downloadToFile({ url: `${provider.origin}/c`, headers: CREDENTIALS, to: join(dir, 'v') })
    expect(provider.requests[1]?.url).toBe('/elsewhere')
    expect(provider.requests[1]?.headers.authorization).toBe(`Bearer ${KEY}`)
  })

  it('sends nothing to a URL that is not on credentialOrigin, even on the first request', async () => {
    const cdn = await startServer((request, response) => sendBody(request, response, BODY))
    const dir = await tempDirectory()
    await downloadToFile({
      url: `${cdn.origin}/v.mp4`,
      headers: CREDENTIALS,
      credentialOrigin: 'https://api.example.com',
      to: join(dir, 'v'),
    })
    expectNoCredentials(cdn.requests[0])
  })

  it('resumes on the CDN through the redirect with Range but without the key', async () => {
    const cut = Math.floor(BODY.length * 0.6)
    const cdn = await startServer((request, response, index) =>
      sendBody(request, response, BODY, index === 0 ? { cutAt: cut } : {}),
    )
    const provider = await startServer((_request, response) =>
      redirect(response, `${cdn.origin}/v`),
    )
    const dir = await tempDirectory()
    await downloadToFile({
      url: `${provider.origin}/c`,
      headers: CREDENTIALS,
      to: join(dir, 'v'),
      minRetryDelayMs: 0,
    })
    expect(provider.requests).toHaveLength(2)
    expect(provider.requests[1]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(cdn.requests[1]?.headers.range).toMatch(/^bytes=\d+-$/)
    for (const request of cdn.requests) expectNoCredentials(request)
    expect(sha256(await readFile(join(dir, 'v')))).toBe(sha256(BODY))
  })

  it('stops after maxRedirects with a DownloadError', async () => {
    const loop = await startServer((_request, response, index) =>
      redirect(response, `/hop-${index + 1}`),
    )
    const downloads = createDownloadTransport()
    const error = await downloads
      .open({ url: `${loop.origin}/start`, maxRedirects: 3 })
      .catch((caught: unknown) => caught)
    await downloads.close()
    expect(error).toBeInstanceOf(DownloadError)
    expect((error as Error).message).toContain('more than 3 times')
    expect(loop.requests).toHaveLength(4)
  })

  it('drops credentials on a downgrade from https to http on the same host', async () => {
    const seen: Array<{ url: string; headers: Record<string, string> }> = []
    const downloads = createDownloadTransport({
      fetch: async (input, init) => {
        seen.push({ url: input, headers: { ...(init.headers as Record<string, string>) } })
        if (input.startsWith('https:')) {
          return new Response(null, { status: 302, headers: { location: 'http://api.test/v' } })
        }
        return new Response('ok', { status: 200 })
      },
    })
    const response = await downloads.open({
      url: 'https://api.test/content',
      headers: CREDENTIALS,
      credentialOrigin: 'http://api.test',
    })
    response.cancel()
    // The credential origin is http://api.test, yet the key does not follow the downgrade.
    expect(seen.map((request) => request.url)).toEqual([
      'https://api.test/content',
      'http://api.test/v',
    ])
    expect(seen[1]?.headers.authorization).toBeUndefined()
    expect(JSON.stringify(seen[1]?.headers)).not.toContain(KEY)
    expect(response.credentialsSent).toBe(false)
  })

  it('a 403 from the CDN is an expired link; a 403 to the keyed provider is not', async () => {
    const cdn = await startServer((_request, response) => {
      response.writeHead(403)
      response.end('AccessDenied: Request has expired')
    })
    const provider = await startServer((request, response) => {
      if (request.url !== '/denied') {
        redirect(response, `${cdn.origin}/v.mp4?X-Amz-Signature=topsecret`)
        return
      }
      response.writeHead(403)
      response.end()
    })
    const dir = await tempDirectory()
    const expired = await downloadToFile({
      url: `${provider.origin}/c`,
      headers: CREDENTIALS,
      to: join(dir, 'v'),
    }).catch((caught: unknown) => caught)
    expect(expired).toBeInstanceOf(DownloadExpiredError)
    expect(expired).toMatchObject({ status: 403, url: `${cdn.origin}/v.mp4` })
    expect((expired as Error).message).toContain('expired')
    expect((expired as Error).message).not.toContain('topsecret')

    const denied = await downloadToFile({
      url: `${provider.origin}/denied`,
      headers: CREDENTIALS,
      to: join(dir, 'v'),
    }).catch((caught: unknown) => caught)
    expect(denied).toBeInstanceOf(DownloadError)
    expect(denied).not.toBeInstanceOf(DownloadExpiredError)
    expect(denied).toMatchObject({ status: 403, retryable: false })
    expect((denied as Error).message).not.toContain(KEY)
  })
})
