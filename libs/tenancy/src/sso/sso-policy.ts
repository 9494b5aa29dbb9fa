import { Injectable } from '@nestjs/common';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import type { SsoClient } from './sso-audit';
import { SsoRepository } from './sso.repository';

/**
 * "SSO only": a tenant whose identity provider is authoritative refuses passwords for its members,
 * except the one break-glass owner (the way in when the IdP is down). Asked only after the
 * password was found right, so a wrong password reveals nothing about the tenant's settings.
 */
@Injectable()
export class SsoPolicy {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
  ) {}

  /**
   * Where a member of an SSO-only tenant signs in instead of with a password (null when passwords
   * are allowed for them): accepting an invitation there joins without a password and continues here.
   */
  async ssoStartUrl(tenant: { id: string; slug: string }, userId: string | null): Promise<string | null> {
    const connection = await this.tx.runAsSystem((m) => this.sso.findForTenant(m, tenant.id));
    if (!connection || !connection.enabled || !connection.ssoOnly || (userId !== null && connection.breakGlassUserId === userId)) return null;
    return `/v1/auth/sso/${encodeURIComponent(tenant.slug)}/start`;
  }

  async assertPasswordAllowed(tenant: { id: string; slug: string }, userId: string, client: SsoClient): Promise<void> {
    const connection = await this.tx.runAsSystem((m) => this.sso.findForTenant(m, tenant.id));
    if (!connection || !connection.enabled || !connection.ssoOnly || connection.breakGlassUserId === userId) return;
    const context = { tenantId: tenant.id, actorId: userId, actorType: 'user' as const, correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
    await this.tx.run(context, (tx) => tx.audit({ action: 'auth.password_refused', entityType: 'user', entityId: userId, after: { reason: 'sso-only' } }));
    throw new ProblemException({
      status: 403,
      type: 'sso-required',
      title: 'Forbidden',
      detail: 'This organisation signs in with single sign-on only; use "Sign in with SSO".',
      extensions: { tenant: tenant.slug, startUrl: `/v1/auth/sso/${encodeURIComponent(tenant.slug)}/start` },
    });
  }
}
