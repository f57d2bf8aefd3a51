/**
 * Validates a base URL: http(s), no user info, no query or fragment. Returns it without a
 * trailing slash.
 */
export function normalizeBaseURL(value: unknown, name = 'baseURL'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`Expected \`${name}\` to be a non-empty URL string`)
  }
  // The URL parser drops tabs and line breaks and trims spaces without a word: the request
  // would go to another URL than the one given.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point.
  if (/[\u0000-\u0020\u007f]/.test(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be an absolute URL without whitespace or control characters (the value is not repeated here)`,
    )
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    // Not repeated: a value that is not a URL may well be a key given in the wrong place.
    throw new TypeError(
      `Expected \`${name}\` to be an absolute URL (http or https) such as https://api.example.com${value.includes('://') ? '' : ' (it has no scheme)'}; the value is not repeated here`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Expected \`${name}\` to use http or https, got ${url.protocol}`)
  }
  if (url.username || url.password) {
    throw new TypeError(
      `Expected \`${name}\` without credentials in it; pass the key as \`apiKey\` instead`,
    )
  }
  if (url.search || url.hash) {
    throw new TypeError(`Expected \`${name}\` without a query or fragment`)
  }
  return url.toString().replace(/\/+$/, '')
}

/**
 * A base URL without the route's version prefix at its end: `https://host/v1` with the route
 * `/v1/videos/{id}` becomes `https://host`, so the request goes to `/v1/videos/{id}` and not
 * `/v1/v1/videos/{id}` (openai-node users write the base URL with `/v1`). The prefix is the
 * route's leading run of version segments (`v1`, `v2beta`) and `api`: `/api/v3` for Ark's
 * `/api/v3/contents/...`, as Ark's and DashScope's SDKs write their base URLs. The base URL may
 * end in the whole prefix or in its first segments; a route without one (`/task/{id}`) leaves the
 * base URL as it is, and only the base's last segments are compared, so a gateway mounted under
 * a path (`https://host/proxy/v1`) keeps its mount.
 */
export function withoutRouteVersion(baseURL: string, routePath: string): string {
  const prefix = /^\/((?:(?:v\d+[a-z0-9]*|api)\/)+)/i.exec(routePath)?.[1]
  if (prefix === undefined) return baseURL
  const wanted = prefix.split('/').filter(Boolean)
  const url = new URL(baseURL)
  const segments = url.pathname.split('/')
  for (let count = wanted.length; count >= 1; count--) {
    const tail = segments.slice(-count).map((segment) => segment.toLowerCase())
    if (tail.join('/') === wanted.slice(0, count).join('/').toLowerCase()) {
      return `${url.origin}${segments.slice(0, -count).join('/')}`
    }
  }
  return baseURL
}
