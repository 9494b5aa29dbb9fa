import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { InvitationsRepository } from '../../repositories/invitations.repository';
import type { InvitationStatus, InvitationView } from '../../repositories/invitations.sql';
import { RevokeInvitationCommand } from './revoke-invitation.command';
import { RevokeInvitationHandler } from './revoke-invitation.handler';

const context = testContext();
const invitation = (status: InvitationStatus): InvitationView => ({
  id: 'inv-1',
  email: 'dee@example.com',
  role: 'agent',
  invitedBy: null,
  status,
  expiresAt: '2026-12-08T00:00:00.000Z',
  createdAt: '2026-12-01T00:00:00.000Z',
});

function setup(found: InvitationView | undefined) {
  const tx = new FakeTenantTransaction();
  const invitations = {
    findForUpdate: jest.fn<InvitationsRepository['findForUpdate']>().mockResolvedValue(found),
    revoke: jest.fn<InvitationsRepository['revoke']>().mockResolvedValue(undefined),
  };
  const handler = new RevokeInvitationHandler(tx.asTenantTransaction(), invitations as unknown as InvitationsRepository);
  return { tx, invitations, handler };
}

describe('RevokeInvitationHandler', () => {
  it.each(['pending', 'expired'] as const)('revokes a %s invitation and audits it', async (status) => {
    const { tx, invitations, handler } = setup(invitation(status));
    await handler.execute(new RevokeInvitationCommand(context, 'inv-1'));
    expect(invitations.revoke).toHaveBeenCalledWith(expect.anything(), 'inv-1');
    expect(tx.audits).toEqual([{ action: 'invitation.revoked', entityType: 'invitation', entityId: 'inv-1' }]);
  });

  it.each(['accepted', 'revoked'] as const)('leaves an %s invitation as it is', async (status) => {
    const { tx, invitations, handler } = setup(invitation(status));
    await handler.execute(new RevokeInvitationCommand(context, 'inv-1'));
    expect(invitations.revoke).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('answers 404 for an unknown invitation', async () => {
    const { invitations, handler } = setup(undefined);
    await expect(handler.execute(new RevokeInvitationCommand(context, 'inv-9'))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(invitations.revoke).not.toHaveBeenCalled();
  });
});
