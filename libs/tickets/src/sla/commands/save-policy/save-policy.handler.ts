import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { GetOrganizationQuery } from '@switchboard/customers';
import { notFound, ProblemException, staleVersion, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { resolveFieldConditions } from '../../../domain/field-filters';
import { CustomFieldsRepository } from '../../../repositories/custom-fields.repository';
import { GroupsRepository } from '../../../repositories/groups.repository';
import { assertLiveCalendar } from '../../domain/calendar-reference';
import { assertPolicyShape, MAX_POLICIES, type PolicyFieldCondition, type PolicyFields } from '../../domain/sla-policy';
import { CalendarsRepository } from '../../repositories/calendars.repository';
import { PoliciesRepository } from '../../repositories/policies.repository';
import type { PolicyView } from '../../repositories/policies.sql';
import { SlaPolicyChanged } from '../../sla.registration';
import { SavePolicyCommand } from './save-policy.command';

const conflict = (field: string, detail: string) => new ProblemException({ status: 409, type: 'conflict', title: 'Conflict', detail, errors: [{ field, message: detail }] });

/** An SLA policy, created or changed: its targets, conditions and calendar checked, audited and announced. */
@CommandHandler(SavePolicyCommand)
export class SavePolicyHandler implements ICommandHandler<SavePolicyCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly policies: PoliciesRepository,
    private readonly calendars: CalendarsRepository,
    private readonly groups: GroupsRepository,
    private readonly fields: CustomFieldsRepository,
    private readonly queries: QueryBus,
  ) {}

  execute({ context, policyId, input, expectedVersion }: SavePolicyCommand): Promise<PolicyView> {
    return this.tx.run(context, async (tx) => {
      const before = policyId ? await this.policies.find(tx, policyId, true) : undefined;
      if (policyId && !before) throw notFound('SLA policy', policyId);
      if (before && expectedVersion !== null && expectedVersion !== before.version) throw staleVersion('SLA policy', expectedVersion, before.version);
      const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<PolicyFields>;
      const next: PolicyFields = {
        name: before?.name ?? '',
        description: before?.description ?? null,
        position: before?.position ?? 0,
        active: before?.active ?? true,
        conditions: before?.conditions ?? {},
        targets: before?.targets ?? {},
        businessHours: before?.businessHours ?? true,
        calendarId: before?.calendarId ?? null,
        pauseStatuses: before?.pauseStatuses ?? ['pending', 'on_hold'],
        warningMinutes: before?.warningMinutes ?? null,
        ...defined,
      };
      if (defined.businessHours === false && input.calendarId === undefined) next.calendarId = null;
      assertPolicyShape(next);
      await this.assertReferences(tx, next);
      if (!before && (await this.policies.list(tx)).length >= MAX_POLICIES) throw conflict('name', `A tenant has at most ${MAX_POLICIES} SLA policies.`);
      if ((!before || before.name.toLowerCase() !== next.name.toLowerCase()) && (await this.policies.nameTaken(tx, next.name, before?.id ?? null))) {
        throw conflict('name', `An SLA policy named "${next.name}" already exists; names are unique (ignoring case).`);
      }
      const after = before ? await this.policies.update(tx, before.id, next) : await this.policies.insert(tx, next);
      const op = before ? 'updated' : 'created';
      await tx.audit({ action: `sla_policy.${op}`, entityType: 'sla_policy', entityId: after.id, before: before ? { ...before } : undefined, after: { ...next } });
      await tx.emit(SlaPolicyChanged.of(after.id, { op, policy: after }));
      return after;
    });
  }

  /**
   * The calendar it names is live; the groups and organizations its conditions name are the
   * tenant's (another tenant's organization is no organization: 422); its custom field conditions
   * name live fields of the tenant, with operators and values the field can take (resolved as the
   * views resolve theirs, and stored as resolved).
   */
  private async assertReferences(tx: TenantTx, f: PolicyFields): Promise<void> {
    if (f.calendarId) await assertLiveCalendar(tx, this.calendars, f.calendarId, 'calendarId');
    for (const [i, id] of (f.conditions.groupIds ?? []).entries()) {
      if (await this.groups.find(tx, id, { live: true })) continue;
      throw badReference(`conditions.groupIds[${i}]`, `Group ${id} does not exist.`);
    }
    if (f.conditions.organizationIds) f.conditions = { ...f.conditions, organizationIds: [...new Set(f.conditions.organizationIds.map((id) => id.toLowerCase()))] };
    for (const [i, id] of (f.conditions.organizationIds ?? []).entries()) {
      const found = await this.queries.execute(new GetOrganizationQuery(tx.tenantId, id)).catch((error: unknown) => {
        if (error instanceof ProblemException && error.problem.status === 404) return undefined;
        throw error;
      });
      if (!found) throw badReference(`conditions.organizationIds[${i}]`, `Organization ${id} does not exist.`);
    }
    if (f.conditions.fields?.length) f.conditions = { ...f.conditions, fields: resolvePolicyFields(await this.fields.allFields(tx), f.conditions.fields) };
  }
}

const badReference = (field: string, detail: string) =>
  new ProblemException({ status: 422, type: 'invalid-reference', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });

const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** Custom field conditions → the views' `<key>:<op>:<value>` resolution (unknown key, deleted field, wrong type: a 422 naming it) → stored resolved. */
export function resolvePolicyFields(rules: Parameters<typeof resolveFieldConditions>[0], conditions: readonly PolicyFieldCondition[]): PolicyFieldCondition[] {
  return conditions.map((c, i) => {
    const at = `conditions.fields[${i}]`;
    const shape = (detail: string) => badShape(at, detail);
    if (!/^[a-z][a-z0-9_]{0,49}$/.test(c.key)) throw shape(`field ${c.key.slice(0, 60)} does not exist (a key is lower-case letters, digits and _)`);
    if (c.op === 'any' || c.op === 'none') {
      if (c.value !== undefined && c.value !== null) throw shape(`${c.key}: ${c.op} takes no value`);
    } else if (c.op === 'in') {
      if (!Array.isArray(c.value) || c.value.length === 0 || c.value.length > 50 || !c.value.every(isScalar)) throw shape(`${c.key}: in takes a list of 1 to 50 values`);
    } else if (!isScalar(c.value)) throw shape(`${c.key}: ${c.op} takes one value (text, number or true/false)`);
    const value = c.op === 'in' ? (c.value as unknown[]).map(String).join('|') : c.value === undefined || c.value === null ? undefined : String(c.value);
    const [resolved] = resolveFieldConditions(rules, [value === undefined ? `${c.key}:${c.op}` : `${c.key}:${c.op}:${value}`], at);
    // A number stays a number (the resolution answers text for numeric fields); everything else as resolved.
    const stored = typeof c.value === 'number' && typeof resolved!.value === 'string' ? Number(resolved!.value) : resolved!.value;
    return { key: c.key, op: c.op, ...(stored !== undefined ? { value: stored } : {}) };
  });
}

const badShape = (field: string, detail: string) => new ProblemException({ status: 422, type: 'validation', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });
