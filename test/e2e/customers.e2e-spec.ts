import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const PROBLEM = /^application\/problem\+json/;

describe('customers: contacts and organizations', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${api.url}/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });

  it('creates a contact with normalised emails and phones, and reads it back', async () => {
    const res = await call('POST', '/contacts', acme.headers('agent'), {
      name: 'Ada Lovelace',
      emails: ['  Ada@Example.COM '],
      phones: ['+44 20 7946 0018'],
      channelIdentities: [{ channel: 'telegram', externalId: '4242' }],
      locale: 'en-GB',
    });
    expect(res.status).toBe(201);
    const contact = await res.json();
    expect(contact).toMatchObject({ name: 'Ada Lovelace', emails: ['ada@example.com'], phones: ['+442079460018'], channelIdentities: [{ channel: 'telegram', externalId: '4242' }], version: 1 });
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(res.headers.get('location')).toBe(`/v1/contacts/${contact.id}`);
    const read = await call('GET', `/contacts/${contact.id}`, acme.headers('viewer'));
    expect(await read.json()).toEqual(contact);
  });

  it('keeps each email to one contact per tenant, but not across tenants', async () => {
    const first = await call('POST', '/contacts', acme.headers('agent'), { name: 'Grace', emails: ['grace@navy.example'] });
    expect(first.status).toBe(201);
    const dup = await call('POST', '/contacts', acme.headers('agent'), { name: 'Other Grace', emails: ['GRACE@navy.example'] });
    expect(dup.status).toBe(409);
    expect(dup.headers.get('content-type')).toMatch(PROBLEM);
    expect((await dup.json()).detail).toMatch(/grace@navy\.example/);
    const elsewhere = await call('POST', '/contacts', globex.headers('agent'), { name: 'Grace', emails: ['grace@navy.example'] });
    expect(elsewhere.status).toBe(201);
  });

  it('refuses bad input with field errors and writes nothing', async () => {
    const cases: unknown[] = [
      { name: '' },
      { name: 'x'.repeat(201) },
      { name: 'Bad phone', phones: ['12'] },
      { name: 'Bad email', emails: ['not-an-email'] },
      { name: 'Bad channel', channelIdentities: [{ channel: 'pigeon', externalId: '1' }] },
      { name: 'Mass assignment', tenantId: globex.tenant.id },
      { name: 'Bad org', organizationId: 'not-a-uuid' },
      { name: 'Made-up zone', timezone: 'Mars/Olympus' },
      { name: 'Zone as offset', timezone: '+05:00' },
      { name: 'Not a locale', locale: 'english' },
    ];
    for (const body of cases) {
      const res = await call('POST', '/contacts', acme.headers('agent'), body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect((await res.json()).errors.length).toBeGreaterThan(0);
    }
    const missingOrg = await call('POST', '/contacts', acme.headers('agent'), { name: 'Orphan', organizationId: '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11' });
    expect(missingOrg.status).toBe(422);
    const list = await (await call('GET', '/contacts?q=orphan', acme.headers('agent'))).json();
    expect(list.data).toHaveLength(0);
  });

  it('accepts emoji, right-to-left text and SQL metacharacters as plain data', async () => {
    const name = "مرحبا 👋 O'Brien; DROP TABLE contacts; -- %_";
    const res = await call('POST', '/contacts', acme.headers('agent'), { name });
    expect(res.status).toBe(201);
    const found = await (await call('GET', `/contacts?q=${encodeURIComponent("O'Brien; DROP")}`, acme.headers('agent'))).json();
    expect(found.data.map((c: { name: string }) => c.name)).toEqual([name]);
    const percent = await (await call('GET', `/contacts?q=${encodeURIComponent('%_')}`, acme.headers('agent'))).json();
    expect(percent.data.map((c: { name: string }) => c.name)).toEqual([name]);
  });

  it('searches by name, email and phone in any format', async () => {
    const res = await call('POST', '/contacts', acme.headers('agent'), { name: 'Katherine Johnson', emails: ['kj@nasa.example'], phones: ['+1 202 555 0147'] });
    const kj = await res.json();
    // National forms are read in the tenant's country (its locale `en` means US).
    for (const q of ['katherine', 'JOHNSON', 'nasa.example', '+12025550147', '+1 (202) 555-0147', '(202) 555-0147', '202 555 0147']) {
      const page = await (await call('GET', `/contacts?q=${encodeURIComponent(q)}`, acme.headers('agent'))).json();
      expect({ q, ids: page.data.map((c: { id: string }) => c.id) }).toEqual({ q, ids: [kj.id] });
    }
  });

  it('updates with optimistic concurrency: a stale If-Match gets 412 and changes nothing', async () => {
    const created = await (await call('POST', '/contacts', acme.headers('agent'), { name: 'Versioned', emails: ['v1@example.com'] })).json();
    const ok = await call('PATCH', `/contacts/${created.id}`, acme.headers('agent', { 'if-match': 'W/"1"' }), { name: 'Versioned 2', emails: ['v2@example.com'] });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('W/"2"');
    expect(await ok.json()).toMatchObject({ name: 'Versioned 2', emails: ['v2@example.com'], version: 2 });
    const stale = await call('PATCH', `/contacts/${created.id}`, acme.headers('agent', { 'if-match': 'W/"1"' }), { name: 'Lost update' });
    expect(stale.status).toBe(412);
    expect((await (await call('GET', `/contacts/${created.id}`, acme.headers('agent'))).json()).name).toBe('Versioned 2');
    // The old email was released and can be used again.
    expect((await call('POST', '/contacts', acme.headers('agent'), { name: 'Reuse', emails: ['v1@example.com'] })).status).toBe(201);
  });

  it('runs concurrent updates with the same ETag so that exactly one wins', async () => {
    const created = await (await call('POST', '/contacts', acme.headers('agent'), { name: 'Race' })).json();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call('PATCH', `/contacts/${created.id}`, acme.headers('agent', { 'if-match': 'W/"1"' }), { name: `Race ${i}` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412, 412]);
  });

  it('finds or creates by email, phone or chat id, once even when asked concurrently', async () => {
    const body = { email: 'new.customer@example.com', name: 'New Customer' };
    const results = await Promise.all(Array.from({ length: 5 }, () => call('POST', '/contacts/find-or-create', acme.headers('agent'), body)));
    const found = await Promise.all(results.map((r) => r.json()));
    expect(new Set(found.map((f) => f.contact.id)).size).toBe(1);
    expect(found.filter((f) => f.created)).toHaveLength(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const byPhone = await (await call('POST', '/contacts/find-or-create', acme.headers('agent'), { phone: '+49 30 901820' })).json();
    expect(byPhone).toMatchObject({ created: true, contact: { phones: ['+4930901820'] } });
    const again = await (await call('POST', '/contacts/find-or-create', acme.headers('agent'), { phone: '+4930901820' })).json();
    expect(again).toMatchObject({ created: false, contact: { id: byPhone.contact.id } });
    const ambiguous = await call('POST', '/contacts/find-or-create', acme.headers('agent'), { email: 'a@b.example', phone: '+4930901820' });
    expect(ambiguous.status).toBe(400);
  });

  it('soft-deletes a contact: gone from reads, its email free again', async () => {
    const created = await (await call('POST', '/contacts', acme.headers('agent'), { name: 'Temp', emails: ['temp@example.com'] })).json();
    expect((await call('DELETE', `/contacts/${created.id}`, acme.headers('agent'))).status).toBe(204);
    expect((await call('GET', `/contacts/${created.id}`, acme.headers('agent'))).status).toBe(404);
    expect((await call('DELETE', `/contacts/${created.id}`, acme.headers('agent'))).status).toBe(404);
    expect((await call('POST', '/contacts', acme.headers('agent'), { name: 'Temp 2', emails: ['temp@example.com'] })).status).toBe(201);
  });

  it('links contacts to organizations and detaches them when the organization goes', async () => {
    const orgRes = await call('POST', '/organizations', acme.headers('agent'), { name: 'Analytical Engines', domains: ['@Engines.example'] });
    expect(orgRes.status).toBe(201);
    const org = await orgRes.json();
    expect(org.domains).toEqual(['engines.example']);
    const member = await (await call('POST', '/contacts', acme.headers('agent'), { name: 'Charles', organizationId: org.id })).json();
    const inOrg = await (await call('GET', `/contacts?organizationId=${org.id}`, acme.headers('agent'))).json();
    expect(inOrg.data.map((c: { id: string }) => c.id)).toEqual([member.id]);
    const search = await (await call('GET', '/organizations?q=engines.exa', acme.headers('agent'))).json();
    expect(search.data.map((o: { id: string }) => o.id)).toEqual([org.id]);
    const renamed = await call('PATCH', `/organizations/${org.id}`, acme.headers('agent', { 'if-match': 'W/"1"' }), { name: 'Engines Ltd' });
    expect(renamed.status).toBe(200);
    expect((await call('DELETE', `/organizations/${org.id}`, acme.headers('agent'))).status).toBe(204);
    expect((await (await call('GET', `/contacts/${member.id}`, acme.headers('agent'))).json()).organizationId).toBeNull();
  });

  it('lets viewers read but not write, and API keys by scope', async () => {
    expect((await call('POST', '/contacts', acme.headers('viewer'), { name: 'Nope' })).status).toBe(403);
    expect((await call('GET', '/contacts', acme.headers('viewer'))).status).toBe(200);
    const readOnly = { authorization: `Bearer ${acme.apiKeys.readOnly}`, 'content-type': 'application/json' };
    expect((await call('GET', '/contacts', readOnly)).status).toBe(403); // tickets:read only
    const full = { authorization: `Bearer ${acme.apiKeys.full}`, 'content-type': 'application/json' };
    expect((await call('POST', '/contacts', full, { name: 'Via API' })).status).toBe(201);
  });

  it('shows another tenant nothing: every id answers 404 and lists hold only own rows', async () => {
    const contact = await (await call('POST', '/contacts', acme.headers('agent'), { name: 'Secret Sam', emails: ['sam@acme.example'] })).json();
    const org = await (await call('POST', '/organizations', acme.headers('agent'), { name: 'Secret Org' })).json();
    for (const [method, path, body] of [
      ['GET', `/contacts/${contact.id}`, undefined],
      ['PATCH', `/contacts/${contact.id}`, { name: 'Hijacked' }],
      ['DELETE', `/contacts/${contact.id}`, undefined],
      ['GET', `/organizations/${org.id}`, undefined],
      ['PATCH', `/organizations/${org.id}`, { name: 'Hijacked' }],
      ['DELETE', `/organizations/${org.id}`, undefined],
    ] as const) {
      const res = await call(method, path, globex.headers('admin'), body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    const linkForeignOrg = await call('POST', '/contacts', globex.headers('agent'), { name: 'X', organizationId: org.id });
    expect(linkForeignOrg.status).toBe(422);
    const list = JSON.stringify(await (await call('GET', '/contacts?q=sam', globex.headers('agent'))).json());
    expect(list).not.toContain(contact.id);
    const found = await (await call('POST', '/contacts/find-or-create', globex.headers('agent'), { email: 'sam@acme.example' })).json();
    expect(found.created).toBe(true);
    expect(found.contact.id).not.toBe(contact.id);
    const still = await (await call('GET', `/contacts/${contact.id}`, acme.headers('agent'))).json();
    expect(still.name).toBe('Secret Sam');
  });

  it('pages through contacts with a cursor without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; nextCursor: string | null } = await (
        await call('GET', `/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`, acme.headers('agent'))
      ).json();
      seen.push(...page.data.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThan(6);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('audits every contact change with a field-level diff', async () => {
    const created = await (await call('POST', '/contacts', acme.headers('agent'), { name: 'Audited' })).json();
    await call('PATCH', `/contacts/${created.id}`, acme.headers('agent'), { name: 'Audited 2' });
    const audit = await (await call('GET', `/audit-logs?entityType=contact&entityId=${created.id}`, acme.headers('owner'))).json();
    expect(audit.data.map((e: { action: string }) => e.action)).toEqual(['contact.updated', 'contact.created']);
    expect(audit.data[0].changes).toEqual({ name: { from: 'Audited', to: 'Audited 2' } });
  });

  it('checks time zone, locale and country against the standards, naming the rule', async () => {
    const zone = await call('POST', '/contacts', acme.headers('agent'), { name: 'Martian', timezone: 'Mars/Olympus' });
    expect(zone.status).toBe(400);
    expect((await zone.json()).errors).toEqual([{ field: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin or UTC' }]);
    const ok = await call('POST', '/contacts', acme.headers('agent'), { name: 'Earthling', timezone: 'Etc/UTC', locale: 'pt-br' });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ timezone: 'Etc/UTC', locale: 'pt-BR' });
  });

  it('keeps addresses and sites per contact, validated, and private to the tenant', async () => {
    const contact = await (await call('POST', '/contacts', acme.headers('agent'), { name: 'Site owner' })).json();
    const add = await call('POST', `/contacts/${contact.id}/addresses`, acme.headers('agent'), { label: 'Home', street: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'gb', accessNotes: 'Gate code 4711' });
    expect(add.status).toBe(201);
    const address = await add.json();
    expect(address).toMatchObject({ contactId: contact.id, label: 'Home', country: 'GB', accessNotes: 'Gate code 4711', version: 1 });
    for (const body of [{}, { label: '' }, { label: 'X', country: 'Britain' }, { label: 'X', country: 'UK' }, { label: 'X', country: 'ZZ' }, { label: 'X', tenantId: globex.tenant.id }]) {
      expect((await call('POST', `/contacts/${contact.id}/addresses`, acme.headers('agent'), body)).status).toBe(400);
    }
    const changed = await call('PATCH', `/contacts/${contact.id}/addresses/${address.id}`, acme.headers('agent'), { city: 'Cambridge', accessNotes: null });
    expect(await changed.json()).toMatchObject({ city: 'Cambridge', accessNotes: null, street: '1 Analytical Way', version: 2 });
    expect((await call('GET', `/contacts/${contact.id}/addresses`, globex.headers('admin'))).status).toBe(404);
    expect((await call('PATCH', `/contacts/${contact.id}/addresses/${address.id}`, globex.headers('admin'), { city: 'x' })).status).toBe(404);
    expect((await call('DELETE', `/contacts/${contact.id}/addresses/${address.id}`, globex.headers('admin'))).status).toBe(404);
    const list = await (await call('GET', `/contacts/${contact.id}/addresses`, acme.headers('viewer'))).json();
    expect(list.data).toHaveLength(1);
    expect((await call('DELETE', `/contacts/${contact.id}/addresses/${address.id}`, acme.headers('agent'))).status).toBe(204);
    expect((await (await call('GET', `/contacts/${contact.id}/addresses`, acme.headers('agent'))).json()).data).toEqual([]);
  });
});
