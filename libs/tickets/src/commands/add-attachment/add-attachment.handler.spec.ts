import { jest } from '@jest/globals';
import type { StoredUpload, TenantFiles } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { StorageQuotaPolicy } from '../../domain/storage-quota.port';
import type { AttachmentsRepository } from '../../repositories/attachments.repository';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import { aTicket, fakeAttachments, fakeTickets, NEW_ID, TICKET_ID } from '../../testing/fake-repositories';
import { AddAttachmentCommand } from './add-attachment.command';
import { AddAttachmentHandler } from './add-attachment.handler';

const context = testContext();
const upload = (declaredType: string): StoredUpload => ({ key: 'attachments/abc', filename: 'report.pdf', declaredType, size: 1234, sha256: 'f'.repeat(64) });
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(56)]);

function setup(head: Buffer, ticketExists = true, quota?: StorageQuotaPolicy) {
  const tx = new FakeTenantTransaction();
  const files = { head: jest.fn(async () => head), remove: jest.fn(async () => undefined) };
  const tickets = fakeTickets(...(ticketExists ? [aTicket()] : []));
  const attachments = fakeAttachments();
  const handler = new AddAttachmentHandler(tx.asTenantTransaction(), files as unknown as TenantFiles, tickets as unknown as TicketsRepository, attachments as unknown as AttachmentsRepository, quota);
  return { tx, files, tickets, attachments, handler };
}

describe('AddAttachmentHandler', () => {
  it('records the file with the type read from its bytes, its history, audit and event', async () => {
    const { tx, files, tickets, attachments, handler } = setup(PDF);
    const view = await handler.execute(new AddAttachmentCommand(context, TICKET_ID, upload('application/octet-stream')));

    expect(attachments.insert).toHaveBeenCalledWith(expect.anything(), TICKET_ID, {
      storageKey: 'attachments/abc',
      filename: 'report.pdf',
      contentType: 'application/pdf',
      size: 1234,
      sha256: 'f'.repeat(64),
      uploadedBy: context.actorId,
    });
    const summary = { id: NEW_ID, filename: 'report.pdf', contentType: 'application/pdf', size: 1234 };
    expect(tickets.recordHistory).toHaveBeenCalledWith(expect.anything(), TICKET_ID, 'ticket.attachment_added', { attachment: { to: summary } });
    expect(tx.audits).toEqual([{ action: 'ticket.attachment_added', entityType: 'ticket', entityId: TICKET_ID, after: summary }]);
    expect(tx.emitted).toEqual([{ type: 'tickets.attachment_added', aggregateId: TICKET_ID, payload: summary }]);
    expect(view).toMatchObject({ id: NEW_ID, contentType: 'application/pdf' });
    expect(files.remove).not.toHaveBeenCalled();
  });

  it('accepts declared plain text without a signature, as UTF-8 text', async () => {
    const { attachments, handler } = setup(Buffer.from('just some notes\n'));
    await handler.execute(new AddAttachmentCommand(context, TICKET_ID, upload('text/plain')));
    expect(attachments.insert.mock.calls[0]![2].contentType).toBe('text/plain; charset=utf-8');
  });

  it.each([
    ['an executable, whatever it claims to be', ELF, 'application/pdf'],
    ['binary bytes declared as text', Buffer.from([0x68, 0x69, 0x00, 0x01]), 'text/plain'],
  ])('refuses %s with 415, removes the stored bytes and records nothing', async (_, head, declared) => {
    const { tx, files, attachments, handler } = setup(head);
    await expect(handler.execute(new AddAttachmentCommand(context, TICKET_ID, upload(declared)))).rejects.toMatchObject({ problem: { status: 415, type: 'unsupported-attachment' } });
    expect(files.remove).toHaveBeenCalledWith(context.tenantId, 'attachments/abc');
    expect(attachments.insert).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });

  it('answers 404 for a missing ticket and removes the stored bytes', async () => {
    const { tx, files, attachments, handler } = setup(PDF, false);
    await expect(handler.execute(new AddAttachmentCommand(context, TICKET_ID, upload('application/pdf')))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(files.remove).toHaveBeenCalledWith(context.tenantId, 'attachments/abc');
    expect(attachments.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses a file that would take the tenant past its plan’s storage with 402, removes its bytes and records nothing', async () => {
    const quota = { storageLimit: jest.fn(async () => ({ limit: 10_000, plan: 'Free' })) };
    const { tx, files, attachments, handler } = setup(PDF, true, quota);
    attachments.storedBytesForUpdate.mockResolvedValue(9_000);
    await expect(handler.execute(new AddAttachmentCommand(context, TICKET_ID, upload('application/pdf')))).rejects.toMatchObject({
      problem: { status: 402, type: 'storage-limit-reached', extensions: { plan: 'Free', allowed: 10_000, used: 9_000, size: 1234 } },
    });
    expect(quota.storageLimit).toHaveBeenCalledWith(context);
    expect(files.remove).toHaveBeenCalledWith(context.tenantId, 'attachments/abc');
    expect(attachments.insert).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });

  it('stores a file that fits, and reads no totals for an unlimited plan or without a policy', async () => {
    const fits = setup(PDF, true, { storageLimit: async () => ({ limit: 10_000, plan: 'Free' }) });
    fits.attachments.storedBytesForUpdate.mockResolvedValue(8_766);
    await fits.handler.execute(new AddAttachmentCommand(context, TICKET_ID, upload('application/pdf')));
    expect(fits.attachments.insert).toHaveBeenCalled();
    for (const quota of [{ storageLimit: async () => ({ limit: null, plan: 'Business' }) }, undefined]) {
      const { attachments, handler } = setup(PDF, true, quota);
      await handler.execute(new AddAttachmentCommand(context, TICKET_ID, upload('application/pdf')));
      expect(attachments.storedBytesForUpdate).not.toHaveBeenCalled();
      expect(attachments.insert).toHaveBeenCalled();
    }
  });
});
