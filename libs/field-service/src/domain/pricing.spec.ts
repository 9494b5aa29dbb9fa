import { assertServicePricing, jobTotals, lineAmounts, priceLine, quantityInThousandths, type CatalogEntry } from './pricing';

const service = (over: Partial<CatalogEntry> = {}): CatalogEntry => ({
  id: 's1',
  name: 'Boiler check',
  pricingType: 'fixed',
  unitPrice: 8900,
  unitLabel: null,
  currency: 'EUR',
  taxRateBp: 1900,
  active: true,
  deleted: false,
  ...over,
});

const refused = (work: () => unknown, field: string, type = 'validation-failed') => {
  expect(work).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 422, type, errors: [expect.objectContaining({ field })] }) }));
};

describe('service pricing', () => {
  it('accepts what each pricing type needs', () => {
    expect(() => assertServicePricing({ pricingType: 'fixed', unitPrice: 100, unitLabel: null })).not.toThrow();
    expect(() => assertServicePricing({ pricingType: 'flexible', unitPrice: null, unitLabel: null })).not.toThrow();
    expect(() => assertServicePricing({ pricingType: 'per_unit', unitPrice: 0, unitLabel: 'window' })).not.toThrow();
  });

  it('refuses prices and units that do not fit the type, and negative or fractional money', () => {
    refused(() => assertServicePricing({ pricingType: 'fixed', unitPrice: null, unitLabel: null }), 'unitPrice');
    refused(() => assertServicePricing({ pricingType: 'fixed', unitPrice: 100, unitLabel: 'hour' }), 'unitLabel');
    refused(() => assertServicePricing({ pricingType: 'flexible', unitPrice: 100, unitLabel: null }), 'unitPrice');
    refused(() => assertServicePricing({ pricingType: 'flexible', unitPrice: null, unitLabel: 'x' }), 'unitLabel');
    refused(() => assertServicePricing({ pricingType: 'per_unit', unitPrice: 100, unitLabel: null }), 'unitLabel');
    refused(() => assertServicePricing({ pricingType: 'per_unit', unitPrice: -1, unitLabel: 'window' }), 'unitPrice');
    refused(() => assertServicePricing({ pricingType: 'fixed', unitPrice: 1.5, unitLabel: null }), 'unitPrice');
  });
});

describe('line amounts', () => {
  it('multiplies quantity by unit price and adds tax in integer minor units, halves rounded up', () => {
    expect(lineAmounts(1000, 8900, 1900)).toEqual({ subtotal: 8900, tax: 1691, total: 10591 });
    expect(lineAmounts(7000, 333, 1900)).toEqual({ subtotal: 2331, tax: 443, total: 2774 });
    expect(lineAmounts(1500, 12000, 0)).toEqual({ subtotal: 18000, tax: 0, total: 18000 });
    // 0.005 × 100 = 0.5 → 1; tax on 1 at 50 % = 0.5 → 1.
    expect(lineAmounts(5, 100, 5000)).toEqual({ subtotal: 1, tax: 1, total: 2 });
    expect(lineAmounts(1, 0, 1900)).toEqual({ subtotal: 0, tax: 0, total: 0 });
  });

  it('stays exact where floats would not', () => {
    // 0.1 + 0.2 style: 3 × 0.1 units of 1000 is 300, not 300.00000000000006.
    expect(lineAmounts(300, 1000, 0).subtotal).toBe(300);
    expect(lineAmounts(100_000_000, 10_000_000_000, 0).subtotal).toBe(1_000_000_000_000_000);
  });

  it('refuses a total beyond what a number holds exactly', () => {
    refused(() => lineAmounts(1_000_000_000, 10_000_000_000, 10_000), 'quantity');
  });

  it('takes quantities with up to three decimals, and refuses zero, negatives and more precision', () => {
    expect(quantityInThousandths(1)).toBe(1000);
    expect(quantityInThousandths(0.001)).toBe(1);
    expect(quantityInThousandths(2.675)).toBe(2675);
    refused(() => quantityInThousandths(0), 'quantity');
    refused(() => quantityInThousandths(-2), 'quantity');
    refused(() => quantityInThousandths(0.0001), 'quantity');
    refused(() => quantityInThousandths(Number.NaN), 'quantity');
    refused(() => quantityInThousandths(2_000_000), 'quantity');
  });
});

describe('pricing a line', () => {
  it('takes a fixed service’s price and tax, quantity 1 by default', () => {
    expect(priceLine({ serviceId: 's1' }, service(), null)).toMatchObject({ serviceId: 's1', description: 'Boiler check', quantityThousandths: 1000, unitPrice: 8900, taxRateBp: 1900, currency: 'EUR', total: 10591 });
  });

  it('takes a per-unit service’s unit price and label, and a flexible one’s price from the line', () => {
    expect(priceLine({ serviceId: 's1', quantity: 3 }, service({ pricingType: 'per_unit', unitPrice: 250, unitLabel: 'window', taxRateBp: 0 }), 'EUR')).toMatchObject({
      unitLabel: 'window',
      subtotal: 750,
      total: 750,
    });
    expect(priceLine({ serviceId: 's1', unitPrice: 5000 }, service({ pricingType: 'flexible', unitPrice: null, taxRateBp: 0 }), 'EUR')).toMatchObject({ unitPrice: 5000, total: 5000 });
    refused(() => priceLine({ serviceId: 's1' }, service({ pricingType: 'flexible', unitPrice: null }), 'EUR'), 'unitPrice');
    refused(() => priceLine({ serviceId: 's1', unitPrice: 1 }, service(), 'EUR'), 'unitPrice');
    refused(() => priceLine({ serviceId: 's1', taxRateBp: 0 }, service(), 'EUR'), 'taxRateBp');
  });

  it('prices free text from the line, in the job’s currency unless the first line names one', () => {
    expect(priceLine({ description: 'Gasket', unitPrice: 450, quantity: 2 }, null, 'EUR')).toMatchObject({ serviceId: null, currency: 'EUR', total: 900 });
    expect(priceLine({ description: 'Gasket', unitPrice: 450, currency: 'USD' }, null, null)).toMatchObject({ currency: 'USD' });
    refused(() => priceLine({ description: 'Gasket', unitPrice: 450 }, null, null), 'currency');
    refused(() => priceLine({ unitPrice: 450 }, null, 'EUR'), 'description');
    refused(() => priceLine({ description: 'Gasket' }, null, 'EUR'), 'unitPrice');
    refused(() => priceLine({ description: 'Refund', unitPrice: -450 }, null, 'EUR'), 'unitPrice');
  });

  it('refuses a line in another currency than the job’s, and a service no longer offered', () => {
    refused(() => priceLine({ serviceId: 's1' }, service({ currency: 'USD' }), 'EUR'), 'currency', 'currency-mismatch');
    refused(() => priceLine({ description: 'x', unitPrice: 1, currency: 'USD' }, null, 'EUR'), 'currency', 'currency-mismatch');
    refused(() => priceLine({ serviceId: 's1' }, service({ deleted: true }), 'EUR'), 'serviceId');
    refused(() => priceLine({ serviceId: 's1' }, service({ active: false }), 'EUR'), 'serviceId');
  });

  it('sums a job’s lines', () => {
    expect(jobTotals([lineAmounts(1000, 8900, 1900), lineAmounts(7000, 333, 1900)], 'EUR')).toEqual({ currency: 'EUR', subtotal: 11231, tax: 2134, total: 13365 });
    expect(jobTotals([], null)).toEqual({ currency: null, subtotal: 0, tax: 0, total: 0 });
  });
});
