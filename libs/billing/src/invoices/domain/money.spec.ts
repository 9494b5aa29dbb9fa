import { ProblemException } from '@switchboard/platform';
import { assertTotals, divideHalfUp, formatMoney, priceLine, priceLines, quantityMillionths, quantityText, totalsOf } from './money';

const line = (quantity: string | number, unitPrice: number, taxRateBp = 0) => ({ description: 'Work', quantity, unitPrice, taxRateBp });

describe('invoice money', () => {
  it('rounds half away from zero, the same for credits as for debits', () => {
    expect(divideHalfUp(5n, 10n)).toBe(1n);
    expect(divideHalfUp(15n, 10n)).toBe(2n);
    expect(divideHalfUp(25n, 10n)).toBe(3n); // half-even would give 2
    expect(divideHalfUp(-5n, 10n)).toBe(-1n);
    expect(divideHalfUp(-25n, 10n)).toBe(-3n);
    expect(divideHalfUp(14n, 10n)).toBe(1n);
    expect(divideHalfUp(-14n, 10n)).toBe(-1n);
  });

  it('prices a third of an hour per line, rounding the line and its tax to the minor unit', () => {
    // 0.333333 h × 90.00 = 29.99997 → 30.00; tax 20 % = 6.00
    expect(priceLine(line('0.333333', 9000, 2000), 0)).toMatchObject({ quantity: '0.333333', subtotal: 3000, tax: 600, total: 3600 });
    // Three thirds of 1.00 are 3 × 0.33, not 1.00: rounding is per line and totals are sums.
    const thirds = priceLines([line('0.333333', 100), line('0.333333', 100), line('0.333333', 100)]);
    expect(thirds.map((l) => l.subtotal)).toEqual([33, 33, 33]);
    expect(totalsOf(thirds)).toEqual({ subtotal: 99, tax: 0, total: 99 });
  });

  it('rounds half-cent taxes up, per line, and sums the rounded lines', () => {
    // 1.50 at 5 % = 0.075 → 0.08; 2.50 at 5 % = 0.125 → 0.13 (half-even would say 0.12)
    const [a, b] = priceLines([line(1, 150, 500), line(1, 250, 500)]);
    expect(a).toMatchObject({ subtotal: 150, tax: 8, total: 158 });
    expect(b).toMatchObject({ subtotal: 250, tax: 13, total: 263 });
    // On the sum (4.00 at 5 % = 0.20) the tax would be 20; per line it is 21.
    expect(totalsOf([a!, b!])).toEqual({ subtotal: 400, tax: 21, total: 421 });
    // 0.5 quantity × 0.01 = 0.005 → 0.01
    expect(priceLine(line('0.5', 1, 0), 0).subtotal).toBe(1);
  });

  it('prices a credit note’s line as the exact negative of the invoice’s', () => {
    const debit = priceLine(line('0.333333', 250, 500), 0);
    const credit = priceLine(line('0.333333', 250, 500), 0, -1);
    expect(credit).toMatchObject({ subtotal: -debit.subtotal, tax: -debit.tax, total: -debit.total });
    expect(credit.quantity).toBe('0.333333');
  });

  it('reads quantities as decimals of up to six places, without floats', () => {
    expect(quantityMillionths('1')).toBe(1_000_000n);
    expect(quantityMillionths(0.1)).toBe(100_000n);
    expect(quantityMillionths('0.000001')).toBe(1n);
    expect(quantityText(2_500_000n)).toBe('2.5');
    expect(quantityText(333_333n)).toBe('0.333333');
    for (const bad of ['0', '-1', '1.0000001', '1e3', 'abc', '', '2000000', Number.NaN]) {
      expect(() => quantityMillionths(bad as string)).toThrow(ProblemException);
    }
  });

  it('refuses bad lines with every field named', () => {
    try {
      priceLine({ description: ' ', quantity: 'x', unitPrice: -1, taxRateBp: 10_001 }, 2);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).problem.errors!.map((e) => e.field).sort()).toEqual(['lines[2].description', 'lines[2].quantity', 'lines[2].taxRateBp', 'lines[2].unitPrice']);
    }
    expect(() => priceLine(line(1, 1.5), 0)).toThrow(ProblemException);
  });

  it('checks that totals are the sum of the lines', () => {
    const lines = priceLines([line(2, 1999, 1900), line('1.5', 4000, 700)]);
    expect(() => assertTotals(lines, totalsOf(lines))).not.toThrow();
    expect(() => assertTotals(lines, { ...totalsOf(lines), total: totalsOf(lines).total + 1 })).toThrow(/not the sum/);
  });

  it('formats amounts exactly in the currency’s minor units', () => {
    expect(formatMoney(123450, 'EUR', 'en')).toBe('€1,234.50');
    expect(formatMoney(-33, 'USD', 'en')).toBe('-$0.33');
    expect(formatMoney(1500, 'JPY', 'en')).toBe('¥1,500');
    expect(formatMoney(9_007_199_254_740_991, 'USD', 'en')).toBe('$90,071,992,547,409.91');
  });
});
