import type { Principal } from '../http/request-context';

/**
 * The port the credential guard calls: turns a bearer token (an access token or an API key) into
 * a principal, or throws a 401/403 problem. The tenancy context provides the implementation.
 */
export interface Authenticator {
  authenticate(token: string): Promise<Principal>;
}

export const AUTHENTICATOR = Symbol('AUTHENTICATOR');
