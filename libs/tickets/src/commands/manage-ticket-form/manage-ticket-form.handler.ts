import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, staleVersion, TenantTransaction, type FieldError, type TenantTx } from '@switchboard/platform';
import { fieldsInvalid } from '../../domain/custom-fields';
import { CustomFieldsRepository } from '../../repositories/custom-fields.repository';
import type { TicketFormFields, TicketFormView } from '../../repositories/custom-fields.sql';
import { TicketFormChanged, type FieldDelta } from '../../tickets.context';
import { ManageTicketFormCommand, type TicketFormInput } from './manage-ticket-form.command';

const formNameTaken = (name: string) =>
  new ProblemException({ status: 409, type: 'conflict', title: 'Conflict', detail: `A ticket form named "${name}" already exists; form names are unique (ignoring case).`, errors: [{ field: 'name', message: 'must be unique' }] });

/** Ticket forms: which custom fields a ticket shows and in what order; one of them may be the default for new tickets. */
@CommandHandler(ManageTicketFormCommand)
export class ManageTicketFormHandler implements ICommandHandler<ManageTicketFormCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly forms: CustomFieldsRepository,
  ) {}

  execute({ context, change }: ManageTicketFormCommand): Promise<TicketFormView | null> {
    return this.tx.run(context, async (tx) => {
      if (change.op === 'create') {
        const next = await this.checked(tx, { name: change.input.name, fields: [], isDefault: false }, change.input, null);
        if (next.isDefault) await this.forms.clearDefault(tx, null);
        const created = await this.forms.insertForm(tx, next);
        await tx.audit({ action: 'ticket_form.created', entityType: 'ticket_form', entityId: created.id, after: { ...next } });
        await tx.emit(TicketFormChanged.of(created.id, { action: 'created', form: created, delta: null }));
        return created;
      }
      const before = await this.forms.form(tx, change.id, { lock: true, live: true });
      if (!before) throw notFound('Ticket form', change.id);
      if (change.op === 'delete') {
        await this.forms.softDeleteForm(tx, change.id);
        const after = (await this.forms.form(tx, change.id))!;
        await tx.audit({ action: 'ticket_form.deleted', entityType: 'ticket_form', entityId: change.id, before: { name: before.name } });
        await tx.emit(TicketFormChanged.of(change.id, { action: 'deleted', form: after, delta: null }));
        return null;
      }
      if (change.expectedVersion !== null && change.expectedVersion !== before.version) throw staleVersion('ticket form', change.expectedVersion, before.version);
      const current: TicketFormFields = { name: before.name, fields: before.fields, isDefault: before.isDefault };
      const next = await this.checked(tx, current, change.changes, change.id);
      const delta: FieldDelta = {};
      for (const key of Object.keys(next) as (keyof TicketFormFields)[]) {
        if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) delta[key] = { from: current[key], to: next[key] };
      }
      if (Object.keys(delta).length === 0) return before;
      if (next.isDefault && !before.isDefault) await this.forms.clearDefault(tx, change.id);
      const after = await this.forms.updateForm(tx, change.id, next);
      await tx.audit({
        action: 'ticket_form.updated',
        entityType: 'ticket_form',
        entityId: change.id,
        before: Object.fromEntries(Object.entries(delta).map(([k, d]) => [k, d.from])),
        after: Object.fromEntries(Object.entries(delta).map(([k, d]) => [k, d.to])),
      });
      await tx.emit(TicketFormChanged.of(change.id, { action: 'updated', form: after, delta }));
      return after;
    });
  }

  /** The form after the change: a unique name; each field named once and live in this tenant (another tenant's id is no field). */
  private async checked(tx: TenantTx, current: TicketFormFields, input: Partial<TicketFormInput>, id: string | null): Promise<TicketFormFields> {
    const next: TicketFormFields = {
      name: input.name ?? current.name,
      fields: input.fields ? input.fields.map((f) => ({ fieldId: f.fieldId.toLowerCase(), required: f.required ?? null })) : current.fields,
      isDefault: input.isDefault ?? current.isDefault,
    };
    if (input.fields) {
      const live = new Set((await this.forms.allFields(tx)).filter((f) => f.active).map((f) => f.id));
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      next.fields.forEach((f, i) => {
        if (seen.has(f.fieldId)) errors.push({ field: `fields[${i}].fieldId`, message: `field ${f.fieldId} is listed twice` });
        else if (!live.has(f.fieldId)) errors.push({ field: `fields[${i}].fieldId`, message: `field ${f.fieldId} does not exist` });
        seen.add(f.fieldId);
      });
      if (errors.length > 0) throw fieldsInvalid(errors);
    }
    if (input.name !== undefined && (await this.forms.formNameTaken(tx, next.name, id))) throw formNameTaken(next.name);
    return next;
  }
}
