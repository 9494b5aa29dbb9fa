import type { Statement } from '@switchboard/platform';

/**
 * Sign-in state past its use, across tenants, `limit` rows at a time: started sign-ins and one-time
 * codes a day after they expired (used or not, they are refused by then), SAML assertion ids once
 * the assertion itself has expired (a replay would be refused as expired anyway).
 */
export const ssoRetentionStatements: readonly ((limit: number) => Statement)[] = [
  (limit) => ({
    sql: `DELETE FROM sso_requests WHERE ctid = ANY (ARRAY(SELECT ctid FROM sso_requests WHERE expires_at < now() - interval '1 day' LIMIT $1))`,
    params: [limit],
  }),
  (limit) => ({
    sql: `DELETE FROM sso_login_codes WHERE ctid = ANY (ARRAY(SELECT ctid FROM sso_login_codes WHERE expires_at < now() - interval '1 day' LIMIT $1))`,
    params: [limit],
  }),
  (limit) => ({
    sql: `DELETE FROM sso_saml_assertions WHERE ctid = ANY (ARRAY(SELECT ctid FROM sso_saml_assertions WHERE expires_at < now() LIMIT $1))`,
    params: [limit],
  }),
];
