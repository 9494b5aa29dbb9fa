export class HealthTimeoutError extends Error {
  constructor(url: string, timeoutMs: number) {
    super(`${url} did not answer 200 within ${Math.round(timeoutMs / 1000)} s; see the [api] lines above.`);
    this.name = 'HealthTimeoutError';
  }
}

/** Polls url until it answers 200. Throws HealthTimeoutError after timeoutMs, or the abort reason if aborted. */
export async function waitForHttpOk(
  url: string,
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    if (await answersOk(url, options.signal)) return;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
  throw new HealthTimeoutError(url, options.timeoutMs);
}

async function answersOk(url: string, signal?: AbortSignal): Promise<boolean> {
  const perRequest = AbortSignal.timeout(2_000);
  try {
    const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, perRequest]) : perRequest });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
