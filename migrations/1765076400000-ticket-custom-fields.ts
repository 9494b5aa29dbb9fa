import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { CURRENT_TENANT, enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Custom ticket fields, ticket forms and the tickets' typed field values (ADR 0037). Definitions
 * are soft-deleted (old values stay readable, the key stays taken); values live one row per
 * (ticket, field) with one typed column each, indexed per type on (tenant, field, value, ticket)
 * so filters and sorts over a field read an index instead of the tickets table.
 * `tickets.form_id` has no foreign key on purpose, like `group_id`: the commands check it.
 */
export class TicketCustomFields1765076400000 implements MigrationInterface {
  name = 'TicketCustomFields1765076400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ticket_fields (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,49}$'),
      label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 200),
      type text NOT NULL CHECK (type IN ('text', 'long_text', 'integer', 'decimal', 'date', 'dropdown', 'multi_select', 'checkbox', 'regex', 'contact', 'organization')),
      options jsonb NOT NULL DEFAULT '[]'::jsonb,
      pattern text CHECK (char_length(pattern) <= 200),
      required_at_create boolean NOT NULL DEFAULT false,
      required_at_solve boolean NOT NULL DEFAULT false,
      description text CHECK (char_length(description) <= 1000),
      deleted_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, key)
    )`);
    await q.query(`CREATE INDEX ticket_fields_list ON ticket_fields (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await enableTenantRls(q, 'ticket_fields');

    await q.query(`CREATE TABLE ticket_forms (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      fields jsonb NOT NULL DEFAULT '[]'::jsonb,
      is_default boolean NOT NULL DEFAULT false,
      deleted_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX ticket_forms_name ON ticket_forms (tenant_id, lower(name)) WHERE deleted_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX ticket_forms_default ON ticket_forms (tenant_id) WHERE is_default AND deleted_at IS NULL`);
    await enableTenantRls(q, 'ticket_forms');

    await q.query(`CREATE TABLE ticket_field_values (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      field_id uuid NOT NULL,
      value_text text CHECK (char_length(value_text) <= 10000),
      value_number numeric,
      value_date date,
      value_bool boolean,
      value_uuid uuid,
      value_options text[],
      PRIMARY KEY (tenant_id, ticket_id, field_id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, field_id) REFERENCES ticket_fields (tenant_id, id) ON DELETE CASCADE,
      CHECK (num_nonnulls(value_text, value_number, value_date, value_bool, value_uuid, value_options) = 1)
    )`);
    // One index per typed column, led by (tenant, field): a filter is a range on it, a sort walks it.
    // Long texts are not indexed whole (btree rows are capped): only their first 200 characters.
    await q.query(`CREATE INDEX ticket_field_values_text ON ticket_field_values (tenant_id, field_id, (left(value_text, 200)), ticket_id) WHERE value_text IS NOT NULL`);
    await q.query(`CREATE INDEX ticket_field_values_number ON ticket_field_values (tenant_id, field_id, value_number, ticket_id) WHERE value_number IS NOT NULL`);
    await q.query(`CREATE INDEX ticket_field_values_date ON ticket_field_values (tenant_id, field_id, value_date, ticket_id) WHERE value_date IS NOT NULL`);
    await q.query(`CREATE INDEX ticket_field_values_bool ON ticket_field_values (tenant_id, field_id, value_bool, ticket_id) WHERE value_bool IS NOT NULL`);
    await q.query(`CREATE INDEX ticket_field_values_uuid ON ticket_field_values (tenant_id, field_id, value_uuid, ticket_id) WHERE value_uuid IS NOT NULL`);
    await q.query(`CREATE INDEX ticket_field_values_options ON ticket_field_values USING gin (value_options) WHERE value_options IS NOT NULL`);
    await enableTenantRls(q, 'ticket_field_values');

    await q.query(`ALTER TABLE tickets ADD COLUMN form_id uuid`);

    // A ticket's values as { key: value }, read beside every ticket row (TICKET_COLUMNS). Plain SQL
    // and invoker's rights: row-level security applies inside it as anywhere else.
    await q.query(`CREATE FUNCTION ticket_custom_fields(p_tenant uuid, p_ticket uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
      SELECT coalesce(jsonb_object_agg(f.key, coalesce(to_jsonb(v.value_text), to_jsonb(v.value_number), to_jsonb(v.value_date), to_jsonb(v.value_bool), to_jsonb(v.value_uuid), to_jsonb(v.value_options)) ORDER BY f.key), '{}'::jsonb)
      FROM ticket_field_values v JOIN ticket_fields f ON f.tenant_id = v.tenant_id AND f.id = v.field_id
      WHERE v.tenant_id = p_tenant AND v.ticket_id = p_ticket
    $$`);

    // The tickets whose value of one field passes one test, read through the typed index. Under
    // row-level security the typed comparisons (numeric >=, text ranges, left(), array @>) are not
    // leakproof, so the planner may not use them as index conditions before the policy: inside this
    // SECURITY DEFINER function the policy's tenant predicate is written out and the comparison is an
    // index condition again. Column, operator and cast come from fixed lists; values are parameters.
    await q.query(`CREATE FUNCTION ticket_field_matches(p_field uuid, p_column text, p_op text, p_values text[])
      RETURNS TABLE (ticket_id uuid)
      LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public ROWS 1000 AS $fn$
      DECLARE
        value_type text := CASE p_column WHEN 'value_text' THEN 'text' WHEN 'value_number' THEN 'numeric' WHEN 'value_date' THEN 'date'
                                         WHEN 'value_bool' THEN 'boolean' WHEN 'value_uuid' THEN 'uuid' WHEN 'value_options' THEN 'text' END;
        compare text := CASE p_op WHEN 'eq' THEN '=' WHEN 'gt' THEN '>' WHEN 'gte' THEN '>=' WHEN 'lt' THEN '<' WHEN 'lte' THEN '<=' END;
        test text;
      BEGIN
        IF value_type IS NULL THEN RAISE EXCEPTION 'unknown value column %', p_column; END IF;
        test := CASE
          WHEN p_op = 'any' THEN format('%I IS NOT NULL', p_column)
          WHEN p_column = 'value_options' AND p_op = 'eq' THEN 'value_options @> $3'
          WHEN p_column = 'value_options' AND p_op = 'in' THEN 'value_options && $3'
          WHEN p_column = 'value_text' AND p_op = 'eq' THEN 'left(value_text, 200) = left($3[1], 200) AND value_text = $3[1]'
          WHEN p_column = 'value_text' AND p_op = 'in' THEN 'left(value_text, 200) = ANY (ARRAY(SELECT left(x, 200) FROM unnest($3) x)) AND value_text = ANY ($3)'
          WHEN p_op = 'in' THEN format('%I = ANY ($3::%s[])', p_column, value_type)
          WHEN compare IS NOT NULL AND (p_op = 'eq' OR p_column IN ('value_number', 'value_date')) THEN format('%I %s $3[1]::%s', p_column, compare, value_type)
        END;
        IF test IS NULL THEN RAISE EXCEPTION 'operator % does not apply to %', p_op, p_column; END IF;
        RETURN QUERY EXECUTE 'SELECT ticket_id FROM ticket_field_values WHERE tenant_id = $1 AND field_id = $2 AND ' || test
          USING ${CURRENT_TENANT}, p_field, p_values;
      END
      $fn$`);
    await q.query(`REVOKE ALL ON FUNCTION ticket_field_matches(uuid, text, text, text[]) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ticket_field_matches(uuid, text, text, text[]) TO ${APP_DB_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS ticket_field_matches(uuid, text, text, text[])`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_custom_fields(uuid, uuid)`);
    await q.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS form_id`);
    for (const table of ['ticket_field_values', 'ticket_forms', 'ticket_fields']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
