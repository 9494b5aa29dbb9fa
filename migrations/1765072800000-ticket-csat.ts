import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Customer satisfaction (CSAT): one survey per ticket, offered when it is first solved, rated
 * through a signed public link (good/bad or 1–5, with a comment). The requester, assignee and
 * group are the ticket's at rating time, so reports credit whoever solved it. The signing key is
 * generated here unless CSAT_SIGNING_KEY is set.
 */
export class TicketCsat1765072800000 implements MigrationInterface {
  name = 'TicketCsat1765072800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO platform_secrets (name, value) VALUES ('csat_signing_key', encode(gen_random_bytes(32), 'base64')) ON CONFLICT (name) DO NOTHING`);
    await q.query(`CREATE TABLE ticket_csat (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      scale text NOT NULL DEFAULT 'binary' CHECK (scale IN ('binary', 'five')),
      rating_good boolean,
      rating_score smallint CHECK (rating_score BETWEEN 1 AND 5),
      comment text CHECK (char_length(comment) <= 2000),
      offered_at timestamptz(3) NOT NULL DEFAULT now(),
      expires_at timestamptz(3) NOT NULL,
      rated_at timestamptz(3),
      updated_at timestamptz(3),
      changeable_until timestamptz(3),
      requester_id uuid,
      assignee_id uuid,
      group_id uuid,
      PRIMARY KEY (tenant_id, ticket_id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE,
      CHECK ((scale = 'binary' AND rating_score IS NULL) OR (scale = 'five' AND rating_good IS NULL)),
      CHECK ((rated_at IS NULL) = (rating_good IS NULL AND rating_score IS NULL))
    )`);
    await q.query(`CREATE INDEX ticket_csat_rated ON ticket_csat (tenant_id, rated_at DESC, ticket_id) WHERE rated_at IS NOT NULL`);
    await q.query(`CREATE INDEX ticket_csat_offered ON ticket_csat (tenant_id, offered_at)`);
    await enableTenantRls(q, 'ticket_csat');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ticket_csat`);
    await q.query(`DELETE FROM platform_secrets WHERE name = 'csat_signing_key'`);
  }
}
