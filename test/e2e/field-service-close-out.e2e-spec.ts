import { Redis } from 'ioredis';
import { Client } from 'pg';
import { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { asTenantRole, client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';
import { startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FEATURE = 'field_service_close_out_extraction';

/** A whole-minute instant `days` days and `hours` hours from now. */
const at = (days: number, hours = 0) => new Date(Math.ceil((Date.now() + days * DAY + hours * HOUR) / 60_000) * 60_000).toISOString();

/** The two-step close-out: AI-read attributes, the technician's confirmation, attributes on the contact. */
describe('field service close-out and customer attributes', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let fake: FakeLlmServer;
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;

  async function customer(t: TenantSession, name: string): Promise<{ contactId: string; addressId: string }> {
    const contact = expectStatus(await c.post('/v1/contacts', { name }, t.headers('agent')), 201);
    const address = expectStatus(await c.post(`/v1/contacts/${contact.id}/addresses`, { label: 'Home', street: '1 Main St', city: 'Springfield', country: 'US' }, t.headers('agent')), 201);
    return { contactId: contact.id, addressId: address.id };
  }

  /** A job whose one visit the tenant's technician has clocked in and out of (days from now, so slots never collide). */
  async function workedJob(t: TenantSession, who: { contactId: string; addressId: string }, days: number, title = 'Pump replacement'): Promise<{ id: string; visitId: string }> {
    const job = expectStatus(await c.post('/v1/field-service/jobs', { ...who, title }, t.headers('agent')), 201);
    const visit = expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/visits`, { scheduledStart: at(days), durationMinutes: 60, technicianId: t.users.technician.userId }, t.headers('agent')), 201);
    expectStatus(await c.post(`/v1/field-service/visits/${visit.id}/clock-in`, {}, t.headers('technician')), 200);
    expectStatus(await c.post(`/v1/field-service/visits/${visit.id}/clock-out`, {}, t.headers('technician')), 200);
    return { id: job.id, visitId: visit.id };
  }

  const initiate = (t: TenantSession, jobId: string, body: Record<string, unknown>, role: keyof TenantSession['tokens'] = 'technician') =>
    c.post(`/v1/field-service/jobs/${jobId}/close-out`, body, t.headers(role));
  const finalize = (t: TenantSession, jobId: string, body: Record<string, unknown>, role: keyof TenantSession['tokens'] = 'technician') =>
    c.post(`/v1/field-service/jobs/${jobId}/close-out/finalize`, body, t.headers(role));
  const attributes = async (t: TenantSession, contactId: string) => expectStatus(await c.get(`/v1/contacts/${contactId}/attributes`, t.headers('viewer')), 200).data as any[];
  const jobStatus = async (t: TenantSession, jobId: string) => expectStatus(await c.get(`/v1/field-service/jobs/${jobId}`, t.headers('viewer')), 200).status;
  const closedOutEvents = (tenantId: string, jobId: string) =>
    asTenantRole(tenantId, async (db) => (await db.query(`SELECT payload FROM outbox WHERE aggregate_id = $1 AND type = 'field_service.job_closed_out'`, [jobId])).rows as { payload: any }[]);

  beforeAll(async () => {
    fake = await new FakeLlmServer().start();
    api = await startApi({ AI_ALLOW_PRIVATE_BASE_URLS: 'true', AI_MAX_ATTEMPTS: '1' });
    worker = await startWorker({ OUTBOX_POLL_MS: '50' });
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    // Globex extracts through an OpenAI-compatible provider (the fake); acme keeps the offline default.
    expectStatus(await c.put('/v1/ai/providers/oa', { kind: 'openai', apiKey: 'sk-globex-1', baseUrl: fake.baseUrl('openai'), defaultModel: 'gpt-4o-mini' }, globex.headers('admin')), 201);
    expectStatus(await c.put('/v1/ai/settings', { features: { [FEATURE]: { provider: 'oa' } } }, globex.headers('admin')), 200);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await fake?.stop();
  });

  it('suggests attributes through the model; finalizing confirms, edits and drops them, books the next visit, and the contact gets them once', async () => {
    const gina = await customer(globex, 'Gina');
    const job = await workedJob(globex, gina, 2);
    fake.enqueue('openai', {
      kind: 'ok',
      json: { pets: { value: 'one friendly dog', confidence: 0.9123 }, gate_code: { value: '4512', confidence: 0.8 }, access_notes: null },
    });
    const notes = 'Replaced the circulation pump. A friendly dog in the yard; gate code 4512.';
    const draft = expectStatus(await initiate(globex, job.id, { durationMinutes: 75, notes }), 201);
    expect(draft).toMatchObject({
      jobId: job.id,
      status: 'awaiting_confirmation',
      notes,
      durationMinutes: 75,
      extraction: { status: 'ok', detail: null, provider: 'oa', model: 'gpt-4o-mini' },
      suggestions: [
        { key: 'pets', value: 'one friendly dog', confidence: 0.912 },
        { key: 'gate_code', value: '4512', confidence: 0.8 },
      ],
      initiatedBy: globex.users.technician.userId,
      confirmed: null,
      nextAction: null,
    });
    // The model saw the notes and was asked for the attribute schema.
    const sent = fake.requests.at(-1)!.body;
    expect(JSON.stringify(sent.messages)).toContain('gate code 4512');
    expect(sent.response_format.json_schema.schema.properties).toHaveProperty('pets');
    // Nothing is applied yet.
    expect(await jobStatus(globex, job.id)).toBe('in_progress');
    expect(await attributes(globex, gina.contactId)).toEqual([]);
    expect(expectStatus(await c.get(`/v1/field-service/jobs/${job.id}/close-out`, globex.headers('viewer')), 200)).toEqual(draft);

    const start = at(30);
    const done = expectStatus(
      await finalize(globex, job.id, {
        attributes: [
          { key: 'pets', action: 'confirm' },
          { key: 'gate_code', action: 'drop' },
          { key: 'service_preferences', action: 'edit', value: 'Mornings only' },
        ],
        nextAction: { kind: 'schedule_visit', start, durationMinutes: 45 },
      }),
      200,
    );
    expect(done).toMatchObject({
      status: 'finalized',
      finalizedBy: globex.users.technician.userId,
      confirmed: [
        { key: 'pets', value: 'one friendly dog', action: 'confirm', aiValue: 'one friendly dog', aiConfidence: 0.912 },
        { key: 'service_preferences', value: 'Mornings only', action: 'edit', aiValue: null, aiConfidence: null },
      ],
      dropped: ['gate_code'],
      nextAction: { kind: 'schedule_visit', start, durationMinutes: 45, technicianId: globex.users.technician.userId },
    });
    expect(await jobStatus(globex, job.id)).toBe('completed');
    // The next visit is an ordinary booking on a follow-up job for the same contact and address.
    const followUp = expectStatus(await c.get(`/v1/field-service/jobs/${done.nextAction.jobId}`, globex.headers('viewer')), 200);
    expect(followUp).toMatchObject({ ...gina, status: 'scheduled', title: 'Follow-up: Pump replacement' });
    expect(followUp.visits).toEqual([expect.objectContaining({ id: done.nextAction.visitId, scheduledStart: start, durationMinutes: 45, technicianId: globex.users.technician.userId })]);

    const [event] = await closedOutEvents(globex.tenant.id, job.id);
    expect(event.payload).toMatchObject({ contactId: gina.contactId, durationMinutes: 75, dropped: ['gate_code'], confirmedBy: globex.users.technician.userId, nextAction: { kind: 'schedule_visit' } });

    const stored = await waitFor(async () => {
      const list = await attributes(globex, gina.contactId);
      return list.length === 2 ? list : null;
    }, 'the worker to put the confirmed attributes on the contact');
    expect(stored).toEqual([
      {
        contactId: gina.contactId,
        key: 'pets',
        value: 'one friendly dog',
        provenance: { source: 'close_out', jobId: job.id, aiValue: 'one friendly dog', aiConfidence: 0.912, confirmedBy: globex.users.technician.userId, confirmedAt: done.finalizedAt },
        version: 1,
      },
      {
        contactId: gina.contactId,
        key: 'service_preferences',
        value: 'Mornings only',
        provenance: { source: 'close_out', jobId: job.id, aiValue: null, aiConfidence: null, confirmedBy: globex.users.technician.userId, confirmedAt: done.finalizedAt },
        version: 1,
      },
    ]);
    // Exactly once: one receipt-backed write (version 1 above) and one audit entry of it.
    const audits = await asTenantRole(globex.tenant.id, async (db) => (await db.query(`SELECT count(*)::int AS n FROM audit_logs WHERE action = 'contact.attributes_recorded' AND entity_id = $1`, [gina.contactId])).rows[0].n);
    expect(audits).toBe(1);

    // Delivered again, as after a crash between storing and acknowledging: nothing is stored twice.
    const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    const redis = new Redis(process.env.E2E_REDIS_URL!);
    try {
      await db.connect();
      const { rows } = await db.query(`SELECT id FROM outbox WHERE aggregate_id = $1 AND type = 'field_service.job_closed_out'`, [job.id]);
      const metricsUrl = worker.healthUrl.replace('/health', '/metrics');
      const deliveries = async () =>
        Number(/queue_jobs_processed_total\{queue="field-service",job="field_service.record-close-out-attributes",outcome="completed"\} (\d+)/.exec(await (await fetch(metricsUrl)).text())?.[1] ?? 0);
      const before = await deliveries();
      const keys = await redis.keys(`*:field-service:${rows[0].id}`);
      expect(keys).toHaveLength(1);
      await redis.del(...keys);
      await db.query(`UPDATE outbox SET dispatched_at = NULL, completed_at = NULL WHERE id = $1`, [rows[0].id]);
      await waitFor(async () => (await deliveries()) > before, 'the second delivery to be processed');
      // One receipt for this consumer (the reminders queue's message planner has its own).
      const receipts = await db.query(`SELECT count(*)::int AS n FROM event_receipts WHERE event_id = $1 AND consumer = 'field-service:field_service.record-close-out-attributes'`, [rows[0].id]);
      expect(receipts.rows[0].n).toBe(1);
    } finally {
      redis.disconnect();
      await db.end();
    }
    expect((await attributes(globex, gina.contactId)).map((a) => a.version)).toEqual([1, 1]);
    expect(await asTenantRole(globex.tenant.id, async (db) => (await db.query(`SELECT count(*)::int AS n FROM audit_logs WHERE action = 'contact.attributes_recorded' AND entity_id = $1`, [gina.contactId])).rows[0].n)).toBe(1);
  });

  it('keeps the close-out working by hand when the answer is out of schema twice or the provider is down', async () => {
    const hal = await customer(globex, 'Hal');
    const invalidJob = await workedJob(globex, hal, 3);
    fake.enqueue('openai', { kind: 'ok', json: { pets: 'a dog', colour: 'blue' } }, { kind: 'ok', text: 'There is a dog.' });
    const invalid = expectStatus(await initiate(globex, invalidJob.id, { durationMinutes: 30, notes: 'There is a dog.' }), 201);
    expect(invalid).toMatchObject({ status: 'awaiting_confirmation', suggestions: [], extraction: { status: 'invalid', provider: 'oa', model: 'gpt-4o-mini' } });
    expect(invalid.extraction.detail).toMatch(/did not match the attribute schema/);

    const downJob = await workedJob(globex, hal, 4);
    const calls = fake.count('openai');
    fake.enqueue('openai', { kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const down = expectStatus(await initiate(globex, downJob.id, { durationMinutes: 30, notes: 'Gate code is 9876.' }), 201);
    expect(down).toMatchObject({ status: 'awaiting_confirmation', suggestions: [], extraction: { status: 'unavailable', provider: null, model: null } });
    expect(down.extraction.detail).toMatch(/by hand/);
    expect(fake.count('openai')).toBeGreaterThan(calls);
    fake.reset();

    // By hand: a key nothing was suggested for, entered with edit; confirm of nothing is refused.
    expectProblem(await finalize(globex, downJob.id, { attributes: [{ key: 'gate_code', action: 'confirm' }], nextAction: { kind: 'none' } }), 422);
    const done = expectStatus(await finalize(globex, downJob.id, { attributes: [{ key: 'gate_code', action: 'edit', value: '9876' }], nextAction: { kind: 'none' } }), 200);
    expect(done).toMatchObject({ status: 'finalized', confirmed: [{ key: 'gate_code', value: '9876', aiValue: null }], dropped: [], nextAction: { kind: 'none' } });
    await waitFor(async () => (await attributes(globex, hal.contactId)).some((a) => a.key === 'gate_code' && a.value === '9876'), 'the hand-entered gate code on the contact');
  });

  it('works with the offline provider, records a reach-out, and refuses a second finalize and any change after close', async () => {
    const ada = await customer(acme, 'Ada');
    const job = await workedJob(acme, ada, 2);
    const draft = expectStatus(await initiate(acme, job.id, { durationMinutes: 50, notes: 'Serviced the boiler. Cat indoors, keep the door shut.' }), 201);
    // The offline provider reads "key: value" lines only; free prose gives it nothing to suggest.
    expect(draft).toMatchObject({ status: 'awaiting_confirmation', extraction: { status: 'ok', provider: 'local' }, suggestions: [] });
    // Initiating again replaces the draft.
    const again = expectStatus(await initiate(acme, job.id, { durationMinutes: 55, notes: 'Serviced the boiler. One indoor cat.' }), 201);
    expect(again).toMatchObject({ durationMinutes: 55, version: draft.version + 1 });

    const done = expectStatus(
      await finalize(acme, job.id, { attributes: [{ key: 'pets', action: 'edit', value: 'One indoor cat' }], nextAction: { kind: 'reach_out', inMonths: 6 } }),
      200,
    );
    expect(done.nextAction).toMatchObject({ kind: 'reach_out', inMonths: 6, followUpId: expect.any(String), dueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const followUps = await asTenantRole(acme.tenant.id, async (db) => (await db.query(`SELECT contact_id, status, kind FROM fs_follow_ups WHERE job_id = $1`, [job.id])).rows);
    expect(followUps).toEqual([{ contact_id: ada.contactId, status: 'pending', kind: 'reach_out' }]);

    const twice = expectProblem(await finalize(acme, job.id, { attributes: [], nextAction: { kind: 'none' } }), 409, 'close-out-finalized');
    expect(twice.detail).toMatch(/already closed out/);
    expectProblem(await initiate(acme, job.id, { durationMinutes: 5, notes: 'again' }), 409, 'close-out-finalized');
    expectProblem(await c.post(`/v1/field-service/jobs/${job.id}/notes`, { body: 'late' }, acme.headers('technician')), 409, 'job-closed');
    expectProblem(await c.post(`/v1/field-service/jobs/${job.id}/complete`, {}, acme.headers('agent')), 409);
    expect(expectStatus(await c.get(`/v1/field-service/jobs/${job.id}/close-out`, acme.headers('viewer')), 200)).toEqual(done);
    await waitFor(async () => (await attributes(acme, ada.contactId)).length === 1, 'the cat on the contact');
  });

  it('fails the whole finalize on a double booking: nothing is closed, booked or stored', async () => {
    const bob = await customer(acme, 'Bob');
    const job = await workedJob(acme, bob, 5);
    const other = expectStatus(await c.post('/v1/field-service/jobs', { ...bob, title: 'Other work' }, acme.headers('agent')), 201);
    const slot = at(40);
    const busy = expectStatus(await c.post(`/v1/field-service/jobs/${other.id}/visits`, { scheduledStart: slot, durationMinutes: 120, technicianId: acme.users.technician.userId }, acme.headers('agent')), 201);
    expectStatus(await initiate(acme, job.id, { durationMinutes: 40, notes: 'Done.' }), 201);
    const jobsBefore = expectStatus(await c.get(`/v1/field-service/jobs?contactId=${bob.contactId}&limit=100`, acme.headers('viewer')), 200).data.length;

    const clash = expectProblem(
      await finalize(acme, job.id, { attributes: [{ key: 'parking', action: 'edit', value: 'Driveway' }], nextAction: { kind: 'schedule_visit', start: at(40, 1), durationMinutes: 60 } }),
      409,
      'double-booking',
    );
    expect(clash.conflictingVisitId).toBe(busy.id);
    expect(await jobStatus(acme, job.id)).toBe('in_progress');
    expect(expectStatus(await c.get(`/v1/field-service/jobs/${job.id}/close-out`, acme.headers('viewer')), 200).status).toBe('awaiting_confirmation');
    expect(expectStatus(await c.get(`/v1/field-service/jobs?contactId=${bob.contactId}&limit=100`, acme.headers('viewer')), 200).data).toHaveLength(jobsBefore);
    expect(await closedOutEvents(acme.tenant.id, job.id)).toEqual([]);

    // A free slot then goes through.
    expectStatus(await finalize(acme, job.id, { attributes: [{ key: 'parking', action: 'edit', value: 'Driveway' }], nextAction: { kind: 'schedule_visit', start: at(41), durationMinutes: 60 } }), 200);
  });

  it('refuses hostile input with problem+json and writes nothing', async () => {
    const cy = await customer(acme, 'Cy');
    const job = await workedJob(acme, cy, 6);
    const path = `/v1/field-service/jobs/${job.id}/close-out`;
    expectProblem(await c.post(`${path}/finalize`, { attributes: [], nextAction: { kind: 'none' } }, acme.headers('technician')), 409, 'close-out-not-started');
    for (const body of [
      { durationMinutes: 0, notes: 'x' },
      { durationMinutes: 1441, notes: 'x' },
      { durationMinutes: 1.5, notes: 'x' },
      { durationMinutes: 30, notes: '' },
      { durationMinutes: 30, notes: 'x'.repeat(10_001) },
      { durationMinutes: 30, notes: 'x', tenantId: globex.tenant.id },
    ]) {
      expectProblem(await initiate(acme, job.id, body), 400);
    }
    expectProblem(await c.get(path, acme.headers('viewer')), 404);
    expectStatus(await initiate(acme, job.id, { durationMinutes: 30, notes: 'Fine.' }), 201);

    const bad: [Record<string, unknown>, number][] = [
      [{ attributes: [{ key: 'shoe_size', action: 'edit', value: '44' }], nextAction: { kind: 'none' } }, 422],
      [{ attributes: [{ key: 'pets', action: 'edit', value: 'dog' }, { key: 'pets', action: 'drop' }], nextAction: { kind: 'none' } }, 422],
      [{ attributes: [{ key: 'pets', action: 'edit' }], nextAction: { kind: 'none' } }, 422],
      [{ attributes: [{ key: 'pets', action: 'edit', value: 'd'.repeat(501) }], nextAction: { kind: 'none' } }, 400],
      [{ attributes: [{ key: 'pets', action: 'bless', value: 'dog' }], nextAction: { kind: 'none' } }, 400],
      [{ attributes: [{ key: 'pets', action: 'edit', value: 'dog', extra: 1 }], nextAction: { kind: 'none' } }, 400],
      [{ attributes: Array.from({ length: 21 }, () => ({ key: 'pets', action: 'drop' })), nextAction: { kind: 'none' } }, 400],
      [{ attributes: [], nextAction: { kind: 'teleport' } }, 400],
      [{ attributes: [] }, 400],
      [{ attributes: [], nextAction: 'none' }, 400],
      [{ attributes: [], nextAction: { kind: 'reach_out' } }, 422],
      [{ attributes: [], nextAction: { kind: 'reach_out', inMonths: 99 } }, 400],
      [{ attributes: [], nextAction: { kind: 'schedule_visit', durationMinutes: 60 } }, 422],
      [{ attributes: [], nextAction: { kind: 'schedule_visit', start: at(-1), durationMinutes: 60 } }, 422],
      [{ attributes: [], nextAction: { kind: 'schedule_visit', start: at(9), durationMinutes: 60, technicianId: acme.users.agent.userId } }, 422],
      [{ attributes: [], nextAction: { kind: 'none', inMonths: 3 } }, 422],
    ];
    for (const [body, status] of bad) expectProblem(await finalize(acme, job.id, body), status);
    expect(await jobStatus(acme, job.id)).toBe('in_progress');
    expect(expectStatus(await c.get(path, acme.headers('viewer')), 200).status).toBe('awaiting_confirmation');
    expect(await attributes(acme, cy.contactId)).toEqual([]);
    expectProblem(await finalize(acme, job.id, { attributes: [], nextAction: { kind: 'none' } }, 'viewer'), 403);
  });

  it('lets only the job’s technicians or dispatchers close a job out', async () => {
    const dee = await customer(acme, 'Dee');
    const job = expectStatus(await c.post('/v1/field-service/jobs', { ...dee, title: 'Unassigned' }, acme.headers('agent')), 201);
    expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/visits`, { scheduledStart: at(7), durationMinutes: 60 }, acme.headers('agent')), 201);
    expectProblem(await initiate(acme, job.id, { durationMinutes: 10, notes: 'Not mine.' }), 403, 'not-assigned');
    expectStatus(await initiate(acme, job.id, { durationMinutes: 10, notes: 'Closed by the office.' }, 'agent'), 201);
    expectProblem(await finalize(acme, job.id, { attributes: [], nextAction: { kind: 'none' } }), 403, 'not-assigned');
    expectStatus(await finalize(acme, job.id, { attributes: [], nextAction: { kind: 'none' } }, 'agent'), 200);
  });

  it('sets and removes attributes by hand, keeping the AI’s value in provenance, and answers 404 across tenants on every route', async () => {
    const eve = await customer(acme, 'Eve');
    const base = `/v1/contacts/${eve.contactId}/attributes`;
    const set = expectStatus(await c.put(`${base}/gate_code`, { value: '  1234 ' }, acme.headers('agent')), 200);
    expect(set).toMatchObject({ key: 'gate_code', value: '1234', provenance: { source: 'manual', jobId: null, aiValue: null, confirmedBy: acme.users.agent.userId }, version: 1 });
    expect(expectStatus(await c.put(`${base}/gate_code`, { value: '5678' }, acme.headers('agent')), 200)).toMatchObject({ value: '5678', version: 2 });
    expectProblem(await c.put(`${base}/shoe_size`, { value: '44' }, acme.headers('agent')), 422, 'unknown-attribute');
    expectProblem(await c.put(`${base}/gate_code`, { value: 'x'.repeat(501) }, acme.headers('agent')), 400);
    expectProblem(await c.put(`${base}/gate_code`, { value: '   ' }, acme.headers('agent')), 422);
    expectProblem(await c.put(`${base}/gate_code`, { value: '1' }, acme.headers('technician')), 403);
    expect((await attributes(acme, eve.contactId)).map((a) => [a.key, a.value])).toEqual([['gate_code', '5678']]);

    // Another tenant sees none of it, and none of acme's jobs.
    const acmeJob = await workedJob(acme, eve, 8);
    expectStatus(await initiate(acme, acmeJob.id, { durationMinutes: 20, notes: 'Done.' }), 201);
    expectProblem(await c.get(base, globex.headers('viewer')), 404);
    expectProblem(await c.put(`${base}/gate_code`, { value: '0000' }, globex.headers('agent')), 404);
    expectProblem(await c.delete(`${base}/gate_code`, globex.headers('agent')), 404);
    expectProblem(await initiate(globex, acmeJob.id, { durationMinutes: 20, notes: 'Mine?' }, 'agent'), 404);
    expectProblem(await c.get(`/v1/field-service/jobs/${acmeJob.id}/close-out`, globex.headers('viewer')), 404);
    expectProblem(await finalize(globex, acmeJob.id, { attributes: [], nextAction: { kind: 'none' } }, 'agent'), 404);
    expectProblem(await initiate(acme, RANDOM_UUID, { durationMinutes: 20, notes: 'x' }, 'agent'), 404);
    expectProblem(await c.get(`/v1/contacts/${RANDOM_UUID}/attributes`, acme.headers('viewer')), 404);
    expect(expectStatus(await c.get(`/v1/field-service/jobs/${acmeJob.id}/close-out`, acme.headers('viewer')), 200).status).toBe('awaiting_confirmation');
    expect(await attributes(acme, eve.contactId)).toHaveLength(1);

    expect((await c.delete(`${base}/gate_code`, acme.headers('agent'))).status).toBe(204);
    expectProblem(await c.delete(`${base}/gate_code`, acme.headers('agent')), 404);
    expectProblem(await c.delete(`${base}/shoe_size`, acme.headers('agent')), 422);
    expect(await attributes(acme, eve.contactId)).toEqual([]);
  });

  it('finds contacts by attribute, within the tenant only', async () => {
    const fay = await customer(acme, 'Fay');
    const gus = await customer(acme, 'Gus');
    const hostileGlobex = await customer(globex, 'Hostile');
    expectStatus(await c.put(`/v1/contacts/${fay.contactId}/attributes/pets`, { value: 'Two big DOGS' }, acme.headers('agent')), 200);
    expectStatus(await c.put(`/v1/contacts/${fay.contactId}/attributes/parking`, { value: 'Driveway' }, acme.headers('agent')), 200);
    expectStatus(await c.put(`/v1/contacts/${gus.contactId}/attributes/pets`, { value: 'a cat (no dogs)' }, acme.headers('agent')), 200);
    expectStatus(await c.put(`/v1/contacts/${hostileGlobex.contactId}/attributes/pets`, { value: 'dog' }, globex.headers('agent')), 200);
    const search = async (t: TenantSession, query: string) => expectStatus(await c.get(`/v1/contacts?limit=100&${query}`, t.headers('viewer')), 200).data.map((x: any) => x.id);

    const dogs = await search(acme, 'attribute.pets=dog');
    expect(dogs).toEqual(expect.arrayContaining([fay.contactId, gus.contactId]));
    expect(dogs).not.toContain(hostileGlobex.contactId);
    expect(await search(acme, 'attribute.pets=big%20dog')).toEqual([fay.contactId]);
    expect(await search(acme, 'attribute.pets=dog&attribute.parking=drive')).toEqual([fay.contactId]);
    expect(await search(acme, 'attribute.pets=dog&q=Gus')).toEqual([gus.contactId]);
    expect(await search(acme, 'attribute.pets=%25')).toEqual([]);
    expect(await search(globex, 'attribute.pets=dog')).not.toContain(fay.contactId);
    expectProblem(await c.get('/v1/contacts?attribute.shoe_size=44', acme.headers('viewer')), 400);
    expectProblem(await c.get(`/v1/contacts?attribute.pets=${'d'.repeat(501)}`, acme.headers('viewer')), 400);
  });

  it('moves attributes with a contact merge, the later confirmed value of a key winning', async () => {
    const keep = await customer(acme, 'Keep');
    const gone = await customer(acme, 'Gone');
    expectStatus(await c.put(`/v1/contacts/${gone.contactId}/attributes/pets`, { value: 'old dog' }, acme.headers('agent')), 200);
    expectStatus(await c.put(`/v1/contacts/${keep.contactId}/attributes/pets`, { value: 'new dog' }, acme.headers('agent')), 200);
    expectStatus(await c.put(`/v1/contacts/${gone.contactId}/attributes/parking`, { value: 'Street' }, acme.headers('agent')), 200);
    expectStatus(await c.post(`/v1/contacts/${keep.contactId}/merge`, { sourceId: gone.contactId }, acme.headers('agent')), 200);
    expect((await attributes(acme, keep.contactId)).map((a) => [a.key, a.value])).toEqual([
      ['parking', 'Street'],
      ['pets', 'new dog'],
    ]);
    expectProblem(await c.get(`/v1/contacts/${gone.contactId}/attributes`, acme.headers('viewer')), 404);
  });
});
