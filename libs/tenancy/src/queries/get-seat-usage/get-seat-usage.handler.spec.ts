import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { InvitationsRepository } from '../../repositories/invitations.repository';
import { GetSeatUsageHandler } from './get-seat-usage.handler';
import { GetSeatUsageQuery } from './get-seat-usage.query';

describe('GetSeatUsageHandler', () => {
  it('counts the seats of the asked tenant, in its own transaction', async () => {
    const tx = new FakeTenantTransaction();
    const seen: string[] = [];
    const invitations = { countSeats: async (t: { tenantId: string }) => (seen.push(t.tenantId), 7) };
    const handler = new GetSeatUsageHandler(tx.asTenantTransaction(), invitations as unknown as InvitationsRepository);
    await expect(handler.execute(new GetSeatUsageQuery(testContext().tenantId))).resolves.toBe(7);
    expect(seen).toEqual([testContext().tenantId]);
  });
});
