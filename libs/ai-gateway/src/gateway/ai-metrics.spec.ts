import type { Metrics } from '@switchboard/platform';
import { Registry } from 'prom-client';
import { ProviderResilience } from '../chat/resilience';
import { ProviderError } from '../chat/provider-error';
import { AiMetrics } from './ai-metrics';

const options = { timeoutMs: 1_000, maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, breakerFailures: 2, halfOpenAfterMs: 60_000 };

function setUp() {
  const registry = new Registry();
  const metrics = new AiMetrics({ registry } as Metrics);
  const value = async (name: string, labels: Record<string, string>) =>
    (await registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
  return { registry, metrics, value };
}

describe('AiMetrics', () => {
  it('counts tokens by direction and cost by provider kind and model', async () => {
    const { metrics, value } = setUp();
    metrics.called('openai', 'gpt-4o-mini', { promptTokens: 120, completionTokens: 30 }, 450);
    metrics.called('openai', 'gpt-4o-mini', { promptTokens: 80, completionTokens: 0 }, 0);
    metrics.called('anthropic', 'claude-haiku', { promptTokens: 5, completionTokens: 7 }, 12);
    expect(await value('ai_tokens_total', { provider: 'openai', model: 'gpt-4o-mini', direction: 'prompt' })).toBe(200);
    expect(await value('ai_tokens_total', { provider: 'openai', model: 'gpt-4o-mini', direction: 'completion' })).toBe(30);
    expect(await value('ai_cost_micros_total', { provider: 'openai', model: 'gpt-4o-mini' })).toBe(450);
    expect(await value('ai_cost_micros_total', { provider: 'anthropic', model: 'claude-haiku' })).toBe(12);
  });

  it('reports the breakers open per provider kind on each scrape, 0 once none is', async () => {
    const { metrics, value, registry } = setUp();
    const resilience = new ProviderResilience(options);
    metrics.watchBreakers(() => resilience.openByProvider());
    expect(await registry.getSingleMetricAsString('ai_provider_breaker_open')).not.toMatch(/provider=/);
    const failing = () => Promise.reject(new ProviderError('openai', 'unavailable', 503));
    for (let i = 0; i < 2; i++) await expect(resilience.execute('openai', 'tenant-a|main', failing)).rejects.toBeInstanceOf(ProviderError);
    await expect(resilience.execute('anthropic', 'tenant-b|main', () => Promise.resolve('ok'))).resolves.toBe('ok');
    expect(await value('ai_provider_breaker_open', { provider: 'openai' })).toBe(1);
    expect(await value('ai_provider_breaker_open', { provider: 'anthropic' })).toBe(0);
    // The open breaker fails fast, and a second tenant's breaker of the same kind counts apart.
    await expect(resilience.execute('openai', 'tenant-a|main', failing)).rejects.toThrow(/circuit breaker/);
    for (let i = 0; i < 2; i++) await expect(resilience.execute('openai', 'tenant-c|main', failing)).rejects.toBeInstanceOf(ProviderError);
    expect(await value('ai_provider_breaker_open', { provider: 'openai' })).toBe(2);
  });
});
