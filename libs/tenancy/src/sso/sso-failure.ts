/**
 * Why a browser sign-in failed: the code the console shows (`/console#sso_error=<code>`) and the
 * reason written to the tenant's audit log. Codes are stable; the detail is for the log only.
 */
export const SSO_FAILURES = {
  'sso-not-configured': 'No single sign-on is configured for this tenant.',
  'state-mismatch': 'The sign-in was not started in this browser (state does not match).',
  'state-invalid': 'The sign-in request is unknown, expired or already used.',
  'idp-error': 'The identity provider refused the sign-in.',
  'idp-unreachable': 'The identity provider could not be reached.',
  'token-invalid': 'The identity provider’s answer failed validation (signature, audience, expiry, nonce).',
  'assertion-invalid': 'The SAML response failed validation (signature, issuer, audience, recipient, time, request).',
  'assertion-replayed': 'This SAML assertion was used before.',
  'email-missing': 'The identity provider sent no email address.',
  'email-unverified': 'The identity provider does not vouch for the email address (email_verified is not true).',
  'email-domain-not-allowed': 'The email address is not in a domain this tenant’s identity provider speaks for.',
  'not-a-member': 'This person is not a member of the tenant and just-in-time provisioning is off.',
  'tenant-inactive': 'The tenant is suspended.',
} as const;
export type SsoFailureCode = keyof typeof SSO_FAILURES;

export class SsoFailure extends Error {
  constructor(
    readonly code: SsoFailureCode,
    /** Known once the request is matched to a tenant: the failure is audited there. */
    readonly tenantId: string | null,
    readonly reason?: string,
  ) {
    super(SSO_FAILURES[code]);
  }
}
