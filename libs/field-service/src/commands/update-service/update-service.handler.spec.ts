import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ServicesRepository } from '../../repositories/services.repository';
import type { ServiceView } from '../../repositories/services.sql';
import { aService } from '../../testing/fakes';
import { UpdateServiceCommand, type ServiceChanges } from './update-service.command';
import { UpdateServiceHandler } from './update-service.handler';

function setup(found: ServiceView | undefined = aService()) {
  const tx = new FakeTenantTransaction();
  const services = { find: jest.fn(async () => found), update: jest.fn(async (_tx: unknown, _id: string, fields: object) => ({ ...found!, ...fields, version: found!.version + 1 })) };
  const handler = new UpdateServiceHandler(tx.asTenantTransaction(), services as unknown as ServicesRepository);
  return { tx, services, update: (changes: ServiceChanges, version: number | null = null) => handler.execute(new UpdateServiceCommand(testContext(), 's1', changes, version)) };
}

describe('UpdateServiceHandler', () => {
  it('changes the fields given and audits only those', async () => {
    const { tx, update } = setup();
    expect(await update({ unitPrice: 9900 }, 1)).toMatchObject({ unitPrice: 9900, version: 2 });
    expect(tx.audits).toEqual([expect.objectContaining({ before: { unitPrice: 8900 }, after: { unitPrice: 9900 } })]);
  });

  it('drops the price when a service becomes flexible, and refuses a per-unit service without a label', async () => {
    const { services, update } = setup();
    await update({ pricingType: 'flexible' });
    expect(services.update).toHaveBeenCalledWith(expect.anything(), 's1', expect.objectContaining({ pricingType: 'flexible', unitPrice: null, unitLabel: null }));
    const bad = setup();
    await expect(bad.update({ pricingType: 'per_unit' })).rejects.toMatchObject({ problem: { status: 422 } });
    expect(bad.services.update).not.toHaveBeenCalled();
  });

  it('answers 412 to a stale version and 404 to a missing or deleted service', async () => {
    await expect(setup().update({ name: 'x' }, 7)).rejects.toMatchObject({ problem: { status: 412 } });
    const missing = setup();
    missing.services.find.mockResolvedValue(undefined as never);
    await expect(missing.update({ name: 'x' })).rejects.toMatchObject({ problem: { status: 404 } });
  });

  it('writes nothing when nothing changes', async () => {
    const { tx, services, update } = setup();
    await update({ name: 'Boiler check' });
    expect(services.update).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });
});
