import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';

interface Article {
  id: string;
  sectionId: string;
  categoryId: string;
  locale: string;
  title: string;
  slug: string;
  body: string;
  html: string;
  status: string;
  visibility: string;
  tags: string[];
  version: number;
  feedback: { helpful: number; unhelpful: number };
}

/** Knowledge-base content through the API: structure, articles, revisions, slugs, feedback, limits, isolation. */
describe('knowledge base content', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let http: ReturnType<typeof client>;

  beforeAll(async () => {
    api = await startApi();
    http = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const as = (t: TenantSession, role: keyof TenantSession['tokens'] = 'agent', extra?: Record<string, string>) => t.headers(role, extra);

  async function structure(t: TenantSession, locale = 'en') {
    const category = expectStatus(await http.post('/v1/kb/categories', { locale, name: `Billing ${locale}` }, as(t, 'admin')), 201);
    const section = expectStatus(await http.post('/v1/kb/sections', { categoryId: category.id, name: 'Invoices' }, as(t, 'admin')), 201);
    return { category, section };
  }

  const createArticle = async (t: TenantSession, sectionId: string, body: Record<string, unknown> = {}): Promise<Article> =>
    expectStatus(await http.post('/v1/kb/articles', { sectionId, title: 'Download an invoice', body: '# Steps\n\nOpen **Billing**.', ...body }, as(t)), 201);

  it('builds categories → sections → articles, renders sanitised HTML, and derives unique slugs', async () => {
    const { category, section } = await structure(acme);
    expect(section).toMatchObject({ categoryId: category.id, locale: 'en' });
    const a = await createArticle(acme, section.id, { body: '# Steps\n\nOpen **Billing**.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>', tags: [' Billing ', 'billing', 'PDF'] });
    expect(a).toMatchObject({ status: 'draft', visibility: 'public', slug: 'download-an-invoice', locale: 'en', categoryId: category.id, tags: ['billing', 'pdf'], version: 1 });
    expect(a.html).toContain('<strong>Billing</strong>');
    expect(a.html).not.toMatch(/<script|onerror/);
    const b = await createArticle(acme, section.id);
    expect(b.slug).toBe('download-an-invoice-2');
    const emoji = await createArticle(acme, section.id, { title: '🎉🎉🎉' });
    expect(emoji.slug).toBe('article');

    const list = expectStatus(await http.get(`/v1/kb/articles?sectionId=${section.id}&limit=2`, as(acme, 'viewer')), 200);
    expect(list.data).toHaveLength(2);
    const next = expectStatus(await http.get(`/v1/kb/articles?sectionId=${section.id}&limit=2&cursor=${list.nextCursor}`, as(acme, 'viewer')), 200);
    expect(next.data).toHaveLength(1);
    expect(new Set([...list.data, ...next.data].map((x: Article) => x.id)).size).toBe(3);
  });

  it('refuses slug collisions, empty slugs, bad locales and unknown references precisely, writing nothing', async () => {
    const { section } = await structure(acme, 'de');
    await createArticle(acme, section.id, { slug: 'Rechnung Herunterladen' });
    const taken = expectProblem(await http.post('/v1/kb/articles', { sectionId: section.id, title: 'x', body: 'y', slug: 'rechnung-herunterladen' }, as(acme)), 409, 'slug-taken');
    expect(taken.errors[0].field).toBe('slug');
    expectProblem(await http.post('/v1/kb/articles', { sectionId: section.id, title: 'x', body: 'y', slug: '%%%' }, as(acme)), 400);
    expectProblem(await http.post('/v1/kb/categories', { locale: 'not a locale!', name: 'x' }, as(acme, 'admin')), 400);
    expectProblem(await http.post('/v1/kb/articles', { sectionId: RANDOM_UUID, title: 'x', body: 'y' }, as(acme)), 422);
    expectProblem(await http.post('/v1/kb/articles', { sectionId: section.id, title: 'x', body: 'y', extra: 1 }, as(acme)), 400);
    const all = expectStatus(await http.get(`/v1/kb/articles?sectionId=${section.id}`, as(acme)), 200);
    expect(all.data).toHaveLength(1);
    // The same slug is free in another locale and in another tenant.
    const { section: en } = await structure(acme, 'en-GB');
    expect((await createArticle(acme, en.id, { slug: 'rechnung-herunterladen' })).slug).toBe('rechnung-herunterladen');
    const { section: theirs } = await structure(globex, 'de');
    expect((await createArticle(globex, theirs.id, { slug: 'rechnung-herunterladen' })).slug).toBe('rechnung-herunterladen');
  });

  it('limits article bodies with a 413 problem (own limit and the global body limit), changing nothing', async () => {
    const { section } = await structure(acme);
    const tooBig = expectProblem(await http.post('/v1/kb/articles', { sectionId: section.id, title: 'Big', body: 'x'.repeat(600 * 1024) }, as(acme)), 413, 'article-too-large');
    expect(tooBig.detail).toMatch(/524288/);
    expectProblem(await http.post('/v1/kb/articles', { sectionId: section.id, title: 'Huge', body: 'x'.repeat(2 * 1024 * 1024) }, as(acme)), 413);
    const a = await createArticle(acme, section.id);
    expectProblem(await http.patch(`/v1/kb/articles/${a.id}`, { body: 'y'.repeat(600 * 1024) }, as(acme, 'agent', { 'if-match': 'W/"1"' })), 413, 'article-too-large');
    const after = expectStatus(await http.get(`/v1/kb/articles/${a.id}`, as(acme)), 200);
    expect(after.version).toBe(1);
    expect(expectStatus(await http.get(`/v1/kb/articles?sectionId=${section.id}`, as(acme)), 200).data).toHaveLength(1);
  });

  it('appends a revision per content change and restores an old one as a new revision', async () => {
    const { section } = await structure(acme);
    const a = await createArticle(acme, section.id, { body: 'line one\nline two' });
    expectProblem(await http.patch(`/v1/kb/articles/${a.id}`, { title: 'Nope' }, as(acme)), 428);
    const edited = expectStatus(await http.patch(`/v1/kb/articles/${a.id}`, { title: 'Download invoices', body: 'line one\nline three\nline four' }, as(acme, 'agent', { 'if-match': 'W/"1"' })), 200);
    expect(edited.version).toBe(2);
    expectProblem(await http.patch(`/v1/kb/articles/${a.id}`, { title: 'Stale' }, as(acme, 'agent', { 'if-match': 'W/"1"' })), 412);
    // Position alone is not content: no revision.
    expectStatus(await http.patch(`/v1/kb/articles/${a.id}`, { position: 5 }, as(acme, 'agent', { 'if-match': 'W/"2"' })), 200);

    const revisions = expectStatus(await http.get(`/v1/kb/articles/${a.id}/revisions`, as(acme, 'viewer')), 200);
    expect(revisions.data.map((r: { number: number }) => r.number)).toEqual([2, 1]);
    expect(revisions.data[0].summary).toEqual({ fields: ['title', 'body'], body: { linesAdded: 2, linesRemoved: 1, charsBefore: 17, charsAfter: 29 } });
    expect(revisions.data[0]).toMatchObject({ actorType: 'user', actorId: acme.users.agent.userId });
    const first = revisions.data[1];
    expect(expectStatus(await http.get(`/v1/kb/articles/${a.id}/revisions/${first.id}`, as(acme)), 200).body).toBe('line one\nline two');

    const restored = expectStatus(await http.post(`/v1/kb/articles/${a.id}/revisions/${first.id}/restore`, undefined, as(acme)), 200);
    expect(restored).toMatchObject({ title: 'Download an invoice', body: 'line one\nline two', version: 4 });
    const after = expectStatus(await http.get(`/v1/kb/articles/${a.id}/revisions`, as(acme)), 200);
    expect(after.data[0]).toMatchObject({ number: 3, restoredFrom: first.id });

    // A revision of another article (same tenant), and another tenant's article: 404, nothing written.
    const other = await createArticle(acme, section.id);
    const otherRevision = expectStatus(await http.get(`/v1/kb/articles/${other.id}/revisions`, as(acme)), 200).data[0];
    expectProblem(await http.post(`/v1/kb/articles/${a.id}/revisions/${otherRevision.id}/restore`, undefined, as(acme)), 404);
    expectProblem(await http.post(`/v1/kb/articles/${a.id}/revisions/${first.id}/restore`, undefined, as(globex)), 404);
    expect(expectStatus(await http.get(`/v1/kb/articles/${a.id}`, as(acme)), 200).version).toBe(4);
  });

  it('fixes the slug once published unless a redirect is kept; the old slug then answers 301', async () => {
    const { section } = await structure(acme);
    const a = await createArticle(acme, section.id, { slug: 'pay-by-card' });
    // Before publication the slug may change freely.
    const renamed = expectStatus(await http.patch(`/v1/kb/articles/${a.id}`, { slug: 'Pay by Card Online' }, as(acme, 'agent', { 'if-match': 'W/"1"' })), 200);
    expect(renamed.slug).toBe('pay-by-card-online');
    const published = expectStatus(await http.post(`/v1/kb/articles/${a.id}/publish`, undefined, as(acme)), 200);
    expect(published.status).toBe('published');
    const refused = expectProblem(await http.patch(`/v1/kb/articles/${a.id}`, { slug: 'card-payments' }, as(acme, 'agent', { 'if-match': `W/"${published.version}"` })), 409, 'slug-immutable');
    expect(refused.detail).toMatch(/keepRedirect/);
    const moved = expectStatus(await http.patch(`/v1/kb/articles/${a.id}`, { slug: 'card-payments', keepRedirect: true }, as(acme, 'agent', { 'if-match': `W/"${published.version}"` })), 200);
    expect(moved.slug).toBe('card-payments');

    const res = await fetch(`${api.url}/v1/help-center/${acme.tenant.slug}/articles/pay-by-card-online?locale=en`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`/v1/help-center/${acme.tenant.slug}/articles/card-payments?locale=en`);
    expect(expectStatus(await http.get(`/v1/help-center/${acme.tenant.slug}/articles/card-payments?locale=en`), 200).id).toBe(a.id);
    // The kept redirect reserves the old slug.
    expectProblem(await http.post('/v1/kb/articles', { sectionId: section.id, title: 'x', body: 'y', slug: 'pay-by-card-online' }, as(acme)), 409, 'slug-taken');
  });

  it('answers 404 to every id route called with another tenant’s credential, and writes nothing', async () => {
    const { category, section } = await structure(acme);
    const a = await createArticle(acme, section.id);
    const revision = expectStatus(await http.get(`/v1/kb/articles/${a.id}/revisions`, as(acme)), 200).data[0];
    const other = as(globex, 'owner', { 'if-match': 'W/"1"' });
    for (const [method, path, body] of [
      ['GET', `/v1/kb/articles/${a.id}`],
      ['PATCH', `/v1/kb/articles/${a.id}`, { title: 'Hijacked' }],
      ['POST', `/v1/kb/articles/${a.id}/publish`],
      ['POST', `/v1/kb/articles/${a.id}/archive`],
      ['GET', `/v1/kb/articles/${a.id}/revisions`],
      ['GET', `/v1/kb/articles/${a.id}/revisions/${revision.id}`],
      ['POST', `/v1/kb/articles/${a.id}/revisions/${revision.id}/restore`],
      ['PATCH', `/v1/kb/categories/${category.id}`, { name: 'Hijacked' }],
      ['DELETE', `/v1/kb/categories/${category.id}`],
      ['PATCH', `/v1/kb/sections/${section.id}`, { name: 'Hijacked' }],
      ['DELETE', `/v1/kb/sections/${section.id}`],
    ] as const) {
      const res = await (method === 'GET' ? http.get(path, other) : method === 'DELETE' ? http.delete(path, other) : method === 'PATCH' ? http.patch(path, body, other) : http.post(path, body, other));
      expectProblem(res, 404);
    }
    // Referencing another tenant's section is as unknown as a missing one.
    expectProblem(await http.post('/v1/kb/articles', { sectionId: section.id, title: 'x', body: 'y' }, as(globex)), 422);
    const still = expectStatus(await http.get(`/v1/kb/articles/${a.id}`, as(acme)), 200);
    expect(still).toMatchObject({ title: 'Download an invoice', status: 'draft', version: 1 });
    expect(expectStatus(await http.get('/v1/kb/articles', as(globex)), 200).data.every((x: Article) => x.id !== a.id)).toBe(true);
  });

  it('guards permissions and structure: viewers read, agents write articles, non-empty containers stay', async () => {
    const { category, section } = await structure(acme);
    expectProblem(await http.post('/v1/kb/articles', { sectionId: section.id, title: 'x', body: 'y' }, as(acme, 'viewer')), 403);
    expectStatus(await http.get('/v1/kb/categories', as(acme, 'technician')), 200);
    await createArticle(acme, section.id);
    expectProblem(await http.delete(`/v1/kb/sections/${section.id}`, as(acme, 'admin')), 409, 'not-empty');
    expectProblem(await http.delete(`/v1/kb/categories/${category.id}`, as(acme, 'admin')), 409, 'not-empty');
    const empty = expectStatus(await http.post('/v1/kb/categories', { locale: 'fr', name: 'Vide' }, as(acme, 'admin')), 201);
    expect((await http.delete(`/v1/kb/categories/${empty.id}`, as(acme, 'admin'))).status).toBe(204);
    // A section cannot move into a category of another locale.
    expectProblem(await http.patch(`/v1/kb/sections/${section.id}`, { categoryId: expectStatus(await http.post('/v1/kb/categories', { locale: 'fr', name: 'Autre' }, as(acme, 'admin')), 201).id }, as(acme, 'admin', { 'if-match': 'W/"1"' })), 422);
    const audit = expectStatus(await http.get('/v1/audit-logs?limit=100', as(acme, 'owner')), 200);
    expect(audit.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['kb.category_created', 'kb.section_created', 'kb.article_created', 'kb.category_deleted']));
  });

  describe('public help center', () => {
    let published: Article;
    let internal: Article;
    let draft: Article;
    let archived: Article;
    let theirs: Article;

    beforeAll(async () => {
      const { section } = await structure(acme, 'en');
      published = await createArticle(acme, section.id, { title: 'Public guide', slug: 'public-guide' });
      internal = await createArticle(acme, section.id, { title: 'Internal runbook', slug: 'internal-runbook', visibility: 'internal' });
      draft = await createArticle(acme, section.id, { title: 'Draft notes', slug: 'draft-notes' });
      archived = await createArticle(acme, section.id, { title: 'Old guide', slug: 'old-guide' });
      for (const a of [published, internal, archived]) expectStatus(await http.post(`/v1/kb/articles/${a.id}/publish`, undefined, as(acme)), 200);
      expectStatus(await http.post(`/v1/kb/articles/${archived.id}/archive`, undefined, as(acme)), 200);
      const { section: gs } = await structure(globex, 'en');
      theirs = await createArticle(globex, gs.id, { title: 'Globex guide', slug: 'globex-guide' });
      expectStatus(await http.post(`/v1/kb/articles/${theirs.id}/publish`, undefined, as(globex)), 200);
    });

    it('lists and shows only published public articles, without credentials', async () => {
      const base = `/v1/help-center/${acme.tenant.slug}`;
      const list = expectStatus(await http.get(`${base}/articles?limit=100`), 200);
      const ids = list.data.map((a: { id: string }) => a.id);
      expect(ids).toContain(published.id);
      for (const hidden of [internal, draft, archived, theirs]) expect(ids).not.toContain(hidden.id);
      expect(list.data[0]).not.toHaveProperty('body');
      expect(list.data[0]).not.toHaveProperty('authorId');
      expect(expectStatus(await http.get(`${base}/articles/public-guide`), 200)).toMatchObject({ id: published.id, title: 'Public guide' });
      for (const slug of ['internal-runbook', 'draft-notes', 'old-guide', 'globex-guide']) expectProblem(await http.get(`${base}/articles/${slug}`), 404);
      // Filters cannot widen what the public sees.
      expectProblem(await http.get(`${base}/articles?limit=100&status=draft`), 400);
      expect(expectStatus(await http.get(`${base}/categories`), 200).data.length).toBeGreaterThan(0);
      expect(expectStatus(await http.get(`${base}/sections`), 200).data.length).toBeGreaterThan(0);
    });

    it('sees only the named tenant’s content; unknown slugs are 404 problems', async () => {
      const theirList = expectStatus(await http.get(`/v1/help-center/${globex.tenant.slug}/articles?limit=100`), 200);
      expect(theirList.data.map((a: { id: string }) => a.id)).toEqual([theirs.id]);
      expectProblem(await http.get(`/v1/help-center/${globex.tenant.slug}/articles/public-guide`), 404);
      expectProblem(await http.get('/v1/help-center/no-such-tenant-here/articles'), 404);
      expectProblem(await http.get(`/v1/help-center/${encodeURIComponent("x'; DROP TABLE tenants; --")}/articles`), 404);
    });

    it('counts helpful feedback once per visitor, and refuses feedback on hidden articles', async () => {
      const url = `/v1/help-center/${acme.tenant.slug}/articles/${published.id}/feedback`;
      expect(expectStatus(await http.post(url, { helpful: true, visitorId: 'visitor-0001' }), 200)).toMatchObject({ helpful: 1, unhelpful: 0, counted: true });
      expect(expectStatus(await http.post(url, { helpful: true, visitorId: 'visitor-0001' }), 200)).toMatchObject({ helpful: 1, unhelpful: 0, counted: false });
      expect(expectStatus(await http.post(url, { helpful: false, comment: 'Missing a step', visitorId: 'visitor-0001' }), 200)).toMatchObject({ helpful: 0, unhelpful: 1 });
      expect(expectStatus(await http.post(url, { helpful: true, visitorId: 'visitor-0002' }), 200)).toMatchObject({ helpful: 1, unhelpful: 1 });
      expectProblem(await http.post(url, { helpful: 'yes' }), 400);
      for (const hidden of [internal, draft, archived]) {
        expectProblem(await http.post(`/v1/help-center/${acme.tenant.slug}/articles/${hidden.id}/feedback`, { helpful: true }), 404);
      }
      expectProblem(await http.post(`/v1/help-center/${globex.tenant.slug}/articles/${published.id}/feedback`, { helpful: true }), 404);
      expect(expectStatus(await http.get(`/v1/kb/articles/${published.id}`, as(acme)), 200).feedback).toEqual({ helpful: 1, unhelpful: 1 });
    });
  });
});
