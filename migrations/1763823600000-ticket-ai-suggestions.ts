import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * AI suggestions on tickets (summary, reply draft, triage): what was asked, by whom, of which
 * provider and model, for which ticket version, and what the agent decided. A suggestion never
 * changes the ticket by itself; accepting applies it through the ordinary ticket commands.
 */
export class TicketAiSuggestions1763823600000 implements MigrationInterface {
  name = 'TicketAiSuggestions1763823600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ticket_ai_suggestions (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      ticket_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('summary', 'draft', 'triage')),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'superseded', 'invalid')),
      requested_by_type text NOT NULL,
      requested_by text,
      provider text NOT NULL,
      model text NOT NULL,
      extractive boolean NOT NULL DEFAULT false,
      inputs_hash char(64) NOT NULL,
      output jsonb NOT NULL,
      confidence numeric(4, 3) CHECK (confidence BETWEEN 0 AND 1),
      ticket_version int NOT NULL,
      usage_id uuid,
      request_id text,
      decided_by_type text,
      decided_by text,
      decided_at timestamptz(3),
      reason text CHECK (char_length(reason) <= 1000),
      applied jsonb,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE,
      CHECK ((status IN ('accepted', 'rejected')) = (decided_at IS NOT NULL))
    )`);
    await q.query(`CREATE INDEX ticket_ai_suggestions_ticket ON ticket_ai_suggestions (tenant_id, ticket_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ticket_ai_suggestions_created ON ticket_ai_suggestions (tenant_id, created_at)`);
    // Suggestions are decided, never deleted (acceptance rates are reported from them).
    await enableTenantRls(q, 'ticket_ai_suggestions', ['SELECT', 'INSERT', 'UPDATE']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ticket_ai_suggestions`);
  }
}
