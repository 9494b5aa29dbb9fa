import { Client } from 'pg';
import { baseEnv, run, startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { client, expectProblem, expectStatus } from '../support/http';

interface Hit {
  articleId: string;
  title: string;
  slug: string;
  chunkId: string;
  heading: string;
  snippet: string;
  score: number;
}

/** Search follows publishing through the worker (outbox → embeddings queue), per tenant and audience. */
describe('knowledge base search', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let http: ReturnType<typeof client>;
  let sectionId: string;

  beforeAll(async () => {
    api = await startApi();
    worker = await startWorker({ OUTBOX_POLL_MS: '50' });
    http = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    const category = expectStatus(await http.post('/v1/kb/categories', { locale: 'en', name: 'Heating' }, acme.headers('admin')), 201);
    sectionId = expectStatus(await http.post('/v1/kb/sections', { categoryId: category.id, name: 'Boilers' }, acme.headers('admin')), 201).id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  const agentSearch = async (t: TenantSession, query: string): Promise<Hit[]> => expectStatus(await http.get(`/v1/kb/search?${query}`, t.headers('agent')), 200).data;
  const publicSearch = async (t: TenantSession, query: string): Promise<Hit[]> => expectStatus(await http.get(`/v1/help-center/${t.tenant.slug}/search?${query}`), 200).data;

  async function publish(t: TenantSession, section: string, body: Record<string, unknown>) {
    const article = expectStatus(await http.post('/v1/kb/articles', { sectionId: section, ...body }, t.headers('agent')), 201);
    return expectStatus(await http.post(`/v1/kb/articles/${article.id}/publish`, undefined, t.headers('agent')), 200);
  }

  it('finds a published article within seconds, follows edits, and forgets it when archived', async () => {
    const article = await publish(acme, sectionId, {
      title: 'Bleed a radiator',
      body: '# Why\n\nAir trapped in a radiator leaves it cold at the top.\n\n# How\n\nTurn the heating off, open the bleed valve with a radiator key until water drips, then close it.',
    });
    const found = await waitFor(async () => (await agentSearch(acme, 'q=radiator%20key')).find((h) => h.articleId === article.id), 'search to find the published article', 30_000);
    expect(found).toMatchObject({ title: 'Bleed a radiator', slug: 'bleed-a-radiator', heading: 'How' });
    expect(found.snippet).toMatch(/<mark>radiator<\/mark>/i);
    expect(found.score).toBeGreaterThan(0);
    expect((await publicSearch(acme, 'q=radiator')).map((h) => h.articleId)).toContain(article.id);

    expectStatus(
      await http.patch(`/v1/kb/articles/${article.id}`, { body: '# How\n\nUse a flat screwdriver on the thermostatic valve of the towel warmer.' }, acme.headers('agent', { 'if-match': `W/"${article.version}"` })),
      200,
    );
    await waitFor(async () => (await agentSearch(acme, 'q=screwdriver&mode=lexical')).some((h) => h.articleId === article.id), 'search to reflect the edit', 30_000);
    expect((await agentSearch(acme, 'q=%22radiator%20key%22&mode=lexical')).some((h) => h.articleId === article.id)).toBe(false);
    const current = expectStatus(await http.get(`/v1/kb/articles/${article.id}`, acme.headers('agent')), 200);
    expect(current.indexedVersion).toBe(current.version);

    expectStatus(await http.post(`/v1/kb/articles/${article.id}/archive`, undefined, acme.headers('agent')), 200);
    // Archived at once for readers (the article row decides), and the chunks go with the worker.
    expect((await agentSearch(acme, 'q=screwdriver')).some((h) => h.articleId === article.id)).toBe(false);
    await waitFor(async () => expectStatus(await http.get(`/v1/kb/articles/${article.id}`, acme.headers('agent')), 200).indexedVersion === null, 'the archive to remove the chunks', 30_000);
  });

  it('keeps internal articles to agents and every tenant to itself', async () => {
    const internal = await publish(acme, sectionId, { title: 'Gas leak escalation', visibility: 'internal', body: 'Call the emergency line and log the escalation code ZX41 on the ticket.' });
    const draft = expectStatus(await http.post('/v1/kb/articles', { sectionId, title: 'Escalation draft', body: 'Unpublished escalation notes ZX41.' }, acme.headers('agent')), 201);
    await waitFor(async () => (await agentSearch(acme, 'q=escalation')).some((h) => h.articleId === internal.id), 'the internal article to be searchable by agents', 30_000);
    for (const mode of ['hybrid', 'lexical', 'dense']) {
      const agent = await agentSearch(acme, `q=escalation%20code&mode=${mode}`);
      expect(agent.some((h) => h.articleId === draft.id)).toBe(false);
    }
    expect((await publicSearch(acme, 'q=escalation%20code')).some((h) => h.articleId === internal.id)).toBe(false);
    expect((await publicSearch(acme, 'q=ZX41')).length).toBe(0);
    // A code alone: no word the embedder knows, so no vector list (ADR 0068); full text still finds it, dense answers an empty page.
    expect((await agentSearch(acme, 'q=ZX41')).some((h) => h.articleId === internal.id)).toBe(true);
    expect(await agentSearch(acme, 'q=qzxwv9&mode=dense')).toEqual([]);
    // Another tenant, by credential or by help-center slug, never sees it.
    expect((await agentSearch(globex, 'q=escalation%20code')).some((h) => h.articleId === internal.id)).toBe(false);
    expect((await publicSearch(globex, 'q=escalation')).some((h) => h.articleId === internal.id)).toBe(false);

    // Making it public shows it in the help center search once re-indexed.
    expectStatus(await http.patch(`/v1/kb/articles/${internal.id}`, { visibility: 'public' }, acme.headers('agent', { 'if-match': `W/"${internal.version}"` })), 200);
    await waitFor(async () => (await publicSearch(acme, 'q=escalation')).some((h) => h.articleId === internal.id), 'the now public article in the help center search', 30_000);
  });

  it("ranks natural questions on any of their words and reads typos as the tenant's own words", async () => {
    const article = await publish(acme, sectionId, {
      title: 'Replace the pressure sensor',
      body: '# Steps\n\nSwitch the boiler off, unscrew the old pressure sensor and fit the new one with its seal.',
    });
    await waitFor(async () => (await agentSearch(acme, 'q=pressure%20sensor&mode=lexical')).some((h) => h.articleId === article.id), 'the article to be indexed', 30_000);
    // Not every word is in the article ("how", "my" are stop words; "broken" is not there): it still ranks first.
    const question = await agentSearch(acme, `q=${encodeURIComponent('How do I change the broken sensor of my boiler?')}&mode=lexical`);
    expect(question[0]?.articleId).toBe(article.id);
    expect(question[0]?.snippet).toMatch(/<mark>sensor<\/mark>/i);
    // Misspelt words the tenant never wrote are read as its closest words.
    expect((await agentSearch(acme, 'q=presure%20sensr&mode=lexical'))[0]?.articleId).toBe(article.id);
    // Another tenant's vocabulary corrects nothing here, and its articles never show.
    expect((await agentSearch(globex, 'q=presure%20sensr&mode=lexical')).some((h) => h.articleId === article.id)).toBe(false);
  });

  it('filters by locale, category and tags', async () => {
    const category = expectStatus(await http.post('/v1/kb/categories', { locale: 'de', name: 'Heizung' }, acme.headers('admin')), 201);
    const section = expectStatus(await http.post('/v1/kb/sections', { categoryId: category.id, name: 'Kessel' }, acme.headers('admin')), 201);
    const german = await publish(acme, section.id, { title: 'Heizkörper entlüften', tags: ['Heizung'], body: 'Drehen Sie das Ventil mit dem Entlüftungsschlüssel auf, bis Wasser austritt.' });
    await waitFor(async () => (await agentSearch(acme, 'q=Ventil&locale=de')).some((h) => h.articleId === german.id), 'the German article', 30_000);
    // German stemming: "Ventile" finds "Ventil".
    expect((await agentSearch(acme, 'q=Ventile&locale=de&mode=lexical')).map((h) => h.articleId)).toContain(german.id);
    expect((await agentSearch(acme, 'q=Ventil&locale=en')).some((h) => h.articleId === german.id)).toBe(false);
    expect((await agentSearch(acme, `q=Ventil&categoryId=${category.id}`)).map((h) => h.articleId)).toContain(german.id);
    expect((await agentSearch(acme, `q=Ventil&categoryId=${sectionId}`)).length).toBe(0);
    expect((await agentSearch(acme, 'q=Ventil&tags=heizung')).map((h) => h.articleId)).toContain(german.id);
    expect((await agentSearch(acme, 'q=Ventil&tags=heizung,other')).length).toBe(0);
  });

  it('re-indexes a tenant from the command line, reusing unchanged vectors', async () => {
    const article = await publish(acme, sectionId, { title: 'Descale a kettle', body: 'Boil water with citric acid, then rinse twice.' });
    await waitFor(async () => (await agentSearch(acme, 'q=citric')).some((h) => h.articleId === article.id), 'the article to be indexed', 30_000);
    const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    const chunkIds = async () => (await db.query(`SELECT id FROM kb_chunks WHERE tenant_id = $1 ORDER BY id`, [acme.tenant.id])).rows.map((r) => r.id as string);
    const before = await chunkIds();
    const cli = run(process.execPath, ['dist/scripts/kb-reindex.js', '--tenant', acme.tenant.slug], baseEnv());
    expect(await cli.exited).toBe(0);
    // Indexing an unchanged article again is a no-op: same chunk rows, no embedding.
    expect(await chunkIds()).toEqual(before);
    await db.end();
    expect(cli.output()).toMatch(/kb:reindex: \d+ articles in [\d.]+ s — \d+ chunks \(0 embedded, \d+ unchanged\), 0 removed/);
    expect((await agentSearch(acme, 'q=citric')).some((h) => h.articleId === article.id)).toBe(true);
    const unknown = run(process.execPath, ['dist/scripts/kb-reindex.js', '--tenant', 'no-such-tenant'], baseEnv());
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain('no tenant with slug "no-such-tenant"');
  });

  it("edits each tenant's synonym sets, validated and kept to the tenant, and expands its searches with them", async () => {
    const article = await publish(acme, sectionId, { title: 'Reset the wireless network of the boiler', body: 'Hold the wireless network button for ten seconds until the lamp flashes.' });
    await waitFor(async () => (await agentSearch(acme, 'q=wireless&mode=lexical')).some((h) => h.articleId === article.id), 'the article to be indexed', 30_000);
    expect((await agentSearch(acme, 'q=wlan&mode=lexical')).some((h) => h.articleId === article.id)).toBe(false);

    const created = await http.post('/v1/kb/synonyms', { terms: ['WLAN', 'Wireless  network', 'wi-fi', 'wlan'] }, acme.headers('admin'));
    const set = expectStatus(created, 201);
    expect(set).toMatchObject({ terms: ['wlan', 'wireless network', 'wi fi'], version: 1 });
    expect(created.headers.get('etag')).toBe('W/"1"');
    // A word of the set now finds the article that uses another of its terms; only in this tenant.
    expect((await agentSearch(acme, 'q=wlan&mode=lexical'))[0]?.articleId).toBe(article.id);
    expect((await agentSearch(acme, 'q=wi-fi%20reset&mode=lexical'))[0]?.articleId).toBe(article.id);
    expect((await agentSearch(globex, 'q=wlan&mode=lexical')).some((h) => h.articleId === article.id)).toBe(false);

    expect(expectStatus(await http.get(`/v1/kb/synonyms/${set.id}`, acme.headers('agent')), 200)).toEqual(set);
    expect(expectStatus(await http.get('/v1/kb/synonyms?term=Wi-Fi', acme.headers('agent')), 200).data.map((s: { id: string }) => s.id)).toEqual([set.id]);
    expect(expectStatus(await http.get('/v1/kb/synonyms?term=boiler', acme.headers('agent')), 200).data).toEqual([]);
    // Another tenant sees none of it and can change none of it: 404 as for a missing set.
    expect(expectStatus(await http.get('/v1/kb/synonyms', globex.headers('admin')), 200).data).toEqual([]);
    expectProblem(await http.get(`/v1/kb/synonyms/${set.id}`, globex.headers('admin')), 404);
    expectProblem(await http.put(`/v1/kb/synonyms/${set.id}`, { terms: ['a', 'b'] }, globex.headers('admin', { 'if-match': 'W/"1"' })), 404);
    expectProblem(await http.delete(`/v1/kb/synonyms/${set.id}`, globex.headers('admin')), 404);

    // Validated: at least two different terms, up to three words each, known fields only, writers only.
    expect(expectProblem(await http.post('/v1/kb/synonyms', { terms: ['Refund', 'refund!'] }, acme.headers('admin')), 422).detail).toContain('at least 2 different terms');
    expectProblem(await http.post('/v1/kb/synonyms', { terms: ['one two three four', 'x'] }, acme.headers('admin')), 422);
    expectProblem(await http.post('/v1/kb/synonyms', { terms: ['a'] }, acme.headers('admin')), 400);
    expectProblem(await http.post('/v1/kb/synonyms', { terms: 'a,b' }, acme.headers('admin')), 400);
    expectProblem(await http.post('/v1/kb/synonyms', { terms: ['a', 'b'], weight: 2 }, acme.headers('admin')), 400);
    expectProblem(await http.post('/v1/kb/synonyms', { terms: ['a', 'b'] }, acme.headers('viewer')), 403);
    expectProblem(await http.get('/v1/kb/synonyms/not-a-uuid', acme.headers('agent')), 400);
    expectProblem(await http.get('/v1/kb/synonyms?cursor=garbage', acme.headers('agent')), 400);

    // Replaced with If-Match (stale is a 412), then deleted: the expansion goes with it.
    expectProblem(await http.put(`/v1/kb/synonyms/${set.id}`, { terms: ['wlan', 'hotspot'] }, acme.headers('admin')), 428);
    expectProblem(await http.put(`/v1/kb/synonyms/${set.id}`, { terms: ['wlan', 'hotspot'] }, acme.headers('admin', { 'if-match': 'W/"7"' })), 412);
    const replaced = expectStatus(await http.put(`/v1/kb/synonyms/${set.id}`, { terms: ['wlan', 'wireless', 'hotspot'] }, acme.headers('admin', { 'if-match': 'W/"1"' })), 200);
    expect(replaced).toMatchObject({ terms: ['wlan', 'wireless', 'hotspot'], version: 2 });
    expect((await agentSearch(acme, 'q=hotspot&mode=lexical'))[0]?.articleId).toBe(article.id);
    expect(expectStatus(await http.delete(`/v1/kb/synonyms/${set.id}`, acme.headers('admin')), 204)).toBeFalsy();
    expectProblem(await http.get(`/v1/kb/synonyms/${set.id}`, acme.headers('agent')), 404);
    expect((await agentSearch(acme, 'q=hotspot&mode=lexical')).some((h) => h.articleId === article.id)).toBe(false);
  });

  it("reads a word the tenant never wrote through its own nearest words, and only its own", async () => {
    // Fresh tenants: their vocabularies are read for the first time here.
    const [own, other] = await createTwoTenants(api.url);
    const category = expectStatus(await http.post('/v1/kb/categories', { locale: 'en', name: 'Mobile' }, own.headers('admin')), 201);
    const section = expectStatus(await http.post('/v1/kb/sections', { categoryId: category.id, name: 'Phones' }, own.headers('admin')), 201);
    const article = await publish(own, section.id, { title: 'Charge the phone before a long shift', body: 'Plug the phone into its charger overnight so that the battery lasts the whole day.' });
    await waitFor(async () => (await agentSearch(own, 'q=phone&mode=lexical')).some((h) => h.articleId === article.id), 'the article to be indexed', 30_000);
    // "handset" is in no article: the tenant's nearest word by word vectors ("phone") finds it,
    // once the tenant's vocabulary holds the article's words (re-read within seconds for a small one).
    await waitFor(async () => (await agentSearch(own, 'q=handset&mode=lexical'))[0]?.articleId === article.id, 'the word-vector expansion', 60_000);
    expect(await agentSearch(own, 'q=zzxqv&mode=lexical')).toEqual([]);
    // Another tenant's words are never its vocabulary.
    expect(await agentSearch(other, 'q=handset&mode=lexical')).toEqual([]);
    expectProblem(await http.get(`/v1/kb/search?q=${'handset '.repeat(200)}`, own.headers('agent')), 400);
  });

  it("learns the customer's words for an article when an agent's reply links it", async () => {
    const article = await publish(acme, sectionId, { title: 'Top up the boiler pressure', body: 'Open the filling loop until the gauge reads 1.5 bar, then close it.' });
    await waitFor(async () => (await agentSearch(acme, 'q=filling%20loop&mode=lexical')).some((h) => h.articleId === article.id), 'the article to be indexed', 30_000);
    const contact = expectStatus(await http.post('/v1/contacts', { name: 'Gurgle Customer', emails: [`gurgle.${Date.now()}@acme.example`] }, acme.headers('agent')), 201);
    const ticket = expectStatus(
      await http.post('/v1/tickets', { subject: 'Gurgling pipes', description: 'The radiators gurgle and the dial sits near zero.', requesterId: contact.id }, acme.headers('agent')),
      201,
    );
    const reply = `Please follow https://help.acme.example/hc/articles/${article.slug} and tell us how it goes.`;
    expectStatus(await http.post(`/v1/tickets/${ticket.id}/messages`, { body: reply }, acme.headers('agent')), 201);
    // An internal note with a link teaches nothing: only what the customer was answered with counts.
    expectStatus(await http.post(`/v1/tickets/${ticket.id}/messages`, { body: `Note: /articles/${article.slug}`, visibility: 'internal' }, acme.headers('agent')), 201);

    const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    try {
      const evidence = async () =>
        (await db.query(`SELECT lexeme, weight FROM kb_learned_terms WHERE tenant_id = $1 AND article_id = $2 ORDER BY lexeme`, [acme.tenant.id, article.id])).rows as { lexeme: string; weight: number }[];
      const rows = await waitFor(async () => ((await evidence()).length > 0 ? evidence() : null), 'the reply to be learned from', 30_000);
      const lexemes = rows.map((r) => r.lexeme);
      expect(lexemes).toEqual(expect.arrayContaining(['gurgl', 'radiat', 'dial']));
      // Once per reply: each word counted one time, whatever the internal note said.
      for (const r of rows) expect(Number(r.weight)).toBeCloseTo(1, 3);
      const sources = await db.query(`SELECT source FROM kb_learned_sources WHERE tenant_id = $1 AND $2 = ANY (article_ids)`, [acme.tenant.id, article.id]);
      expect(sources.rows).toHaveLength(1);
      expect((await db.query(`SELECT count(*)::int AS n FROM kb_learned_terms WHERE tenant_id = $1`, [globex.tenant.id])).rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });

  it("shows what an article learned and forgets a wrong link's words, within the tenant", async () => {
    const article = await publish(acme, sectionId, { title: 'Bleed a radiator', body: 'Turn the bleed valve a quarter turn with the radiator key until water appears.' });
    const contact = expectStatus(await http.post('/v1/contacts', { name: 'Cold Customer', emails: [`cold.${Date.now()}@acme.example`] }, acme.headers('agent')), 201);
    const ticket = expectStatus(await http.post('/v1/tickets', { subject: 'Cold at the top', description: 'The upstairs heater stays chilly at the top.', requesterId: contact.id }, acme.headers('agent')), 201);
    expectStatus(await http.post(`/v1/tickets/${ticket.id}/messages`, { body: `See /hc/articles/${article.slug} please.` }, acme.headers('agent')), 201);
    const path = `/v1/kb/articles/${article.id}/learned-terms`;
    const learned = await waitFor(async () => {
      const page = expectStatus(await http.get(path, acme.headers('viewer')), 200);
      return page.data.length > 0 ? page : null;
    }, 'the reply to be learned from', 30_000);
    expect(learned).toMatchObject({ articleId: article.id, halfLifeDays: 90 });
    const lexemes = learned.data.map((t: { lexeme: string }) => t.lexeme);
    expect(lexemes).toEqual(expect.arrayContaining(['chilli', 'upstair', 'heater']));
    for (const t of learned.data) {
      expect(t.weight).toBeCloseTo(1, 3);
      expect(Date.parse(t.updatedAt)).not.toBeNaN();
    }
    expect(expectStatus(await http.get(`${path}?limit=1`, acme.headers('agent')), 200).data).toHaveLength(1);
    expectProblem(await http.get(`${path}?limit=0`, acme.headers('agent')), 400);
    expectProblem(await http.get(`${path}?limit=abc`, acme.headers('agent')), 400);

    // Another tenant's article is not there; nor is a random one.
    expectProblem(await http.get(path, globex.headers('admin')), 404);
    expectProblem(await http.delete(`${path}/heater`, globex.headers('admin')), 404);
    expectProblem(await http.get(`/v1/kb/articles/00000000-0000-4000-8000-000000000000/learned-terms`, acme.headers('agent')), 404);
    // Reading is for anyone with kb:read; forgetting needs kb:write.
    expectProblem(await http.delete(`${path}/heater`, acme.headers('viewer')), 403);
    expectProblem(await http.delete(`${path}/${encodeURIComponent('<script>')}`, acme.headers('admin')), 400);
    expectProblem(await http.delete(`${path}/${'a'.repeat(41)}`, acme.headers('admin')), 400);

    expect(expectStatus(await http.delete(`${path}/HEATER`, acme.headers('admin')), 200)).toEqual({ forgotten: ['heater'] });
    expectProblem(await http.delete(`${path}/heater`, acme.headers('admin')), 404);
    const rest = expectStatus(await http.get(path, acme.headers('agent')), 200).data.map((t: { lexeme: string }) => t.lexeme);
    expect(rest).not.toContain('heater');
    expect(rest).toContain('chilli');
    const all = expectStatus(await http.delete(path, acme.headers('admin')), 200);
    expect(all.forgotten).toEqual([...rest].sort());
    expect(expectStatus(await http.get(path, acme.headers('agent')), 200).data).toEqual([]);
    // Forgetting an article that has learned nothing is already done.
    expect(expectStatus(await http.delete(path, acme.headers('admin')), 200)).toEqual({ forgotten: [] });
  });

  it("declines to answer a question about another company's product that only shares the tenant's words", async () => {
    const article = await publish(acme, sectionId, {
      title: 'Cancel your boiler cover subscription',
      body: 'To cancel your boiler cover subscription, open Account, choose Subscription and press Cancel. Cover runs to the end of the paid month.',
    });
    await waitFor(async () => (await agentSearch(acme, 'q=boiler%20cover&mode=lexical')).some((h) => h.articleId === article.id), 'the article to be indexed', 30_000);
    const ask = async (question: string) => expectStatus(await http.post('/v1/ai/answer', { question }, acme.headers('agent')), 200);
    const ours = await ask('How do I cancel my boiler cover subscription?');
    expect(ours).toMatchObject({ found: true, citations: [expect.objectContaining({ articleId: article.id })] });
    // Close in words, not in subject: the brand is a word this tenant never wrote, so the passages do not cover the question.
    const theirs = await ask('How do I cancel my Netflix subscription?');
    expect(theirs).toMatchObject({ found: false, citations: [], provider: null });
  });

  it('answers hostile and odd queries precisely, never with a 500', async () => {
    const base = '/v1/kb/search';
    expectProblem(await http.get(`${base}?q=`, acme.headers('agent')), 400);
    expectProblem(await http.get(`${base}?q=%20%20%20`, acme.headers('agent')), 400);
    expectProblem(await http.get(base, acme.headers('agent')), 400);
    expectProblem(await http.get(`${base}?q=${'a'.repeat(10_000)}`, acme.headers('agent')), 400);
    expectProblem(await http.get(`/v1/help-center/${acme.tenant.slug}/search?q=${'a'.repeat(10_000)}`), 400);
    for (const q of [`'&|!:*()`, `radiator' OR 1=1; --`, `!!! & | :* (( ))`, `"unclosed`, `-`, `\\`, `<script>alert(1)</script>`]) {
      const results = await agentSearch(acme, `q=${encodeURIComponent(q)}`);
      expect(Array.isArray(results)).toBe(true);
      for (const r of results) expect(r.snippet).not.toContain('<script>');
    }
    expect(Array.isArray(await agentSearch(acme, `q=${encodeURIComponent('🔥🔥🎉')}`))).toBe(true);
    // The list shape of every other list; the old `results` stays, deprecated, until its sunset.
    const page = await http.get(`${base}?q=radiator`, acme.headers('agent'));
    expect(page.body).toMatchObject({ nextCursor: null });
    expect(page.body.results).toEqual(page.body.data);
    expect(page.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(page.headers.get('sunset')).toContain('2027');
    expect(Array.isArray(await publicSearch(acme, `q=${encodeURIComponent('🔥')}`))).toBe(true);
    // A well-formed locale nobody writes in has no results; a malformed one is a 400.
    expect(await agentSearch(acme, 'q=radiator&locale=tlh')).toEqual([]);
    expectProblem(await http.get(`${base}?q=radiator&locale=${encodeURIComponent('en_US!!')}`, acme.headers('agent')), 400);
    expectProblem(await http.get(`${base}?q=radiator&mode=magic`, acme.headers('agent')), 400);
    expectProblem(await http.get(`${base}?q=radiator&limit=500`, acme.headers('agent')), 400);
    expectProblem(await http.get(`${base}?q=radiator&categoryId=nope`, acme.headers('agent')), 400);
    // The public route has no mode switch, and the agent route needs a credential.
    expectProblem(await http.get(`/v1/help-center/${acme.tenant.slug}/search?q=radiator&mode=dense`), 400);
    expectProblem(await http.get(`${base}?q=radiator`), 401);
    expectProblem(await http.get(`/v1/help-center/nobody-has-this-slug/search?q=radiator`), 404);
  });
});
