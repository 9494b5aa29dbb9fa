import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import {
  countSeats,
  findInvitation,
  findInvitationByToken,
  insertInvitation,
  listInvitations,
  markInvitationAccepted,
  markInvitationRevoked,
  revokePendingInvitations,
  type InvitationByToken,
  type InvitationView,
  type NewInvitation,
} from './invitations.sql';

/** Invitations (SQL in `invitations.sql.ts`); only a token's hash is ever stored or looked up. */
@Injectable()
export class InvitationsRepository {
  /** System work: the token names the tenant. */
  findByToken(m: EntityManager, tokenHash: string): Promise<InvitationByToken | undefined> {
    return findInvitationByToken(m, tokenHash);
  }

  /** The same, locked for the rest of the (privileged) transaction. */
  findByTokenForUpdate(tx: TenantTx, tokenHash: string): Promise<InvitationByToken | undefined> {
    return findInvitationByToken(tx.manager, tokenHash, true);
  }

  findForUpdate(tx: TenantTx, id: string): Promise<InvitationView | undefined> {
    return findInvitation(tx.manager, tx.tenantId, id, true);
  }

  /** Members plus pending invitations. */
  countSeats(tx: TenantTx): Promise<number> {
    return countSeats(tx.manager, tx.tenantId);
  }

  revokePending(tx: TenantTx, email: string): Promise<void> {
    return revokePendingInvitations(tx.manager, tx.tenantId, email);
  }

  create(tx: TenantTx, invitation: NewInvitation): Promise<InvitationView> {
    return insertInvitation(tx.manager, tx.tenantId, invitation);
  }

  markAccepted(tx: TenantTx, id: string): Promise<void> {
    return markInvitationAccepted(tx.manager, tx.tenantId, id);
  }

  revoke(tx: TenantTx, id: string): Promise<void> {
    return markInvitationRevoked(tx.manager, tx.tenantId, id);
  }

  list(tx: TenantTx): Promise<InvitationView[]> {
    return listInvitations(tx.manager, tx.tenantId);
  }
}
