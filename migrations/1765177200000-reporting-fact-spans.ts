import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report facts that last (docs/adr/0064-reporting-sla-csat-utilisation-sources.md): a visit's
 * scheduled slot and a technician's clock interval run from `at` to `ends_at` and count on every
 * local day they overlap. `version` orders the events about one fact (a visit's version, a target's
 * fulfilment instant): an event older than the stored fact changes nothing, so a late or redelivered
 * one cannot bring back a state that was replaced.
 */
export class ReportingFactSpans1765177200000 implements MigrationInterface {
  name = 'ReportingFactSpans1765177200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reporting_facts ADD COLUMN ends_at timestamptz(3), ADD COLUMN version bigint NOT NULL DEFAULT 0`);
    // A day's recompute finds the spans ending after its start (they start before its end).
    await q.query(`CREATE INDEX reporting_facts_spans ON reporting_facts (tenant_id, ends_at) WHERE ends_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS reporting_facts_spans`);
    await q.query(`ALTER TABLE reporting_facts DROP COLUMN IF EXISTS version, DROP COLUMN IF EXISTS ends_at`);
  }
}
