import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import { GetAddressQuery, GetContactQuery } from '@switchboard/customers';
import { ProblemException, type AppConfig, type Mailer, type MailMessage, type TenantTransaction } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import { GetTenantQuery } from '@switchboard/tenancy';
import { MAX_SEND_ATTEMPTS } from '../domain/messages';
import type { JobsRepository } from '../repositories/jobs.repository';
import type { MessagesRepository } from '../repositories/messages.repository';
import type { MessageView } from '../repositories/messages.sql';
import type { VisitsRepository } from '../repositories/visits.repository';
import type { MessageDispatcher } from './message-dispatcher';
import { MessageSender } from './message-sender';

const START = '2026-12-08T09:00:00.000Z';
const message = (over: Partial<MessageView> = {}): MessageView & { sequence: number } => ({
  id: 'm1',
  jobId: 'j1',
  visitId: 'v1',
  followUpId: null,
  contactId: 'c1',
  kind: 'visit_reminder',
  channel: 'email',
  status: 'sending',
  sendAt: '2026-12-07T09:00:00.000Z',
  visitStart: START,
  visitEnd: '2026-12-08T10:00:00.000Z',
  attempts: 1,
  recipient: null,
  locale: null,
  subject: null,
  error: null,
  createdAt: '2026-12-01T09:00:00.000Z',
  sentAt: null,
  cancelledAt: null,
  sequence: 0,
  ...over,
});

function setup(options: { claimed?: (MessageView & { sequence: number }) | undefined; visitStatus?: string; emails?: string[]; contactGone?: boolean; mailFails?: boolean } = {}) {
  const sent: MailMessage[] = [];
  const mailer: Mailer = {
    send: jest.fn(async (m: MailMessage) => {
      if (options.mailFails) throw new Error('SMTP 451 try later');
      sent.push(m);
    }),
  };
  const messages = {
    claim: jest.fn(async () => ('claimed' in options ? options.claimed : message())),
    finish: jest.fn(async (_tx: unknown, id: string, status: string, reason: string) => ({ ...message(), id, status, error: reason })),
    sent: jest.fn(async (_tx: unknown, id: string, outcome: { recipient: string }) => ({ ...('claimed' in options ? options.claimed : message()), id, status: 'sent', ...outcome })),
    followUpDone: jest.fn(async () => undefined),
    retryLater: jest.fn(async (_tx: unknown, id: string, at: Date, error: string) => ({ ...message(), id, status: 'pending', sendAt: at.toISOString(), error })),
  };
  const jobs = { find: jest.fn(async () => ({ id: 'j1', contactId: 'c1', addressId: 'a1', title: 'Boiler service', status: 'scheduled' })) };
  const visits = { find: jest.fn(async () => ({ id: 'v1', status: options.visitStatus ?? 'scheduled', scheduledStart: START, arrivalWindowStart: null, arrivalWindowEnd: null })) };
  const queries = {
    execute: jest.fn(async (q: unknown) => {
      if (q instanceof GetContactQuery) {
        if (options.contactGone) throw new ProblemException({ status: 404, type: 'not-found', title: 'Not Found', detail: 'gone' });
        return { id: 'c1', name: 'Grete', emails: options.emails ?? ['grete@example.com'], locale: 'de-AT', timezone: 'Europe/Vienna' };
      }
      if (q instanceof GetTenantQuery) return { id: 't1', name: 'Acme', timezone: 'Europe/Berlin', locale: 'en' };
      if (q instanceof GetAddressQuery) return { street: '5 Main St', postalCode: null, city: 'Vienna', region: null, country: 'AT' };
      throw new Error('unexpected query');
    }),
  };
  const dispatcher = { queue: jest.fn(async () => 1) };
  const sender = new MessageSender(
    new FakeTenantTransaction() as unknown as TenantTransaction,
    queries as unknown as QueryBus,
    jobs as unknown as JobsRepository,
    visits as unknown as VisitsRepository,
    messages as unknown as MessagesRepository,
    dispatcher as unknown as MessageDispatcher,
    mailer,
    { MAIL_FROM: 'no-reply@acme.example' } as AppConfig,
  );
  return { sender, sent, messages, dispatcher };
}

describe('MessageSender', () => {
  it('sends a claimed reminder in the customer’s language and zone, then marks it sent', async () => {
    const { sender, sent, messages } = setup();
    const result = await sender.send('t1', 'm1');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: 'grete@example.com', subject: expect.stringMatching(/^Erinnerung: Acme kommt am .*10:00/) });
    expect(sent[0]!.attachments).toBeUndefined();
    expect(messages.sent).toHaveBeenCalledWith(expect.anything(), 'm1', { recipient: 'grete@example.com', locale: 'de-AT', subject: sent[0]!.subject });
    expect(result?.status).toBe('sent');
  });

  it('attaches an invite to a booking notice', async () => {
    const { sender, sent } = setup({ claimed: message({ kind: 'visit_confirmation' }) });
    await sender.send('t1', 'm1');
    expect(sent[0]!.attachments![0]).toMatchObject({ filename: 'invite.ics', contentType: 'text/calendar; method=REQUEST; charset=utf-8' });
    expect(sent[0]!.attachments![0]!.content).toContain('UID:visit-v1@acme.example');
  });

  it('marks a sent service reminder’s reach-out done', async () => {
    const { sender, sent, messages } = setup({ claimed: message({ kind: 'service_reminder', visitId: null, visitStart: null, visitEnd: null, followUpId: 'f1' }) });
    await sender.send('t1', 'm1');
    expect(sent[0]!.subject).toContain('Acme');
    expect(messages.followUpDone).toHaveBeenCalledWith(expect.anything(), 'f1');
  });

  it('does nothing when another worker claimed it (or it is done)', async () => {
    const { sender, sent, messages } = setup({ claimed: undefined });
    expect(await sender.send('t1', 'm1')).toBeUndefined();
    expect(sent).toEqual([]);
    expect(messages.sent).not.toHaveBeenCalled();
  });

  it('cancels instead of sending when the visit was cancelled since', async () => {
    const { sender, sent, messages } = setup({ visitStatus: 'cancelled' });
    await sender.send('t1', 'm1');
    expect(sent).toEqual([]);
    expect(messages.finish).toHaveBeenCalledWith(expect.anything(), 'm1', 'cancelled', 'The visit is cancelled.', ['sending']);
  });

  it('fails at once when there is nobody to write to', async () => {
    for (const setupOptions of [{ emails: [] }, { contactGone: true }]) {
      const { sender, messages, dispatcher } = setup(setupOptions);
      await sender.send('t1', 'm1');
      expect(messages.finish).toHaveBeenCalledWith(expect.anything(), 'm1', 'failed', expect.stringMatching(/no email address|no longer exists/), ['sending']);
      expect(dispatcher.queue).not.toHaveBeenCalled();
    }
  });

  it('retries a mail failure later, and fails it after the last attempt', async () => {
    const retry = setup({ mailFails: true });
    await retry.sender.send('t1', 'm1');
    expect(retry.messages.retryLater).toHaveBeenCalledWith(expect.anything(), 'm1', expect.any(Date), 'SMTP 451 try later');
    expect(retry.dispatcher.queue).toHaveBeenCalledTimes(1);

    const last = setup({ mailFails: true, claimed: message({ attempts: MAX_SEND_ATTEMPTS }) });
    await last.sender.send('t1', 'm1');
    expect(last.messages.finish).toHaveBeenCalledWith(expect.anything(), 'm1', 'failed', 'SMTP 451 try later', ['sending']);
    expect(last.messages.retryLater).not.toHaveBeenCalled();
  });
});
