import type { ActorType } from '../http/request-context';

/** What every command carries: whose data, who acts, and which request started it. */
export interface CommandContext {
  tenantId: string;
  actorId: string | null;
  correlationId: string | null;
  /** Defaults to 'system' when absent (jobs, migrations). */
  actorType?: ActorType;
  impersonatorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}
