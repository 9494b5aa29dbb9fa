import { jest } from '@jest/globals';
import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import { FindOrCreateContactCommand, ListAddressesQuery, SaveAddressCommand, type AddressView } from '@switchboard/customers';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { LeadView } from '../../repositories/leads.sql';
import { aLead, fakeLeads } from '../../testing/lead-fakes';
import { CreateJobCommand } from '../create-job/create-job.command';
import { ConvertLeadCommand, type ConvertLeadInput } from './convert-lead.command';
import { ConvertLeadHandler } from './convert-lead.handler';

const home = { id: 'a1', contactId: 'c1', label: 'Home', street: '12 Analytical Row', city: 'London', region: null, postalCode: null, country: 'GB' } as AddressView;

function setup(opts: { lead?: LeadView; created?: boolean; addresses?: AddressView[]; jobFails?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const fakes = fakeLeads(opts.lead ?? aLead());
  const sent: object[] = [];
  const commands = {
    execute: jest.fn(async (command: object) => {
      sent.push(command);
      if (command instanceof FindOrCreateContactCommand) return { contact: { id: 'c1' }, created: opts.created ?? false };
      if (command instanceof SaveAddressCommand) return { ...home, id: 'a2' };
      if (command instanceof CreateJobCommand) {
        if (opts.jobFails) throw new Error('job refused');
        return { id: 'j1' };
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    }),
  };
  const queries = { execute: jest.fn(async (query: object) => (query instanceof ListAddressesQuery ? (opts.addresses ?? []) : undefined)) };
  const handler = new ConvertLeadHandler(tx.asTenantTransaction(), commands as unknown as CommandBus, queries as unknown as QueryBus, fakes.as.leads, fakes.as.services);
  return { tx, fakes, sent, convert: (input: ConvertLeadInput) => handler.execute(new ConvertLeadCommand(testContext(), 'l1', input)) };
}

describe('ConvertLeadHandler', () => {
  it('finds the contact by email, reuses its matching address, creates the job for the service, and emits lead_converted', async () => {
    const { tx, fakes, sent, convert } = setup({ addresses: [home] });
    await convert({ name: 'Ada', email: 'ADA@example.com', phone: '+44 20 7946 0018', street: '12 analytical row ', city: 'london', country: 'gb', serviceId: 's1' });
    expect(sent[0]).toMatchObject({ identity: { email: 'ada@example.com' }, name: 'Ada' });
    expect(sent.some((c) => c instanceof SaveAddressCommand)).toBe(false);
    expect(sent[1]).toMatchObject({ input: { contactId: 'c1', addressId: 'a1', title: 'Boiler check' } });
    expect(fakes.leads.convert).toHaveBeenCalledWith(expect.anything(), 'l1', expect.objectContaining({ contactId: 'c1', addressId: 'a1', jobId: 'j1', serviceId: 's1' }));
    expect(tx.emitted).toEqual([
      { type: 'field_service.lead_converted', aggregateId: 'l1', payload: { contactId: 'c1', contactCreated: false, addressId: 'a1', addressCreated: false, jobId: 'j1', serviceId: 's1' } },
    ]);
  });

  it('adds a new address for a new contact found by phone, without a job when no service is given', async () => {
    const { tx, sent, convert } = setup({ created: true });
    await convert({ phone: '+44 20 7946 0018', street: '1 New St', addressLabel: 'Shop' });
    expect(sent[0]).toMatchObject({ identity: { phone: '+442079460018' } });
    expect(sent[1]).toMatchObject({ contactId: 'c1', addressId: null, fields: { label: 'Shop', street: '1 New St', city: null } });
    expect(sent).toHaveLength(2);
    expect(tx.emitted[0]!.payload).toMatchObject({ contactCreated: true, addressId: 'a2', addressCreated: true, jobId: null });
  });

  it('writes nothing of the lead when the job is refused, and nothing at all for bad confirmed fields', async () => {
    const failing = setup({ jobFails: true });
    await expect(failing.convert({ email: 'a@example.com', street: '1 St', serviceId: 's1' })).rejects.toThrow('job refused');
    expect(failing.fakes.leads.convert).not.toHaveBeenCalled();
    expect(failing.tx.committed).toEqual([]);

    for (const [input, field] of [
      [{ name: 'Ada' }, 'email'],
      [{ email: 'a@example.com', country: 'England' }, 'country'],
      [{ email: 'a@example.com', serviceId: 's1' }, 'street'],
      [{ email: 'a@example.com', createJob: true, street: '1 St' }, 'jobTitle'],
    ] as [ConvertLeadInput, string][]) {
      const { sent, convert } = setup();
      await expect(convert(input)).rejects.toMatchObject({ problem: { status: 422, errors: [expect.objectContaining({ field })] } });
      expect(sent).toEqual([]);
    }
    const unknown = setup();
    await expect(unknown.convert({ email: 'a@example.com', street: '1 St', serviceId: 'elsewhere' })).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference' } });
    expect(unknown.sent).toEqual([]);
  });

  it('answers 409 for a lead converted already', async () => {
    const { sent, convert } = setup({ lead: aLead({ status: 'converted' }) });
    await expect(convert({ email: 'a@example.com' })).rejects.toMatchObject({ problem: { status: 409, type: 'lead-converted' } });
    expect(sent).toEqual([]);
  });
});
