import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { PasswordHasher } from '../../auth/password-hasher';
import type { MembersRepository } from '../../repositories/members.repository';
import type { TenantsRepository } from '../../repositories/tenants.repository';
import type { TenantView } from '../../repositories/tenants.sql';
import type { UsersRepository } from '../../repositories/users.repository';
import { CreateTenantCommand } from './create-tenant.command';
import { CreateTenantHandler } from './create-tenant.handler';

const { tenantId: _ignored, ...operator } = testContext({ actorType: 'platform_admin', actorId: 'operator' });
const input = { name: 'Acme', slug: 'acme', timezone: 'Europe/London', locale: 'en-GB', owner: { email: '  Ada@Example.COM ', name: 'Ada', password: 'correct horse battery' } };

function setup(options: { slugTaken?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const passwords = { hash: jest.fn<PasswordHasher['hash']>(async (p) => `hashed:${p}`) };
  const tenants = {
    insert: jest.fn<TenantsRepository['insert']>(async (t: TenantTx, profile): Promise<TenantView> => {
      if (options.slugTaken) throw new Error('duplicate key value violates unique constraint "tenants_slug"');
      return { id: t.tenantId, ...profile, status: 'active', createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z', version: 1 };
    }),
  };
  const users = { upsert: jest.fn<UsersRepository['upsert']>().mockResolvedValue('user-1') };
  const members = { add: jest.fn<MembersRepository['add']>().mockResolvedValue(undefined) };
  const handler = new CreateTenantHandler(
    tx.asTenantTransaction(),
    passwords as unknown as PasswordHasher,
    tenants as unknown as TenantsRepository,
    users as unknown as UsersRepository,
    members as unknown as MembersRepository,
  );
  return { tx, passwords, tenants, users, members, handler };
}

describe('CreateTenantHandler', () => {
  it('creates the tenant and its owner in one transaction of a new tenant id, audits both and emits tenant_created', async () => {
    const { tx, passwords, tenants, users, members, handler } = setup();
    const view = await handler.execute(new CreateTenantCommand(operator, input));

    expect(tx.committed).toHaveLength(1);
    const tenantId = tx.committed[0].tenantId;
    expect(tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(view).toMatchObject({ id: tenantId, slug: 'acme', name: 'Acme', timezone: 'Europe/London', locale: 'en-GB' });
    expect(tx.committed[0].context).toMatchObject({ tenantId, actorId: 'operator', actorType: 'platform_admin' });
    // The slow hash runs before the transaction opens.
    expect(passwords.hash).toHaveBeenCalledWith('correct horse battery');
    expect(passwords.hash.mock.invocationCallOrder[0]).toBeLessThan(tenants.insert.mock.invocationCallOrder[0]);
    expect(users.upsert).toHaveBeenCalledWith(expect.anything(), { email: 'ada@example.com', name: 'Ada', passwordHash: 'hashed:correct horse battery' });
    const [, membershipId, userId, role] = members.add.mock.calls[0];
    expect([userId, role]).toEqual(['user-1', 'owner']);

    expect(tx.audits).toEqual([
      { action: 'tenant.created', entityType: 'tenant', entityId: tenantId, after: { slug: 'acme', name: 'Acme', timezone: 'Europe/London', locale: 'en-GB' } },
      { action: 'member.added', entityType: 'membership', entityId: membershipId, after: { userId: 'user-1', email: 'ada@example.com', role: 'owner' } },
    ]);
    expect(tx.emitted).toEqual([{ type: 'tenancy.tenant_created', aggregateId: tenantId, payload: { slug: 'acme' } }]);
  });

  it('leaves no owner, audit entry or event when the tenant cannot be inserted', async () => {
    const { tx, users, members, handler } = setup({ slugTaken: true });
    await expect(handler.execute(new CreateTenantCommand(operator, input))).rejects.toThrow(/tenants_slug/);
    expect(users.upsert).not.toHaveBeenCalled();
    expect(members.add).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
    expect(tx.events).toEqual([]);
  });
});
