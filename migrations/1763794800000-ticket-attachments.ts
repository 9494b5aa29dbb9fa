import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

export class TicketAttachments1763794800000 implements MigrationInterface {
  name = 'TicketAttachments1763794800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ticket_attachments (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      ticket_id uuid NOT NULL,
      storage_key text NOT NULL,
      filename text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 200),
      content_type text NOT NULL,
      size bigint NOT NULL CHECK (size > 0),
      sha256 text NOT NULL,
      uploaded_by text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX ticket_attachments_ticket ON ticket_attachments (tenant_id, ticket_id, created_at)`);
    await enableTenantRls(q, 'ticket_attachments', ['SELECT', 'INSERT', 'DELETE']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ticket_attachments`);
  }
}
