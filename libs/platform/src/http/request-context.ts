import type { Request } from 'express';

/** `visitor`: an anonymous help-center reader (metered AI calls only; never an audit-log actor). */
export type ActorType = 'user' | 'api_key' | 'system' | 'platform_admin' | 'visitor';

/** Who is calling, as established by an auth guard. */
export interface Principal {
  kind: 'platform-admin' | 'user' | 'api-key';
  /** Stable id of the credential owner (user id, API key id), used to scope idempotency keys and rate limits. */
  id: string;
  tenantId: string | null;
  /** A user's role in the tenant; API keys have none. */
  role?: string;
  /** What the credential may do: a role's permissions or an API key's scopes. */
  permissions?: readonly string[];
  /** The platform operator acting as this user, when impersonating. */
  impersonatorId?: string | null;
  /** The user's sign-in session, when the credential is an access token of one. */
  sessionId?: string | null;
}

export type SwitchboardRequest = Request & { id?: string | number; principal?: Principal; rawBody?: Buffer };
