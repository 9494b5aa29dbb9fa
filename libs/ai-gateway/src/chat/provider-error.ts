import type { ProviderKind } from './chat.port';

/**
 * A provider call that failed, normalised across SDKs: the HTTP status (if any), the delay the
 * provider asked for (Retry-After), and whether trying again may help.
 */
export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderKind,
    message: string,
    readonly status: number | null,
    readonly retryAfterMs: number | null = null,
    readonly kind: 'http' | 'timeout' | 'network' | 'aborted' | 'invalid-output' | 'refused' = 'http',
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    if (this.kind === 'aborted' || this.kind === 'invalid-output' || this.kind === 'refused') return false;
    if (this.kind === 'timeout' || this.kind === 'network') return true;
    return this.status === 408 || this.status === 409 || this.status === 429 || (this.status !== null && this.status >= 500);
  }
}

/** `Retry-After` (seconds or an HTTP date) and OpenAI's `retry-after-ms`, in milliseconds. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined | null, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const value = headers.get('retry-after');
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Whether an error is the caller's abort (client went away), not a provider failure. */
export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  const name = (error as { name?: string } | null)?.name;
  return name === 'AbortError' || name === 'APIUserAbortError';
}

/** Maps whatever an SDK threw to a ProviderError. */
export function toProviderError(provider: ProviderKind, error: unknown, signal?: AbortSignal): ProviderError {
  if (error instanceof ProviderError) return error;
  if (isAbort(error, signal)) return new ProviderError(provider, 'The call was aborted by the client.', null, null, 'aborted');
  const refused = refusal(error);
  if (refused) return new ProviderError(provider, refused.message, null, null, 'refused');
  const e = error as { status?: unknown; headers?: unknown; message?: string; name?: string; cause?: unknown };
  const message = (e?.message ?? String(error)).slice(0, 500);
  if (e?.name === 'APIConnectionTimeoutError' || /timed? ?out/i.test(message)) return new ProviderError(provider, message, null, null, 'timeout');
  if (typeof e?.status === 'number') {
    const headers = e.headers && typeof (e.headers as Headers).get === 'function' ? (e.headers as Headers) : null;
    return new ProviderError(provider, message, e.status, parseRetryAfter(headers));
  }
  return new ProviderError(provider, message, null, null, 'network');
}

/** The outbound client's refusal, wherever an SDK wrapped it (they keep it as `cause`). */
function refusal(error: unknown): Error | null {
  let current = error as { name?: string; cause?: unknown } | null;
  for (let depth = 0; current && depth < 5; depth++, current = current.cause as typeof current) {
    if (current.name === 'OutboundRefusedError') return current as Error;
  }
  return null;
}
