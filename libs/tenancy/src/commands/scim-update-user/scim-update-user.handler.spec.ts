import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AccessCache } from '../../auth/access-cache';
import type { ScimMembership } from '../../scim/scim-membership';
import type { ScimRepository } from '../../scim/scim.repository';
import type { ScimUserFields, ScimUserRecord } from '../../scim/scim.sql';
import { ScimUpdateUserCommand } from './scim-update-user.command';
import { ScimUpdateUserHandler } from './scim-update-user.handler';

const ID = '55555555-5555-4555-8555-555555555555';
const context = testContext({ actorType: 'system', actorId: 'token-1' });
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const record = (over: Partial<ScimUserRecord> = {}): ScimUserRecord => ({
  id: ID,
  userId: 'u1',
  userName: 'ada@example.com',
  externalId: 'ext-1',
  givenName: 'Ada',
  familyName: 'Lovelace',
  displayName: null,
  active: true,
  createdAt: new Date('2026-12-01T00:00:00Z'),
  updatedAt: new Date('2026-12-01T00:00:00Z'),
  version: 1,
  ...over,
});

function setup(current: ScimUserRecord | undefined) {
  const tx = new FakeTenantTransaction();
  const scim = {
    findUser: jest.fn<ScimRepository['findUser']>().mockResolvedValue(current),
    updateUser: jest.fn<ScimRepository['updateUser']>(async (_tx, _id, f: ScimUserFields) => record({ ...f, version: 2 })),
  };
  const membership = {
    deactivate: jest.fn<ScimMembership['deactivate']>().mockResolvedValue(true),
    activate: jest.fn<ScimMembership['activate']>().mockResolvedValue(true),
  };
  const access = { changed: jest.fn<AccessCache['changed']>().mockResolvedValue(undefined) };
  const handler = new ScimUpdateUserHandler(tx.asTenantTransaction(), scim as unknown as ScimRepository, membership as unknown as ScimMembership, access as unknown as AccessCache);
  return { tx, scim, membership, access, handler };
}

const patch = (...ops: unknown[]) => ({ kind: 'patch' as const, body: { schemas: [PATCH], Operations: ops } });

describe('ScimUpdateUserHandler', () => {
  it('a PATCH setting active to false deactivates, audits, and drops cached credentials after the commit', async () => {
    const { tx, membership, access, handler } = setup(record());
    const result = await handler.execute(new ScimUpdateUserCommand(context, ID, patch({ op: 'Replace', path: 'active', value: false }), 'https://x/v1/scim/v2'));
    expect(result.active).toBe(false);
    expect(membership.deactivate).toHaveBeenCalledWith(expect.anything(), 'u1', 'ada@example.com');
    expect(membership.activate).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'scim.user_deactivated', entityType: 'scim_user', entityId: ID })]);
    expect(access.changed).toHaveBeenCalledWith(context.tenantId);
  });

  it('a PUT with active true reactivates an inactive user', async () => {
    const { membership, access, handler } = setup(record({ active: false }));
    await handler.execute(new ScimUpdateUserCommand(context, ID, { kind: 'replace', body: { userName: 'ada@example.com', active: true } }, 'https://x'));
    expect(membership.activate).toHaveBeenCalledWith(expect.anything(), 'u1', 'ada@example.com');
    expect(access.changed).not.toHaveBeenCalled();
  });

  it('a name change touches no access', async () => {
    const { tx, membership, access, handler } = setup(record());
    const result = await handler.execute(new ScimUpdateUserCommand(context, ID, patch({ op: 'replace', path: 'name.givenName', value: 'Augusta' }), 'https://x'));
    expect(result.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace' });
    expect(membership.deactivate).not.toHaveBeenCalled();
    expect(tx.audits[0].action).toBe('scim.user_updated');
    expect(access.changed).not.toHaveBeenCalled();
  });

  it.each([
    ['a userName change', patch({ op: 'replace', path: 'userName', value: 'eve@example.com' }), 'mutability'],
    ['a body without the PatchOp schema', { kind: 'patch' as const, body: { Operations: [{ op: 'replace', path: 'active', value: false }] } }, 'invalidSyntax'],
    ['an unknown op', patch({ op: 'merge', path: 'active', value: false }), 'invalidSyntax'],
    ['no operations', patch(), 'invalidSyntax'],
  ])('refuses %s with a 400 and changes nothing', async (_what, change, scimType) => {
    const { tx, scim, membership, handler } = setup(record());
    await expect(handler.execute(new ScimUpdateUserCommand(context, ID, change, 'https://x'))).rejects.toMatchObject({ status: 400, scimType });
    expect(scim.updateUser).not.toHaveBeenCalled();
    expect(membership.deactivate).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });

  it('answers 404 for an unknown id and for one that is not a uuid', async () => {
    const { handler } = setup(undefined);
    await expect(handler.execute(new ScimUpdateUserCommand(context, ID, patch({ op: 'replace', path: 'active', value: false }), 'https://x'))).rejects.toMatchObject({ status: 404 });
    await expect(handler.execute(new ScimUpdateUserCommand(context, 'x', patch({ op: 'replace', path: 'active', value: false }), 'https://x'))).rejects.toMatchObject({ status: 404 });
  });
});
