import { createRequire } from 'node:module';

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
