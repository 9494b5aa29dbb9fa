import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ContactErasuresRepository, ErasureView } from '../../repositories/contact-erasures.repository';
import { EraseContactCommand } from './erase-contact.command';
import { EraseContactHandler } from './erase-contact.handler';

const CONTACT_ID = '11111111-1111-4111-8111-111111111111';
const subject = { name: 'Ada Lovelace', emails: ['ada@home.example'], phones: ['+442079460019'], others: [], deletedAt: null };
const view = (id: string): ErasureView => ({ id, contactId: CONTACT_ID, status: 'in_progress', requestedBy: null, requestedAt: '2026-12-06T10:00:00.000Z', completedAt: null, steps: {} });

function setup(options: { present?: boolean; earlier?: ErasureView } = {}) {
  const tx = new FakeTenantTransaction();
  const erasures = {
    subjectForUpdate: jest.fn(async () => (options.present === false ? undefined : subject)),
    latestOfContact: jest.fn(async () => options.earlier),
    eraseOwnRows: jest.fn(async () => ({ contacts: 1, identities: 2, addresses: 1, attributes: 0 })),
    insert: jest.fn(async (_tx: unknown, e: { id: string }) => view(e.id)),
    recordStep: jest.fn(async () => undefined),
    find: jest.fn(async (_tx: unknown, id: string) => ({ ...view(id), pattern: 'p' })),
  };
  return { tx, erasures, handler: new EraseContactHandler(tx as never, erasures as unknown as ContactErasuresRepository) };
}

describe('EraseContactHandler', () => {
  it('erases the contact’s own rows, records the erasure with the pattern that finds them in text, audits kinds and counts only, and emits the request', async () => {
    const { tx, erasures, handler } = setup();
    const context = testContext();
    const erasure = await handler.execute(new EraseContactCommand(context, CONTACT_ID));
    expect(erasures.eraseOwnRows).toHaveBeenCalledWith(expect.anything(), CONTACT_ID);
    const inserted = erasures.insert.mock.calls[0][1] as unknown as { id: string; pattern: string; requestedBy: string };
    expect(inserted.pattern).toContain('ada@home\\.example');
    expect(inserted.requestedBy).toBe(context.actorId);
    expect(erasures.recordStep).toHaveBeenCalledWith(expect.anything(), inserted.id, 'customers', { contacts: 1, identities: 2, addresses: 1, attributes: 0 });
    expect(erasure.id).toBe(inserted.id);
    expect(tx.emitted).toEqual([{ type: 'customers.contact_erasure_requested', aggregateId: CONTACT_ID, payload: { erasureId: inserted.id, contactId: CONTACT_ID } }]);
    expect(JSON.stringify(tx.audits)).not.toMatch(/ada|Lovelace|7946/i);
    expect(tx.audits[0]).toMatchObject({ action: 'contact.erasure_requested', entityId: CONTACT_ID, after: { erasureId: inserted.id, kinds: { emails: 1, phones: 1, channelIdentities: 0 } } });
  });

  it('answers the earlier erasure when asked again, erasing and emitting nothing more', async () => {
    const earlier = view('22222222-2222-4222-8222-222222222222');
    const { tx, erasures, handler } = setup({ earlier });
    expect(await handler.execute(new EraseContactCommand(testContext(), CONTACT_ID))).toBe(earlier);
    expect(erasures.eraseOwnRows).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('answers 404 for a missing or another tenant’s contact', async () => {
    const { tx, handler } = setup({ present: false });
    await expect(handler.execute(new EraseContactCommand(testContext(), CONTACT_ID))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(tx.events).toEqual([]);
  });
});
