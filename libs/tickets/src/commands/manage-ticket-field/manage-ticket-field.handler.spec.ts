import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { CustomFieldsRepository } from '../../repositories/custom-fields.repository';
import type { TicketFieldView } from '../../repositories/custom-fields.sql';
import { ManageTicketFieldCommand } from './manage-ticket-field.command';
import { ManageTicketFieldHandler, nextFieldDefinition } from './manage-ticket-field.handler';

const FIELD_ID = '12121212-1212-4121-8121-121212121212';
const problemOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { problem: { status: number; errors: { field: string; message: string }[] } }).problem;
  }
  throw new Error('expected a problem');
};
const plan: TicketFieldView = {
  id: FIELD_ID,
  key: 'plan',
  type: 'dropdown',
  label: 'Plan',
  description: null,
  options: [
    { value: 'gold', label: 'Gold', active: true },
    { value: 'bronze', label: 'Bronze', active: true },
  ],
  pattern: null,
  requiredAtCreate: false,
  requiredAtSolve: false,
  active: true,
  deletedAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 1,
};

function setup(existing: TicketFieldView | null = plan) {
  const tx = new FakeTenantTransaction();
  const fields = {
    field: jest.fn(async () => existing ?? undefined),
    insertField: jest.fn(async (_tx: unknown, key: string, type: TicketFieldView['type']) => (key === 'taken' ? undefined : { ...plan, key, type, id: FIELD_ID })),
    updateField: jest.fn(async (_tx: unknown, _id: string, f: object) => ({ ...plan, ...f, version: 2 })),
    softDeleteField: jest.fn(async () => undefined),
  };
  const handler = new ManageTicketFieldHandler(tx.asTenantTransaction(), fields as unknown as CustomFieldsRepository);
  return { tx, fields, run: (change: ManageTicketFieldCommand['change']) => handler.execute(new ManageTicketFieldCommand(testContext(), change)) };
}

describe('ManageTicketFieldHandler', () => {
  it('checks a definition: options only on choices, never dropped; patterns only on regex fields, never catastrophic', () => {
    expect(nextFieldDefinition('dropdown', null, { label: 'Plan', options: [{ value: 'gold', label: 'Gold' }] })).toMatchObject({ options: [{ value: 'gold', label: 'Gold', active: true }], pattern: null });
    expect(problemOf(() => nextFieldDefinition('dropdown', null, { label: 'Plan', options: [] })).errors).toEqual([{ field: 'options', message: 'a dropdown field needs at least one option' }]);
    expect(problemOf(() => nextFieldDefinition('multi_select', null, { label: 'R', options: [{ value: 'a', label: 'A' }, { value: 'a', label: 'B' }] })).errors).toEqual([{ field: 'options', message: 'option values must be unique' }]);
    expect(problemOf(() => nextFieldDefinition('dropdown', plan, { options: [{ value: 'gold', label: 'Gold' }] })).errors[0].message).toMatch(/cannot be removed.*deactivate bronze/);
    expect(problemOf(() => nextFieldDefinition('integer', null, { label: 'N', options: [{ value: 'a', label: 'A' }] })).errors).toEqual([{ field: 'options', message: 'a integer field has no options' }]);
    expect(problemOf(() => nextFieldDefinition('regex', null, { label: 'S', pattern: '(a+)+' })).errors[0]).toMatchObject({ field: 'pattern', message: expect.stringMatching(/backtrack/) });
    expect(problemOf(() => nextFieldDefinition('text', null, { label: 'S', pattern: 'a' })).errors[0]).toMatchObject({ field: 'pattern' });
    expect(nextFieldDefinition('regex', null, { label: 'S', pattern: '[A-Z]{2}' })).toMatchObject({ pattern: '[A-Z]{2}' });
  });

  it('creates with an audit entry and an event; a taken key is a 409', async () => {
    const { tx, run } = setup();
    const created = await run({ op: 'create', key: 'seats', type: 'integer', input: { label: 'Seats', requiredAtSolve: true } });
    expect(created).toMatchObject({ key: 'seats', type: 'integer' });
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'ticket_field.created', entityType: 'ticket_field', entityId: FIELD_ID })]);
    expect(tx.emitted).toEqual([expect.objectContaining({ type: 'tickets.ticket_field_changed', payload: expect.objectContaining({ action: 'created' }) })]);
    await expect(run({ op: 'create', key: 'taken', type: 'text', input: { label: 'T' } })).rejects.toMatchObject({ problem: { status: 409 } });
  });

  it('changes only what differs, refuses a stale version, and answers 404 for a missing field', async () => {
    const { tx, fields, run } = setup();
    await run({ op: 'update', id: FIELD_ID, changes: { label: 'Plan' }, expectedVersion: 1 });
    expect(fields.updateField).not.toHaveBeenCalled();
    await run({ op: 'update', id: FIELD_ID, changes: { options: [{ value: 'gold', label: 'Gold' }, { value: 'bronze', label: 'Bronze', active: false }] }, expectedVersion: 1 });
    expect(tx.audits[0]).toMatchObject({ action: 'ticket_field.updated', before: { options: plan.options }, after: { options: [plan.options[0], { ...plan.options[1], active: false }] } });
    await expect(run({ op: 'update', id: FIELD_ID, changes: { label: 'X' }, expectedVersion: 7 })).rejects.toMatchObject({ problem: { status: 412 } });
    await expect(setup(null).run({ op: 'delete', id: FIELD_ID })).rejects.toMatchObject({ problem: { status: 404 } });
  });
});
