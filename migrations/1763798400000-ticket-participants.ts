import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/** CCs (contacts copied on replies) and followers (members who watch a ticket). */
export class TicketParticipants1763798400000 implements MigrationInterface {
  name = 'TicketParticipants1763798400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ticket_participants (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      role text NOT NULL CHECK (role IN ('cc', 'follower')),
      participant_id uuid NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, ticket_id, role, participant_id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantRls(q, 'ticket_participants', ['SELECT', 'INSERT', 'DELETE']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ticket_participants`);
  }
}
