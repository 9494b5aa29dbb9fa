import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';
import { Redis } from 'ioredis';
import { startApi, startRedis, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface Mail {
  to: string;
  from: string;
  subject: string;
  text: string;
  attachments?: { filename: string; contentType: string; content: string }[];
  sentAt: string;
}

/** What the worker mailed to one address (the development mailer appends to DATA_DIR/mail/outbox.jsonl). */
function mailTo(address: string): Mail[] {
  const file = join(process.env.E2E_DATA_DIR!, 'mail', 'outbox.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Mail)
    .filter((m) => m.to === address);
}

/**
 * Scheduled customer messages: a visit's confirmation with a calendar invite in the customer's
 * language, the reminder at its instant (once, with two workers), a move replacing them, service
 * reminders after a close-out, cancellation by hand, and tenant isolation.
 */
describe('field service scheduled messages', () => {
  let api: RunningApi;
  let workers: Awaited<ReturnType<typeof startWorker>>[] = [];
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;

  const workerEnv = { OUTBOX_POLL_MS: '50', SCHEDULE_OVERRIDES: JSON.stringify({ 'field-service.due-messages': { every: 1_000 } }) };

  async function customer(t: TenantSession, fields: Record<string, unknown>): Promise<{ contactId: string; addressId: string }> {
    const contact = expectStatus(await c.post('/v1/contacts', fields, t.headers('agent')), 201);
    const address = expectStatus(await c.post(`/v1/contacts/${contact.id}/addresses`, { label: 'Home', street: 'Hauptstraße 5', postalCode: '10115', city: 'Berlin', country: 'DE' }, t.headers('agent')), 201);
    return { contactId: contact.id, addressId: address.id };
  }

  async function visit(t: TenantSession, who: { contactId: string; addressId: string }, start: Date, title = 'Heizungswartung', technicianId?: string): Promise<{ jobId: string; visitId: string }> {
    const job = expectStatus(await c.post('/v1/field-service/jobs', { ...who, title }, t.headers('agent')), 201);
    const v = expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/visits`, { scheduledStart: start.toISOString(), durationMinutes: 30, technicianId }, t.headers('agent')), 201);
    return { jobId: job.id, visitId: v.id };
  }

  const messages = async (t: TenantSession, jobId: string) => expectStatus(await c.get(`/v1/field-service/jobs/${jobId}/messages`, t.headers('viewer')), 200).data as any[];
  const waitForMessages = (t: TenantSession, jobId: string, what: string, probe: (m: any[]) => boolean) =>
    waitFor(async () => {
      const list = await messages(t, jobId);
      return probe(list) ? list : undefined;
    }, what);

  beforeAll(async () => {
    api = await startApi();
    workers = [await startWorker(workerEnv), await startWorker(workerEnv)];
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    // A reminder a minute before the visit: a visit a minute and a few seconds away has its reminder due in seconds.
    expectStatus(await c.patch('/v1/field-service/settings', { visitReminderMinutes: 1 }, acme.headers('admin')), 200);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await api?.stop();
  });

  it('has per-tenant settings with defaults, changed by admins only', async () => {
    expect(expectStatus(await c.get('/v1/field-service/settings', globex.headers('technician')), 200)).toEqual({ visitReminderMinutes: 1440, visitConfirmations: true, serviceReminderHour: 9 });
    expectProblem(await c.patch('/v1/field-service/settings', { visitReminderMinutes: 30 }, globex.headers('agent')), 403);
    expectProblem(await c.patch('/v1/field-service/settings', { visitReminderMinutes: -1 }, globex.headers('admin')), 400);
    expectProblem(await c.patch('/v1/field-service/settings', { serviceReminderHour: 24 }, globex.headers('admin')), 400);
    expectProblem(await c.patch('/v1/field-service/settings', { visitConfirmations: 'yes' }, globex.headers('admin')), 400);
    expect(expectStatus(await c.patch('/v1/field-service/settings', { visitReminderMinutes: 120 }, globex.headers('admin')), 200)).toEqual({
      visitReminderMinutes: 120,
      visitConfirmations: true,
      serviceReminderHour: 9,
    });
    // Each tenant keeps its own (acme's reminder lead was set to a minute before the tests).
    expect(expectStatus(await c.get('/v1/field-service/settings', acme.headers('viewer')), 200).visitReminderMinutes).toBe(1);
  });

  it('confirms a booking in the customer’s language with an invite, and sends the reminder once, not before its instant, with two workers', async () => {
    const email = `grete-${randomUUID().slice(0, 8)}@example.com`;
    const grete = await customer(acme, { name: 'Grete Müller', emails: [email], locale: 'de-AT', timezone: 'Europe/Vienna' });
    const start = new Date(Date.now() + MINUTE + 6_000);
    const { jobId, visitId } = await visit(acme, grete, start);

    const planned = await waitForMessages(acme, jobId, 'the confirmation sent and the reminder planned', (m) => m.length === 2 && m[0].status === 'sent');
    expect(planned).toMatchObject([
      { kind: 'visit_confirmation', status: 'sent', visitId, recipient: email, locale: 'de-AT', attempts: 1, error: null, visitStart: start.toISOString() },
      { kind: 'visit_reminder', status: expect.stringMatching(/^(pending|sending|sent)$/), visitId, sendAt: new Date(start.getTime() - MINUTE).toISOString() },
    ]);
    const [confirmation] = mailTo(email);
    expect(confirmation!.subject).toContain('Ihr Termin');
    expect(confirmation!.text).toContain('Grete Müller');
    expect(confirmation!.text).toContain('Heizungswartung');
    expect(confirmation!.text).toContain('Europe/Vienna');
    expect(confirmation!.text).toContain('Hauptstraße 5, 10115 Berlin, DE');
    const invite = confirmation!.attachments![0]!;
    expect(invite).toMatchObject({ filename: 'invite.ics', contentType: 'text/calendar; method=REQUEST; charset=utf-8' });
    expect(invite.content).toContain('METHOD:REQUEST');
    expect(invite.content).toContain(`UID:visit-${visitId}@`);
    expect(invite.content).toContain('SEQUENCE:0');
    expect(invite.content).toContain(`DTSTART:${start.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
    expect(invite.content).toContain(`mailto:${email}`);

    const done = await waitForMessages(acme, jobId, 'the reminder sent', (m) => m[1]?.status === 'sent');
    const reminder = done[1];
    expect(new Date(reminder.sentAt).getTime()).toBeGreaterThanOrEqual(new Date(reminder.sendAt).getTime());
    expect(reminder.subject).toMatch(/^Erinnerung/);
    // Two workers swept and queued it every second: one email of each kind.
    const mails = mailTo(email);
    expect(mails).toHaveLength(2);
    expect(mails[0]!.subject).toContain('Ihr Termin');
    expect(mails[1]!.subject).toMatch(/^Erinnerung/);
    // The reminder carries no invite; the history of the job is untouched by messages that are only sent.
    expect(mails[1]!.attachments).toBeUndefined();
  });

  it('replaces a moved visit’s messages: the old reminder is cancelled, the notice carries the next invite sequence', async () => {
    const email = `hans-${randomUUID().slice(0, 8)}@example.com`;
    const hans = await customer(acme, { name: 'Hans', emails: [email], locale: 'en-GB', timezone: 'Europe/London' });
    const first = new Date(Date.now() + 3 * DAY);
    const { jobId, visitId } = await visit(acme, hans, first, 'Boiler service');
    await waitForMessages(acme, jobId, 'the first confirmation', (m) => m.length === 2 && m[0].status === 'sent');
    const moved = new Date(Date.now() + 4 * DAY);
    expectStatus(await c.post(`/v1/field-service/visits/${visitId}/reschedule`, { scheduledStart: moved.toISOString() }, acme.headers('agent')), 200);
    const after = await waitForMessages(acme, jobId, 'the move notice sent', (m) => m.length === 4 && m[2].status === 'sent');
    expect(after).toMatchObject([
      { kind: 'visit_confirmation', status: 'sent' },
      { kind: 'visit_reminder', status: 'cancelled', error: expect.stringContaining('rescheduled'), sendAt: new Date(first.getTime() - MINUTE).toISOString() },
      { kind: 'visit_rescheduled', status: 'sent', visitStart: moved.toISOString() },
      { kind: 'visit_reminder', status: 'pending', sendAt: new Date(moved.getTime() - MINUTE).toISOString() },
    ]);
    const notice = mailTo(email).find((m) => m.subject.includes('moved'))!;
    expect(notice.text).toContain('Boiler service');
    expect(notice.attachments![0]!.content).toContain('SEQUENCE:1');
    expect(notice.attachments![0]!.content).toContain(`UID:visit-${visitId}@`);

    // Cancelling the pending reminder by hand; again changes nothing; a sent message cannot be cancelled.
    const reminderId = after[3].id;
    expect(expectProblem(await c.post(`/v1/field-service/messages/${reminderId}/cancel`, {}, globex.headers('agent')), 404).detail).toBeDefined();
    expectProblem(await c.post(`/v1/field-service/messages/${reminderId}/cancel`, {}, acme.headers('viewer')), 403);
    const cancelled = expectStatus(await c.post(`/v1/field-service/messages/${reminderId}/cancel`, {}, acme.headers('agent')), 200);
    expect(cancelled).toMatchObject({ id: reminderId, status: 'cancelled', error: 'Cancelled by a user.' });
    expect(expectStatus(await c.post(`/v1/field-service/messages/${reminderId}/cancel`, {}, acme.headers('agent')), 200)).toEqual(cancelled);
    const sent = expectProblem(await c.post(`/v1/field-service/messages/${after[0].id}/cancel`, {}, acme.headers('agent')), 409, 'message-not-pending');
    expect(sent.detail).toContain('sent');
    expectProblem(await c.post(`/v1/field-service/messages/${RANDOM_UUID}/cancel`, {}, acme.headers('agent')), 404);
    expectProblem(await c.post('/v1/field-service/messages/not-a-uuid/cancel', {}, acme.headers('agent')), 400);
    // Another tenant sees neither the job's messages nor the job.
    expectProblem(await c.get(`/v1/field-service/jobs/${jobId}/messages`, globex.headers('agent')), 404);
    const history = expectStatus(await c.get(`/v1/field-service/jobs/${jobId}/history`, acme.headers('viewer')), 200).data as any[];
    expect(history.some((h) => h.action === 'message.cancelled')).toBe(true);
  });

  it('a message to a contact without an email fails with the reason; a cancelled visit’s reminder is not sent, its cancellation is', async () => {
    const nobody = await customer(acme, { name: 'No Mail', phones: ['+44 20 7946 0018'] });
    const start = new Date(Date.now() + MINUTE + 5_000);
    const { jobId } = await visit(acme, nobody, start, 'Gutter cleaning');
    const failed = await waitForMessages(acme, jobId, 'the confirmation failed', (m) => m[0]?.status === 'failed');
    expect(failed[0]).toMatchObject({ kind: 'visit_confirmation', status: 'failed', error: 'The contact has no email address; nothing was sent.', recipient: null });

    const email = `ida-${randomUUID().slice(0, 8)}@example.com`;
    const ida = await customer(acme, { name: 'Ida', emails: [email] });
    const soon = new Date(Date.now() + MINUTE + 15_000);
    const booked = await visit(acme, ida, soon, 'Window cleaning');
    await waitForMessages(acme, booked.jobId, 'the confirmation sent', (m) => m[0]?.status === 'sent');
    expectStatus(await c.post(`/v1/field-service/visits/${booked.visitId}/cancel`, {}, acme.headers('agent')), 200);
    const settled = await waitForMessages(acme, booked.jobId, 'the reminder cancelled and the cancellation sent', (m) => m.some((x: any) => x.kind === 'visit_cancelled' && x.status === 'sent'));
    expect(settled.find((m: any) => m.kind === 'visit_reminder')).toMatchObject({ status: 'cancelled', sentAt: null, error: 'The visit was cancelled.' });
    expect(mailTo(email).filter((m) => m.subject.startsWith('Reminder'))).toEqual([]);
    const notice = mailTo(email).find((m) => m.subject.includes('cancelled'))!;
    expect(notice.text).toContain('Window cleaning');
    expect(notice.attachments![0]).toMatchObject({ contentType: 'text/calendar; method=CANCEL; charset=utf-8' });
    expect(notice.attachments![0]!.content).toContain(`UID:visit-${booked.visitId}@`);
    expect(notice.attachments![0]!.content).toContain('STATUS:CANCELLED');
    expect(notice.attachments![0]!.content).toContain('SEQUENCE:1');
  });

  it('plans a service reminder for the chosen month at the tenant’s hour in the customer’s zone', async () => {
    const email = `lena-${randomUUID().slice(0, 8)}@example.com`;
    const lena = await customer(acme, { name: 'Lena', emails: [email], timezone: 'America/New_York' });
    const start = new Date(Date.now() + 2 * DAY);
    const { jobId, visitId } = await visit(acme, lena, start, 'Chimney sweep', acme.users.technician.userId);
    expectStatus(await c.post(`/v1/field-service/visits/${visitId}/clock-in`, {}, acme.headers('technician')), 200);
    expectStatus(await c.post(`/v1/field-service/visits/${visitId}/clock-out`, {}, acme.headers('technician')), 200);
    expectStatus(await c.post(`/v1/field-service/jobs/${jobId}/close-out`, { durationMinutes: 40, notes: 'Swept the chimney.' }, acme.headers('technician')), 201);
    const done = expectStatus(await c.post(`/v1/field-service/jobs/${jobId}/close-out/finalize`, { attributes: [], nextAction: { kind: 'reach_out', inMonths: 12 } }, acme.headers('technician')), 200);
    const dueOn: string = done.nextAction.dueOn;
    const list = await waitForMessages(acme, jobId, 'the service reminder planned', (m) => m.some((x: any) => x.kind === 'service_reminder'));
    const reminder = list.find((m: any) => m.kind === 'service_reminder');
    // 09:00 in New York on the due day: 14:00 UTC in winter, 13:00 UTC in summer.
    expect(reminder).toMatchObject({ status: 'pending', visitId: null, contactId: lena.contactId, followUpId: done.nextAction.followUpId });
    expect(reminder.sendAt.slice(0, 10)).toBe(dueOn);
    expect(['13:00:00.000Z', '14:00:00.000Z']).toContain(reminder.sendAt.slice(11));
  });
});

describe('field service scheduled messages when Redis loses its contents', () => {
  it('still sends a reminder whose delayed job was lost: Postgres holds it, the sweep queues it again', async () => {
    const redis = await startRedis();
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: `e2e-msg-${randomUUID().slice(0, 8)}` };
    const api = await startApi(env);
    const worker = await startWorker({ ...env, OUTBOX_POLL_MS: '50', SCHEDULE_OVERRIDES: JSON.stringify({ 'field-service.due-messages': { every: 1_000 } }) });
    try {
      const c = client(api.url);
      const [acme] = await createTwoTenants(api.url);
      expectStatus(await c.patch('/v1/field-service/settings', { visitReminderMinutes: 1 }, acme.headers('admin')), 200);
      const email = `otto-${randomUUID().slice(0, 8)}@example.com`;
      const contact = expectStatus(await c.post('/v1/contacts', { name: 'Otto', emails: [email] }, acme.headers('agent')), 201);
      const address = expectStatus(await c.post(`/v1/contacts/${contact.id}/addresses`, { label: 'Home', city: 'Graz', country: 'AT' }, acme.headers('agent')), 201);
      const job = expectStatus(await c.post('/v1/field-service/jobs', { contactId: contact.id, addressId: address.id, title: 'Lawn care' }, acme.headers('agent')), 201);
      const start = new Date(Date.now() + MINUTE + 12_000);
      expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/visits`, { scheduledStart: start.toISOString(), durationMinutes: 30 }, acme.headers('agent')), 201);
      const list = async () => expectStatus(await c.get(`/v1/field-service/jobs/${job.id}/messages`, acme.headers('viewer')), 200).data as any[];
      // The reminder (due in about 12 s) is queued as a delayed job within the look-ahead; then Redis forgets everything.
      await waitFor(async () => (await list()).length === 2 && (await list())[0].status === 'sent', 'the confirmation sent and the reminder planned');
      const admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      await waitFor(async () => (await admin.keys('*:reminders:*')).some((k) => k.endsWith(':delayed')), 'the reminder’s delayed job in Redis');
      await admin.flushall();
      await admin.quit();
      const sent = await waitFor(async () => {
        const reminder = (await list()).find((m) => m.kind === 'visit_reminder');
        return reminder?.status === 'sent' ? reminder : undefined;
      }, 'the reminder sent after Redis lost its job (and its sweep’s scheduler, back within 30 s)', 90_000);
      expect(new Date(sent.sentAt).getTime()).toBeGreaterThanOrEqual(new Date(sent.sendAt).getTime());
      expect(mailTo(email).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(1);
    } finally {
      await worker.stop();
      await api.stop();
      await redis.stop();
    }
  }, 180_000);
});
