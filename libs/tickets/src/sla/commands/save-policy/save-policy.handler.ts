import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, staleVersion, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { GroupsRepository } from '../../../repositories/groups.repository';
import { assertLiveCalendar } from '../../domain/calendar-reference';
import { assertPolicyShape, MAX_POLICIES, type PolicyFields } from '../../domain/sla-policy';
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

  /** The calendar it names is live; the groups its conditions name are live groups of the tenant. */
  private async assertReferences(tx: TenantTx, f: PolicyFields): Promise<void> {
    if (f.calendarId) await assertLiveCalendar(tx, this.calendars, f.calendarId, 'calendarId');
    for (const [i, id] of (f.conditions.groupIds ?? []).entries()) {
      if (await this.groups.find(tx, id, { live: true })) continue;
      const detail = `Group ${id} does not exist.`;
      throw new ProblemException({ status: 422, type: 'invalid-reference', title: 'Unprocessable Content', detail, errors: [{ field: `conditions.groupIds[${i}]`, message: detail }] });
    }
  }
}
