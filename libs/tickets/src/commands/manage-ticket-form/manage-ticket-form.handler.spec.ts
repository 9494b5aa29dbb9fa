import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { CustomFieldsRepository } from '../../repositories/custom-fields.repository';
import type { TicketFormFields, TicketFormView } from '../../repositories/custom-fields.sql';
import { ManageTicketFormCommand } from './manage-ticket-form.command';
import { ManageTicketFormHandler } from './manage-ticket-form.handler';

const FORM_ID = '13131313-1313-4131-8131-131313131313';
const LIVE = '14141414-1414-4141-8141-141414141414';
const DELETED = '15151515-1515-4151-8151-151515151515';
const aForm = (f: Partial<TicketFormView> = {}): TicketFormView => ({
  id: FORM_ID,
  name: 'Sales',
  fields: [],
  isDefault: false,
  deletedAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 1,
  ...f,
});

function setup(existing: TicketFormView | null = aForm(), takenNames: string[] = []) {
  const tx = new FakeTenantTransaction();
  const repo = {
    form: jest.fn(async () => existing ?? undefined),
    allFields: jest.fn(async () => [
      { id: LIVE, active: true },
      { id: DELETED, active: false },
    ]),
    formNameTaken: jest.fn(async (_tx: unknown, name: string) => takenNames.includes(name.toLowerCase())),
    clearDefault: jest.fn(async () => undefined),
    insertForm: jest.fn(async (_tx: unknown, f: TicketFormFields) => aForm(f)),
    updateForm: jest.fn(async (_tx: unknown, _id: string, f: TicketFormFields) => aForm({ ...f, version: 2 })),
    softDeleteForm: jest.fn(async () => undefined),
  };
  const handler = new ManageTicketFormHandler(tx.asTenantTransaction(), repo as unknown as CustomFieldsRepository);
  return { tx, repo, run: (change: ManageTicketFormCommand['change']) => handler.execute(new ManageTicketFormCommand(testContext(), change)) };
}

describe('ManageTicketFormHandler', () => {
  it('creates a default form, taking the flag from the old default, with audit and event', async () => {
    const { tx, repo, run } = setup();
    const form = await run({ op: 'create', input: { name: 'Hardware', fields: [{ fieldId: LIVE.toUpperCase(), required: true }], isDefault: true } });
    expect(repo.clearDefault).toHaveBeenCalledWith(expect.anything(), null);
    expect(repo.insertForm).toHaveBeenCalledWith(expect.anything(), { name: 'Hardware', fields: [{ fieldId: LIVE, required: true }], isDefault: true });
    expect(form).toMatchObject({ name: 'Hardware', isDefault: true });
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'ticket_form.created', entityType: 'ticket_form' })]);
    expect(tx.emitted).toEqual([expect.objectContaining({ type: 'tickets.ticket_form_changed', payload: expect.objectContaining({ action: 'created' }) })]);
  });

  it('refuses deleted, unknown and repeated fields (each named), and a taken name', async () => {
    const { run } = setup(aForm(), ['sales']);
    await expect(run({ op: 'create', input: { name: 'X', fields: [{ fieldId: DELETED }, { fieldId: LIVE }, { fieldId: LIVE }] } })).rejects.toMatchObject({
      problem: {
        status: 422,
        errors: [
          { field: 'fields[0].fieldId', message: `field ${DELETED} does not exist` },
          { field: 'fields[2].fieldId', message: `field ${LIVE} is listed twice` },
        ],
      },
    });
    await expect(run({ op: 'create', input: { name: 'SALES', fields: [] } })).rejects.toMatchObject({ problem: { status: 409 } });
  });

  it('changes only what differs; a stale version is 412; a missing form 404', async () => {
    const { tx, repo, run } = setup();
    await run({ op: 'update', id: FORM_ID, changes: { name: 'Sales' }, expectedVersion: 1 });
    expect(repo.updateForm).not.toHaveBeenCalled();
    await run({ op: 'update', id: FORM_ID, changes: { isDefault: true }, expectedVersion: null });
    expect(repo.clearDefault).toHaveBeenCalledWith(expect.anything(), FORM_ID);
    expect(tx.audits[0]).toMatchObject({ action: 'ticket_form.updated', before: { isDefault: false }, after: { isDefault: true } });
    await expect(run({ op: 'update', id: FORM_ID, changes: { name: 'New' }, expectedVersion: 3 })).rejects.toMatchObject({ problem: { status: 412 } });
    await expect(setup(null).run({ op: 'delete', id: FORM_ID })).rejects.toMatchObject({ problem: { status: 404 } });
  });
});
