import { Client } from 'pg';
import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, settleAiUsage, type TenantSession } from '../support/tenants';
import { asTenantRole, client, expectProblem, expectStatus, pgErrorCode } from '../support/http';
import { FakeLlmServer } from '../support/fake-llm/fake-llm-server';

const FEATURES = ['answer', 'draft', 'field_service_close_out_extraction', 'field_service_lead_extraction', 'summary', 'triage', 'extraction'];
const ANSWER_VARS = { question: 'How do I reset the boiler?', passages: [{ title: 'Boiler reset', text: 'Hold the reset button for five seconds.' }], locale: 'en' };
const SCHEMA = { type: 'object', properties: { serial: { type: 'string' }, email: { type: 'string' } } };

function sseText(body: string): { text: string; deltas: string[] } {
  const deltas = body
    .split('\n\n')
    .filter((b) => /^event: delta$/m.test(b))
    .map((b) => JSON.parse(/^data: (.*)$/m.exec(b)![1]!).text as string);
  return { text: deltas.join(''), deltas };
}

/** Prompt templates (versions, overrides, preview, the renderer across processes) and redaction, through the api. */
describe('AI prompt templates and redaction', () => {
  let api: RunningApi;
  let second: RunningApi;
  let fake: FakeLlmServer;
  let acme: TenantSession;
  let globex: TenantSession;
  let http: ReturnType<typeof client>;
  let db: Client;

  const usageCount = async (tenantId: string) => Number((await settleAiUsage([api.url, second.url], [acme, globex], tenantId), await db.query(`SELECT count(*) AS n FROM ai_usage WHERE tenant_id = $1`, [tenantId])).rows[0].n);
  const sentText = () => fake.requests.map((r) => JSON.stringify(r.body)).join('\n');

  beforeAll(async () => {
    fake = await new FakeLlmServer().start();
    const env = { AI_ALLOW_PRIVATE_BASE_URLS: 'true', AI_MAX_ATTEMPTS: '1' };
    [api, second] = await Promise.all([startApi(env), startApi(env)]);
    http = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await Promise.all([api?.stop(), second?.stop()]);
    await fake?.stop();
  });
  beforeEach(() => fake.reset());

  it('lists the shipped default of every feature as version 1 with its variables', async () => {
    const { data } = expectStatus(await http.get('/v1/ai/templates', acme.headers('agent')), 200);
    expect(data.map((t: any) => t.feature)).toEqual(FEATURES);
    for (const t of data) expect(t).toMatchObject({ version: 1, source: 'default', createdAt: null, createdBy: null });
    expect(data[0].variables).toEqual(['question', 'passages', 'locale']);
    expect(data[0].messages[0].content).toContain('[1]');
    expect(data[0].messages[0].content).toMatch(/reply with exactly NOT_FOUND/);
    expectProblem(await http.get('/v1/ai/templates', acme.headers('viewer')), 403);
  });

  it('previews the effective template and a draft without calling a model or writing usage', async () => {
    const before = await usageCount(acme.tenant.id);
    const preview = expectStatus(await http.post('/v1/ai/templates/answer/preview', { variables: ANSWER_VARS }, acme.headers('agent')), 200);
    expect(preview.template).toEqual({ feature: 'answer', version: 1, source: 'default' });
    expect(preview.messages.map((m: any) => m.role)).toEqual(['system', 'user', 'user']);
    expect(preview.messages[1].content).toContain('[1] Boiler reset\nHold the reset button for five seconds.');
    expect(preview.messages[2].content).toBe('Question: How do I reset the boiler?');
    expect(preview.promptTokens).toBeGreaterThan(50);

    const draft = expectStatus(
      await http.post('/v1/ai/templates/answer/preview', { variables: ANSWER_VARS, template: { messages: [{ role: 'user', content: '{{question}}{{#passages}} [{{n}}] {{title}}{{/passages}}' }] } }, acme.headers('technician')),
      200,
    );
    expect(draft).toEqual({ messages: [{ role: 'user', content: 'How do I reset the boiler? [1] Boiler reset' }], promptTokens: expect.any(Number), template: { feature: 'answer', version: null, source: 'draft' } });

    const badDraft = expectProblem(await http.post('/v1/ai/templates/answer/preview', { variables: ANSWER_VARS, template: { messages: [{ role: 'user', content: 'Q: {{questoin}}' }] } }, acme.headers('agent')), 422, 'invalid-template');
    expect(badDraft.errors).toEqual([{ field: 'messages[0].content', message: expect.stringContaining('unknown variable "questoin"') }]);
    const badVars = expectProblem(await http.post('/v1/ai/templates/answer/preview', { variables: { question: 'q', locale: 'en', extra: 1 } }, acme.headers('agent')), 422, 'invalid-template-variables');
    expect(badVars.errors).toEqual(expect.arrayContaining([{ field: 'variables.passages', message: 'is missing' }, { field: 'variables.extra', message: expect.stringContaining('not a variable') }]));
    expectProblem(await http.post('/v1/ai/templates/completion/preview', { variables: {} }, acme.headers('agent')), 404, 'not-found');
    expectProblem(await http.post('/v1/ai/templates/answer/preview', { variables: ANSWER_VARS, model: 'x' }, acme.headers('agent')), 400);

    expect(await usageCount(acme.tenant.id)).toBe(before);
    expect(fake.requests).toHaveLength(0);
  });

  it('saves tenant versions with optimistic concurrency, rejects bad templates by name, and keeps the history', async () => {
    const body = { messages: [{ role: 'system', content: 'ACME-SUMMARY-V2' }, { role: 'user', content: '{{subject}}\n{{conversation}}' }], version: 1 };
    expectProblem(await http.put('/v1/ai/templates/summary', body, acme.headers('agent')), 403);
    const malformed = expectProblem(await http.put('/v1/ai/templates/summary', { messages: [{ role: 'user', content: '{{#conversation}}open' }] }, acme.headers('admin')), 422, 'invalid-template');
    expect(malformed.detail).toContain('section "conversation" is never closed');
    const unknown = expectProblem(await http.put('/v1/ai/templates/summary', { messages: [{ role: 'user', content: '{{customer_name}}' }] }, acme.headers('admin')), 422, 'invalid-template');
    expect(unknown.errors[0].message).toContain('unknown variable "customer_name"');
    const tooLong = expectProblem(await http.put('/v1/ai/templates/summary', { messages: [{ role: 'user', content: 'x'.repeat(20_001) }] }, acme.headers('admin')), 422, 'invalid-template');
    expect(tooLong.errors).toEqual([{ field: 'messages[0].content', message: 'is 20001 characters; at most 20000' }]);
    expectProblem(await http.put('/v1/ai/templates/summary', { ...body, extra: true }, acme.headers('admin')), 400);

    // One feature's effective template carries the ETag a save sends back as If-Match.
    const shipped = await http.get('/v1/ai/templates/summary', acme.headers('agent'));
    expect(expectStatus(shipped, 200)).toMatchObject({ feature: 'summary', version: 1, source: 'default', createdAt: null, variables: ['subject', 'conversation'] });
    expect(shipped.headers.get('etag')).toBe('W/"1"');
    expectProblem(await http.get('/v1/ai/templates/completion', acme.headers('agent')), 404, 'not-found');
    expectProblem(await http.get('/v1/ai/templates/summary', acme.headers('viewer')), 403);

    const saved = await http.put('/v1/ai/templates/summary', body, acme.headers('admin'));
    expect(expectStatus(saved, 200)).toMatchObject({ feature: 'summary', version: 2, source: 'tenant', createdBy: acme.users.admin.userId, messages: body.messages });
    expect(saved.headers.get('etag')).toBe('W/"2"');
    const stale = expectProblem(await http.put('/v1/ai/templates/summary', body, acme.headers('admin')), 409, 'version-conflict');
    expect(stale.detail).toContain('version 2, not 1');
    expectProblem(await http.put('/v1/ai/templates/summary', { messages: body.messages }, acme.headers('admin', { 'if-match': 'W/"1"' })), 409, 'version-conflict');
    const current = await http.get('/v1/ai/templates/summary', acme.headers('agent'));
    expect(expectStatus(current, 200)).toMatchObject({ version: 2, source: 'tenant', messages: body.messages, createdBy: acme.users.admin.userId });
    const third = expectStatus(await http.put('/v1/ai/templates/summary', { messages: [{ role: 'user', content: 'V3 {{subject}}' }] }, acme.headers('owner', { 'if-match': current.headers.get('etag')! })), 200);
    expect(third.version).toBe(3);

    const page1 = expectStatus(await http.get('/v1/ai/templates/summary/versions?limit=2', acme.headers('agent')), 200);
    expect(page1.data.map((v: any) => [v.version, v.source])).toEqual([[3, 'tenant'], [2, 'tenant']]);
    const page2 = expectStatus(await http.get(`/v1/ai/templates/summary/versions?limit=2&cursor=${page1.nextCursor}`, acme.headers('agent')), 200);
    expect(page2).toMatchObject({ data: [{ version: 1, source: 'default', createdAt: null }], nextCursor: null });

    // Going back to the default is a version of its own; doing it again records nothing.
    const reset = expectStatus(await http.delete('/v1/ai/templates/summary', acme.headers('admin')), 200);
    expect(reset).toMatchObject({ version: 4, source: 'default', createdBy: acme.users.admin.userId });
    expect(reset.messages[0].content).toContain('You summarise help-desk conversations');
    expectStatus(await http.delete('/v1/ai/templates/summary', acme.headers('admin')), 200);
    const all = expectStatus(await http.get('/v1/ai/templates/summary/versions', acme.headers('agent')), 200);
    expect(all.data.map((v: any) => [v.version, v.source])).toEqual([[4, 'default'], [3, 'tenant'], [2, 'tenant'], [1, 'default']]);

    const audit = expectStatus(await http.get('/v1/audit-logs?limit=100', acme.headers('owner')), 200);
    const actions = audit.data.filter((e: any) => e.entityType === 'ai_prompt_template').map((e: any) => e.action);
    expect(actions.filter((a: string) => a === 'ai.template_saved')).toHaveLength(2);
    expect(actions.filter((a: string) => a === 'ai.template_reset')).toHaveLength(1);
    const events = (await db.query(`SELECT type, payload FROM outbox WHERE tenant_id = $1 AND aggregate_type = 'ai_prompt_template' ORDER BY position`, [acme.tenant.id])).rows;
    expect(events.map((e) => [e.type, e.payload.version])).toEqual([['ai.template_saved', 2], ['ai.template_saved', 3], ['ai.template_reset', 4]]);

    // The other tenant still has only the default, and cannot see acme's history.
    const theirs = expectStatus(await http.get('/v1/ai/templates/summary/versions', globex.headers('admin')), 200);
    expect(theirs.data).toEqual([expect.objectContaining({ version: 1, source: 'default' })]);
    expect(expectStatus(await http.get('/v1/ai/templates/summary', globex.headers('admin')), 200)).toMatchObject({ version: 1, source: 'default' });
  });

  it('keeps template history per tenant in the database too (RLS, append-only)', async () => {
    await asTenantRole(globex.tenant.id, async (c) => {
      expect((await c.query(`SELECT count(*)::int AS n FROM ai_prompt_templates`)).rows[0].n).toBe(0);
      expect(await pgErrorCode(c, `INSERT INTO ai_prompt_templates (tenant_id, feature, version, source) VALUES ($1, 'summary', 9, 'default')`, [acme.tenant.id])).toBe('42501');
    });
    await asTenantRole(acme.tenant.id, async (c) => {
      expect((await c.query(`SELECT count(*)::int AS n FROM ai_prompt_templates WHERE feature = 'summary'`)).rows[0].n).toBe(3);
      expect(await pgErrorCode(c, `UPDATE ai_prompt_templates SET messages = NULL`)).toBe('42501');
      expect(await pgErrorCode(c, `DELETE FROM ai_prompt_templates`)).toBe('42501');
    });
  });

  it('answers odd input with 4xx problems, never a 500', async () => {
    const big = Buffer.from(JSON.stringify([1e12])).toString('base64url');
    const word = Buffer.from(JSON.stringify(['x'])).toString('base64url');
    for (const cursor of ['garbage', big, word]) expectProblem(await http.get(`/v1/ai/templates/answer/versions?cursor=${cursor}`, acme.headers('agent')), 400, 'invalid-cursor');
    expectProblem(await http.get('/v1/ai/templates/answer/versions?limit=500', acme.headers('agent')), 400);
    expectProblem(await http.put('/v1/ai/templates/answer', { messages: [{ role: 'tool', content: 'x' }] }, acme.headers('admin')), 400);
    expectProblem(await http.put('/v1/ai/templates/answer', { messages: [] }, acme.headers('admin')), 400);
    expectProblem(await http.put('/v1/ai/templates/answer', { messages: [{ role: 'user', content: '{{question}}' }] }, acme.headers('admin', { 'if-match': 'yesterday' })), 400, 'invalid-if-match');
    expectProblem(await http.put('/v1/ai/templates/answer', { messages: [{ role: 'user', content: '{{question}}' }], version: 2 }, acme.headers('admin', { 'if-match': 'W/"1"' })), 400);
    expectProblem(await http.put('/v1/ai/templates/%E2%9C%93', { messages: [{ role: 'user', content: 'x' }] }, acme.headers('admin')), 404, 'not-found');
    expectProblem(await http.post('/v1/ai/templates/answer/preview', { variables: [] }, acme.headers('agent')), 400);
    const nulls = expectProblem(await http.post('/v1/ai/templates/draft/preview', { variables: { subject: null, conversation: [null, { text: 5 }], passages: [null] } }, acme.headers('agent')), 422, 'invalid-template-variables');
    expect(nulls.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['variables.subject', 'variables.conversation[0].text', 'variables.passages[0].text']));
    // Nothing of this was saved.
    expect(expectStatus(await http.get('/v1/ai/templates', acme.headers('agent')), 200).data[0]).toMatchObject({ feature: 'answer', version: 1 });
  });

  it('applies a saved template on the next render in every api process, and usage rows name the version', async () => {
    const other = client(second.url);
    // The second process renders (and caches) the default first.
    expect(expectStatus(await other.post('/v1/ai/templates/extraction/preview', { variables: { schema: SCHEMA, text: 't' } }, acme.headers('agent')), 200).template).toEqual({ feature: 'extraction', version: 1, source: 'default' });
    const system = 'ACME-EXTRACTION-V2: fields as JSON.\n{{schema}}';
    expectStatus(await http.put('/v1/ai/templates/extraction', { messages: [{ role: 'system', content: system }, { role: 'user', content: 'Text: {{text}}' }] }, acme.headers('admin')), 200);
    const seen = expectStatus(await other.post('/v1/ai/templates/extraction/preview', { variables: { schema: SCHEMA, text: 'Unit AB-123' } }, acme.headers('agent')), 200);
    expect(seen.template).toEqual({ feature: 'extraction', version: 2, source: 'tenant' });
    expect(seen.messages[1]).toEqual({ role: 'user', content: 'Text: Unit AB-123' });

    expectStatus(await http.put('/v1/ai/providers/oa', { kind: 'openai', apiKey: 'sk-acme-1', baseUrl: fake.baseUrl('openai'), defaultModel: 'gpt-4o-mini' }, acme.headers('admin')), 201);
    expectStatus(await http.put('/v1/ai/settings', { defaultProvider: 'oa' }, acme.headers('admin')), 200);
    fake.enqueue('openai', { kind: 'ok', json: { serial: 'AB-123' } });
    const extracted = expectStatus(await other.post('/v1/ai/extract', { schema: SCHEMA, text: 'Unit AB-123' }, acme.headers('technician')), 200);
    expect(extracted).toMatchObject({ data: { serial: 'AB-123' }, template: { feature: 'extraction', version: 2, source: 'tenant' } });
    expect(fake.requests[0]!.body.messages[0].content).toContain('ACME-EXTRACTION-V2');
    expect(fake.requests[0]!.body.messages[1].content).toBe('Text: Unit AB-123');
    await settleAiUsage([api.url, second.url], [acme, globex], acme.tenant.id);
    const row = (await db.query(`SELECT template_version, template_source FROM ai_usage WHERE tenant_id = $1 AND feature = 'extraction' ORDER BY created_at DESC LIMIT 1`, [acme.tenant.id])).rows[0];
    expect(row).toEqual({ template_version: 2, template_source: 'tenant' });

    // globex renders the default, in either process.
    expect(expectStatus(await other.post('/v1/ai/templates/extraction/preview', { variables: { schema: SCHEMA, text: 't' } }, globex.headers('agent')), 200).template.version).toBe(1);

    expectStatus(await http.delete('/v1/ai/templates/extraction', acme.headers('admin')), 200);
    expect(expectStatus(await other.post('/v1/ai/templates/extraction/preview', { variables: { schema: SCHEMA, text: 't' } }, acme.headers('agent')), 200).template).toEqual({ feature: 'extraction', version: 3, source: 'default' });
  });

  describe('redaction', () => {
    const EMAIL = 'jane.doe@example.com';
    const PHONE = '+49 30 901820';
    const CARD = '4111 1111 1111 1111';
    const prompt = `Customer ${EMAIL} (${PHONE}) paid with ${CARD}; reply to ${EMAIL}.`;

    beforeAll(async () => {
      const settings = expectStatus(await http.put('/v1/ai/settings', { redaction: { email: true, phone: true, card: true } }, acme.headers('admin')), 200);
      expect(settings.redaction).toEqual({ email: true, phone: true, card: true });
      expectStatus(await http.put('/v1/ai/providers/oa', { kind: 'openai', apiKey: 'sk-globex-1', baseUrl: fake.baseUrl('openai') }, globex.headers('admin')), 201);
      expectStatus(await http.put('/v1/ai/settings', { defaultProvider: 'oa' }, globex.headers('admin')), 200);
    });

    it('keeps e-mail, phone and card from the provider and restores them in the answer (cards masked)', async () => {
      fake.enqueue('openai', { kind: 'ok', text: 'Wrote to [EMAIL_1], called [PHONE_1], card [CARD_1] refunded. [EMAIL_9] stays.' });
      const res = expectStatus(await http.post('/v1/ai/completions', { messages: [{ role: 'user', content: prompt }] }, acme.headers('agent')), 200);
      const sent = sentText();
      for (const original of [EMAIL, PHONE, CARD, '4111111111111111']) expect(sent).not.toContain(original);
      expect(fake.requests[0]!.body.messages[0].content).toBe('Customer [EMAIL_1] ([PHONE_1]) paid with [CARD_1]; reply to [EMAIL_1].');
      expect(res.text).toBe(`Wrote to ${EMAIL}, called ${PHONE}, card **** 1111 refunded. [EMAIL_9] stays.`);
    });

    it('restores placeholders split across stream deltas', async () => {
      fake.enqueue('openai', { kind: 'parts', parts: ['Mail [EM', 'AIL_', '1', '] or call [', 'PHONE_1]', ' now [ok]'] });
      const res = await fetch(`${api.url}/v1/ai/completions`, { method: 'POST', headers: acme.headers('agent'), body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: prompt }] }) });
      expect(res.status).toBe(200);
      const { text, deltas } = sseText(await res.text());
      expect(text).toBe(`Mail ${EMAIL} or call ${PHONE} now [ok]`);
      for (const d of deltas) expect(d).not.toMatch(/\[(EMAIL|PHONE|CARD)_\d+\]|\[EM|PHONE_1\]/);
      expect(sentText()).not.toContain(EMAIL);
    });

    it('restores inside structured output', async () => {
      fake.enqueue('openai', { kind: 'ok', json: { serial: 'AB-1', email: '[EMAIL_1]' } });
      const res = expectStatus(await http.post('/v1/ai/extract', { schema: SCHEMA, text: `Unit AB-1, owner ${EMAIL}` }, acme.headers('technician')), 200);
      expect(res.data).toEqual({ serial: 'AB-1', email: EMAIL });
      expect(sentText()).not.toContain(EMAIL);
    });

    it('sends text unchanged for a tenant without redaction', async () => {
      fake.enqueue('openai', { kind: 'ok', text: `Noted ${EMAIL}.` });
      const res = expectStatus(await http.post('/v1/ai/completions', { messages: [{ role: 'user', content: prompt }] }, globex.headers('agent')), 200);
      expect(fake.requests[0]!.body.messages[0].content).toBe(prompt);
      expect(res.text).toBe(`Noted ${EMAIL}.`);
      expect(expectStatus(await http.get('/v1/ai/settings', globex.headers('admin')), 200).redaction).toEqual({});
    });

    it('sends text unchanged again once redaction is switched off', async () => {
      expectStatus(await http.put('/v1/ai/settings', { redaction: { email: false, phone: false, card: false } }, acme.headers('admin')), 200);
      expectStatus(await http.post('/v1/ai/completions', { messages: [{ role: 'user', content: prompt }] }, acme.headers('agent')), 200);
      expect(fake.requests[0]!.body.messages[0].content).toBe(prompt);
      expectProblem(await http.put('/v1/ai/settings', { redaction: { email: 'yes' } }, acme.headers('admin')), 400);
      expectProblem(await http.put('/v1/ai/settings', { redaction: { fax: true } }, acme.headers('admin')), 400);
    });
  });
});
