import { startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { asTenantRole, client, expectProblem, expectStatus, pgErrorCode, RANDOM_UUID } from '../support/http';
import { FakeLlmServer } from '../support/fake-llm/fake-llm-server';

/** Long enough that a search snippet (at most 40 words) could not carry it whole. */
const LONG_ADVICE =
  'Never open the pressure relief valve yourself: if the gauge drops below one bar again within a week, book a visit so that a technician can look for a leak in the heating circuit, in the expansion vessel or in the relief valve itself, and bring the last service report to the appointment if you have one.';

interface Suggestion {
  id: string;
  ticketId: string;
  kind: 'summary' | 'draft' | 'triage';
  status: string;
  output: any;
  confidence: number | null;
  provider: string;
  model: string;
  extractive: boolean;
  inputsHash: string;
  ticketVersion: number;
  requestedBy: { type: string; id: string | null };
  usageId: string | null;
  usageIds: string[];
  decidedBy: { type: string; id: string | null } | null;
  decidedAt: string | null;
  reason: string | null;
  applied: any;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OFFLINE_MARKER = 'no language model was used';

/** Ticket assists (summary, KB-grounded draft, triage) as suggestions an agent accepts or rejects. */
describe('ticket AI assists', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let fake: FakeLlmServer;
  let acme: TenantSession;
  let globex: TenantSession;
  let http: ReturnType<typeof client>;

  const newTicket = async (t: TenantSession, body: Record<string, unknown>) =>
    expectStatus(await http.post('/v1/tickets', { requester: { email: 'pat@customer.test', name: 'Pat' }, ...body }, t.headers('agent')), 201);
  const assist = (t: TenantSession, ticketId: string, kind: string, role: keyof TenantSession['tokens'] = 'agent') => http.post(`/v1/tickets/${ticketId}/ai/${kind}`, undefined, t.headers(role));
  const suggest = async (t: TenantSession, ticketId: string, kind: string): Promise<Suggestion> => expectStatus(await assist(t, ticketId, kind), 201);
  const accept = (t: TenantSession, ticketId: string, id: string, body: Record<string, unknown> = {}, extra: Record<string, string> = {}) =>
    http.post(`/v1/tickets/${ticketId}/ai/suggestions/${id}/accept`, body, t.headers('agent', extra));
  const reject = (t: TenantSession, ticketId: string, id: string, body: Record<string, unknown> = {}) => http.post(`/v1/tickets/${ticketId}/ai/suggestions/${id}/reject`, body, t.headers('agent'));

  beforeAll(async () => {
    fake = await new FakeLlmServer().start();
    api = await startApi({ AI_ALLOW_PRIVATE_BASE_URLS: 'true', AI_MAX_ATTEMPTS: '1' });
    worker = await startWorker({ OUTBOX_POLL_MS: '50' });
    http = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await fake?.stop();
  });

  it('triages offline with the keyword rules and the tenant’s tags, and accepting applies priority and tags through the ticket update', async () => {
    await newTicket(acme, { subject: 'Annual boiler service', tags: ['boiler', 'maintenance'] });
    const ticket = await newTicket(acme, { subject: 'Heating is down', description: 'Our boiler is broken and not working since this morning. There is a leak in the basement.', tags: ['vip'] });

    const res = await assist(acme, ticket.id, 'triage');
    const triage: Suggestion = expectStatus(res, 201);
    expect(res.headers.get('location')).toBe(`/v1/tickets/${ticket.id}/ai/suggestions/${triage.id}`);
    expect(triage).toMatchObject({ ticketId: ticket.id, kind: 'triage', status: 'pending', provider: 'local', extractive: true, ticketVersion: ticket.version, requestedBy: { type: 'user', id: acme.users.agent.userId } });
    expect(triage.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(triage.usageId).toMatch(UUID);
    expect(triage.output.priority).toEqual({ value: 'urgent', confidence: 0.7 });
    const tags = triage.output.tags.map((t: { value: string }) => t.value);
    expect(tags).toEqual(expect.arrayContaining(['outage', 'boiler']));
    expect(tags).not.toContain('maintenance');
    for (const t of triage.output.tags) expect(t.confidence).toBeGreaterThan(0);
    expect(triage.output.group).toBeNull();
    expect(triage.output.notes.group).toMatch(/has no ticket groups yet/i);
    expect(triage.confidence).toBe(0.7);

    // Nothing changed until an agent accepts.
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}`, acme.headers('agent')), 200)).toMatchObject({ priority: 'normal', tags: ['vip'], version: ticket.version });

    const accepted = expectStatus(await accept(acme, ticket.id, triage.id), 200);
    expect(accepted.suggestion).toMatchObject({ status: 'accepted', decidedBy: { type: 'user', id: acme.users.agent.userId }, applied: { fields: ['priority', 'tags'], priority: 'urgent', edited: false } });
    expect(accepted.ticket).toMatchObject({ priority: 'urgent', version: ticket.version + 1 });
    const after = expectStatus(await http.get(`/v1/tickets/${ticket.id}`, acme.headers('agent')), 200);
    expect(after.priority).toBe('urgent');
    expect(after.tags).toEqual(expect.arrayContaining(['vip', 'outage', 'boiler']));
    const history = expectStatus(await http.get(`/v1/tickets/${ticket.id}/history`, acme.headers('agent')), 200).data;
    expect(history[0]).toMatchObject({ action: 'ticket.updated', actorId: acme.users.agent.userId, changes: { priority: { from: 'normal', to: 'urgent' } } });
    expect(history[0].changes.tags.to).toEqual(expect.arrayContaining(['outage', 'boiler', 'vip']));

    // Deciding twice is a conflict, either way round, and changes nothing.
    expectProblem(await accept(acme, ticket.id, triage.id), 409, 'suggestion-already-decided');
    expectProblem(await reject(acme, ticket.id, triage.id, { reason: 'changed my mind' }), 409, 'suggestion-already-decided');
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions/${triage.id}`, acme.headers('viewer')), 200)).toMatchObject({ status: 'accepted', reason: null });

    const audit = expectStatus(await http.get('/v1/audit-logs?limit=100', acme.headers('owner')), 200).data.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['ticket.ai_suggestion_created', 'ticket.ai_suggestion_accepted', 'ticket.updated']));
  });

  it('applies only the chosen triage fields, and a suggestion made for an older version only with the agent’s If-Match', async () => {
    const ticket = await newTicket(acme, { subject: 'Cannot log in', description: 'My password does not work and my account is locked.' });
    const triage = await suggest(acme, ticket.id, 'triage');
    expect(triage.output.priority.value).toBe('high');
    expectProblem(await accept(acme, ticket.id, triage.id, { body: 'not for triage' }), 400, 'validation-failed');
    expectProblem(await accept(acme, ticket.id, triage.id, { fields: ['assignee'] }), 400);
    // This tenant has no groups, so the triage suggested none: applying one needs groupId.
    expect(expectProblem(await accept(acme, ticket.id, triage.id, { fields: ['group'] }), 422).detail).toMatch(/suggested no group/);
    expectProblem(await accept(acme, ticket.id, triage.id, { surprise: true }), 400);

    // Someone else changes the ticket after the suggestion was made.
    const changed = expectStatus(await http.patch(`/v1/tickets/${ticket.id}`, { type: 'incident' }, acme.headers('admin', { 'if-match': `W/"${ticket.version}"` })), 200);
    expectProblem(await accept(acme, ticket.id, triage.id, { fields: ['priority'] }), 412, 'precondition-failed');
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions/${triage.id}`, acme.headers('agent')), 200).status).toBe('pending');
    expectProblem(await accept(acme, ticket.id, triage.id, { fields: ['priority'] }, { 'if-match': `W/"${ticket.version}"` }), 412);

    const accepted = expectStatus(await accept(acme, ticket.id, triage.id, { fields: ['priority'], priority: 'urgent' }, { 'if-match': `W/"${changed.version}"` }), 200);
    expect(accepted.ticket).toMatchObject({ priority: 'urgent', tags: [], type: 'incident' });
    expect(accepted.suggestion.applied).toMatchObject({ fields: ['priority'], priority: 'urgent', edited: true });
  });

  it('summarises offline from the conversation, supersedes an older summary, and records a rejection with its reason', async () => {
    const ticket = await newTicket(acme, { subject: 'Invoice question', description: 'The invoice for November lists two visits but the technician came only once.' });
    expectStatus(await http.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Checking with the dispatcher.', visibility: 'internal' }, acme.headers('agent')), 201);
    const first = await suggest(acme, ticket.id, 'summary');
    expect(first).toMatchObject({ kind: 'summary', status: 'pending', provider: 'local', extractive: true, confidence: null });
    expect(first.output.text).toContain('two visits');
    expect(first.output.text).not.toContain(OFFLINE_MARKER);

    const second = await suggest(acme, ticket.id, 'summary');
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions/${first.id}`, acme.headers('agent')), 200).status).toBe('superseded');
    expectProblem(await accept(acme, ticket.id, first.id), 409, 'suggestion-already-decided');
    expect(second.inputsHash).toBe(first.inputsHash);

    const rejected = expectStatus(await reject(acme, ticket.id, second.id, { reason: 'Misses the dispatcher note' }), 200);
    expect(rejected).toMatchObject({ status: 'rejected', reason: 'Misses the dispatcher note', decidedBy: { id: acme.users.agent.userId } });
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}`, acme.headers('agent')), 200).version).toBe(ticket.version + 1);

    const page1 = expectStatus(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions?limit=1`, acme.headers('viewer')), 200);
    expect(page1.data.map((s: Suggestion) => s.id)).toEqual([second.id]);
    const page2 = expectStatus(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions?limit=1&cursor=${page1.nextCursor}`, acme.headers('viewer')), 200);
    expect(page2.data.map((s: Suggestion) => s.id)).toEqual([first.id]);
    expect(page2.nextCursor).toBeNull();
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions?status=rejected`, acme.headers('viewer')), 200).data.map((s: Suggestion) => s.id)).toEqual([second.id]);
    expectProblem(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions?kind=poem`, acme.headers('viewer')), 400);
  });

  it('drafts a reply that quotes the public help center, and accepting (edited) adds it as the agent’s public reply', async () => {
    const category = expectStatus(await http.post('/v1/kb/categories', { locale: 'en', name: 'Heating' }, acme.headers('admin')), 201);
    const section = expectStatus(await http.post('/v1/kb/sections', { categoryId: category.id, name: 'Boilers' }, acme.headers('admin')), 201);
    const article = expectStatus(
      await http.post('/v1/kb/articles', { sectionId: section.id, title: 'Low boiler pressure', body: `# Repressurise\n\nOpen the filling loop until the pressure gauge shows 1.5 bar, then close the filling loop again. ${LONG_ADVICE}` }, acme.headers('agent')),
      201,
    );
    expectStatus(await http.post(`/v1/kb/articles/${article.id}/publish`, undefined, acme.headers('agent')), 200);
    const secret = expectStatus(await http.post('/v1/kb/articles', { sectionId: section.id, title: 'Pressure gauge supplier codes', visibility: 'internal', body: 'Internal: the pressure gauge supplier code is ZX-SECRET-42.' }, acme.headers('agent')), 201);
    expectStatus(await http.post(`/v1/kb/articles/${secret.id}/publish`, undefined, acme.headers('agent')), 200);
    await waitFor(async () => expectStatus(await http.get('/v1/kb/search?q=pressure%20gauge', acme.headers('agent')), 200).results.length >= 2, 'both articles to be searchable', 30_000);

    const ticket = await newTicket(acme, { subject: 'Boiler pressure is low', description: 'The pressure gauge on my boiler shows 0.5 bar. What should I do?' });
    expectStatus(await http.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Customer is on the gold plan, code ZX-NOTE-7.', visibility: 'internal' }, acme.headers('agent')), 201);
    const draft = await suggest(acme, ticket.id, 'draft');
    expect(draft).toMatchObject({ kind: 'draft', status: 'pending', provider: 'local', extractive: true });
    expect(draft.output.grounding).toBe('knowledge-base');
    expect(draft.output.passages.map((p: { articleId: string }) => p.articleId)).toEqual([article.id]);
    // The passage is the chunk's whole text, not the search's highlighted snippet.
    expect(draft.output.passages[0].text).toContain('Open the filling loop until the pressure gauge shows 1.5 bar');
    expect(draft.output.passages[0].text).toContain(LONG_ADVICE);
    expect(draft.output.body).toContain('Low boiler pressure');
    expect(draft.output.body).toContain('Open the filling loop until the pressure gauge shows 1.5 bar');
    expect(draft.output.body).not.toContain(OFFLINE_MARKER);
    expect(draft.output.body).not.toContain('ZX-SECRET-42');
    expect(draft.output.body).not.toContain('ZX-NOTE-7');

    const edited = `${draft.output.body}\n\nP.S. A technician can visit on Friday.`;
    const accepted = expectStatus(await accept(acme, ticket.id, draft.id, { body: edited }), 200);
    expect(accepted.message).toMatchObject({ body: edited, visibility: 'public', authorType: 'agent', authorId: acme.users.agent.userId });
    expect(accepted.suggestion).toMatchObject({ status: 'accepted', applied: { messageId: accepted.message.id, visibility: 'public', edited: true } });
    const messages = expectStatus(await http.get(`/v1/tickets/${ticket.id}/messages`, acme.headers('agent')), 200).data;
    expect(messages.at(-1)).toMatchObject({ id: accepted.message.id, body: edited });
    // The normal command's rules applied: an agent's first public reply opens a new ticket.
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}`, acme.headers('agent')), 200).status).toBe('open');
  });

  it('needs tickets read and ai:use to ask, tickets write to decide', async () => {
    const ticket = await newTicket(acme, { subject: 'Password reset', description: 'I forgot my password.' });
    expectProblem(await assist(acme, ticket.id, 'summary', 'viewer'), 403, 'forbidden');
    const bySomeoneWhoCannotWrite: Suggestion = expectStatus(await assist(acme, ticket.id, 'summary', 'technician'), 201);
    expectProblem(await http.post(`/v1/tickets/${ticket.id}/ai/suggestions/${bySomeoneWhoCannotWrite.id}/accept`, {}, acme.headers('technician')), 403, 'forbidden');
    expectProblem(await http.post(`/v1/tickets/${ticket.id}/ai/suggestions/${bySomeoneWhoCannotWrite.id}/reject`, {}, acme.headers('viewer')), 403);
    expectProblem(await http.post(`/v1/tickets/${ticket.id}/ai/summary`, undefined, { authorization: `Bearer ${acme.apiKeys.readOnly}` }), 403);
    expectProblem(await assist(acme, RANDOM_UUID, 'triage'), 404);
    expectProblem(await assist(acme, 'not-a-uuid', 'triage'), 400);
  });

  it('answers 404 to another tenant on every route, for the ticket and the suggestion ids', async () => {
    const ticket = await newTicket(acme, { subject: 'Refund please', description: 'Please refund my last payment.' });
    const triage = await suggest(acme, ticket.id, 'triage');
    const own = await newTicket(globex, { subject: 'Globex ticket' });
    for (const kind of ['summary', 'draft', 'triage']) expectProblem(await assist(globex, ticket.id, kind), 404);
    expectProblem(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions`, globex.headers('agent')), 404);
    for (const ticketId of [ticket.id, own.id]) {
      expectProblem(await http.get(`/v1/tickets/${ticketId}/ai/suggestions/${triage.id}`, globex.headers('agent')), 404);
      expectProblem(await accept(globex, ticketId, triage.id), 404);
      expectProblem(await reject(globex, ticketId, triage.id), 404);
    }
    // The suggestion belongs to its own ticket only, in its own tenant too.
    const other = await newTicket(acme, { subject: 'Another one' });
    expectProblem(await accept(acme, other.id, triage.id), 404);
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions/${triage.id}`, acme.headers('agent')), 200).status).toBe('pending');
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}`, acme.headers('agent')), 200).priority).toBe('normal');
    expect(expectStatus(await http.get(`/v1/tickets/${own.id}/ai/suggestions`, globex.headers('agent')), 200).data).toEqual([]);
  });

  it('row-level security keeps suggestions per tenant; a tenant can delete only its own (ticket deletion and erasure purge them)', async () => {
    const ticket = await newTicket(globex, { subject: 'Row level check' });
    const acmeTicket = await newTicket(acme, { subject: 'Acme row level check' });
    const result = await asTenantRole(globex.tenant.id, async (db) => ({
      acmeRows: (await db.query(`SELECT count(*)::int AS n FROM ticket_ai_suggestions WHERE tenant_id = $1`, [acme.tenant.id])).rows[0].n,
      tenants: (await db.query(`SELECT DISTINCT tenant_id FROM ticket_ai_suggestions`)).rows.map((r) => r.tenant_id),
      insertForAcme: await pgErrorCode(
        db,
        `INSERT INTO ticket_ai_suggestions (tenant_id, ticket_id, kind, requested_by_type, provider, model, inputs_hash, output, ticket_version) VALUES ($1, $2, 'summary', 'user', 'local', 'm', repeat('0', 64), '{}', 1)`,
        [acme.tenant.id, acmeTicket.id],
      ),
      // A row of this tenant may not point at another tenant's ticket either.
      pointAtAcme: await pgErrorCode(
        db,
        `INSERT INTO ticket_ai_suggestions (tenant_id, ticket_id, kind, requested_by_type, provider, model, inputs_hash, output, ticket_version) VALUES ($1, $2, 'summary', 'user', 'local', 'm', repeat('0', 64), '{}', 1)`,
        [globex.tenant.id, acmeTicket.id],
      ),
      deleteAcme: (await db.query(`DELETE FROM ticket_ai_suggestions WHERE tenant_id = $1`, [acme.tenant.id])).rowCount,
      deleteOwn: await pgErrorCode(db, `DELETE FROM ticket_ai_suggestions WHERE tenant_id = $1 AND ticket_id = $2`, [globex.tenant.id, ticket.id]),
    }));
    expect(result).toEqual({ acmeRows: 0, tenants: [], insertForAcme: '42501', pointAtAcme: '23503', deleteAcme: 0, deleteOwn: null });
  });

  it('through an OpenAI-compatible provider: a valid triage is stored, a schema-invalid one is reported and kept as invalid, never accepted', async () => {
    expectStatus(await http.put('/v1/ai/providers/oa', { kind: 'openai', apiKey: 'sk-globex-1', baseUrl: fake.baseUrl('openai'), defaultModel: 'gpt-4o-mini' }, globex.headers('admin')), 201);
    expectStatus(await http.put('/v1/ai/settings', { features: { triage: { provider: 'oa' } } }, globex.headers('admin')), 200);
    const ticket = await newTicket(globex, { subject: 'Printer jammed', description: 'The printer in the lobby jams on every page.' });

    fake.enqueue('openai', { kind: 'ok', json: { priority: { value: 'high', confidence: 0.82 }, tags: [{ value: 'printer', confidence: 0.9 }] } });
    const valid = await suggest(globex, ticket.id, 'triage');
    expect(valid).toMatchObject({ provider: 'oa', model: 'gpt-4o-mini', extractive: false, status: 'pending', confidence: 0.82, output: { priority: { value: 'high', confidence: 0.82 }, tags: [{ value: 'printer', confidence: 0.9 }], group: null } });
    const sent = fake.requests.at(-1)!.body;
    expect(sent.response_format.json_schema.name).toBe('triage');
    expect(JSON.stringify(sent.messages)).toContain('jams on every page');

    fake.enqueue('openai', { kind: 'ok', json: { priority: 'urgent', tags: ['Printer!'] } }, { kind: 'ok', text: 'I think it is urgent.' });
    const problem = expectProblem(await assist(globex, ticket.id, 'triage'), 422, 'ai-triage-invalid');
    expect(problem.errors.length).toBeGreaterThan(0);
    expect(problem.suggestionId).toMatch(UUID);
    const invalid = expectStatus(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions/${problem.suggestionId}`, globex.headers('agent')), 200);
    expect(invalid).toMatchObject({ status: 'invalid', provider: 'oa', confidence: null, output: { answer: 'I think it is urgent.' } });
    // Both metered calls (the answer and its retry) are linked, so the suggestion's spend is exact.
    expect(valid.usageIds).toEqual([valid.usageId]);
    expect(invalid.usageIds).toHaveLength(2);
    expect(invalid.usageIds[1]).toBe(invalid.usageId);
    expect(new Set(invalid.usageIds).size).toBe(2);
    expectProblem(await accept(globex, ticket.id, invalid.id), 409, 'suggestion-already-decided');
    // The invalid answer did not supersede the valid one, and the ticket is untouched.
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}/ai/suggestions/${valid.id}`, globex.headers('agent')), 200).status).toBe('pending');
    expect(expectStatus(await http.get(`/v1/tickets/${ticket.id}`, globex.headers('agent')), 200)).toMatchObject({ priority: 'normal', tags: [] });
    expect(expectStatus(await accept(globex, ticket.id, valid.id), 200).ticket).toMatchObject({ priority: 'high', tags: ['printer'] });

    // An empty draft from the model is not sent as an empty reply.
    expectStatus(await http.put('/v1/ai/settings', { features: { triage: { provider: 'oa' }, draft: { provider: 'oa' } } }, globex.headers('admin')), 200);
    fake.enqueue('openai', { kind: 'ok', text: '' });
    const empty = await suggest(globex, ticket.id, 'draft');
    expect(empty).toMatchObject({ provider: 'oa', extractive: false, output: { body: '', grounding: 'none', passages: [] } });
    expectProblem(await accept(globex, ticket.id, empty.id), 422, 'suggestion-empty');
    const written = expectStatus(await accept(globex, ticket.id, empty.id, { body: 'We are sending a technician.', visibility: 'internal' }), 200);
    expect(written.message).toMatchObject({ body: 'We are sending a technician.', visibility: 'internal' });
  });

  it('reports per kind what became of the suggestions, per tenant', async () => {
    // A window around now, so the month boundary cannot move suggestions out of it.
    const window = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const stats = expectStatus(await http.get(`/v1/tickets/ai/suggestions/stats?${window}`, acme.headers('viewer')), 200);
    const by = Object.fromEntries(stats.data.map((k: { kind: string }) => [k.kind, k]));
    expect(by.triage).toMatchObject({ created: 3, accepted: 2, rejected: 0, pending: 1, invalid: 0, acceptanceRate: 1 });
    expect(by.summary).toMatchObject({ created: 3, accepted: 0, rejected: 1, superseded: 1, pending: 1, acceptanceRate: 0 });
    expect(by.draft).toMatchObject({ created: 1, accepted: 1, acceptedWithEdits: 1, acceptanceRate: 1 });
    const globexStats = expectStatus(await http.get(`/v1/tickets/ai/suggestions/stats?${window}`, globex.headers('agent')), 200);
    const globexBy = Object.fromEntries(globexStats.data.map((k: { kind: string }) => [k.kind, k]));
    expect(globexBy.triage).toMatchObject({ created: 2, accepted: 1, invalid: 1, pending: 0, acceptanceRate: 1 });
    expect(globexBy.draft).toMatchObject({ created: 1, accepted: 1, acceptedWithEdits: 1 });
    expect(globexBy.summary).toMatchObject({ created: 0, acceptanceRate: null });
    const past = expectStatus(await http.get('/v1/tickets/ai/suggestions/stats?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z', acme.headers('viewer')), 200);
    expect(past.data.every((k: { created: number; acceptanceRate: number | null }) => k.created === 0 && k.acceptanceRate === null)).toBe(true);
    expectProblem(await http.get('/v1/tickets/ai/suggestions/stats?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', acme.headers('viewer')), 400);
  });
  it('meters every AI call into the tenant’s billing usage by model, once per event (the gateway’s ai.usage_recorded, consumed by billing)', async () => {
    for (const t of [acme, globex]) {
      const ai = expectStatus(await http.get('/v1/ai/usage', t.headers('owner')), 200);
      const tokens = ai.totals.promptTokens + ai.totals.completionTokens;
      if (t === acme) expect(tokens).toBeGreaterThan(0);
      const usage = await waitFor(
        async () => {
          const u = expectStatus(await http.get('/v1/billing/usage', t.headers('owner')), 200);
          return u.totals.aiTokens >= tokens ? u : null;
        },
        'AI usage to reach the billing meter',
        15_000,
      );
      // Equal, not more: each event counted once, and only the calling tenant's.
      expect(usage.totals).toMatchObject({ aiTokens: tokens, aiCostMicros: ai.totals.costMicroUsd });
      const models = [...new Set(ai.data.map((g: { model: string }) => g.model))].sort();
      expect(usage.byCategory.filter((l: { category: string }) => l.category === 'ai_tokens').map((l: { dimension: string }) => l.dimension).sort()).toEqual(models);
      if (t === acme) expect(usage.daily.at(-1).day).toBe(new Date().toISOString().slice(0, 10));
    }
  });

  it('gives every new tenant its subscription row from its first day: the default plan’s trial, once (billing consumes tenancy’s tenant_created)', async () => {
    for (const t of [acme, globex]) {
      const sub = await waitFor(
        async () => {
          const s = expectStatus(await http.get('/v1/billing/subscription', t.headers('owner')), 200);
          return s.implicit ? null : s;
        },
        'the subscription row of a new tenant',
        15_000,
      );
      expect(sub).toMatchObject({ implicit: false, status: 'trialing', limited: false, plan: { code: 'business' }, stripeCustomerId: null });
      // BILLING_TRIAL_DAYS (14) after the tenant was created, a few seconds ago.
      const days = (Date.parse(sub.trialEndsAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(13.9);
      expect(days).toBeLessThanOrEqual(14);
      const audit = expectStatus(await http.get('/v1/audit-logs?action=billing.trial_started', t.headers('owner')), 200);
      expect(audit.data).toHaveLength(1);
      expect(audit.data[0]).toMatchObject({ entityId: t.tenant.id });
    }
  });
});
