import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, staleVersion, TenantTransaction } from '@switchboard/platform';
import { fieldKeyTaken, fieldsInvalid, FIELD_LIMITS, patternProblem, type FieldOption, type FieldType } from '../../domain/custom-fields';
import { CustomFieldsRepository } from '../../repositories/custom-fields.repository';
import type { TicketFieldFields, TicketFieldView } from '../../repositories/custom-fields.sql';
import { TicketFieldChanged, type FieldDelta } from '../../tickets.context';
import { ManageTicketFieldCommand, type TicketFieldInput } from './manage-ticket-field.command';

const WITH_OPTIONS: readonly FieldType[] = ['dropdown', 'multi_select'];

/**
 * The definition a field would have after a change, checked: options only on choice fields
 * (unique values; an existing option may be deactivated or relabelled but never dropped, so old
 * values keep their meaning), a pattern only on regex fields and one that cannot backtrack
 * catastrophically.
 */
export function nextFieldDefinition(type: FieldType, current: TicketFieldFields | null, input: Partial<TicketFieldInput>): TicketFieldFields {
  const errors: { field: string; message: string }[] = [];
  const options: FieldOption[] = input.options ? input.options.map((o) => ({ value: o.value, label: o.label, active: o.active ?? true })) : (current?.options ?? []);
  if (WITH_OPTIONS.includes(type)) {
    if (options.length === 0) errors.push({ field: 'options', message: `a ${type} field needs at least one option` });
    if (options.length > FIELD_LIMITS.options) errors.push({ field: 'options', message: `at most ${FIELD_LIMITS.options} options` });
    if (new Set(options.map((o) => o.value)).size !== options.length) errors.push({ field: 'options', message: 'option values must be unique' });
    const dropped = (current?.options ?? []).filter((old) => !options.some((o) => o.value === old.value));
    if (dropped.length > 0) errors.push({ field: 'options', message: `options cannot be removed (tickets may hold them); deactivate ${dropped.map((o) => o.value).join(', ')} with active: false instead` });
  } else if (input.options && input.options.length > 0) errors.push({ field: 'options', message: `a ${type} field has no options` });
  const pattern = input.pattern !== undefined ? input.pattern : (current?.pattern ?? null);
  if (type === 'regex') {
    const problem = pattern === null ? 'is required for a regex field' : patternProblem(pattern);
    if (problem) errors.push({ field: 'pattern', message: problem });
  } else if (pattern !== null) errors.push({ field: 'pattern', message: `only a regex field has a pattern (this one is ${type})` });
  if (errors.length > 0) throw fieldsInvalid(errors);
  return {
    label: input.label ?? current?.label ?? '',
    description: input.description !== undefined ? input.description : (current?.description ?? null),
    options,
    pattern,
    requiredAtCreate: input.requiredAtCreate ?? current?.requiredAtCreate ?? false,
    requiredAtSolve: input.requiredAtSolve ?? current?.requiredAtSolve ?? false,
  };
}

const definitionOf = (f: TicketFieldView): TicketFieldFields => ({
  label: f.label,
  description: f.description,
  options: f.options,
  pattern: f.pattern,
  requiredAtCreate: f.requiredAtCreate,
  requiredAtSolve: f.requiredAtSolve,
});

/** Custom ticket fields: the key and type are fixed at creation; deleting is soft (values stay readable, the key stays taken). */
@CommandHandler(ManageTicketFieldCommand)
export class ManageTicketFieldHandler implements ICommandHandler<ManageTicketFieldCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly fields: CustomFieldsRepository,
  ) {}

  execute({ context, change }: ManageTicketFieldCommand): Promise<TicketFieldView | null> {
    return this.tx.run(context, async (tx) => {
      if (change.op === 'create') {
        const definition = nextFieldDefinition(change.type, null, change.input);
        const created = await this.fields.insertField(tx, change.key, change.type, definition);
        if (!created) throw fieldKeyTaken(change.key);
        await tx.audit({ action: 'ticket_field.created', entityType: 'ticket_field', entityId: created.id, after: { key: created.key, type: created.type, ...definition } });
        await tx.emit(TicketFieldChanged.of(created.id, { action: 'created', field: created, delta: null }));
        return created;
      }
      const before = await this.fields.field(tx, change.id, { lock: true, live: true });
      if (!before) throw notFound('Ticket field', change.id);
      if (change.op === 'delete') {
        await this.fields.softDeleteField(tx, change.id);
        const after = (await this.fields.field(tx, change.id))!;
        await tx.audit({ action: 'ticket_field.deleted', entityType: 'ticket_field', entityId: change.id, before: { key: before.key, label: before.label } });
        await tx.emit(TicketFieldChanged.of(change.id, { action: 'deleted', field: after, delta: null }));
        return null;
      }
      if (change.expectedVersion !== null && change.expectedVersion !== before.version) throw staleVersion('ticket field', change.expectedVersion, before.version);
      const current = definitionOf(before);
      const next = nextFieldDefinition(before.type, current, change.changes);
      const delta: FieldDelta = {};
      for (const key of Object.keys(next) as (keyof TicketFieldFields)[]) {
        if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) delta[key] = { from: current[key], to: next[key] };
      }
      if (Object.keys(delta).length === 0) return before;
      const after = await this.fields.updateField(tx, change.id, next);
      await tx.audit({
        action: 'ticket_field.updated',
        entityType: 'ticket_field',
        entityId: change.id,
        before: Object.fromEntries(Object.entries(delta).map(([k, d]) => [k, d.from])),
        after: Object.fromEntries(Object.entries(delta).map(([k, d]) => [k, d.to])),
      });
      await tx.emit(TicketFieldChanged.of(change.id, { action: 'updated', field: after, delta }));
      return after;
    });
  }
}
