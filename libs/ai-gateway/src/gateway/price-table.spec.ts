import { PriceTable } from './price-table';

describe('PriceTable', () => {
  it('prices in integer micro-USD from USD per million tokens', () => {
    const table = new PriceTable({ 'house-model': { input: 1, output: 2 } });
    expect(table.costMicros('house-model', { promptTokens: 1000, completionTokens: 500 })).toBe(2000);
    expect(table.costMicros('gpt-4o-mini', { promptTokens: 1_000_000, completionTokens: 0 })).toBe(150_000);
  });

  it('matches dated model versions by their longest known prefix, and unknown models cost nothing', () => {
    const table = new PriceTable();
    expect(table.costMicros('gpt-4o-mini-2024-07-18', { promptTokens: 10, completionTokens: 10 })).toBe(Math.round(10 * 0.15 + 10 * 0.6));
    expect(table.costMicros('mystery', { promptTokens: 10, completionTokens: 10 })).toBe(0);
  });
});
