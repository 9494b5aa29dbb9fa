import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';
import { readyAgent, sleep, type AgentClient } from '../support/sockets';
import { createTwoTenants, login, PASSWORD, type TenantSession } from '../support/tenants';

const HOUR = 3_600_000;
/** A whole-minute instant `hours` from now, so visits never start in the past. */
const inHours = (hours: number) => new Date(Math.ceil((Date.now() + hours * HOUR) / 60_000) * 60_000).toISOString();

/**
 * Field service on the agent console: visit changes reach the technicians they concern (and
 * the consoles that see jobs without being a technician's), never another technician or another
 * tenant; the ticket page's jobs come from GET /v1/field-service/jobs?ticketId=.
 */
describe('field service on the agent console', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;
  let secondTech: { userId: string; token: string };
  const open: AgentClient[] = [];

  const connect = async (token: string) => {
    const a = await readyAgent(api.url, token);
    open.push(a);
    return a;
  };

  async function customer(t: TenantSession, name: string): Promise<{ contactId: string; addressId: string }> {
    const contact = expectStatus(await c.post('/v1/contacts', { name }, t.headers('agent')), 201);
    const address = expectStatus(await c.post(`/v1/contacts/${contact.id}/addresses`, { label: 'Home', street: '1 Main St', city: 'Springfield', country: 'US' }, t.headers('agent')), 201);
    return { contactId: contact.id, addressId: address.id };
  }

  /** Every socket has received everything committed before this: a ticket event reaches the whole tenant, in commit order. */
  async function barrier(t: TenantSession, sockets: AgentClient[]): Promise<void> {
    const ticket = expectStatus(await c.post('/v1/tickets', { subject: 'barrier', requester: { email: 'pat@customer.example' } }, t.headers('agent')), 201);
    await Promise.all(sockets.map((s) => s.next('ticket.created', (d) => d.ticketId === ticket.id)));
  }

  const fieldServiceEvents = (s: AgentClient) => s.received.filter((r) => r.event.startsWith('visit.') || r.event.startsWith('job.'));

  beforeAll(async () => {
    // A fast heartbeat and re-check, so that a role change reaches a connected console's rooms within a second or two.
    api = await startApi({ REALTIME_PRESENCE_TTL_MS: '3000', REALTIME_REAUTH_INTERVAL_MS: '1000' });
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    const email = `tech2.${acme.tenant.slug}@acme.test`;
    const member = expectStatus(await c.post(`/v1/admin/tenants/${acme.tenant.id}/members`, { email, name: 'Second technician', password: PASSWORD, role: 'technician' }, adminHeaders()), 201);
    secondTech = { userId: member.userId, token: (await login(api.url, email)).accessToken };
  });
  afterEach(() => {
    for (const a of open.splice(0)) a.close();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('pushes schedule, reschedule, reassignment and cancellation to the technicians concerned and to dispatchers only', async () => {
    const techA = acme.users.technician.userId;
    const techB = secondTech.userId;
    const [aSock, bSock, agentSock, keySock, gTechSock, gAgentSock] = await Promise.all([
      connect(acme.tokens.technician),
      connect(secondTech.token),
      connect(acme.tokens.agent),
      connect(acme.apiKeys.readOnly), // tickets:read only: sees no job events
      connect(globex.tokens.technician),
      connect(globex.tokens.agent),
    ]);

    const ada = await customer(acme, 'Ada Lovelace');
    const ticket = expectStatus(await c.post('/v1/tickets', { subject: 'Boiler knocks', requesterId: ada.contactId }, acme.headers('agent')), 201);
    const job = expectStatus(await c.post('/v1/field-service/jobs', { ...ada, title: 'Fix the boiler', ticketId: ticket.id }, acme.headers('agent')), 201);
    const created = await agentSock.next('job.created', (d) => d.jobId === job.id);
    expect(created).toMatchObject({ jobId: job.id, ticketId: ticket.id, title: 'Fix the boiler', status: 'scheduled', eventId: expect.any(String) });
    expect(created).not.toHaveProperty('contactId');

    const visit = expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/visits`, { scheduledStart: inHours(48), durationMinutes: 60, technicianId: techA }, acme.headers('agent')), 201);
    const scheduled = await aSock.next('visit.scheduled', (d) => d.visitId === visit.id);
    expect(scheduled).toEqual({
      jobId: job.id,
      visitId: visit.id,
      change: 'scheduled',
      technicianId: techA,
      previousTechnicianId: techA,
      scheduledStart: visit.scheduledStart,
      scheduledEnd: visit.scheduledEnd,
      previous: null,
      eventId: expect.any(String),
      occurredAt: expect.any(String),
      actorId: acme.users.agent.userId,
    });
    await agentSock.next('visit.scheduled', (d) => d.visitId === visit.id);

    const moved = expectStatus(await c.post(`/v1/field-service/visits/${visit.id}/reschedule`, { scheduledStart: inHours(50) }, acme.headers('agent')), 200);
    expect(await aSock.next('visit.rescheduled', (d) => d.visitId === visit.id)).toMatchObject({
      change: 'rescheduled',
      technicianId: techA,
      scheduledStart: moved.scheduledStart,
      scheduledEnd: moved.scheduledEnd,
      previous: { scheduledStart: visit.scheduledStart, scheduledEnd: visit.scheduledEnd },
    });

    expectStatus(await c.post(`/v1/field-service/visits/${visit.id}/assign`, { technicianId: techB }, acme.headers('agent')), 200);
    for (const s of [aSock, bSock, agentSock]) {
      expect(await s.next('visit.assigned', (d) => d.visitId === visit.id)).toMatchObject({ change: 'assigned', technicianId: techB, previousTechnicianId: techA, scheduledStart: moved.scheduledStart });
    }

    expectStatus(await c.post(`/v1/field-service/visits/${visit.id}/cancel`, {}, acme.headers('agent')), 200);
    expect(await bSock.next('visit.cancelled', (d) => d.visitId === visit.id)).toMatchObject({ jobId: job.id, change: 'cancelled', technicianId: techB, withJob: false });
    await agentSock.next('visit.cancelled', (d) => d.visitId === visit.id);

    // Everything is delivered by now; what each console did not get, it never will.
    await barrier(acme, [aSock, bSock, agentSock, keySock]);
    await barrier(globex, [gTechSock, gAgentSock]);
    expect(fieldServiceEvents(aSock).map((r) => r.event)).toEqual(['visit.scheduled', 'visit.rescheduled', 'visit.assigned']);
    expect(fieldServiceEvents(bSock).map((r) => r.event)).toEqual(['visit.assigned', 'visit.cancelled']);
    expect(fieldServiceEvents(agentSock).map((r) => r.event)).toEqual(['job.created', 'visit.scheduled', 'visit.rescheduled', 'visit.assigned', 'visit.cancelled']);
    expect(fieldServiceEvents(keySock)).toEqual([]);
    expect(fieldServiceEvents(gTechSock)).toEqual([]);
    expect(fieldServiceEvents(gAgentSock)).toEqual([]);
    for (const r of fieldServiceEvents(agentSock)) expect(Object.keys(r.data)).not.toEqual(expect.arrayContaining(['contactId', 'addressId']));

    // The replay applies the same audience as the push; another tenant's anchor is not found.
    const replayB = expectStatus(await c.get(`/v1/events?after=${created.eventId}`, { authorization: `Bearer ${secondTech.token}` }), 200);
    expect(replayB.data.filter((e: any) => e.event.startsWith('visit.') || e.event.startsWith('job.')).map((e: any) => e.event)).toEqual(['visit.assigned', 'visit.cancelled']);
    const replayAgent = expectStatus(await c.get(`/v1/events?after=${created.eventId}`, acme.headers('agent')), 200);
    expect(replayAgent.data.filter((e: any) => e.event.startsWith('visit.')).map((e: any) => e.event)).toEqual(['visit.scheduled', 'visit.rescheduled', 'visit.assigned', 'visit.cancelled']);
    expectProblem(await c.get(`/v1/events?after=${created.eventId}`, globex.headers('agent')), 404, 'event-not-found');
  });

  it('cancelling a job tells each technician whose visit it called off, and dispatchers the job’s new status', async () => {
    const techA = acme.users.technician.userId;
    const [aSock, bSock, agentSock] = await Promise.all([connect(acme.tokens.technician), connect(secondTech.token), connect(acme.tokens.agent)]);
    const bob = await customer(acme, 'Bob');
    const job = expectStatus(await c.post('/v1/field-service/jobs', { ...bob, title: 'Gutter' }, acme.headers('agent')), 201);
    const visit = expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/visits`, { scheduledStart: inHours(72), durationMinutes: 30, technicianId: techA }, acme.headers('agent')), 201);
    expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/cancel`, {}, acme.headers('agent')), 200);
    expect(await aSock.next('visit.cancelled', (d) => d.visitId === visit.id)).toMatchObject({ jobId: job.id, technicianId: techA, withJob: true });
    expect(await agentSock.next('job.cancelled', (d) => d.jobId === job.id)).toMatchObject({ status: 'cancelled', at: expect.any(String) });
    await barrier(acme, [aSock, bSock, agentSock]);
    expect(fieldServiceEvents(bSock)).toEqual([]);
    expect(fieldServiceEvents(aSock).map((r) => r.event)).toEqual(['visit.scheduled', 'visit.cancelled']);
  });

  it('follows a role change of a connected console: an agent made technician stops getting other technicians’ visits', async () => {
    const techA = acme.users.technician.userId;
    const email = `dispatcher.${acme.tenant.slug}@acme.test`;
    const member = expectStatus(await c.post(`/v1/admin/tenants/${acme.tenant.id}/members`, { email, name: 'Dispatcher', password: PASSWORD, role: 'agent' }, adminHeaders()), 201);
    const sock = await connect((await login(api.url, email)).accessToken);
    const carol = await customer(acme, 'Carol');
    const job = expectStatus(await c.post('/v1/field-service/jobs', { ...carol, title: 'Leak' }, acme.headers('agent')), 201);
    const first = expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/visits`, { scheduledStart: inHours(120), durationMinutes: 30, technicianId: techA }, acme.headers('agent')), 201);
    await sock.next('visit.scheduled', (d) => d.visitId === first.id);

    expectStatus(await c.patch(`/v1/members/${member.membershipId}`, { role: 'technician' }, acme.headers('owner')), 200);
    await sleep(3_000); // two re-checks
    const second = expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/visits`, { scheduledStart: inHours(124), durationMinutes: 30, technicianId: techA }, acme.headers('agent')), 201);
    await barrier(acme, [sock]);
    expect(fieldServiceEvents(sock).map((r) => r.data.visitId)).not.toContain(second.id);
    // Their own visits still reach them.
    const mine = expectStatus(await c.post(`/v1/field-service/jobs/${job.id}/visits`, { scheduledStart: inHours(130), durationMinutes: 30, technicianId: member.userId }, acme.headers('agent')), 201);
    await sock.next('visit.scheduled', (d) => d.visitId === mine.id);
  });

  it('lists a ticket’s jobs with their next visit, validated and within the tenant', async () => {
    const ada = await customer(acme, 'Ada');
    const ticket = expectStatus(await c.post('/v1/tickets', { subject: 'Two jobs', requesterId: ada.contactId }, acme.headers('agent')), 201);
    const other = expectStatus(await c.post('/v1/tickets', { subject: 'Other', requesterId: ada.contactId }, acme.headers('agent')), 201);
    const first = expectStatus(await c.post('/v1/field-service/jobs', { ...ada, title: 'Inspect', ticketId: ticket.id }, acme.headers('agent')), 201);
    const second = expectStatus(await c.post('/v1/field-service/jobs', { ...ada, title: 'Repair', ticketId: ticket.id }, acme.headers('agent')), 201);
    expectStatus(await c.post('/v1/field-service/jobs', { ...ada, title: 'Unrelated', ticketId: other.id }, acme.headers('agent')), 201);
    expectStatus(await c.post('/v1/field-service/jobs', { ...ada, title: 'No ticket' }, acme.headers('agent')), 201);
    const late = expectStatus(await c.post(`/v1/field-service/jobs/${first.id}/visits`, { scheduledStart: inHours(100), durationMinutes: 30 }, acme.headers('agent')), 201);
    const soon = expectStatus(await c.post(`/v1/field-service/jobs/${first.id}/visits`, { scheduledStart: inHours(90), durationMinutes: 30 }, acme.headers('agent')), 201);
    expectStatus(await c.post(`/v1/field-service/visits/${soon.id}/cancel`, {}, acme.headers('agent')), 200);

    const listed = expectStatus(await c.get(`/v1/field-service/jobs?ticketId=${ticket.id}`, acme.headers('viewer')), 200);
    expect(listed.data.map((j: any) => [j.id, j.title, j.status, j.nextVisitAt])).toEqual([
      [second.id, 'Repair', 'scheduled', null],
      [first.id, 'Inspect', 'scheduled', late.scheduledStart],
    ]);
    expect(expectStatus(await c.get(`/v1/field-service/jobs?ticketId=${ticket.id}`, acme.headers('technician')), 200).data).toHaveLength(2);

    // Another tenant's ticket id is just a ticket without jobs there; a malformed one is a 400 problem.
    expect(expectStatus(await c.get(`/v1/field-service/jobs?ticketId=${ticket.id}`, globex.headers('agent')), 200)).toEqual({ data: [], nextCursor: null });
    expect(expectStatus(await c.get(`/v1/field-service/jobs?ticketId=${RANDOM_UUID}`, acme.headers('agent')), 200).data).toEqual([]);
    const bad = expectProblem(await c.get('/v1/field-service/jobs?ticketId=not-a-uuid', acme.headers('agent')), 400);
    expect(JSON.stringify(bad.errors ?? bad.detail)).toMatch(/ticketId/);
    expectProblem(await c.get(`/v1/field-service/jobs?ticketId=${ticket.id}`, { authorization: `Bearer ${acme.apiKeys.readOnly}` }), 403);
  });
});
