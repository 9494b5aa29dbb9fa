import type { Request } from 'express';

/** Who is calling, as established by an auth guard. */
export interface Principal {
  kind: 'platform-admin' | 'user' | 'api-key';
  /** Stable id of the credential owner, used to scope idempotency keys and rate limits. */
  id: string;
  tenantId: string | null;
}

export type SwitchboardRequest = Request & { id?: string | number; principal?: Principal; rawBody?: Buffer };
