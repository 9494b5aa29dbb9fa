import type { TokenUsage } from '../chat/chat.port';

/** USD per million tokens; AI_PRICES adds to or overrides these. Unknown models cost 0 (token budgets still apply). */
export const DEFAULT_PRICES: Record<string, { input: number; output: number }> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'claude-3-5-haiku-latest': { input: 0.8, output: 4 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
};

export class PriceTable {
  private readonly prices: Record<string, { input: number; output: number }>;

  constructor(overrides: Record<string, { input: number; output: number }> = {}) {
    this.prices = { ...DEFAULT_PRICES, ...overrides };
  }

  /** Cost in micro-USD (integer): a price in USD per million tokens is micro-USD per token. */
  costMicros(model: string, usage: TokenUsage): number {
    const price = this.prices[model] ?? this.prices[Object.keys(this.prices).filter((k) => model.startsWith(k)).sort((a, b) => b.length - a.length)[0] ?? ''];
    if (!price) return 0;
    return Math.round(usage.promptTokens * price.input + usage.completionTokens * price.output);
  }
}
