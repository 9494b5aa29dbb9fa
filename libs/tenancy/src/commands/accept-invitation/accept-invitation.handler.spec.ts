import type { SignInSteps } from '../../auth/sign-in-steps';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import type { FactorSummary } from '../../repositories/two-factor.sql';
import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { EntityManager } from 'typeorm';
import type { PasswordHasher } from '../../auth/password-hasher';
import type { Session, SessionIssuer } from '../../auth/session-issuer';
import type { Role } from '../../domain/roles';
import { sha256 } from '../../domain/secrets';
import type { InvitationsRepository } from '../../repositories/invitations.repository';
import type { InvitationByToken, InvitationStatus } from '../../repositories/invitations.sql';
import type { MembersRepository } from '../../repositories/members.repository';
import type { UsersRepository } from '../../repositories/users.repository';
import { AcceptInvitationCommand } from './accept-invitation.command';
import { AcceptInvitationHandler } from './accept-invitation.handler';
import type { SsoPolicy } from '../../sso/sso-policy';

const TENANT = '33333333-3333-4333-8333-333333333333';
const client = { ip: '203.0.113.9', userAgent: 'test', requestId: 'req-accept' };

const found = (overrides: { status?: InvitationStatus; tenantStatus?: string; existingUserId?: string | null; tenantId?: string } = {}): InvitationByToken => ({
  tenant: { id: overrides.tenantId ?? TENANT, slug: 'acme', name: 'Acme', status: overrides.tenantStatus ?? 'active' },
  invitation: { id: 'inv-1', email: 'dee@example.com', role: 'agent', invitedBy: null, status: overrides.status ?? 'pending', expiresAt: '2026-12-08T00:00:00.000Z', createdAt: '2026-12-01T00:00:00.000Z' },
  existingUserId: overrides.existingUserId ?? null,
});

const session: Session = { accessToken: 'at', refreshToken: 'rt', tokenType: 'Bearer', expiresIn: 900, sessionId: 'sess-1', tenant: { id: TENANT, slug: 'acme', name: 'Acme' } };

function setup(
  preview: InvitationByToken | undefined,
  options: { locked?: InvitationByToken | undefined; newMembership?: string | undefined; role?: Role; factors?: Partial<FactorSummary>; required?: boolean; ssoOnly?: boolean } = {},
) {
  const tx = Object.assign(new FakeTenantTransaction(), { runAsSystem: <T>(work: (m: EntityManager) => Promise<T>) => work({} as EntityManager) });
  const passwords = { hash: jest.fn<PasswordHasher['hash']>(async (p) => `hashed:${p}`) };
  const sessions = { issue: jest.fn<SessionIssuer['issue']>().mockResolvedValue(session) };
  const invitations = {
    findByToken: jest.fn<InvitationsRepository['findByToken']>().mockResolvedValue(preview),
    findByTokenForUpdate: jest.fn<InvitationsRepository['findByTokenForUpdate']>().mockResolvedValue('locked' in options ? options.locked : preview),
    markAccepted: jest.fn<InvitationsRepository['markAccepted']>().mockResolvedValue(undefined),
  };
  const users = { insert: jest.fn<UsersRepository['insert']>().mockResolvedValue(undefined) };
  const members = {
    addIfAbsent: jest.fn<MembersRepository['addIfAbsent']>().mockResolvedValue('newMembership' in options ? options.newMembership : 'mem-1'),
    roleOf: jest.fn<MembersRepository['roleOf']>().mockResolvedValue(options.role ?? 'agent'),
  };
  const factors = {
    summary: jest.fn<TwoFactorRepository['summary']>().mockResolvedValue({ totp: false, webauthn: 0, recoveryCodesLeft: 0, ...options.factors }),
    tenantRequires: jest.fn<TwoFactorRepository['tenantRequires']>().mockResolvedValue(options.required ?? false),
  };
  const steps = {
    challenge: jest.fn<SignInSteps['challenge']>().mockImplementation(async (purpose, input) => ({
      status: purpose === 'verify' ? 'two-factor-required' : 'enrolment-required',
      challengeToken: `challenge-${purpose}`,
      expiresIn: 300,
      methods: input.methods,
      tenant: input.tenant,
    })),
  };
  const handler = new AcceptInvitationHandler(
    tx.asTenantTransaction(),
    passwords as unknown as PasswordHasher,
    sessions as unknown as SessionIssuer,
    invitations as unknown as InvitationsRepository,
    users as unknown as UsersRepository,
    members as unknown as MembersRepository,
    factors as unknown as TwoFactorRepository,
    steps as unknown as SignInSteps,
    { ssoStartUrl: jest.fn<SsoPolicy['ssoStartUrl']>().mockResolvedValue(options.ssoOnly ? '/v1/auth/sso/acme/start' : null) } as unknown as SsoPolicy,
  );
  const nothingWritten = () => {
    expect(users.insert).not.toHaveBeenCalled();
    expect(members.addIfAbsent).not.toHaveBeenCalled();
    expect(invitations.markAccepted).not.toHaveBeenCalled();
    expect(sessions.issue).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
    expect(tx.events).toEqual([]);
  };
  return { tx, passwords, sessions, invitations, users, members, factors, steps, handler, nothingWritten };
}

