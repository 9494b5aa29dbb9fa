import { Injectable } from '@nestjs/common';
import { Metrics } from '@switchboard/platform';
import { Counter, Gauge } from 'prom-client';
import type { TokenUsage } from '../chat/chat.port';

/**
 * The gateway's series on the process's `/metrics`: tokens and cost by provider kind and model, and
 * the circuit breakers open per provider kind (sampled on scrape). Provider is the kind (`openai`,
 * `anthropic`, …), never a tenant's own provider name, so tenants cannot grow the label space; the
 * model is what tenants configured, bounded by the models they route to.
 */
@Injectable()
export class AiMetrics {
  private readonly tokens: Counter<'provider' | 'model' | 'direction'>;
  private readonly cost: Counter<'provider' | 'model'>;
  private openBreakers: () => ReadonlyMap<string, number> = () => new Map();

  constructor(metrics: Metrics) {
    this.tokens = new Counter({
      name: 'ai_tokens_total',
      help: 'Tokens of AI calls by provider kind, model and direction (prompt: sent, completion: received), whatever the outcome',
      labelNames: ['provider', 'model', 'direction'] as const,
      registers: [metrics.registry],
    });
    this.cost = new Counter({
      name: 'ai_cost_micros_total',
      help: 'Cost of AI calls in millionths of the price table currency, by provider kind and model',
      labelNames: ['provider', 'model'] as const,
      registers: [metrics.registry],
    });
    const open = () => this.openBreakers();
    new Gauge({
      name: 'ai_provider_breaker_open',
      help: 'Circuit breakers open in this process by provider kind (one breaker per tenant provider): calls fail fast until it half-opens',
      labelNames: ['provider'] as const,
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const [provider, count] of open()) this.set({ provider }, count);
      },
    });
  }

  /** One call's usage, as it is recorded. */
  called(provider: string, model: string, usage: TokenUsage, costMicros: number): void {
    if (usage.promptTokens > 0) this.tokens.inc({ provider, model, direction: 'prompt' }, usage.promptTokens);
    if (usage.completionTokens > 0) this.tokens.inc({ provider, model, direction: 'completion' }, usage.completionTokens);
    if (costMicros > 0) this.cost.inc({ provider, model }, costMicros);
  }

  /** Where the breaker gauge reads from on each scrape. */
  watchBreakers(source: () => ReadonlyMap<string, number>): void {
    this.openBreakers = source;
  }
}
