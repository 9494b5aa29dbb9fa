import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Deleting data (ADR 0031): ticket deletion leaves a tombstone row; contact erasures are
 * recorded and followed by every context in batches. History tables stay append-only for
 * ordinary use cases; the application role gains only the column-level rights redaction needs.
 */
export class Erasure1765044000000 implements MigrationInterface {
  name = 'Erasure1765044000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN deleted_at timestamptz(3), ADD COLUMN deleted_by text, ADD COLUMN purged_at timestamptz(3)`);
    await q.query(`CREATE INDEX tickets_deleting ON tickets (tenant_id, id) WHERE deleted_at IS NOT NULL AND purged_at IS NULL`);

    await q.query(`CREATE TABLE contact_erasures (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      contact_id uuid NOT NULL,
      status text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'completed')),
      requested_by text,
      pattern text,
      steps jsonb NOT NULL DEFAULT '{}',
      requested_at timestamptz(3) NOT NULL DEFAULT now(),
      completed_at timestamptz(3),
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX contact_erasures_contact ON contact_erasures (tenant_id, contact_id, requested_at DESC)`);
    await enableTenantRls(q, 'contact_erasures', ['SELECT', 'INSERT', 'UPDATE']);

    // Redaction of append-only history: only the content columns, only for redaction and deletion.
    await q.query(`GRANT DELETE, UPDATE (changes) ON ticket_events TO ${APP_DB_ROLE}`);
    await q.query(`GRANT DELETE ON ticket_ai_suggestions TO ${APP_DB_ROLE}`);
    await q.query(`GRANT UPDATE (filename) ON ticket_attachments TO ${APP_DB_ROLE}`);
    await q.query(`GRANT UPDATE (body) ON fs_job_notes TO ${APP_DB_ROLE}`);
    await q.query(`GRANT UPDATE (changes) ON fs_job_history TO ${APP_DB_ROLE}`);

    // Every string value in a JSON document (keys kept) with the pattern's matches replaced.
    await q.query(`CREATE OR REPLACE FUNCTION redact_jsonb(doc jsonb, pattern text, replacement text) RETURNS jsonb
      LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        CASE jsonb_typeof(doc)
          WHEN 'string' THEN RETURN to_jsonb(regexp_replace(doc #>> '{}', pattern, replacement, 'gi'));
          WHEN 'object' THEN RETURN COALESCE((SELECT jsonb_object_agg(k, redact_jsonb(v, pattern, replacement)) FROM jsonb_each(doc) AS e(k, v)), '{}'::jsonb);
          WHEN 'array' THEN RETURN COALESCE((SELECT jsonb_agg(redact_jsonb(v, pattern, replacement) ORDER BY i) FROM jsonb_array_elements(doc) WITH ORDINALITY AS e(v, i)), '[]'::jsonb);
          ELSE RETURN doc;
        END CASE;
      END $$`);
    await q.query(`GRANT EXECUTE ON FUNCTION redact_jsonb(jsonb, text, text) TO ${APP_DB_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS redact_jsonb(jsonb, text, text)`);
    await q.query(`REVOKE DELETE, UPDATE (changes) ON ticket_events FROM ${APP_DB_ROLE}`);
    await q.query(`REVOKE DELETE ON ticket_ai_suggestions FROM ${APP_DB_ROLE}`);
    await q.query(`REVOKE UPDATE (filename) ON ticket_attachments FROM ${APP_DB_ROLE}`);
    await q.query(`REVOKE UPDATE (body) ON fs_job_notes FROM ${APP_DB_ROLE}`);
    await q.query(`REVOKE UPDATE (changes) ON fs_job_history FROM ${APP_DB_ROLE}`);
    await q.query(`DROP TABLE IF EXISTS contact_erasures`);
    await q.query(`DROP INDEX IF EXISTS tickets_deleting`);
    await q.query(`ALTER TABLE tickets DROP COLUMN deleted_at, DROP COLUMN deleted_by, DROP COLUMN purged_at`);
  }
}
