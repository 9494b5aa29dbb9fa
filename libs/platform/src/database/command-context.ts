/** What every command carries: whose data, who acts, and which request started it. */
export interface CommandContext {
  tenantId: string;
  actorId: string | null;
  correlationId: string | null;
}
