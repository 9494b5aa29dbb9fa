import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { LeadView } from '../../repositories/leads.sql';
import { aLead, fakeLeads } from '../../testing/lead-fakes';
import { DismissLeadCommand } from './dismiss-lead.command';
import { DismissLeadHandler } from './dismiss-lead.handler';

function setup(lead: LeadView | null = aLead()) {
  const tx = new FakeTenantTransaction();
  const fakes = fakeLeads(lead);
  const handler = new DismissLeadHandler(tx.asTenantTransaction(), fakes.as.leads);
  return { tx, fakes, dismiss: (reason: string | null) => handler.execute(new DismissLeadCommand(testContext(), 'l1', reason)) };
}

describe('DismissLeadHandler', () => {
  it('dismisses a new lead with its reason, audited', async () => {
    const { tx, fakes, dismiss } = setup();
    expect(await dismiss('  spam ')).toMatchObject({ status: 'dismissed', dismissedReason: 'spam' });
    expect(fakes.leads.dismiss).toHaveBeenCalledWith(expect.anything(), 'l1', 'spam');
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.lead_dismissed']);
  });

  it('answers 404 for a missing lead and 409 for a converted one', async () => {
    await expect(setup(null).dismiss(null)).rejects.toMatchObject({ problem: { status: 404 } });
    const { fakes, dismiss } = setup(aLead({ status: 'converted' }));
    await expect(dismiss(null)).rejects.toMatchObject({ problem: { status: 409, type: 'lead-converted', extensions: { currentStatus: 'converted' } } });
    expect(fakes.leads.dismiss).not.toHaveBeenCalled();
  });
});
