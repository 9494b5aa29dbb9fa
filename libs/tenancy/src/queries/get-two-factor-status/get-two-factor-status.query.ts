import { Query } from '@nestjs/cqrs';
import type { WebAuthnCredentialRow } from '../../repositories/two-factor.sql';

export interface WebAuthnCredentialView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export const toCredentialView = (c: WebAuthnCredentialRow): WebAuthnCredentialView => ({ id: c.id, name: c.name, createdAt: c.createdAt, lastUsedAt: c.lastUsedAt });

export interface TwoFactorStatusView {
  /** True when at least one factor (app or key) is on: sign-in then takes two steps. */
  enabled: boolean;
  totp: boolean;
  webauthn: WebAuthnCredentialView[];
  recoveryCodesLeft: number;
  /** Whether this tenant requires a second factor of every member. */
  requiredByTenant: boolean;
}

export class GetTwoFactorStatusQuery extends Query<TwoFactorStatusView> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {
    super();
  }
}
