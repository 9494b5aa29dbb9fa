import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type CircuitBreakerPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { ProviderKind } from './chat.port';
import { isAbort, ProviderError } from './provider-error';

export interface ResilienceOptions {
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  breakerFailures: number;
  halfOpenAfterMs: number;
}

const retryable = (error: unknown) => (error instanceof ProviderError && error.retryable) || error instanceof TaskCancelledError;

/**
 * Timeout per attempt, retries with exponential backoff (or the provider's Retry-After, capped)
 * and one circuit breaker per tenant provider, all from cockatiel. The SDKs' own retries are
 * off, so this is the only retry loop. Breakers live in this process: each api process learns a
 * provider is down on its own, which costs a few failed calls and needs no shared state.
 */
export class ProviderResilience {
  private readonly breakers = new Map<string, { provider: ProviderKind; policy: CircuitBreakerPolicy }>();

  constructor(private readonly options: ResilienceOptions) {}

  breaker(provider: ProviderKind, key: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = { provider, policy: circuitBreaker(handleWhen(retryable), { halfOpenAfter: this.options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(this.options.breakerFailures) }) };
      this.breakers.set(key, breaker);
      if (this.breakers.size > 10_000) this.breakers.delete(this.breakers.keys().next().value!);
    }
    return breaker.policy;
  }

  /** Open breakers by provider kind, 0 for a kind whose breakers are all closed or half-open (a walk over at most 10,000). */
  openByProvider(): Map<ProviderKind, number> {
    const counts = new Map<ProviderKind, number>();
    for (const { provider, policy } of this.breakers.values()) counts.set(provider, (counts.get(provider) ?? 0) + (policy.state === CircuitState.Open ? 1 : 0));
    return counts;
  }

  /** Runs `attempt` under the policies; `onAttempt` counts tries (for metering and tests). */
  async execute<T>(provider: ProviderKind, key: string, attempt: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal, onAttempt?: () => void): Promise<T> {
    const { maxAttempts, baseDelayMs, maxDelayMs, timeoutMs } = this.options;
    const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => {
      const error = 'error' in context.result ? context.result.error : undefined;
      if (error instanceof ProviderError && error.retryAfterMs !== null) return Math.min(error.retryAfterMs, maxDelayMs);
      const exponential = baseDelayMs * 2 ** (context.attempt - 1);
      return Math.min(maxDelayMs, exponential / 2 + Math.random() * (exponential / 2));
    });
    const policy = wrap(
      retry(handleWhen(retryable), { maxAttempts: maxAttempts - 1, backoff }),
      this.breaker(provider, key),
      timeout(timeoutMs, TimeoutStrategy.Aggressive),
    );
    try {
      return await policy.execute(({ signal: inner }) => {
        onAttempt?.();
        return attempt(inner);
      }, signal);
    } catch (error) {
      if (isAbort(error, signal)) throw new ProviderError(provider, 'The call was aborted by the client.', null, null, 'aborted');
      if (error instanceof BrokenCircuitError) throw new ProviderError(provider, `The circuit breaker for provider "${key.split('|')[1] ?? provider}" is open after repeated failures; it is tried again later.`, 503, null, 'network');
      if (error instanceof TaskCancelledError) throw new ProviderError(provider, `The provider did not answer within ${timeoutMs} ms.`, null, null, 'timeout');
      throw error;
    }
  }
}
