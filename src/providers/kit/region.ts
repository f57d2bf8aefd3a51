/**
 * The region a vendor factory was given (`ark({ region })`, `dashscope({ region })`), or its
 * default; anything not in `regions` is a `TypeError` that lists them and names the factory.
 */
export function pickRegion<TRegion extends string>(
  factory: string,
  given: unknown,
  regions: Readonly<Record<TRegion, unknown>>,
  fallback: TRegion,
): TRegion {
  const region = given ?? fallback
  if (typeof region !== 'string' || !Object.hasOwn(regions, region)) {
    throw new TypeError(
      `Expected \`region\` to be one of ${Object.keys(regions).join(', ')} for ${factory}(), got ${JSON.stringify(region)}; give another host as \`baseURL\``,
    )
  }
  return region as TRegion
}
