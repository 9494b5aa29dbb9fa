import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { client, expectProblem, expectStatus } from '../support/http';

/** Customer satisfaction: a survey mailed when a ticket is solved, rated through a signed public link, reported to agents. */
describe('ticket CSAT', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let http: ReturnType<typeof client>;
  let db: Client;
  const since = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_CSAT_PER_MINUTE: '1000' });
    worker = await startWorker({ OUTBOX_POLL_MS: '50' });
    http = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await worker?.stop();
    await api?.stop();
  });

  const mailsTo = (email: string) => {
    let text = '';
    try {
      text = readFileSync(join(process.env.E2E_DATA_DIR!, 'mail', 'outbox.jsonl'), 'utf8');
    } catch {
      return [];
    }
    return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { to: string; subject: string; text: string }).filter((m) => m.to === email);
  };
  const linkIn = (mail: { text: string }) => /\/v1\/public\/csat\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;

  /** A new ticket of `email`, solved; answers the ticket and the token mailed for it. */
  async function solvedTicket(t: TenantSession, email: string, subject: string, extra: Record<string, unknown> = {}): Promise<{ ticket: any; token: string }> {
    const ticket = expectStatus(await http.post('/v1/tickets', { subject, requester: { email, name: 'Pat' }, ...extra }, t.headers('agent')), 201);
    const before = mailsTo(email).length;
    expectStatus(await http.patch(`/v1/tickets/${ticket.id}`, { status: 'solved' }, t.headers('agent', { 'if-match': `W/"${ticket.version}"` })), 200);
    const mail = await waitFor(async () => mailsTo(email)[before], `the survey mail to ${email}`);
    expect(mail.subject).toContain(`#${ticket.number}`);
    return { ticket, token: linkIn(mail) };
  }

  const publicGet = (token: string) => http.get(`/v1/public/csat/${token}`);
  const rate = (token: string, body: unknown) => http.post(`/v1/public/csat/${token}`, body);

  it('mails a signed link when a ticket is solved; the requester reads, rates and changes the rating; history, audit and event record it', async () => {
    const { ticket, token } = await solvedTicket(acme, 'pat.csat@customer.test', 'Boiler fixed?');

    const survey = expectStatus(await publicGet(token), 200);
    expect(survey).toMatchObject({ ticketNumber: ticket.number, subject: 'Boiler fixed?', scale: 'binary', rating: null, comment: null, ratedAt: null, canChange: true });
    expect(Date.parse(survey.expiresAt) - Date.now()).toBeGreaterThan(13 * 86_400_000);

    const rated = expectStatus(await rate(token, { rating: 'bad', comment: 'Took a week' }), 200);
    expect(rated).toMatchObject({ rating: 'bad', comment: 'Took a week', canChange: true });
    const window = Date.parse(rated.changeableUntil) - Date.parse(rated.ratedAt);
    expect(Math.round(window / 86_400_000)).toBe(7);

    const changed = expectStatus(await rate(token, { rating: 'good', comment: 'Actually fine' }), 200);
    expect(changed).toMatchObject({ rating: 'good', comment: 'Actually fine', ratedAt: rated.ratedAt, changeableUntil: rated.changeableUntil });
    expect(expectStatus(await publicGet(token), 200)).toMatchObject({ rating: 'good', comment: 'Actually fine' });

    // Agents see it on the ticket, with who worked it at rating time.
    const onTicket = expectStatus(await http.get(`/v1/tickets/${ticket.id}/csat`, acme.headers('viewer')), 200).csat;
    expect(onTicket).toMatchObject({ ticketId: ticket.id, scale: 'binary', rating: 'good', comment: 'Actually fine', requesterId: ticket.requesterId, ratedAt: rated.ratedAt });

    const history = expectStatus(await http.get(`/v1/tickets/${ticket.id}/history`, acme.headers('agent')), 200).data.map((e: any) => e.action);
    expect(history.filter((a: string) => a.startsWith('ticket.csat'))).toEqual(['ticket.csat_rated', 'ticket.csat_rated', 'ticket.csat_offered']);

    const audit = expectStatus(await http.get('/v1/audit-logs?limit=100', acme.headers('owner')), 200).data.filter((e: any) => e.entityId === ticket.id && e.action.startsWith('ticket.csat'));
    expect(audit.map((e: any) => e.action).sort()).toEqual(['ticket.csat_changed', 'ticket.csat_rated']);

    const events = (await db.query(`SELECT type, payload FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 AND type = 'tickets.csat_rated' ORDER BY position`, [acme.tenant.id, ticket.id])).rows;
    expect(events.map((e) => [e.payload.rating, e.payload.scale, e.payload.changed])).toEqual([['bad', 'binary', false], ['good', 'binary', true]]);

    // History and audit say a comment was given, not what it says.
    const rows = expectStatus(await http.get(`/v1/tickets/${ticket.id}/history`, acme.headers('agent')), 200).data.filter((e: any) => e.action === 'ticket.csat_rated');
    expect(JSON.stringify(rows)).not.toContain('Actually fine');
    expect(JSON.stringify(audit)).not.toContain('Actually fine');

    // Solving it again after a reopen offers nothing new: one survey per ticket.
    const current = expectStatus(await http.get(`/v1/tickets/${ticket.id}`, acme.headers('agent')), 200);
    const reopened = expectStatus(await http.patch(`/v1/tickets/${ticket.id}`, { status: 'open' }, acme.headers('agent', { 'if-match': `W/"${current.version}"` })), 200);
    expectStatus(await http.patch(`/v1/tickets/${ticket.id}`, { status: 'solved' }, acme.headers('agent', { 'if-match': `W/"${reopened.version}"` })), 200);
    await waitFor(async () => (await db.query(`SELECT 1 FROM event_receipts WHERE tenant_id = $1 AND consumer LIKE '%offer-csat-survey%'`, [acme.tenant.id])).rowCount! >= 2, 'the second solve handled');
    expect(mailsTo('pat.csat@customer.test')).toHaveLength(1);
  });

  it('refuses forged and tampered links (404), ratings off the scale (400 naming rating), and genuine links past their time (410)', async () => {
    const { ticket, token } = await solvedTicket(acme, 'sam.csat@customer.test', 'Forgery target');
    const [body, sig] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    expect(payload).toMatchObject({ t: acme.tenant.id, k: ticket.id });

    // A globex ticket with a survey, whose id is put into acme's token: the signature no longer matches.
    const other = await solvedTicket(globex, 'gina.csat@customer.test', 'Globex ticket');
    const swapped = (p: object) => `${Buffer.from(JSON.stringify(p)).toString('base64url')}.${sig}`;
    for (const forged of [
      swapped({ ...payload, k: other.ticket.id }),
      swapped({ ...payload, t: globex.tenant.id, k: other.ticket.id }),
      swapped({ ...payload, e: payload.e + 86_400 }),
      `${body}.${'A'.repeat(43)}`,
      'not-a-token',
      `${body}.${sig}x`,
      encodeURIComponent("' OR 1=1 --"),
      'x'.repeat(600),
    ]) {
      expectProblem(await publicGet(forged), 404, 'not-found');
      expectProblem(await rate(forged, { rating: 'good' }), 404, 'not-found');
    }
    // Nothing was written by any of those.
    expect(expectStatus(await http.get(`/v1/tickets/${other.ticket.id}/csat`, globex.headers('agent')), 200).csat.rating).toBeNull();

    for (const bad of [{ rating: 5 }, { rating: 'great' }, { rating: null }, {}, { rating: ['good'] }, { rating: 'good', comment: 'x'.repeat(2001) }, { rating: 'good', comment: 42 }]) {
      const problem = expectProblem(await rate(token, bad), 400);
      expect(JSON.stringify(problem.errors ?? [])).toMatch(/rating|comment/);
    }
    const malformed = await fetch(`${api.url}/v1/public/csat/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rating":' });
    expect(malformed.status).toBe(400);
    expect(expectStatus(await publicGet(token), 200).rating).toBeNull();

    // Past the window: expired unrated (410 survey-expired); rated and past the change window (410 survey-closed).
    await db.query(`UPDATE ticket_csat SET expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND ticket_id = $2`, [acme.tenant.id, ticket.id]);
    expect(expectStatus(await publicGet(token), 200)).toMatchObject({ rating: null, canChange: false });
    expectProblem(await rate(token, { rating: 'good' }), 410, 'survey-expired');
    const fresh = await solvedTicket(acme, 'lou.csat@customer.test', 'Closed window');
    expectStatus(await rate(fresh.token, { rating: 'good' }), 200);
    await db.query(`UPDATE ticket_csat SET changeable_until = now() - interval '1 second' WHERE tenant_id = $1 AND ticket_id = $2`, [acme.tenant.id, fresh.ticket.id]);
    expect(expectStatus(await publicGet(fresh.token), 200)).toMatchObject({ rating: 'good', canChange: false });
    expectProblem(await rate(fresh.token, { rating: 'bad' }), 410, 'survey-closed');
    expect(expectStatus(await publicGet(fresh.token), 200).rating).toBe('good');
  });

  it('reports ratings with filters, totals and keyset pages; another tenant’s ticket is a 404', async () => {
    const group = expectStatus(await http.post('/v1/groups', { name: 'CSAT desk' }, acme.headers('admin')), 201);
    const a = await solvedTicket(acme, 'r1.csat@customer.test', 'Report one', { groupId: group.id });
    const b = await solvedTicket(acme, 'r2.csat@customer.test', 'Report two', { assigneeId: acme.users.agent.userId });
    await solvedTicket(acme, 'r3.csat@customer.test', 'Report three (unanswered)');
    expectStatus(await rate(a.token, { rating: 'good' }), 200);
    expectStatus(await rate(b.token, { rating: 'bad', comment: 'slow' }), 200);

    const range = `from=${encodeURIComponent(since)}`;
    const all = expectStatus(await http.get(`/v1/csat?${range}`, acme.headers('viewer')), 200);
    // Tickets rated in this file: the first test's (good), the closed-window one (good), a (good), b (bad).
    expect(all.totals).toMatchObject({ responses: 4, good: 3, bad: 1, averageScore: null });
    expect(all.totals.offered).toBeGreaterThanOrEqual(6);
    expect(all.totals.responseRate).toBeCloseTo(4 / all.totals.offered, 4);
    expect(all.data[0].ticketId).toBe(b.ticket.id);

    const bad = expectStatus(await http.get(`/v1/csat?${range}&rating=bad`, acme.headers('viewer')), 200);
    expect(bad.data.map((r: any) => r.ticketId)).toEqual([b.ticket.id]);
    expect(bad.totals).toMatchObject({ responses: 1, good: 0, bad: 1 });
    const byGroup = expectStatus(await http.get(`/v1/csat?${range}&groupId=${group.id}`, acme.headers('viewer')), 200);
    expect(byGroup.data.map((r: any) => r.ticketId)).toEqual([a.ticket.id]);
    expect(byGroup.totals).toMatchObject({ offered: 1, responses: 1, responseRate: 1 });
    const byAssignee = expectStatus(await http.get(`/v1/csat?${range}&assigneeId=${acme.users.agent.userId}`, acme.headers('viewer')), 200);
    expect(byAssignee.data.map((r: any) => r.ticketId)).toEqual([b.ticket.id]);

    // Keyset pages cover every rating once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = expectStatus(await http.get(`/v1/csat?${range}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, acme.headers('viewer')), 200);
      seen.push(...page.data.map((r: any) => r.ticketId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((r: any) => r.ticketId));

    // Bad filters are 400s, never 500s.
    for (const q of ['rating=great', 'groupId=nope', 'from=yesterday', `from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(since)}`, 'limit=0', 'cursor=abc', `cursor=${Buffer.from('["x","y","z"]').toString('base64url')}`]) {
      expectProblem(await http.get(`/v1/csat?${q}`, acme.headers('viewer')), 400);
    }

    // Tenants never see each other: globex's report holds only its own rating-less survey; acme's ticket is a 404 for globex.
    const theirs = expectStatus(await http.get(`/v1/csat?${range}`, globex.headers('viewer')), 200);
    expect(theirs.data).toEqual([]);
    expect(theirs.totals).toMatchObject({ offered: 1, responses: 0 });
    expectProblem(await http.get(`/v1/tickets/${a.ticket.id}/csat`, globex.headers('agent')), 404);
    expectProblem(await http.get(`/v1/tickets/${a.ticket.id}/csat`, {}), 401);
    expectProblem(await http.get('/v1/csat', {}), 401);
  });

  it('answers public requests with a per-IP budget, erasing the requester removes their comment but keeps the rating, deleting the ticket kills the link', async () => {
    const { ticket, token } = await solvedTicket(acme, 'erase.csat@customer.test', 'Erase me');
    const res = await publicGet(token);
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe('1000');
    expectStatus(await rate(token, { rating: 'bad', comment: 'Call me on 555-0100' }), 200);

    expectStatus(await http.post(`/v1/contacts/${ticket.requesterId}/erase`, undefined, acme.headers('owner')), 202);
    const done = await waitFor(async () => {
      const state = expectStatus(await http.get(`/v1/contacts/${ticket.requesterId}/erasure`, acme.headers('owner')), 200);
      return state.status === 'completed' ? state : undefined;
    }, 'the erasure to complete', 30_000);
    expect(done.steps.tickets.counts.csatComments).toBe(1);
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}/csat`, acme.headers('agent')), 200).csat).toMatchObject({ rating: 'bad', comment: null });

    // A deleted ticket's link is dead at once, and its survey goes with the purge.
    expectStatus(await http.delete(`/v1/tickets/${ticket.id}`, acme.headers('owner')), 202);
    expectProblem(await publicGet(token), 404, 'not-found');
    expectProblem(await rate(token, { rating: 'good' }), 404, 'not-found');
    await waitFor(async () => (await db.query(`SELECT 1 FROM ticket_csat WHERE tenant_id = $1 AND ticket_id = $2`, [acme.tenant.id, ticket.id])).rowCount === 0, 'the survey purged');
  });

  it('takes 1–5 on a five-point survey (the scale a future tenant setting selects) and averages it', async () => {
    const { ticket, token } = await solvedTicket(acme, 'five.csat@customer.test', 'Five points');
    await db.query(`UPDATE ticket_csat SET scale = 'five' WHERE tenant_id = $1 AND ticket_id = $2`, [acme.tenant.id, ticket.id]);
    expect(expectStatus(await publicGet(token), 200).scale).toBe('five');
    for (const bad of [{ rating: 'good' }, { rating: 0 }, { rating: 6 }, { rating: 3.5 }, { rating: '4' }]) {
      expect(expectProblem(await rate(token, bad), 400).errors[0].field).toBe('rating');
    }
    expect(expectStatus(await rate(token, { rating: 4 }), 200)).toMatchObject({ scale: 'five', rating: 4 });
    const report = expectStatus(await http.get(`/v1/csat?from=${encodeURIComponent(since)}&rating=4`, acme.headers('viewer')), 200);
    expect(report.data.map((r: any) => [r.ticketId, r.rating])).toEqual([[ticket.id, 4]]);
    expect(report.totals).toMatchObject({ responses: 1, good: 0, bad: 0, averageScore: 4 });
  });
});
