import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ServicesRepository } from '../../repositories/services.repository';
import { aService } from '../../testing/fakes';
import { CreateServiceCommand, type ServiceInput } from './create-service.command';
import { CreateServiceHandler } from './create-service.handler';

function setup() {
  const tx = new FakeTenantTransaction();
  const services = { insert: jest.fn(async (_tx: unknown, fields: object) => aService(fields)) };
  const handler = new CreateServiceHandler(tx.asTenantTransaction(), services as unknown as ServicesRepository);
  return { tx, services, create: (input: Partial<ServiceInput>) => handler.execute(new CreateServiceCommand(testContext(), { name: 'Windows', pricingType: 'fixed', currency: 'EUR', ...input } as ServiceInput)) };
}

describe('CreateServiceHandler', () => {
  it('fills the defaults and audits the new service', async () => {
    const { tx, services, create } = setup();
    await create({ pricingType: 'per_unit', unitPrice: 250, unitLabel: 'window' });
    expect(services.insert).toHaveBeenCalledWith(expect.anything(), {
      name: 'Windows',
      description: null,
      pricingType: 'per_unit',
      unitPrice: 250,
      unitLabel: 'window',
      currency: 'EUR',
      taxRateBp: 0,
      defaultDurationMinutes: 60,
      active: true,
    });
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.service_created']);
  });

  it('refuses pricing that does not fit its type before opening a transaction', async () => {
    const { tx, services, create } = setup();
    await expect(create({ pricingType: 'fixed' })).rejects.toMatchObject({ problem: { status: 422 } });
    await expect(create({ pricingType: 'flexible', unitPrice: 100 })).rejects.toMatchObject({ problem: { status: 422 } });
    expect(services.insert).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });
});
