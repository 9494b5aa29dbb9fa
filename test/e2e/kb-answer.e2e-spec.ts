import { Client } from 'pg';
import { startApi, startWorker, waitFor, type RunningApi, type RunningProcess } from '../support/processes';
import { createTwoTenants, settleAiUsage, type TenantSession } from '../support/tenants';
import { client, expectProblem, expectStatus } from '../support/http';
import { FakeLlmServer } from '../support/fake-llm/fake-llm-server';

interface Citation {
  articleId: string;
  title: string;
  slug: string;
  locale: string;
  url: string;
  passages: number[];
}

const NOT_FOUND = 'I could not find an answer to this in the knowledge base.';

function parseSse(text: string): { event: string; data: any }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message', data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') }));
}

/** RAG answers through the api: retrieval per tenant and audience, the weak-retrieval line, citations, metering, the public route's limits. */
describe('knowledge-base answers', () => {
  let api: RunningApi;
  let worker: RunningProcess;
  let fake: FakeLlmServer;
  let acme: TenantSession;
  let globex: TenantSession;
  let http: ReturnType<typeof client>;
  let db: Client;
  const ids: Record<string, string> = {};

  const agentAnswer = (t: TenantSession, body: Record<string, unknown>, role: keyof TenantSession['tokens'] = 'agent') => http.post('/v1/ai/answer', body, t.headers(role));
  // A fresh client address per call unless given, so that only the rate-limit test meets the per-IP budget.
  let visitors = 0;
  const publicAnswer = (slug: string, body: unknown, ip = `198.51.${100 + Math.floor(++visitors / 250)}.${visitors % 250}`) => http.post(`/v1/help-center/${slug}/answer`, body, { 'content-type': 'application/json', 'x-forwarded-for': ip });
  const usageRows = async (tenantId: string) =>
    (await settleAiUsage(api.url, [acme, globex], tenantId), await db.query(`SELECT feature, provider, actor_type, actor_id, outcome FROM ai_usage WHERE tenant_id = $1 AND feature = 'answer' ORDER BY created_at`, [tenantId])).rows;

  async function publish(t: TenantSession, sectionId: string, key: string, body: Record<string, unknown>, publish = true) {
    const article = expectStatus(await http.post('/v1/kb/articles', { sectionId, ...body }, t.headers('agent')), 201);
    ids[key] = article.id;
    if (publish) expectStatus(await http.post(`/v1/kb/articles/${article.id}/publish`, undefined, t.headers('agent')), 200);
    return article;
  }

  async function section(t: TenantSession) {
    const category = expectStatus(await http.post('/v1/kb/categories', { locale: 'en', name: 'Help' }, t.headers('admin')), 201);
    return expectStatus(await http.post('/v1/kb/sections', { categoryId: category.id, name: 'Account' }, t.headers('admin')), 201).id as string;
  }

  beforeAll(async () => {
    fake = await new FakeLlmServer().start();
    // The coverage check (ADR 0063, 0067) runs with the product's default.
    api = await startApi({ AI_ALLOW_PRIVATE_BASE_URLS: 'true', AI_MAX_ATTEMPTS: '1', RATE_LIMIT_HELP_CENTER_ANSWER_PER_MINUTE: '4' });
    worker = await startWorker({ OUTBOX_POLL_MS: '50' });
    http = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();

    const acmeSection = await section(acme);
    await publish(acme, acmeSection, 'password', {
      title: 'Reset your password',
      body: 'If you forgot your password, you can reset it and set a new one in a minute.\n\n## From the sign-in page\n\n1. Click **Forgot password?** below the sign-in form.\n2. Enter the email address you signed up with.\n3. Open the email we send you and follow the link within 30 minutes.\n\n## If the email does not arrive\n\nCheck your spam folder. Links are valid for 30 minutes, as long as you have not asked for a newer one; request a new one if yours has expired.',
    });
    await publish(acme, acmeSection, 'boiler', { title: 'Book a boiler service visit', body: 'A yearly boiler service keeps your warranty valid. Pick a morning or afternoon slot on the booking page; the technician calls 30 minutes before arriving.' });
    await publish(acme, acmeSection, 'refundInternal', { title: 'Refund procedure for agents', visibility: 'internal', body: 'Refunds over 200 euros need the approval code of a team lead. Log the approval code on the ticket before issuing the refund.' });
    await publish(acme, acmeSection, 'draft', { title: 'Direct debit payments', body: 'Direct debit payments from your bank account are collected on the first working day of the month.' }, false);
    await publish(acme, acmeSection, 'archived', { title: 'Fax support', body: 'Send faxes to our fax number and we process faxed orders within a day.' });
    expectStatus(await http.post(`/v1/kb/articles/${ids.archived}/archive`, undefined, acme.headers('agent')), 200);

    const globexSection = await section(globex);
    await publish(globex, globexSection, 'globexPassword', { title: 'Reset your password', body: 'Globex passwords are reset only by calling the Globex hotline. Forgot password links are not offered.' });

    const indexed = async (t: TenantSession, q: string, id: string) =>
      waitFor(async () => (expectStatus(await http.get(`/v1/kb/search?q=${encodeURIComponent(q)}&mode=lexical`, t.headers('agent')), 200).results as { articleId: string }[]).some((r) => r.articleId === id), `"${q}" to be indexed`, 30_000);
    await indexed(acme, 'forgot password', ids.password!);
    await indexed(acme, 'boiler service', ids.boiler!);
    await indexed(acme, 'approval code', ids.refundInternal!);
    await indexed(globex, 'Globex hotline', ids.globexPassword!);
    await waitFor(async () => expectStatus(await http.get(`/v1/kb/articles/${ids.archived}`, acme.headers('agent')), 200).indexedVersion === null, 'the archive to drop its chunks', 30_000);
  });
  afterAll(async () => {
    await db?.end();
    await worker?.stop();
    await api?.stop();
    await fake?.stop();
  });
  beforeEach(() => fake.reset());

  it('answers offline from the right article with citations, and meters the call in GET /v1/ai/usage', async () => {
    const res = expectStatus(await agentAnswer(acme, { question: 'How do I reset my password?' }), 200);
    expect(res).toMatchObject({ found: true, provider: 'local', model: 'local-extractive-1', extractive: true, usage: { promptTokens: expect.any(Number), completionTokens: expect.any(Number) } });
    expect(res.citations[0]).toMatchObject({ articleId: ids.password, title: 'Reset your password', slug: 'reset-your-password', locale: 'en', url: `/v1/kb/articles/${ids.password}` });
    expect(res.answer).toMatch(/Forgot password\?|forgot your password/);
    expect(res.answer).toMatch(/\[\d\]/);
    // Every [n] in the text belongs to a citation, and no other tenant's article is among them.
    const cited = new Set((res.citations as Citation[]).flatMap((c) => c.passages));
    for (const m of res.answer.matchAll(/\[(\d+)\]/g)) expect(cited.has(Number(m[1]))).toBe(true);
    expect((res.citations as Citation[]).map((c) => c.articleId)).not.toContain(ids.globexPassword);
    expect(res.answer).not.toContain('Globex');
    expect(fake.requests).toHaveLength(0);

    const usage = expectStatus(await http.get('/v1/ai/usage', acme.headers('agent')), 200);
    expect(usage.data).toEqual(expect.arrayContaining([expect.objectContaining({ feature: 'answer', provider: 'local', model: 'local-extractive-1', calls: 1, failures: 0 })]));
    expect(await usageRows(acme.tenant.id)).toEqual([{ feature: 'answer', provider: 'local', actor_type: 'user', actor_id: expect.any(String), outcome: 'success' }]);
  });

  it('keeps each tenant to its own articles', async () => {
    const res = expectStatus(await agentAnswer(globex, { question: 'How do I reset my password?' }), 200);
    expect(res.found).toBe(true);
    expect((res.citations as Citation[]).map((c) => c.articleId)).toEqual([ids.globexPassword]);
    expect(res.answer).not.toMatch(/spam folder|sign-in form/);
    const pub = expectStatus(await publicAnswer(globex.tenant.slug, { question: 'How do I book a boiler service visit?' }), 200);
    expect((pub.citations as Citation[]).map((c) => c.articleId)).not.toContain(ids.boiler);
    const internal = expectStatus(await agentAnswer(globex, { question: 'Which approval code do refunds over 200 euros need?' }), 200);
    expect((internal.citations as Citation[]).map((c) => c.articleId)).not.toContain(ids.refundInternal);
    expect(internal.answer).not.toContain('team lead');
    // The public route names its tenant by slug only: an unknown one is a 404, like a missing one.
    expectProblem(await publicAnswer('nobody-has-this-slug', { question: 'How do I reset my password?' }), 404);
  });

  it('cites internal articles to agents only, and never drafts or archived ones', async () => {
    const agent = expectStatus(await agentAnswer(acme, { question: 'Which approval code do refunds over 200 euros need?' }), 200);
    expect(agent.found).toBe(true);
    expect((agent.citations as Citation[]).map((c) => c.articleId)).toContain(ids.refundInternal);

    const publicIds = new Set([ids.password, ids.boiler]);
    for (const question of ['Which approval code do refunds over 200 euros need?', 'When are direct debit payments collected from my bank account?', 'Can I send faxed orders to your fax number?', 'How do I reset my password?']) {
      const res = expectStatus(await publicAnswer(acme.tenant.slug, { question }), 200);
      for (const c of res.citations as Citation[]) expect(publicIds.has(c.articleId)).toBe(true);
      expect(res.answer).not.toMatch(/team lead|first working day|faxed orders/);
    }
    const pub = expectStatus(await publicAnswer(acme.tenant.slug, { question: 'How do I reset my password?' }), 200);
    expect(pub.citations[0]).toMatchObject({ articleId: ids.password, url: `/v1/help-center/${acme.tenant.slug}/articles/reset-your-password?locale=en` });
    // Visitors' answers are the tenant's usage, with the visitor as actor.
    expect((await usageRows(acme.tenant.id)).filter((r) => r.actor_type === 'visitor').length).toBeGreaterThanOrEqual(1);
  });

  it('says "not found" on weak retrieval without calling a model or writing a usage row', async () => {
    const before = (await usageRows(acme.tenant.id)).length;
    for (const question of ['What is the capital of Australia?', 'How long should I boil an egg?']) {
      const res = expectStatus(await agentAnswer(acme, { question }), 200);
      expect(res).toEqual({ answer: NOT_FOUND, found: false, citations: [], provider: null, model: null, extractive: false });
    }
    expect(expectStatus(await publicAnswer(acme.tenant.slug, { question: 'Who won the football world cup in 2014?' }), 200)).toMatchObject({ found: false, citations: [], provider: null });
    expect(await usageRows(acme.tenant.id)).toHaveLength(before);
  });

  it('declines a question about another company\'s product that its words are close to, and answers one with a typo', async () => {
    const before = (await usageRows(acme.tenant.id)).length;
    // "password", "reset" and "link" are this knowledge base's words; Netflix is not, and it is the subject.
    for (const question of ['How do I reset my Netflix password?', 'The Netflix password reset link has expired']) {
      expect(expectStatus(await agentAnswer(acme, { question }), 200)).toEqual({ answer: NOT_FOUND, found: false, citations: [], provider: null, model: null, extractive: false });
    }
    expect(expectStatus(await publicAnswer(acme.tenant.slug, { question: 'How do I reset my Netflix password?' }), 200)).toMatchObject({ found: false, citations: [], provider: null });
    expect(await usageRows(acme.tenant.id)).toHaveLength(before);
    // A misspelt word of the knowledge base is read as the word it stands for.
    const typo = expectStatus(await agentAnswer(acme, { question: 'How do I reset my pasword?' }), 200);
    expect(typo).toMatchObject({ found: true, provider: 'local' });
    expect((typo.citations as Citation[])[0]).toMatchObject({ articleId: ids.password });
    // A word the tenant never wrote is its own once one of its synonym sets ties it to a word its articles use.
    const passphrase = 'How do I reset my passphrase?';
    expect(expectStatus(await agentAnswer(acme, { question: passphrase }), 200).found).toBe(false);
    expectStatus(await http.post('/v1/kb/synonyms', { terms: ['passphrase', 'password'] }, acme.headers('admin')), 201);
    const synonym = expectStatus(await agentAnswer(acme, { question: passphrase }), 200);
    expect(synonym).toMatchObject({ found: true });
    expect((synonym.citations as Citation[])[0]).toMatchObject({ articleId: ids.password });
    // The same question in the other tenant is answered from its own article: the name is only a signal where the tenant never wrote it.
    const globexNamed = expectStatus(await agentAnswer(globex, { question: 'Can the Globex hotline reset my password?' }), 200);
    expect(globexNamed.found).toBe(true);
    expect((globexNamed.citations as Citation[]).map((c) => c.articleId)).toEqual([ids.globexPassword]);
  });

  it('switches to an OpenAI-compatible endpoint with no restart; only real passage numbers become citations', async () => {
    expectStatus(await http.put('/v1/ai/providers/oa', { kind: 'openai', apiKey: 'sk-answer-test-0001', baseUrl: fake.baseUrl('openai'), defaultModel: 'gpt-4o-mini' }, acme.headers('admin')), 201);
    expectStatus(await http.put('/v1/ai/settings', { features: { answer: { provider: 'oa' } } }, acme.headers('admin')), 200);
    fake.enqueue('openai', { kind: 'ok', text: 'Click Forgot password? below the sign-in form [1]. The link works for 30 minutes [2][9], as our policy says [7].' });
    const res = expectStatus(await agentAnswer(acme, { question: 'How do I reset my password and how long is the link valid?' }), 200);
    expect(res).toMatchObject({ found: true, provider: 'oa', model: 'gpt-4o-mini', extractive: false, usage: { promptTokens: 11 } });
    expect(res.answer).toBe('Click Forgot password? below the sign-in form [1]. The link works for 30 minutes [2], as our policy says.');

    // The passages the model saw, by number, decide what [1] and [2] cite.
    const sent = fake.requests[0]!.body.messages as { role: string; content: string }[];
    const prompt = sent.map((m) => m.content).join('\n');
    expect(prompt).toContain('Question: How do I reset my password and how long is the link valid?');
    const titles = new Map([...prompt.matchAll(/^\[(\d+)\] ([^\n›]+?)(?: › [^\n]*)?$/gm)].map((m) => [Number(m[1]), m[2]!.trim()]));
    expect(titles.get(1)).toBeDefined();
    expect(titles.has(9)).toBe(false);
    for (const c of res.citations as Citation[]) for (const n of c.passages) expect(titles.get(n)).toBe(c.title);
    expect((res.citations as Citation[]).flatMap((c) => c.passages).sort()).toEqual([1, 2]);
    expect(prompt).not.toContain('Globex');
    expect(prompt).not.toContain('first working day');

    // A model that finds no answer in the passages is "not found", and the call is still metered.
    fake.enqueue('openai', { kind: 'ok', text: 'NOT_FOUND' });
    const declined = expectStatus(await agentAnswer(acme, { question: 'How do I reset my password?' }), 200);
    expect(declined).toMatchObject({ found: false, answer: NOT_FOUND, citations: [], provider: 'oa', usage: { promptTokens: 11 } });
    const rows = await usageRows(acme.tenant.id);
    expect(rows.filter((r) => r.provider === 'oa')).toHaveLength(2);
    const usage = expectStatus(await http.get('/v1/ai/usage', acme.headers('agent')), 200);
    expect(usage.data).toEqual(expect.arrayContaining([expect.objectContaining({ feature: 'answer', provider: 'oa', calls: 2 })]));

    // Streamed: the model's words as written, then `done` with the resolved answer and citations.
    fake.reset();
    fake.enqueue('openai', { kind: 'ok', text: 'Use Forgot password? on the sign-in page [1] and check spam [9].' });
    const streamed = await agentAnswer(acme, { question: 'How do I reset my password?', stream: true });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(streamed.text);
    expect(events[0]).toEqual({ event: 'start', data: { provider: 'oa', model: 'gpt-4o-mini' } });
    expect(events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).toBe('Use Forgot password? on the sign-in page [1] and check spam [9].');
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({ found: true, answer: 'Use Forgot password? on the sign-in page [1] and check spam.', provider: 'oa', extractive: false });
    expect((done.data.citations as Citation[]).flatMap((c) => c.passages)).toEqual([1]);
    expect(fake.requests[0]!.stream).toBe(true);
    // A streamed NOT_FOUND never shows as text.
    fake.enqueue('openai', { kind: 'ok', text: 'NOT_FOUND' });
    const declinedStream = parseSse((await agentAnswer(acme, { question: 'How do I reset my password?', stream: true })).text);
    expect(declinedStream.map((e) => e.event)).toEqual(['start', 'done']);
    expect(declinedStream[1]!.data).toMatchObject({ found: false, answer: NOT_FOUND, provider: 'oa' });
    expect((await usageRows(acme.tenant.id)).filter((r) => r.provider === 'oa')).toHaveLength(4);

    expectStatus(await http.put('/v1/ai/settings', { features: {} }, acme.headers('admin')), 200);
    expect(expectStatus(await agentAnswer(acme, { question: 'How do I reset my password?' }), 200).provider).toBe('local');
  });

  it('streams offline answers and weak retrieval as Server-Sent Events, for agents and visitors', async () => {
    const agent = parseSse((await agentAnswer(acme, { question: 'How do I reset my password?', stream: true })).text);
    expect(agent[0]).toEqual({ event: 'start', data: { provider: 'local', model: 'local-extractive-1' } });
    expect(agent.filter((e) => e.event === 'delta').length).toBeGreaterThan(1);
    expect(agent.at(-1)).toMatchObject({ event: 'done', data: { found: true, extractive: true, citations: [expect.objectContaining({ articleId: ids.password })] } });

    const weak = parseSse((await agentAnswer(acme, { question: 'What is the capital of Australia?', stream: true })).text);
    expect(weak).toEqual([
      { event: 'start', data: { provider: null, model: null } },
      { event: 'done', data: { answer: NOT_FOUND, found: false, citations: [], provider: null, model: null, extractive: false } },
    ]);

    const visitor = parseSse((await publicAnswer(acme.tenant.slug, { question: 'Which approval code do refunds over 200 euros need?', stream: true })).text);
    expect(visitor.at(-1)!.event).toBe('done');
    for (const c of visitor.at(-1)!.data.citations as Citation[]) expect([ids.password, ids.boiler]).toContain(c.articleId);
    expect(visitor.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).not.toContain('team lead');
    expectProblem(await agentAnswer(acme, { question: 'reset password', stream: 'yes' }), 400);
  });

  it('hides the tenant’s AI set-up from visitors when answers cannot be made', async () => {
    expectStatus(await http.put('/v1/ai/settings', { budget: { monthlyTokens: 1 } }, globex.headers('admin')), 200);
    expectProblem(await agentAnswer(globex, { question: 'How do I reset my password?' }), 402, 'ai-budget-exceeded');
    const res = expectProblem(await publicAnswer(globex.tenant.slug, { question: 'How do I reset my password?' }, '192.0.2.3'), 503);
    expect(res.detail).not.toMatch(/budget|token/i);
    expect(res.type).toMatch(/answers-unavailable$/);
    // Weak retrieval needs no model, so it still answers.
    expect(expectStatus(await publicAnswer(globex.tenant.slug, { question: 'What is the capital of Australia?' }, '192.0.2.3'), 200).found).toBe(false);
    expectStatus(await http.put('/v1/ai/settings', { budget: {} }, globex.headers('admin')), 200);
  });

  it('rejects bad input and missing permissions with problem+json', async () => {
    for (const body of [{}, { question: '' }, { question: '   ' }, { question: 'x'.repeat(1001) }, { question: 42 }, { question: 'reset password', extra: true }, { question: 'reset password', locale: 'en_US!!' }, { question: 'reset password', locale: 'fr' }]) {
      expectProblem(await agentAnswer(acme, body), 400);
      expectProblem(await publicAnswer(acme.tenant.slug, body), 400);
    }
    const unknownLocale = expectProblem(await agentAnswer(acme, { question: 'reset password', locale: 'fr' }), 400);
    expect(unknownLocale.detail).toContain('"en"');
    expect(expectStatus(await agentAnswer(acme, { question: 'How do I reset my password?', locale: 'en' }), 200).found).toBe(true);
    expectProblem(await http.post('/v1/ai/answer', { question: 'reset password' }, { 'content-type': 'application/json' }), 401);
    expectProblem(await agentAnswer(acme, { question: 'reset password' }, 'viewer'), 403);
    expectProblem(await http.post('/v1/ai/answer', { question: 'reset password' }, { authorization: `Bearer ${acme.apiKeys.full}`, 'content-type': 'application/json' }), 403);
  });

  it('limits public answers per IP on their own budget, with RateLimit headers and a 429', async () => {
    const ip = '203.0.113.77';
    let limited: Awaited<ReturnType<typeof publicAnswer>> | null = null;
    // A fixed window may roll over once mid-loop; twice the limit plus one always reaches a 429.
    for (let i = 0; i < 9 && !limited; i++) {
      const res = await publicAnswer(acme.tenant.slug, { question: 'What is the capital of Australia?' }, ip);
      expect(res.headers.get('ratelimit-limit')).toBe('4');
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited).not.toBeNull();
    const problem = expectProblem(limited!, 429, 'rate-limited');
    expect(problem.detail).toContain('help-center answers');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers.get('ratelimit-remaining')).toBe('0');
    // Reading the help center from the same address goes on.
    expectStatus(await http.get(`/v1/help-center/${acme.tenant.slug}/search?q=password`, { 'x-forwarded-for': ip }), 200);
  });
});
