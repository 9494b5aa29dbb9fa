import { jest } from '@jest/globals';
import type { Mailer, TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { Role } from '../../domain/roles';
import { sha256 } from '../../domain/secrets';
import type { InvitationsRepository } from '../../repositories/invitations.repository';
import type { InvitationView } from '../../repositories/invitations.sql';
import type { MembersRepository } from '../../repositories/members.repository';
import type { TenantsRepository } from '../../repositories/tenants.repository';
import { InviteMemberCommand } from './invite-member.command';
import { InviteMemberHandler } from './invite-member.handler';

const context = testContext({ actorType: 'user', actorId: 'inviter' });

function setup(options: { alreadyMember?: boolean; seats?: { limit: number | null; plan: string }; used?: number } = {}) {
  const tx = new FakeTenantTransaction();
  const mailer = { send: jest.fn<Mailer['send']>().mockResolvedValue(undefined) };
  const invitations = {
    revokePending: jest.fn<InvitationsRepository['revokePending']>().mockResolvedValue(undefined),
    countSeats: jest.fn<InvitationsRepository['countSeats']>().mockResolvedValue(options.used ?? 0),
    create: jest.fn<InvitationsRepository['create']>(
      async (_tx: TenantTx, i): Promise<InvitationView> => ({
        id: 'inv-1',
        email: i.email,
        role: i.role,
        invitedBy: i.invitedBy,
        status: 'pending',
        expiresAt: '2026-12-08T00:00:00.000Z',
        createdAt: '2026-12-01T00:00:00.000Z',
      }),
    ),
  };
  const members = { hasEmail: jest.fn<MembersRepository['hasEmail']>().mockResolvedValue(options.alreadyMember ?? false) };
  const tenants = {
    find: jest.fn<TenantsRepository['find']>().mockResolvedValue({
      id: context.tenantId,
      slug: 'acme',
      name: 'Acme',
      timezone: 'UTC',
      locale: 'en',
      status: 'active',
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
      version: 1,
    }),
  };
  const handler = new InviteMemberHandler(
    tx.asTenantTransaction(),
    mailer,
    invitations as unknown as InvitationsRepository,
    members as unknown as MembersRepository,
    tenants as unknown as TenantsRepository,
    options.seats ? { seatLimit: async () => options.seats! } : undefined,
  );
  return { tx, mailer, invitations, members, handler };
}

describe('InviteMemberHandler', () => {
  it('refuses an invitation at the seat limit with a 402 naming the limit and the plan, writing and mailing nothing', async () => {
    const { tx, mailer, invitations, handler } = setup({ seats: { limit: 3, plan: 'Free' }, used: 3 });
    await expect(handler.execute(new InviteMemberCommand(context, 'admin', 'dee@example.com', 'agent'))).rejects.toMatchObject({
      problem: { status: 402, type: 'plan-limit-reached', extensions: { limit: 'seats', plan: 'Free', allowed: 3, used: 3 } },
    });
    expect(invitations.create).not.toHaveBeenCalled();
    expect(mailer.send).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('invites below the seat limit, and without limit when the plan has none', async () => {
    await expect(setup({ seats: { limit: 3, plan: 'Free' }, used: 2 }).handler.execute(new InviteMemberCommand(context, 'admin', 'dee@example.com', 'agent'))).resolves.toMatchObject({ status: 'pending' });
    const unlimited = setup({ seats: { limit: null, plan: 'Business' }, used: 500 });
    await expect(unlimited.handler.execute(new InviteMemberCommand(context, 'admin', 'dee@example.com', 'agent'))).resolves.toMatchObject({ status: 'pending' });
    expect(unlimited.invitations.countSeats).not.toHaveBeenCalled();
  });

  it('replaces a pending invitation, stores only the token hash, audits, and mails the token after the commit', async () => {
    const { tx, mailer, invitations, handler } = setup();
    const view = await handler.execute(new InviteMemberCommand(context, 'admin', ' Dee@Example.com ', 'agent'));
    expect(view).toMatchObject({ id: 'inv-1', email: 'dee@example.com', role: 'agent', invitedBy: 'inviter', status: 'pending' });
    expect(invitations.revokePending).toHaveBeenCalledWith(expect.anything(), 'dee@example.com');
    expect(invitations.revokePending.mock.invocationCallOrder[0]).toBeLessThan(invitations.create.mock.invocationCallOrder[0]);
    const stored = invitations.create.mock.calls[0][1];
    expect(stored).toMatchObject({ email: 'dee@example.com', role: 'agent', invitedBy: 'inviter', ttlDays: 7 });
    expect(tx.audits).toEqual([{ action: 'invitation.created', entityType: 'invitation', entityId: 'inv-1', after: { email: 'dee@example.com', role: 'agent' } }]);

    expect(mailer.send).toHaveBeenCalledTimes(1);
    const mail = mailer.send.mock.calls[0][0];
    expect(mail).toMatchObject({ to: 'dee@example.com', subject: 'You are invited to Acme on Switchboard' });
    const token = /"token": "([^"]+)"/.exec(mail.text)![1];
    expect(sha256(token)).toBe(stored.tokenHash);
    expect(stored.tokenHash).not.toContain(token);
  });

  it('names no inviter for an API key', async () => {
    const { invitations, handler } = setup();
    await handler.execute(new InviteMemberCommand(testContext({ actorType: 'api_key', actorId: 'key-1' }), 'admin', 'dee@example.com', 'viewer'));
    expect(invitations.create.mock.calls[0][1].invitedBy).toBeNull();
  });

  const escalations: [string | undefined, Role][] = [
    ['admin', 'owner'],
    ['agent', 'viewer'],
    [undefined, 'agent'],
  ];
  it.each(escalations)('refuses a %s inviting a %s before opening a transaction', async (actorRole, role) => {
    const { tx, mailer, invitations, members, handler } = setup();
    await expect(handler.execute(new InviteMemberCommand(context, actorRole, 'dee@example.com', role))).rejects.toMatchObject({ problem: { status: 403, type: 'forbidden' } });
    expect(members.hasEmail).not.toHaveBeenCalled();
    expect(invitations.create).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
    expect(mailer.send).not.toHaveBeenCalled();
  });

  it('refuses to invite a member with 409 already-member, revoking and mailing nothing', async () => {
    const { tx, mailer, invitations, handler } = setup({ alreadyMember: true });
    await expect(handler.execute(new InviteMemberCommand(context, 'owner', 'dee@example.com', 'agent'))).rejects.toMatchObject({ problem: { status: 409, type: 'already-member' } });
    expect(invitations.revokePending).not.toHaveBeenCalled();
    expect(invitations.create).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
    expect(mailer.send).not.toHaveBeenCalled();
  });
});
