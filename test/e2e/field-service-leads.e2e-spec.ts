import { Client } from 'pg';
import { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { asTenantRole, client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';
import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const FEATURE = 'field_service_lead_extraction';

/** Leads: captured from a call or a form, read by the AI as suggestions, converted into a contact, an address and a job. */
describe('field service leads', () => {
  let api: RunningApi;
  let fake: FakeLlmServer;
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;
  const services: Record<string, string> = {};

  const capture = (t: TenantSession, body: Record<string, unknown>) => c.post('/v1/field-service/leads', body, t.headers('agent'));
  const lead = async (t: TenantSession, id: string) => expectStatus(await c.get(`/v1/field-service/leads/${id}`, t.headers('viewer')), 200);
  const events = (tenantId: string, leadId: string) =>
    asTenantRole(tenantId, async (db) => (await db.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY position`, [leadId])).rows as { type: string; payload: any }[]);
  const counts = (tenantId: string) =>
    asTenantRole(tenantId, async (db) => (await db.query(`SELECT (SELECT count(*)::int FROM contacts) AS contacts, (SELECT count(*)::int FROM contact_addresses) AS addresses, (SELECT count(*)::int FROM fs_jobs) AS jobs, (SELECT count(*)::int FROM fs_leads) AS leads`)).rows[0]);

  beforeAll(async () => {
    fake = await new FakeLlmServer().start();
    api = await startApi({ AI_ALLOW_PRIVATE_BASE_URLS: 'true', AI_MAX_ATTEMPTS: '1' });
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    for (const t of [acme, globex]) {
      services[t.tenant.id] = expectStatus(await c.post('/v1/field-service/services', { name: 'Boiler check', pricingType: 'fixed', unitPrice: 8900, currency: 'EUR' }, t.headers('admin')), 201).id;
    }
    // Globex reads leads through an OpenAI-compatible provider (the fake); acme keeps the offline default.
    expectStatus(await c.put('/v1/ai/providers/oa', { kind: 'openai', apiKey: 'sk-globex-1', baseUrl: fake.baseUrl('openai'), defaultModel: 'gpt-4o-mini' }, globex.headers('admin')), 201);
    expectStatus(await c.put('/v1/ai/settings', { features: { [FEATURE]: { provider: 'oa' } } }, globex.headers('admin')), 200);
  });
  afterAll(async () => {
    await api?.stop();
    await fake?.stop();
  });

  it('captures leads, lists them newest first by status with a cursor, and refuses hostile input without storing it', async () => {
    const first = expectStatus(await capture(acme, { notes: '  Caller wants a quote for a new boiler.  ', name: ' Bob ', email: 'Bob@Example.COM', phone: '+44 20 7946 0999' }), 201);
    expect(first).toMatchObject({ status: 'new', notes: 'Caller wants a quote for a new boiler.', fields: { name: 'Bob', email: 'bob@example.com', phone: '+442079460999' }, serviceId: null, suggestions: null, extraction: null, contactId: null, jobId: null, createdBy: acme.users.agent.userId, version: 1 });
    const second = expectStatus(await capture(acme, { notes: 'Contact form: gutter cleaning please', serviceId: services[acme.tenant.id] }), 201);
    expect(second.serviceId).toBe(services[acme.tenant.id]);
    expect(await lead(acme, first.id)).toEqual(first);

    const before = await counts(acme.tenant.id);
    expectProblem(await capture(acme, { notes: '' }), 400, 'validation-failed');
    expectProblem(await capture(acme, { notes: '   \n ' }), 400);
    expectProblem(await capture(acme, { notes: 'x'.repeat(10_001) }), 400, 'validation-failed');
    expectProblem(await capture(acme, {}), 400, 'validation-failed');
    expect(expectProblem(await capture(acme, { notes: 'hi', email: 'not-an-email' }), 422).errors[0].field).toBe('email');
    expect(expectProblem(await capture(acme, { notes: 'hi', phone: '12' }), 422).errors[0].field).toBe('phone');
    expectProblem(await capture(acme, { notes: 'hi', serviceId: RANDOM_UUID }), 422, 'invalid-reference');
    expectProblem(await capture(acme, { notes: 'hi', serviceId: services[globex.tenant.id] }), 422, 'invalid-reference');
    expectProblem(await capture(acme, { notes: 'hi', serviceId: 'boiler' }), 400, 'validation-failed');
    expectProblem(await capture(acme, { notes: 'hi', name: ['a'] }), 400, 'validation-failed');
    expectProblem(await capture(acme, { notes: 'hi', name: 'n'.repeat(201) }), 400, 'validation-failed');
    expectProblem(await capture(acme, { notes: 'nul \u0000 here' }), 400);
    expect(await counts(acme.tenant.id)).toEqual(before);
    expectProblem(await c.post('/v1/field-service/leads', { notes: 'viewer' }, acme.headers('viewer')), 403);

    const page1 = expectStatus(await c.get('/v1/field-service/leads?limit=1', acme.headers('viewer')), 200);
    expect(page1.data.map((l: any) => l.id)).toEqual([second.id]);
    const page2 = expectStatus(await c.get(`/v1/field-service/leads?limit=1&cursor=${encodeURIComponent(page1.nextCursor)}`, acme.headers('viewer')), 200);
    expect(page2.data.map((l: any) => l.id)).toEqual([first.id]);
    expectStatus(await c.post(`/v1/field-service/leads/${second.id}/dismiss`, { reason: 'Not a service we offer' }, acme.headers('agent')), 200);
    const dismissed = expectStatus(await c.get('/v1/field-service/leads?status=dismissed', acme.headers('viewer')), 200);
    expect(dismissed.data).toEqual([expect.objectContaining({ id: second.id, status: 'dismissed', dismissedReason: 'Not a service we offer' })]);
    expect(expectStatus(await c.get('/v1/field-service/leads?status=new', acme.headers('viewer')), 200).data.map((l: any) => l.id)).toContain(first.id);
    expectProblem(await c.get('/v1/field-service/leads?status=won', acme.headers('viewer')), 400, 'validation-failed');
    expectProblem(await c.post(`/v1/field-service/leads/${second.id}/dismiss`, {}, acme.headers('agent')), 409, 'lead-dismissed');
    expectProblem(await c.post(`/v1/field-service/leads/${second.id}/suggest`, {}, acme.headers('agent')), 409, 'lead-dismissed');

    expect((await events(acme.tenant.id, first.id)).map((e) => e.type)).toEqual(['field_service.lead_created']);
    expect((await events(acme.tenant.id, first.id))[0].payload).toEqual({ hasEmail: true, hasPhone: true, serviceId: null });
  });

  it('answers 404 on every route for another tenant’s lead, and lists only its own', async () => {
    const mine = expectStatus(await capture(acme, { notes: 'Acme-only lead' }), 201);
    const h = globex.headers('admin');
    expectProblem(await c.get(`/v1/field-service/leads/${mine.id}`, h), 404);
    expectProblem(await c.post(`/v1/field-service/leads/${mine.id}/suggest`, {}, h), 404);
    expectProblem(await c.post(`/v1/field-service/leads/${mine.id}/convert`, { email: 'x@example.com' }, h), 404);
    expectProblem(await c.post(`/v1/field-service/leads/${mine.id}/dismiss`, {}, h), 404);
    expectProblem(await c.get(`/v1/field-service/leads/${RANDOM_UUID}`, h), 404);
    expectProblem(await c.get('/v1/field-service/leads/not-a-uuid', h), 400);
    const theirs = expectStatus(await c.get('/v1/field-service/leads?limit=100', h), 200);
    expect(theirs.data.map((l: any) => l.id)).not.toContain(mine.id);
    expect(await lead(acme, mine.id)).toMatchObject({ status: 'new', version: 1 });
  });

  it('stores the model’s suggestions without applying them; a provider down or an answer out of schema leaves the lead as it was', async () => {
    const notes = 'Gina Grey rang about her boiler, wants a Boiler check. 7 Elm Road, Leeds. Call back on +44 113 496 0000 or gina@example.org';
    const created = expectStatus(await capture(globex, { notes }), 201);
    fake.enqueue('openai', {
      kind: 'ok',
      json: { name: 'Gina Grey', phone: '+44 113 496 0000', email: 'gina@example.org', street: '7 Elm Road', city: 'Leeds', region: null, postalCode: null, country: 'GB', service: 'Boiler check', confidence: { name: 0.9123, phone: 0.95 } },
    });
    const suggested = expectStatus(await c.post(`/v1/field-service/leads/${created.id}/suggest`, {}, globex.headers('agent')), 200);
    expect(suggested).toMatchObject({
      status: 'new',
      fields: {},
      serviceId: null,
      contactId: null,
      extraction: { status: 'ok', detail: null, provider: 'oa', model: 'gpt-4o-mini' },
    });
    expect(suggested.suggestions).toEqual([
      { field: 'name', value: 'Gina Grey', confidence: 0.912 },
      { field: 'phone', value: '+44 113 496 0000', confidence: 0.95 },
      { field: 'email', value: 'gina@example.org', confidence: 0.95 },
      { field: 'street', value: '7 Elm Road', confidence: 0.95 },
      { field: 'city', value: 'Leeds', confidence: 0.95 },
      // Not in the notes: the model inferred it, so it is less sure.
      { field: 'country', value: 'GB', confidence: 0.4 },
      { field: 'service', value: 'Boiler check', confidence: 0.95, serviceId: services[globex.tenant.id] },
    ]);
    const sent = fake.requests.at(-1)!.body;
    expect(JSON.stringify(sent.messages)).toContain('gina@example.org');
    expect(JSON.stringify(sent.messages)).toContain('Boiler check');
    expect(sent.response_format.json_schema.schema.properties.service.enum).toEqual(['Boiler check', null]);
    // No contact was made from the suggestions.
    expect(expectStatus(await c.get('/v1/contacts?q=Gina', globex.headers('viewer')), 200).data).toEqual([]);

    fake.enqueue('openai', { kind: 'ok', json: { name: 42, colour: 'blue' } }, { kind: 'ok', text: 'Gina, I think.' });
    const invalid = expectStatus(await c.post(`/v1/field-service/leads/${created.id}/suggest`, {}, globex.headers('agent')), 200);
    expect(invalid).toMatchObject({ status: 'new', suggestions: [], extraction: { status: 'invalid', provider: 'oa', model: 'gpt-4o-mini' } });
    expect(invalid.extraction.detail).toMatch(/did not match the lead schema/);

    fake.enqueue('openai', { kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const down = expectStatus(await c.post(`/v1/field-service/leads/${created.id}/suggest`, {}, globex.headers('agent')), 200);
    expect(down).toMatchObject({ status: 'new', notes, suggestions: [], extraction: { status: 'unavailable', provider: null, model: null } });
    expect(down.extraction.detail).toMatch(/by hand/);
    fake.reset();
  });

  it('converts with the offline provider’s suggestions into an existing contact found by email: no duplicate contact or address, a job for the service, once', async () => {
    const ada = expectStatus(await c.post('/v1/contacts', { name: 'Ada Lovelace', emails: ['ada@example.com'] }, acme.headers('agent')), 201);
    const home = expectStatus(await c.post(`/v1/contacts/${ada.id}/addresses`, { label: 'Home', street: '12 Analytical Row', city: 'London', country: 'GB' }, acme.headers('agent')), 201);
    const notes = 'Name: Ada Lovelace\nEmail: ADA@example.com\nStreet: 12 Analytical Row\nCity: London\nThe boiler is banging; she would like a Boiler check next week.';
    const created = expectStatus(await capture(acme, { notes }), 201);
    const suggested = expectStatus(await c.post(`/v1/field-service/leads/${created.id}/suggest`, {}, acme.headers('agent')), 200);
    // The offline provider reads "field: value" lines and the catalog's names; rules are capped at 0.7.
    expect(suggested.extraction).toMatchObject({ status: 'ok', provider: 'local' });
    expect(suggested.suggestions).toEqual(
      expect.arrayContaining([
        { field: 'name', value: 'Ada Lovelace', confidence: 0.7 },
        { field: 'email', value: 'ADA@example.com', confidence: 0.7 },
        { field: 'street', value: '12 Analytical Row', confidence: 0.7 },
        { field: 'city', value: 'London', confidence: 0.7 },
        { field: 'service', value: 'Boiler check', confidence: 0.7, serviceId: services[acme.tenant.id] },
      ]),
    );

    const before = await counts(acme.tenant.id);
    const confirmed = { name: 'Ada Lovelace', email: 'ADA@example.com', street: '12 analytical row', city: 'London', country: 'gb', serviceId: services[acme.tenant.id] };
    const converted = expectStatus(await c.post(`/v1/field-service/leads/${created.id}/convert`, confirmed, acme.headers('agent')), 200);
    expect(converted).toMatchObject({ status: 'converted', contactId: ada.id, addressId: home.id, serviceId: services[acme.tenant.id], convertedBy: acme.users.agent.userId, fields: { email: 'ada@example.com', country: 'GB' } });
    expect(await counts(acme.tenant.id)).toEqual({ ...before, jobs: before.jobs + 1 });
    const job = expectStatus(await c.get(`/v1/field-service/jobs/${converted.jobId}`, acme.headers('viewer')), 200);
    expect(job).toMatchObject({ contactId: ada.id, addressId: home.id, title: 'Boiler check', description: notes });

    expectProblem(await c.post(`/v1/field-service/leads/${created.id}/convert`, confirmed, acme.headers('agent')), 409, 'lead-converted');
    expectProblem(await c.post(`/v1/field-service/leads/${created.id}/dismiss`, {}, acme.headers('agent')), 409, 'lead-converted');
    expect(await counts(acme.tenant.id)).toEqual({ ...before, jobs: before.jobs + 1 });
    expect(await lead(acme, created.id)).toEqual(converted);
    const [createdEvent, convertedEvent] = await events(acme.tenant.id, created.id);
    expect(createdEvent.type).toBe('field_service.lead_created');
    expect(convertedEvent).toEqual({
      type: 'field_service.lead_converted',
      payload: { contactId: ada.id, contactCreated: false, addressId: home.id, addressCreated: false, jobId: converted.jobId, serviceId: services[acme.tenant.id] },
    });
  });

  it('creates a contact and an address from a phone-only lead, and refuses bad confirmed fields writing nothing', async () => {
    const created = expectStatus(await capture(globex, { notes: 'Walk-in, left a number. Flat 2, 9 Quay St, Bristol.' }), 201);
    const url = `/v1/field-service/leads/${created.id}/convert`;
    const before = await counts(globex.tenant.id);
    expect(expectProblem(await c.post(url, { name: 'Hal' }, globex.headers('agent')), 422).errors[0].field).toBe('email');
    expect(expectProblem(await c.post(url, { email: 'hal@', phone: '+44 117 496 0123' }, globex.headers('agent')), 422).errors[0].field).toBe('email');
    expect(expectProblem(await c.post(url, { phone: 'call me' }, globex.headers('agent')), 422).errors[0].field).toBe('phone');
    expect(expectProblem(await c.post(url, { phone: '+44 117 496 0123', street: '9 Quay St', country: 'United Kingdom' }, globex.headers('agent')), 422).errors[0].field).toBe('country');
    expectProblem(await c.post(url, { phone: '+44 117 496 0123', street: '9 Quay St', serviceId: services[acme.tenant.id] }, globex.headers('agent')), 422, 'invalid-reference');
    expect(expectProblem(await c.post(url, { phone: '+44 117 496 0123', serviceId: services[globex.tenant.id] }, globex.headers('agent')), 422).errors[0].field).toBe('street');
    expectProblem(await c.post(url, { phone: '+44 117 496 0123', createJob: 'yes' }, globex.headers('agent')), 400, 'validation-failed');
    expect(await counts(globex.tenant.id)).toEqual(before);
    expect(await lead(globex, created.id)).toMatchObject({ status: 'new', version: 1 });

    const converted = expectStatus(await c.post(url, { name: 'Hal', phone: '+44 117 496 0123', street: 'Flat 2, 9 Quay St', city: 'Bristol', addressLabel: 'Flat' }, globex.headers('agent')), 200);
    expect(converted).toMatchObject({ status: 'converted', jobId: null, serviceId: null });
    expect(await counts(globex.tenant.id)).toEqual({ ...before, contacts: before.contacts + 1, addresses: before.addresses + 1, leads: before.leads });
    const contact = expectStatus(await c.get(`/v1/contacts/${converted.contactId}`, globex.headers('viewer')), 200);
    expect(contact).toMatchObject({ name: 'Hal', phones: ['+441174960123'] });
    const addresses = expectStatus(await c.get(`/v1/contacts/${converted.contactId}/addresses`, globex.headers('viewer')), 200);
    expect((addresses.data ?? addresses).map((a: any) => [a.id, a.label, a.street, a.city])).toEqual([[converted.addressId, 'Flat', 'Flat 2, 9 Quay St', 'Bristol']]);
  });

  it('leaves nothing half-written when the job is refused after the contact and address were made', async () => {
    const created = expectStatus(await capture(globex, { notes: 'New customer, wants an inspection.' }), 201);
    const before = await counts(globex.tenant.id);
    // The database refuses this one job title, as a rule of fs_jobs would: the refusal comes after find-or-create and the address.
    const admin = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE OR REPLACE FUNCTION leads_e2e_refuse_job() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation', COLUMN = 'title'; END $$`);
      await admin.query(`CREATE TRIGGER leads_e2e_refuse_job BEFORE INSERT ON fs_jobs FOR EACH ROW WHEN (NEW.title = 'Refused inspection') EXECUTE FUNCTION leads_e2e_refuse_job()`);
      const body = { name: 'Ivy', email: 'ivy@example.net', street: '3 Birch Lane', city: 'York', createJob: true, jobTitle: 'Refused inspection' };
      expectProblem(await c.post(`/v1/field-service/leads/${created.id}/convert`, body, globex.headers('agent')), 422);
      expect(await counts(globex.tenant.id)).toEqual(before);
      expect(await lead(globex, created.id)).toMatchObject({ status: 'new', contactId: null, version: 1 });
      expect((await events(globex.tenant.id, created.id)).map((e) => e.type)).toEqual(['field_service.lead_created']);

      const converted = expectStatus(await c.post(`/v1/field-service/leads/${created.id}/convert`, { ...body, jobTitle: 'Inspection' }, globex.headers('agent')), 200);
      expect(converted).toMatchObject({ status: 'converted', jobId: expect.any(String) });
      expect(await counts(globex.tenant.id)).toEqual({ ...before, contacts: before.contacts + 1, addresses: before.addresses + 1, jobs: before.jobs + 1 });
    } finally {
      await admin.query(`DROP TRIGGER IF EXISTS leads_e2e_refuse_job ON fs_jobs`);
      await admin.query(`DROP FUNCTION IF EXISTS leads_e2e_refuse_job()`);
      await admin.end();
    }
  });

  it('converts a lead once when two dispatchers convert it at the same time', async () => {
    const created = expectStatus(await capture(acme, { notes: 'Jo called twice about the same leak.' }), 201);
    const before = await counts(acme.tenant.id);
    const body = { name: 'Jo', email: 'jo@example.com', street: '5 Wharf Rd', city: 'Hull', serviceId: services[acme.tenant.id] };
    const results = await Promise.all([1, 2].map(() => c.post(`/v1/field-service/leads/${created.id}/convert`, body, acme.headers('agent'))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expectProblem(results.find((r) => r.status === 409)!, 409, 'lead-converted');
    expect(await counts(acme.tenant.id)).toEqual({ ...before, contacts: before.contacts + 1, addresses: before.addresses + 1, jobs: before.jobs + 1 });
    expect((await events(acme.tenant.id, created.id)).map((e) => e.type)).toEqual(['field_service.lead_created', 'field_service.lead_converted']);
  });
});
