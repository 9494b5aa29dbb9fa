import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { RANDOM_UUID } from '../support/http';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';

/** Custom ticket fields and forms: definitions, typed values checked on every write, filters and sorts over them, and their isolation. */
describe('custom ticket fields and forms', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'admin', extra: Record<string, string> = {}) {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  const ok = async (tenant: TenantSession, method: string, path: string, body?: unknown, status = 200, role: Role = 'admin') => {
    const res = await call(tenant, method, path, body, role);
    if (res.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const defineField = async (tenant: TenantSession, body: Record<string, unknown>) => {
    const field = await ok(tenant, 'POST', '/ticket-fields', body, 201);
    ids[`${tenant.tenant.id}:${field.key}`] = field.id;
    return field;
  };
  const newTicket = (tenant: TenantSession, extra: Record<string, unknown> = {}) => call(tenant, 'POST', '/tickets', { subject: 'Fields', requester: { email: 'pat@customer.example' }, ...extra }, 'agent');
  const patch = async (tenant: TenantSession, id: string, body: Record<string, unknown>) => {
    const current = await call(tenant, 'GET', `/tickets/${id}`, undefined, 'agent');
    return call(tenant, 'PATCH', `/tickets/${id}`, body, 'agent', { 'if-match': current.headers.get('etag')! });
  };
  const expect422 = (res: { status: number; body: any; headers: Headers }, field: string, message: RegExp) => {
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(message) }]));
    if (field.startsWith('fields.')) expect(res.body.detail).toContain(field);
  };

  it('defines fields of every type; refuses bad definitions and catastrophic patterns', async () => {
    await defineField(acme, { key: 'plan', label: 'Plan', type: 'dropdown', options: [{ value: 'gold', label: 'Gold' }, { value: 'silver', label: 'Silver' }, { value: 'bronze', label: 'Bronze' }] });
    await defineField(acme, { key: 'seats', label: 'Seats', type: 'integer' });
    await defineField(acme, { key: 'mrr', label: 'MRR', type: 'decimal' });
    await defineField(acme, { key: 'renewal', label: 'Renewal', type: 'date' });
    await defineField(acme, { key: 'regions', label: 'Regions', type: 'multi_select', options: [{ value: 'eu', label: 'EU' }, { value: 'us', label: 'US' }] });
    await defineField(acme, { key: 'vip', label: 'VIP', type: 'checkbox' });
    await defineField(acme, { key: 'note', label: 'Note', type: 'text' });
    await defineField(acme, { key: 'story', label: 'Story', type: 'long_text' });
    const serial = await defineField(acme, { key: 'serial', label: 'Serial', type: 'regex', pattern: '[A-Z]{2}-\\d{4}' });
    expect(serial).toMatchObject({ type: 'regex', pattern: '[A-Z]{2}-\\d{4}', active: true, version: 1 });
    await defineField(acme, { key: 'site_contact', label: 'Site contact', type: 'contact' });
    await defineField(acme, { key: 'customer', label: 'Customer', type: 'organization' });
    await defineField(acme, { key: 'root_cause', label: 'Root cause', type: 'text', requiredAtSolve: true });

    for (const pattern of ['(a+)+$', '(a|aa)*b', '([a-z]+)*@', '(x|y|xy)+z']) {
      expect422(await call(acme, 'POST', '/ticket-fields', { key: 'bad', label: 'Bad', type: 'regex', pattern }), 'pattern', /backtrack catastrophically/);
    }
    expect422(await call(acme, 'POST', '/ticket-fields', { key: 'bad', label: 'Bad', type: 'regex', pattern: '([a-z' }), 'pattern', /not a valid regular expression/);
    expect422(await call(acme, 'POST', '/ticket-fields', { key: 'bad', label: 'Bad', type: 'regex' }), 'pattern', /required/);
    expect422(await call(acme, 'POST', '/ticket-fields', { key: 'bad', label: 'Bad', type: 'dropdown' }), 'options', /at least one option/);
    expect422(await call(acme, 'POST', '/ticket-fields', { key: 'bad', label: 'Bad', type: 'text', pattern: 'a' }), 'pattern', /only a regex field/);
    expect((await call(acme, 'POST', '/ticket-fields', { key: 'bad', label: 'Bad', type: 'regex', pattern: 'a'.repeat(201) })).status).toBe(400);
    expect((await call(acme, 'POST', '/ticket-fields', { key: 'Bad Key', label: 'Bad', type: 'text' })).status).toBe(400);
    expect((await call(acme, 'POST', '/ticket-fields', { key: 'bad', label: 'Bad', type: 'json' })).status).toBe(400);
    const duplicate = await call(acme, 'POST', '/ticket-fields', { key: 'plan', label: 'Again', type: 'text' });
    expect(duplicate.status).toBe(409);
    expect((await call(acme, 'POST', '/ticket-fields', { key: 'other', label: 'Other', type: 'text' }, 'agent')).status).toBe(403);
    // The same key in another tenant is another field.
    await defineField(globex, { key: 'plan', label: 'Plan', type: 'text' });

    const list = await ok(acme, 'GET', '/ticket-fields?limit=100', undefined, 200, 'viewer');
    expect(list.data.map((f: { key: string }) => f.key)).toEqual(['plan', 'seats', 'mrr', 'renewal', 'regions', 'vip', 'note', 'story', 'serial', 'site_contact', 'customer', 'root_cause']);
  });

  it('refuses every type’s wrong value, naming the field and the rule', async () => {
    const { id: orgId } = await ok(acme, 'POST', '/organizations', { name: 'Analytical Engines' }, 201, 'owner');
    const foreignContact = await ok(globex, 'POST', '/contacts', { name: 'Foreign', emails: ['foreign@globex.example'] }, 201, 'owner');
    const cases: [string, unknown, RegExp][] = [
      ['plan', 'platinum', /must be one of gold, silver, bronze/],
      ['plan', 3, /option values/],
      ['seats', 2.5, /whole number/],
      ['seats', '12', /whole number/],
      ['mrr', '12.1234567', /decimal/],
      ['mrr', 'NaN', /decimal/],
      ['renewal', '2026-02-30', /calendar date/],
      ['renewal', '2026-12-07T10:00:00Z', /calendar date/],
      ['regions', ['eu', 'mars'], /is not one of eu, us/],
      ['regions', 'eu', /list of 1 to 50/],
      ['vip', 'yes', /true or false/],
      ['note', 'x'.repeat(1001), /1 to 1000 characters/],
      ['note', 'bell\u0007', /control characters/],
      ['story', { html: true }, /text/],
      ['serial', 'ab-1234', /must match the pattern/],
      ['serial', 'AB-1234 ', /must match the pattern/],
      ['site_contact', 'not-a-uuid', /UUID/],
      ['site_contact', foreignContact.id, /does not exist/],
      ['customer', RANDOM_UUID, /does not exist/],
      ['unknown_key', 'x', /does not exist/],
    ];
    for (const [key, value, message] of cases) {
      const res = await newTicket(acme, { fields: { [key]: value } });
      if (res.status !== 422) throw new Error(`${key}=${JSON.stringify(value)}: ${res.status} ${JSON.stringify(res.body)}`);
      expect422(res, `fields.${key}`, message);
    }
    // Several broken rules are reported at once.
    const several = await newTicket(acme, { fields: { seats: 'many', vip: 1 } });
    expect(several.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['fields.seats', 'fields.vip']);
    expect((await newTicket(acme, { fields: 'plan=gold' })).status).toBe(400);
    // Prototype keys never reach the checks (the body parser drops them) and set nothing.
    const proto = await call(acme, 'POST', '/tickets', '{"subject":"Proto","requester":{"email":"pat@customer.example"},"fields":{"__proto__":{"plan":"gold"},"constructor":"x"}}', 'agent');
    expect(proto.status).toBe(201);
    expect(proto.body.fields).toEqual({});
    await ok(acme, 'DELETE', `/tickets/${proto.body.id}`, undefined, 202, 'owner');

    const { id: contactId } = await ok(acme, 'POST', '/contacts', { name: 'On site', emails: ['site@acme.example'] }, 201, 'owner');
    const created = await newTicket(acme, {
      fields: { plan: 'gold', seats: 12, mrr: '99.50', renewal: '2027-01-31', regions: ['us', 'eu', 'eu'], vip: true, note: 'hello', serial: 'AB-1234', site_contact: contactId, customer: orgId },
    });
    expect(created.status).toBe(201);
    expect(created.body.fields).toEqual({ plan: 'gold', seats: 12, mrr: 99.5, renewal: '2027-01-31', regions: ['eu', 'us'], vip: true, note: 'hello', serial: 'AB-1234', site_contact: contactId, customer: orgId });
    ids.full = created.body.id;
    const read = await ok(acme, 'GET', `/tickets/${created.body.id}`, undefined, 200, 'viewer');
    expect(read.fields).toEqual(created.body.fields);
  });

  it('keeps a deactivated option on old tickets and refuses it on new writes; records changes in history and audit', async () => {
    const old = await newTicket(acme, { fields: { plan: 'bronze', regions: ['eu'] } });
    expect(old.status).toBe(201);
    const plan = await ok(acme, 'GET', `/ticket-fields/${ids[`${acme.tenant.id}:plan`]}`);
    const regions = await ok(acme, 'GET', `/ticket-fields/${ids[`${acme.tenant.id}:regions`]}`);
    expect422(
      await call(acme, 'PATCH', `/ticket-fields/${plan.id}`, { options: [{ value: 'gold', label: 'Gold' }] }, 'admin', { 'if-match': `W/"${plan.version}"` }),
      'options',
      /cannot be removed.*deactivate silver, bronze/,
    );
    const changed = await call(acme, 'PATCH', `/ticket-fields/${plan.id}`, { options: [...plan.options.slice(0, 2), { value: 'bronze', label: 'Bronze (retired)', active: false }] }, 'admin', { 'if-match': `W/"${plan.version}"` });
    expect(changed.body).toMatchObject({ version: plan.version + 1 });
    expect(changed.body.options[2]).toEqual({ value: 'bronze', label: 'Bronze (retired)', active: false });
    await ok(acme, 'PATCH', `/ticket-fields/${regions.id}`, { options: [{ value: 'eu', label: 'EU', active: false }, { value: 'us', label: 'US' }] });

    expect422(await newTicket(acme, { fields: { plan: 'bronze' } }), 'fields.plan', /no longer offered/);
    expect422(await newTicket(acme, { fields: { regions: ['eu'] } }), 'fields.regions', /no longer offered/);
    // The old ticket keeps and shows it, and can change other values (and keep its inactive choices).
    const kept = await patch(acme, old.body.id, { fields: { seats: 3, regions: ['eu', 'us'] } });
    expect(kept.status).toBe(200);
    expect(kept.body.fields).toEqual({ plan: 'bronze', regions: ['eu', 'us'], seats: 3 });
    const cleared = await patch(acme, old.body.id, { fields: { seats: null } });
    expect(cleared.body.fields).toEqual({ plan: 'bronze', regions: ['eu', 'us'] });
    expect(cleared.body.version).toBe(old.body.version + 2);

    const history = await ok(acme, 'GET', `/tickets/${old.body.id}/history`, undefined, 200, 'agent');
    expect(history.data[0].changes.fields).toEqual({ from: { plan: 'bronze', regions: ['eu', 'us'], seats: 3 }, to: { plan: 'bronze', regions: ['eu', 'us'] } });
    const audit = await ok(acme, 'GET', `/audit-logs?entityId=${old.body.id}`, undefined, 200, 'owner');
    expect(audit.data.some((e: { action: string; changes: unknown }) => e.action === 'ticket.updated' && JSON.stringify(e).includes('"seats":3'))).toBe(true);
    const fieldAudit = await ok(acme, 'GET', `/audit-logs?entityId=${plan.id}`, undefined, 200, 'owner');
    expect(fieldAudit.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['ticket_field.created', 'ticket_field.updated']));
  });

  it('requires required-at-solve fields when the ticket moves to solved', async () => {
    const t = await newTicket(acme);
    const refused = await patch(acme, t.body.id, { status: 'solved' });
    expect422(refused, 'fields.root_cause', /required to solve/);
    expect((await ok(acme, 'GET', `/tickets/${t.body.id}`, undefined, 200, 'agent')).status).toBe('new');
    const solved = await patch(acme, t.body.id, { status: 'solved', fields: { root_cause: 'loose valve' } });
    expect(solved.status).toBe(200);
    expect(solved.body).toMatchObject({ status: 'solved', fields: { root_cause: 'loose valve' } });
  });

  it('forms choose the fields and their requirements; the default form applies to new tickets', async () => {
    const seats = ids[`${acme.tenant.id}:seats`];
    const plan = ids[`${acme.tenant.id}:plan`];
    const form = await ok(acme, 'POST', '/ticket-forms', { name: 'Sales', fields: [{ fieldId: plan, required: true }, { fieldId: seats }], isDefault: true }, 201);
    expect(form).toMatchObject({ name: 'Sales', isDefault: true, fields: [{ fieldId: plan, required: true }, { fieldId: seats, required: null }] });
    expect422(await call(acme, 'POST', '/ticket-forms', { name: 'Bad', fields: [{ fieldId: ids[`${globex.tenant.id}:plan`] }] }), 'fields[0].fieldId', /does not exist/);
    expect((await call(acme, 'POST', '/ticket-forms', { name: 'sales', fields: [] })).status).toBe(409);

    expect422(await newTicket(acme), 'fields.plan', /is required/);
    // A ticket a customer opens through a channel cannot fill fields: it is created, and the agent completes them.
    const fromEmail = await newTicket(acme, { channel: 'email' });
    expect(fromEmail.status).toBe(201);
    expect(fromEmail.body).toMatchObject({ formId: form.id, fields: {} });
    expect422(await newTicket(acme, { fields: { plan: 'gold', vip: true } }), 'fields.vip', /not on the ticket's form/);
    const onForm = await newTicket(acme, { fields: { plan: 'gold' } });
    expect(onForm.status).toBe(201);
    expect(onForm.body).toMatchObject({ formId: form.id, fields: { plan: 'gold' } });
    expect422(await patch(acme, onForm.body.id, { fields: { plan: null } }), 'fields.plan', /is required/);
    const moved = await patch(acme, onForm.body.id, { formId: null, fields: { vip: true } });
    expect(moved.body).toMatchObject({ formId: null, fields: { plan: 'gold', vip: true } });
    expect422(await newTicket(acme, { formId: RANDOM_UUID }), 'formId', /does not exist/);
    await ok(acme, 'DELETE', `/ticket-forms/${form.id}`, undefined, 204);
    expect((await newTicket(acme)).body.formId).toBeNull();
  });

  it('filters and sorts by custom fields with keyset pagination, nulls last; exports the values', async () => {
    const made: { id: string; seats: number | null }[] = [];
    for (const seats of [5, null, 40, 5, 12, null, 7]) {
      const res = await newTicket(acme, { subject: 'pager', fields: { plan: 'silver', ...(seats === null ? {} : { seats }) } });
      expect(res.status).toBe(201);
      made.push({ id: res.body.id, seats });
    }
    const walk = async (query: string) => {
      const seen: { id: string; seats?: number }[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await ok(acme, 'GET', `/tickets?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, 200, 'agent');
        seen.push(...page.data.map((t: any) => ({ id: t.id, seats: t.fields.seats })));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const valued = made.filter((m) => m.seats !== null);
    const unvalued = made.filter((m) => m.seats === null);
    const asc = await walk('field=plan:eq:silver&sort=field:seats&order=asc');
    expect(asc.map((t) => t.id)).toEqual([...[...valued].sort((a, b) => a.seats! - b.seats! || byId(a, b)), ...[...unvalued].sort(byId)].map((t) => t.id));
    const desc = await walk('field=plan:eq:silver&sort=field:seats&order=desc');
    expect(desc.map((t) => t.id)).toEqual([...[...valued].sort((a, b) => b.seats! - a.seats! || byId(b, a)), ...[...unvalued].sort(byId).reverse()].map((t) => t.id));

    const ranged = await ok(acme, 'GET', '/tickets?field=plan:in:silver|gold&field=seats:gte:7&field=seats:lt:40&limit=100', undefined, 200, 'agent');
    expect(ranged.data.map((t: any) => t.fields.seats).sort()).toEqual([12, 12, 7].sort());
    const none = await ok(acme, 'GET', '/tickets?field=plan:eq:silver&field=seats:none&limit=100', undefined, 200, 'agent');
    expect(none.data.map((t: any) => t.id).sort()).toEqual(unvalued.map((t) => t.id).sort());
    const multi = await ok(acme, 'GET', '/tickets?field=regions:eq:us&limit=100', undefined, 200, 'agent');
    expect(multi.data.every((t: any) => t.fields.regions.includes('us'))).toBe(true);
    expect(multi.data.length).toBe(2);
    const byDate = await ok(acme, 'GET', '/tickets?field=renewal:gt:2027-01-01&sort=field:renewal', undefined, 200, 'agent');
    expect(byDate.data.map((t: any) => t.id)).toEqual([ids.full]);

    for (const [query, message] of [
      ['field=seats:gte:many', /whole number/],
      ['field=plan:gte:gold', /cannot be compared/],
      ['field=nope:eq:1', /field nope does not exist/],
      ['field=seats', /<key>:<op>:<value>/],
      ['field=seats:any:1', /takes no value/],
      ['sort=field:regions', /cannot be sorted/],
    ] as const) {
      const res = await call(acme, 'GET', `/tickets?${query}`, undefined, 'agent');
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(message);
    }

    const exported = await ok(acme, 'GET', '/tickets/export', undefined, 200, 'agent');
    const row = exported.data.find((t: any) => t.id === ids.full);
    expect(row.fields).toMatchObject({ plan: 'gold', seats: 12, renewal: '2027-01-31', regions: ['eu', 'us'] });
    expect(row).toHaveProperty('formId', null);
  });

  it('a deleted field keeps its values, takes no new ones, and a filter over it answers 422', async () => {
    const seats = ids[`${acme.tenant.id}:seats`];
    await ok(acme, 'DELETE', `/ticket-fields/${seats}`, undefined, 204);
    expect((await call(acme, 'DELETE', `/ticket-fields/${seats}`)).status).toBe(404);
    const res = await call(acme, 'GET', '/tickets?field=seats:gte:1', undefined, 'agent');
    expect(res.status).toBe(422);
    expect(res.body.detail).toBe('field seats no longer exists');
    expect((await call(acme, 'GET', '/tickets?sort=field:seats', undefined, 'agent')).body.detail).toBe('field seats no longer exists');
    expect((await ok(acme, 'GET', `/tickets/${ids.full}`, undefined, 200, 'agent')).fields.seats).toBe(12);
    expect422(await patch(acme, ids.full, { fields: { seats: 13 } }), 'fields.seats', /no longer exists/);
    expect((await ok(acme, 'GET', '/ticket-fields?limit=100')).data.map((f: { key: string }) => f.key)).not.toContain('seats');
    expect((await ok(acme, 'GET', '/ticket-fields?limit=100&includeDeleted=true')).data.find((f: { key: string }) => f.key === 'seats')).toMatchObject({ active: false });
    // The key stays taken, so old values keep their meaning.
    expect((await call(acme, 'POST', '/ticket-fields', { key: 'seats', label: 'Seats again', type: 'text' })).status).toBe(409);
  });

  it('another tenant’s fields and forms are 404s, and its keys are unknown', async () => {
    const acmeField = ids[`${acme.tenant.id}:plan`];
    const acmeForm = await ok(acme, 'POST', '/ticket-forms', { name: 'Acme only', fields: [{ fieldId: acmeField }] }, 201);
    for (const [method, path, body] of [
      ['GET', `/ticket-fields/${acmeField}`, undefined],
      ['PATCH', `/ticket-fields/${acmeField}`, { label: 'Stolen' }],
      ['DELETE', `/ticket-fields/${acmeField}`, undefined],
      ['GET', `/ticket-forms/${acmeForm.id}`, undefined],
      ['PATCH', `/ticket-forms/${acmeForm.id}`, { name: 'Stolen' }],
      ['DELETE', `/ticket-forms/${acmeForm.id}`, undefined],
    ] as const) {
      const res = await call(globex, method, path, body, 'owner');
      expect(res.status).toBe(404);
      expect(res.body.type).toMatch(/not-found/);
    }
    expect((await ok(acme, 'GET', `/ticket-fields/${acmeField}`)).label).toBe('Plan');
    expect422(await newTicket(globex, { formId: acmeForm.id }), 'formId', /does not exist/);
    expect422(await newTicket(globex, { fields: { seats: 1 } }), 'fields.seats', /does not exist/);
    const globexList = await ok(globex, 'GET', '/tickets?field=plan:eq:gold', undefined, 200, 'agent');
    expect(globexList.data).toEqual([]);
    expect((await ok(globex, 'GET', '/ticket-fields')).data.map((f: { key: string }) => f.key)).toEqual(['plan']);
  });

  it('treats hostile filter values as values, never as SQL', async () => {
    for (const value of ["gold'; DROP TABLE tickets; --", 'gold%', '\\x00', 'x'.repeat(900)]) {
      const res = await call(acme, 'GET', `/tickets?field=note:eq:${encodeURIComponent(value)}`, undefined, 'agent');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
    }
    expect((await call(acme, 'GET', `/tickets?field=note:in:${'a|'.repeat(60)}`, undefined, 'agent')).status).toBe(422);
    expect((await call(acme, 'GET', '/tickets?sort=field:../../etc', undefined, 'agent')).status).toBe(400);
    expect((await call(acme, 'GET', `/tickets?${Array.from({ length: 11 }, () => 'field=plan:any').join('&')}`, undefined, 'agent')).status).toBe(400);
    expect422(await newTicket(acme, { fields: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, i])) }), 'fields', /at most 200 values/);
    expect((await ok(acme, 'GET', '/tickets?limit=1', undefined, 200, 'agent')).data.length).toBe(1);
  });
});