describe('AcceptInvitationHandler', () => {
  it('creates the new user, adds the membership, marks the invitation used, audits, emits member_added and signs in', async () => {
    const { tx, passwords, sessions, invitations, users, members, handler } = setup(found());
    expect(await handler.execute(new AcceptInvitationCommand('the-token', 'Dee', 'long enough password', client))).toBe(session);

    expect(invitations.findByToken).toHaveBeenCalledWith(expect.anything(), sha256('the-token'));
    expect(passwords.hash).toHaveBeenCalledWith('long enough password');
    const [, userId, user] = users.insert.mock.calls[0];
    expect(user).toEqual({ email: 'dee@example.com', name: 'Dee', passwordHash: 'hashed:long enough password' });
    expect(members.addIfAbsent).toHaveBeenCalledWith(expect.anything(), userId, 'agent');
    expect(invitations.markAccepted).toHaveBeenCalledWith(expect.anything(), 'inv-1');
    expect(tx.committed[0].context).toMatchObject({ tenantId: TENANT, actorId: userId, actorType: 'user', correlationId: 'req-accept', ip: '203.0.113.9' });
    expect(tx.audits).toEqual([
      { action: 'invitation.accepted', entityType: 'invitation', entityId: 'inv-1', after: { userId } },
      { action: 'member.added', entityType: 'membership', entityId: 'mem-1', after: { userId, email: 'dee@example.com', role: 'agent' } },
    ]);
    expect(tx.emitted).toEqual([{ type: 'tenancy.member_added', aggregateId: 'mem-1', payload: { userId, role: 'agent' } }]);
    expect(sessions.issue.mock.calls[0][0]).toBe(tx.committed[0].manager);
    expect(sessions.issue.mock.calls[0][1]).toEqual({ userId, role: 'agent', tenant: { id: TENANT, slug: 'acme', name: 'Acme' }, method: 'invitation', client: expect.anything() });
  });

  it('an existing user keeps their password; an existing member keeps their role and nothing is "added"', async () => {
    const { tx, passwords, sessions, users, handler } = setup(found({ existingUserId: 'u-old' }), { newMembership: undefined, role: 'admin' });
    await handler.execute(new AcceptInvitationCommand('the-token', undefined, undefined, client));
    expect(passwords.hash).not.toHaveBeenCalled();
    expect(users.insert).not.toHaveBeenCalled();
    expect(tx.audits.map((a) => a.action)).toEqual(['invitation.accepted']);
    expect(tx.events).toEqual([]);
    expect(sessions.issue.mock.calls[0][1]).toMatchObject({ userId: 'u-old', role: 'admin' });
  });

  const gone: [string, InvitationByToken | undefined][] = [
    ['an unknown token', undefined],
    ['an expired invitation', found({ status: 'expired' })],
    ['a revoked invitation', found({ status: 'revoked' })],
    ['a used invitation', found({ status: 'accepted' })],
    ['a suspended tenant', found({ tenantStatus: 'suspended' })],
  ];
  it.each(gone)('answers 410 invitation-invalid for %s and writes nothing', async (_name, preview) => {
    const { passwords, handler, nothingWritten } = setup(preview);
    await expect(handler.execute(new AcceptInvitationCommand('the-token', 'Dee', 'long enough password', client))).rejects.toMatchObject({ problem: { status: 410, type: 'invitation-invalid' } });
    expect(passwords.hash).not.toHaveBeenCalled();
    nothingWritten();
  });

  it('answers 410 when the invitation was used between the look-up and the lock', async () => {
    const { handler, nothingWritten } = setup(found(), { locked: found({ status: 'accepted' }) });
    await expect(handler.execute(new AcceptInvitationCommand('the-token', 'Dee', 'long enough password', client))).rejects.toMatchObject({ problem: { status: 410 } });
    nothingWritten();
  });

  it('asks a new user for a name and a password (400), naming both fields', async () => {
    const { passwords, handler, nothingWritten } = setup(found());
    await expect(handler.execute(new AcceptInvitationCommand('the-token', undefined, undefined, client))).rejects.toMatchObject({
      problem: { status: 400, type: 'validation-failed', errors: [{ field: 'name' }, { field: 'password' }] },
    });
    expect(passwords.hash).not.toHaveBeenCalled();
    nothingWritten();
  });

  it('an existing user with a second factor joins, then continues with the second step instead of getting a session', async () => {
    const { tx, sessions, steps, members, handler } = setup(found({ existingUserId: 'u-old' }), { factors: { totp: true, recoveryCodesLeft: 4 } });
    expect(await handler.execute(new AcceptInvitationCommand('the-token', undefined, undefined, client))).toMatchObject({ status: 'two-factor-required', methods: ['totp', 'recovery_code'] });
    expect(steps.challenge.mock.calls[0]![1]).toMatchObject({ userId: 'u-old', role: 'agent' });
    expect(members.addIfAbsent).toHaveBeenCalled();
    expect(sessions.issue).not.toHaveBeenCalled();
    expect(tx.audits.map((a) => a.action)).toContain('invitation.accepted');
  });

  it('in a tenant that requires two-factor, a new member is led to enrol', async () => {
    const { sessions, handler } = setup(found(), { required: true });
    expect(await handler.execute(new AcceptInvitationCommand('the-token', 'Dee', 'long enough password', client))).toMatchObject({ status: 'enrolment-required' });
    expect(sessions.issue).not.toHaveBeenCalled();
  });

  it('refuses a breached password for a new account before anything is written', async () => {
    const { passwords, handler, nothingWritten } = setup(found());
    await expect(handler.execute(new AcceptInvitationCommand('the-token', 'Dee', 'password1234', client))).rejects.toMatchObject({ problem: { status: 400, type: 'weak-password', errors: [{ field: 'password' }] } });
    expect(passwords.hash).not.toHaveBeenCalled();
    nothingWritten();
  });

  it('in an SSO-only tenant joins without a password and continues with SSO instead of a session', async () => {
    const { passwords, sessions, users, members, handler } = setup(found(), { ssoOnly: true });
    const result = await handler.execute(new AcceptInvitationCommand('the-token', 'Dee', undefined, client));
    expect(result).toEqual({ status: 'sso-required', startUrl: '/v1/auth/sso/acme/start', tenant: { id: TENANT, slug: 'acme', name: 'Acme' } });
    expect(passwords.hash).not.toHaveBeenCalled();
    expect(users.insert).toHaveBeenCalledWith(expect.anything(), expect.any(String), { email: 'dee@example.com', name: 'Dee', passwordHash: null });
    expect(members.addIfAbsent).toHaveBeenCalled();
    expect(sessions.issue).not.toHaveBeenCalled();
    await expect(setup(found(), { ssoOnly: true }).handler.execute(new AcceptInvitationCommand('the-token', undefined, undefined, client))).rejects.toMatchObject({ problem: { status: 400, errors: [{ field: 'name' }] } });
  });
});
