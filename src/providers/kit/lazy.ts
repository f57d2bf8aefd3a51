/**
 * A value built on first use and kept: `lazy(() => z.looseObject({...}))` is a getter that
 * builds the schema the first time it is called and returns the same one after.
 *
 * Why: the package is bundled into a few files (tsup.config.ts), so a user's bundler can only
 * drop an unused adapter statement by statement, and it keeps every top-level call it cannot
 * prove pure. A schema built at the top of a module (`const taskSchema = z.looseObject(...)`) is
 * such a call, and it kept every adapter in every bundle (issue 12, "Cost of importing it"). So
 * each call site carries a `@__PURE__` annotation comment before `lazy(`: the annotation
 * (kept in dist/ by esbuild; read by esbuild, Rollup, webpack and Terser) lets a bundler drop the
 * getter nothing uses, and the function given to it runs nothing until then. The annotation is
 * needed at each call: esbuild does not carry a function's own `@__NO_SIDE_EFFECTS__` across
 * modules. scripts/smoke-package.mjs checks that a one-provider bundle holds that adapter only.
 *
 * Building on first use also keeps the schemas a program never parses with out of its import.
 */
export function lazy<T extends object>(build: () => T): () => T {
  let value: T | undefined
  return () => (value ??= build())
}
