/*
 * A URL as the package shows it in messages and error properties. A pre-signed download link
 * carries its signature in the query string (and sometimes credentials as user info), so both
 * go: what remains (origin and path) says which file failed without handing out the link.
 */

/** `url` without user info, query string or fragment; a string that is no URL becomes `(invalid URL)`. */
export function publicUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return '(invalid URL)'
  }
}
