import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { fakeLeads } from '../../testing/lead-fakes';
import { CaptureLeadCommand, type CaptureLeadInput } from './capture-lead.command';
import { CaptureLeadHandler } from './capture-lead.handler';

function setup() {
  const tx = new FakeTenantTransaction();
  const fakes = fakeLeads();
  const handler = new CaptureLeadHandler(tx.asTenantTransaction(), fakes.as.leads, fakes.as.services);
  return { tx, fakes, capture: (input: CaptureLeadInput) => handler.execute(new CaptureLeadCommand(testContext(), input)) };
}

describe('CaptureLeadHandler', () => {
  it('stores trimmed notes and normalised fields, audits and emits lead_created', async () => {
    const { tx, fakes, capture } = setup();
    await capture({ notes: '  boiler noise ', name: ' Ada ', email: 'Ada@Example.com', phone: '+44 20 7946 0018', city: '  ', serviceId: 's1' });
    expect(fakes.leads.insert).toHaveBeenCalledWith(expect.anything(), { notes: 'boiler noise', fields: { name: 'Ada', email: 'ada@example.com', phone: '+442079460018' }, serviceId: 's1' });
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.lead_created']);
    expect(tx.emitted).toEqual([{ type: 'field_service.lead_created', aggregateId: 'l1', payload: { hasEmail: true, hasPhone: true, serviceId: 's1' } }]);
  });

  it.each([
    ['blank notes', { notes: '   ' }, 'notes'],
    ['notes over 10 000 characters', { notes: 'x'.repeat(10_001) }, 'notes'],
    ['a malformed email', { notes: 'hi', email: 'nope@' }, 'email'],
    ['a malformed phone', { notes: 'hi', phone: '12' }, 'phone'],
    ['a service not in the catalog', { notes: 'hi', serviceId: 'other-tenants' }, 'serviceId'],
  ])('refuses %s with a 422 naming the field, storing nothing', async (_case, input: CaptureLeadInput, field) => {
    const { tx, fakes, capture } = setup();
    await expect(capture(input)).rejects.toMatchObject({ problem: { status: 422, errors: [expect.objectContaining({ field })] } });
    expect(fakes.leads.insert).not.toHaveBeenCalled();
    expect(tx.emitted).toEqual([]);
  });
});
