import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { SessionsRepository } from '../../repositories/sessions.repository';
import type { SessionView } from '../../repositories/sessions.sql';
import { ListSessionsQuery } from './list-sessions.query';
import { ListSessionsHandler } from './list-sessions.handler';

const TENANT = '33333333-3333-4333-8333-333333333333';
const row = (id: string): SessionView => ({ id, userId: 'u1', method: 'password', ip: '203.0.113.9', userAgent: 'ua', createdAt: 'c', lastUsedAt: 'l', expiresAt: 'e' });

describe('ListSessionsHandler', () => {
  it('lists the user’s sessions in the tenant, marks the caller’s own, and leaves the user id out', async () => {
    const tx = new FakeTenantTransaction();
    const sessions = { listActive: jest.fn<SessionsRepository['listActive']>().mockResolvedValue([row('s1'), row('s2')]) };
    const result = await new ListSessionsHandler(tx.asTenantTransaction(), sessions as unknown as SessionsRepository).execute(new ListSessionsQuery(TENANT, 'u1', 's2'));
    expect(result.map((s) => [s.id, s.current])).toEqual([['s1', false], ['s2', true]]);
    expect(result[0]).not.toHaveProperty('userId');
    expect(sessions.listActive.mock.calls[0]![1]).toBe('u1');
    expect(tx.committed[0]!.context).toMatchObject({ tenantId: TENANT, actorId: 'u1' });
  });
});
