import type { Principal } from '../http/request-context';

/**
 * The port the credential guard calls: turns a bearer token (an access token or an API key) into
 * a principal, or throws a 401/403 problem. The tenancy context provides the implementation.
 */
export interface Authenticator {
  authenticate(token: string): Promise<Principal>;
  /**
   * Calls `listener(tenantId)` whenever credentials of that tenant may have been withdrawn
   * (a session revoked, a member removed, a key revoked), on whichever process it happened, so
   * long-lived connections can re-check theirs at once instead of at their next interval.
   */
  onCredentialsChanged?(listener: (tenantId: string) => void): void;
}

export const AUTHENTICATOR = Symbol('AUTHENTICATOR');
