import { Injectable, Logger } from '@nestjs/common';
import { TenantTransaction } from '@switchboard/platform';
import { SSO_FAILURES, type SsoFailure } from './sso-failure';

export interface SsoClient {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/**
 * A failed sign-in changes nothing, so there is no transaction for its audit entry to ride in:
 * it gets its own, in the tenant the attempt was matched to (attempts matched to no tenant have
 * no audit log to go to and are only logged).
 */
@Injectable()
export class SsoAudit {
  private readonly logger = new Logger('SSO');

  constructor(private readonly tx: TenantTransaction) {}

  async failed(failure: SsoFailure, client: SsoClient, entity: { type: string; id: string | null } = { type: 'sso_connection', id: null }): Promise<void> {
    this.logger.warn(`SSO sign-in failed (${failure.code}${failure.tenantId ? `, tenant ${failure.tenantId}` : ''}): ${failure.reason ?? SSO_FAILURES[failure.code]}`);
    if (!failure.tenantId) return;
    const context = { tenantId: failure.tenantId, actorId: null, actorType: 'system' as const, correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
    try {
      await this.tx.run(context, (tx) =>
        tx.audit({ action: 'auth.sso_failed', entityType: entity.type, entityId: entity.id ?? failure.tenantId, after: { reason: failure.code, detail: (failure.reason ?? SSO_FAILURES[failure.code]).slice(0, 500) } }),
      );
    } catch (error) {
      this.logger.error(`Could not audit a failed SSO sign-in: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
