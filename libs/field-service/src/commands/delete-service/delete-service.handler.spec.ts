import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ServicesRepository } from '../../repositories/services.repository';
import { aService } from '../../testing/fakes';
import { DeleteServiceCommand } from './delete-service.command';
import { DeleteServiceHandler } from './delete-service.handler';

function setup(found = aService() as ReturnType<typeof aService> | undefined) {
  const tx = new FakeTenantTransaction();
  const services = { find: jest.fn(async () => found), softDelete: jest.fn(async () => undefined) };
  const handler = new DeleteServiceHandler(tx.asTenantTransaction(), services as unknown as ServicesRepository);
  return { tx, services, remove: () => handler.execute(new DeleteServiceCommand(testContext(), 's1')) };
}

describe('DeleteServiceHandler', () => {
  it('soft-deletes a live service and audits it', async () => {
    const { tx, services, remove } = setup();
    await remove();
    expect(services.find).toHaveBeenCalledWith(expect.anything(), 's1', { lock: true, live: true });
    expect(services.softDelete).toHaveBeenCalledWith(expect.anything(), 's1');
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'field_service.service_deleted', before: { name: 'Boiler check', active: true } })]);
  });

  it('answers 404 for a service already deleted or never there', async () => {
    const { services, remove } = setup();
    services.find.mockResolvedValue(undefined as never);
    await expect(remove()).rejects.toMatchObject({ problem: { status: 404 } });
    expect(services.softDelete).not.toHaveBeenCalled();
  });
});
