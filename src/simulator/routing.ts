/*
 * Which vendor route a request is for, read from the vendor table.
 */
import { VENDOR_IDS, type VendorId, vendorOf } from './vendors/index.js'
import type { RouteKind } from './vendors/vendor.js'

/** A request matched to a vendor's route. */
export interface MatchedRoute {
  provider: VendorId
  kind: RouteKind
  /** The task id from the path (status, content), or the `file_id` (file). */
  id: string | undefined
  /** The route's dialect, for route families (see `VendorRoute.dialect`). */
  dialect: string | undefined
}

const ROUTES = VENDOR_IDS.flatMap((provider) =>
  vendorOf(provider).routes.map((route) => ({ ...route, provider })),
)

/** A path segment, percent-decoded when it decodes. */
export function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** The vendor route of a request, `'wrong-method'` when only the method is wrong. */
export function matchRoute(method: string, url: URL): MatchedRoute | 'wrong-method' | undefined {
  let wrongMethod = false
  for (const route of ROUTES) {
    const match = route.pattern.exec(url.pathname)
    if (match === null) continue
    if (route.method !== method) {
      wrongMethod = true
      continue
    }
    const segment = match[1]
    const idParam = route.idParam ?? (route.kind === 'file' ? 'file_id' : undefined)
    const id =
      idParam !== undefined
        ? (url.searchParams.get(idParam) ?? undefined)
        : segment === undefined
          ? undefined
          : decode(segment)
    return { provider: route.provider, kind: route.kind, id, dialect: route.dialect }
  }
  return wrongMethod ? 'wrong-method' : undefined
}
