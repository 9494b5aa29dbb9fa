import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const requireFromPlatform = createRequire(import.meta.url);

/**
 * A package loaded the first time a code path needs it, not when a process boots. For the large
 * SDKs and parsers that only some requests or jobs use (the LLM providers' clients, Stripe, the
 * mail parser, the language detector, the tokenizer's tables): together they were about a third of
 * the code an api or worker evaluated at start. Synchronous, so callers keep their shape; the
 * package's own types come from a type-only import at the call site:
 *
 *   import type * as Tinyld from 'tinyld';
 *   const tinyld = onFirstUse<typeof Tinyld>('tinyld');
 *   tinyld().detect(text);
 */
export function onFirstUse<T>(packageName: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireFromPlatform(packageName) as T);
}

/**
 * `onFirstUse` for an ES module whose graph has a top-level await (vega: its canvas probe awaits
 * `import('canvas')`), which `require` cannot load. Asynchronous, memoised. The build compiles to
 * CommonJS and would turn an `import()` written here into a `require`; a function made at run time
 * keeps Node's own `import()` (the specifier is resolved first, from here, so it never depends on
 * the caller's directory).
 */
export function onFirstImport<T>(packageName: string): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= (nativeImport(pathToFileURL(requireFromPlatform.resolve(packageName)).href) as Promise<T>).catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;
