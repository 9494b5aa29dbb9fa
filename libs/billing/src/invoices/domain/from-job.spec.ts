import { draftFromJob } from './from-job';

describe('draft from a completed job', () => {
  it('copies the job’s lines with their catalog tax rates, for the job’s contact', () => {
    const draft = draftFromJob({
      id: 'j1',
      contactId: 'c1',
      title: 'Pump replacement',
      currency: 'EUR',
      lineItems: [
        { description: 'Circulation pump', quantity: 1, unitPrice: 24999, taxRateBp: 2000, serviceId: 's1', unitLabel: null },
        { description: 'Window cleaning', quantity: 0.333, unitPrice: 1000, taxRateBp: 1000, serviceId: 's2', unitLabel: 'window' },
      ],
    })!;
    expect(draft).toMatchObject({ contactId: 'c1', currency: 'EUR', memo: 'Job: Pump replacement' });
    expect(draft.lines).toEqual([
      { position: 0, description: 'Circulation pump', quantity: '1', unitPrice: 24999, taxRateBp: 2000, serviceId: 's1', subtotal: 24999, tax: 5000, total: 29999 },
      { position: 1, description: 'Window cleaning (per window)', quantity: '0.333', unitPrice: 1000, taxRateBp: 1000, serviceId: 's2', subtotal: 333, tax: 33, total: 366 },
    ]);
    expect(draft.totals).toEqual({ subtotal: 25332, tax: 5033, total: 30365 });
  });

  it('makes no draft of a job without lines', () => {
    expect(draftFromJob({ id: 'j', contactId: 'c', title: 't', currency: null, lineItems: [] })).toBeNull();
  });
});
