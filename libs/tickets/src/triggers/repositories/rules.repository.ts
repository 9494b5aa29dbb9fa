import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from '../../repositories/execute';
import { automationsSql, rulesSql, toRuleView, type AgeCondition, type AutomationCandidate, type RuleFields, type RuleRow, type RuleTable, type RuleView } from './rules.sql';

/** Triggers and automations (SQL in `rules.sql.ts`), one table each; every method runs in the handler's transaction. */
@Injectable()
export class RulesRepository {
  async find(tx: TenantTx, table: RuleTable, id: string, lock = false): Promise<RuleView | undefined> {
    const [row] = await execute<RuleRow[]>(tx, rulesSql.find(table, tx.tenantId, id, lock));
    return row ? toRuleView(row) : undefined;
  }
  async insert(tx: TenantTx, table: RuleTable, f: RuleFields): Promise<RuleView> {
    const [row] = await execute<RuleRow[]>(tx, rulesSql.insert(table, tx.tenantId, f));
    return toRuleView(row!);
  }
  async update(tx: TenantTx, table: RuleTable, id: string, f: RuleFields): Promise<RuleView> {
    const [rows] = await execute<[RuleRow[], number]>(tx, rulesSql.update(table, tx.tenantId, id, f));
    return toRuleView(rows[0]!);
  }
  async softDelete(tx: TenantTx, table: RuleTable, id: string): Promise<void> {
    await execute(tx, rulesSql.softDelete(table, tx.tenantId, id));
  }
  async list(tx: TenantTx, table: RuleTable, activeOnly = false): Promise<RuleView[]> {
    return (await execute<RuleRow[]>(tx, rulesSql.list(table, tx.tenantId, activeOnly))).map(toRuleView);
  }
  async nameTaken(tx: TenantTx, table: RuleTable, name: string, exceptId: string | null): Promise<boolean> {
    return (await execute<unknown[]>(tx, rulesSql.nameTaken(table, tx.tenantId, name, exceptId))).length > 0;
  }
  async reorder(tx: TenantTx, table: RuleTable, ids: string[]): Promise<void> {
    await execute(tx, rulesSql.reorder(table, tx.tenantId, ids));
  }
  async statusSince(tx: TenantTx, ticketId: string): Promise<Date> {
    const [row] = await execute<{ at: Date }[]>(tx, rulesSql.statusSince(tx.tenantId, ticketId));
    return new Date(row!.at);
  }
  async cursor(tx: TenantTx, automationId: string): Promise<string | null> {
    const [row] = await execute<{ cursor: string | null }[]>(tx, automationsSql.cursor(tx.tenantId, automationId));
    return row?.cursor ?? null;
  }
  async setCursor(tx: TenantTx, automationId: string, cursor: string | null): Promise<void> {
    await execute(tx, automationsSql.setCursor(tx.tenantId, automationId, cursor));
  }
  async candidates(tx: TenantTx, automationId: string, after: string | null, statuses: string[] | null, limit: number, ages: AgeCondition[] = []): Promise<AutomationCandidate[]> {
    return execute<AutomationCandidate[]>(tx, automationsSql.candidates(tx.tenantId, automationId, after, statuses, limit, ages));
  }
  /** True when this call recorded the run (the automation had not acted on the ticket in this state). */
  async recordRun(tx: TenantTx, automationId: string, ticketId: string, stateKey: string, version: number): Promise<boolean> {
    return (await execute<unknown[]>(tx, automationsSql.recordRun(tx.tenantId, automationId, ticketId, stateKey, version))).length > 0;
  }
}
