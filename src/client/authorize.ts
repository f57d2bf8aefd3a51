import type { Provider, ProviderRequest } from '../providers/define-provider.js'

/**
 * A request a provider built, with the credentials its async `authorize` hook adds (Kling's
 * signed token), ready for the transport. Every request the client sends for a provider goes
 * through here: reads, creates, cancels and authenticated downloads.
 *
 * The hook may only add headers: a changed method, URL or body is refused, so a hook can never
 * send the credential to another origin than the one the request was built for.
 */
export async function authorizedRequest<TRequest extends Omit<ProviderRequest, 'body'>>(
  provider: Pick<Provider, 'id' | 'authorize'>,
  request: TRequest,
): Promise<TRequest> {
  if (provider.authorize === undefined) return request
  // The hook sees no body (a create's may be multipart bytes) and may only add headers.
  const authorized = await provider.authorize({
    method: request.method,
    url: request.url,
    headers: request.headers,
  })
  if (
    authorized.url !== request.url ||
    authorized.method !== request.method ||
    authorized.body !== undefined
  ) {
    throw new TypeError(
      `Provider ${provider.id} changed the method, URL or body of a request while authorizing it`,
    )
  }
  return { ...request, headers: authorized.headers }
}
