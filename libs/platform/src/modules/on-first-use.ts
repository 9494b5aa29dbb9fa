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
 * `import('canvas')`), which `require` cannot load. Asynchronous, memoised; a failed load is tried
 * again on the next call.
 */
export function onFirstImport<T>(packageName: string): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= (importPackage(packageName) as Promise<T>).catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

/**
 * The build compiles to CommonJS (where `module` exists) and turns a written `import()` into a
 * `require`; there a function made at run time keeps Node's own `import()`, given the package's
 * resolved file so it never depends on the caller's directory. Jest runs the sources as ES modules,
 * where the written `import()` is the real one (through Jest's loader), and where a function made
 * at run time would stay bound to the first test file that made it.
 */
function importPackage(packageName: string): Promise<unknown> {
  if (typeof module === 'undefined') return import(packageName);
  return nativeImport(pathToFileURL(requireFromPlatform.resolve(packageName)).href);
}

const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;
