import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Client } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { client, expectStatus } from '../support/http';
import { startApi, type RunningApi } from '../support/processes';
import { createTenant, PASSWORD, type TenantSession } from '../support/tenants';

/** The page's DOM, inside page.waitForFunction callbacks (they run in the browser). */
declare const document: {
  getElementById(id: string): { textContent: string | null } | null;
  querySelector(s: string): { textContent: string | null; getAttribute(name: string): string | null } | null;
  querySelectorAll(s: string): Iterable<{ textContent: string | null }>;
};

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
/** Debian's chromium (installed by .ci/run); playwright gives every launch a fresh profile directory. */
const CHROMIUM = '/usr/bin/chromium';
/** axe-core's browser build, injected into the page for the accessibility check. */
const AXE = createRequire(join(process.cwd(), 'package.json')).resolve('axe-core/axe.min.js');
/** A 1×1 PNG (the API sniffs the type from the bytes). */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The agent console in a real browser: two agents, live list, collision banner. */
describe('agent console in a browser', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    api = await startApi();
    acme = await createTenant(api.url, 'browser');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  const signIn = async (email: string, viewport = DESKTOP): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${api.url}/console`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('#connection.live');
    return page;
  };

  /** Strings the page computes (a string expression runs in the browser; the test's types have no DOM). */
  const values = (page: Page, expression: string): Promise<string[]> => page.evaluate<string[]>(expression);
  const openFromList = async (page: Page, ticketId: string): Promise<void> => {
    const item = `#ticket-list [data-ticket-id="${ticketId}"]`;
    await page.waitForSelector(item, { timeout: 10_000 });
    await page.click(item);
    await page.waitForFunction((id) => document.querySelector(`#ticket-list [data-ticket-id="${id}"]`)?.getAttribute('class')?.includes('active') ?? false, ticketId);
  };
  /** axe-core's serious and critical violations on the page as it is now. */
  const axeViolations = async (page: Page): Promise<string[]> => {
    await page.addScriptTag({ path: AXE });
    return page.evaluate<string[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`);
  };
  const noHorizontalScroll = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

  it('shows a new ticket to the other agent without reload, and the collision banner when one types', async () => {
    const owner = await signIn(acme.users.owner.email);
    const agent = await signIn(acme.users.agent.email);
    await owner.screenshot({ path: join(ARTIFACTS, 'console-login-owner.png') });
    // Both see each other online.
    await agent.waitForSelector(`#agent-list [data-user-id="${acme.users.owner.userId}"]`);

    const ticket = expectStatus(
      await client(api.url).post('/v1/tickets', { subject: 'Boiler knocks at night', requester: { email: 'pat@customer.example' }, description: 'It started yesterday.' }, acme.headers('owner')),
      201,
    );
    const item = `#ticket-list [data-ticket-id="${ticket.id}"]`;
    await agent.waitForSelector(item, { timeout: 10_000 });
    await owner.waitForSelector(item, { timeout: 10_000 });
    expect(await agent.textContent(item)).toContain('Boiler knocks at night');

    await agent.click(item);
    await agent.waitForSelector('[data-message-id]');
    await owner.click(item);
    await agent.waitForSelector('#collision:not([hidden])');
    expect(await agent.textContent('#collision')).toMatch(/Owner is viewing this ticket/);

    await owner.click('#reply-body');
    await owner.keyboard.type('Hello Pat, a technician is on the way', { delay: 20 });
    await agent.waitForFunction(() => /Owner is typing/.test(document.getElementById('collision')?.textContent ?? ''), undefined, { timeout: 10_000 });
    expect(await agent.textContent('#typing')).toMatch(/Owner is typing/);
    await agent.screenshot({ path: join(ARTIFACTS, 'console-collision.png') });

    // The reply and a status change arrive live in the other window, applied in place.
    await owner.click('#reply-form button[type=submit]');
    await agent.waitForFunction(() => [...document.querySelectorAll('.m-body')].some((m) => m.textContent === 'Hello Pat, a technician is on the way'));
    await agent.waitForFunction(() => !/typing/.test(document.getElementById('collision')?.textContent ?? ''), undefined, { timeout: 10_000 });
    // An agent's public reply opens a new ticket; both windows apply that in place.
    for (const page of [owner, agent]) await page.waitForFunction((sel) => document.querySelector(`${sel} .badge`)?.textContent === 'open', item);
    await owner.selectOption('#t-status', 'pending');
    await agent.waitForFunction((sel) => document.querySelector(`${sel} .badge`)?.textContent === 'pending', item);
    await agent.screenshot({ path: join(ARTIFACTS, 'console-live-update.png') });

    // Offline for a moment: what happened meanwhile arrives by replay after the reconnect.
    await agent.context().setOffline(true);
    await agent.waitForSelector('#connection.down', { timeout: 30_000 });
    const missed = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Created while you were offline', requester: { email: 'pat@customer.example' } }, acme.headers('owner')), 201);
    await owner.waitForSelector(`#ticket-list [data-ticket-id="${missed.id}"]`);
    await agent.context().setOffline(false);
    await agent.waitForSelector(`#ticket-list [data-ticket-id="${missed.id}"]`, { timeout: 30_000 });
    await agent.waitForSelector('#connection.live');
  });

  it('shows the jobs made from a ticket on its page, with status and next visit, updated live', async () => {
    const agent = await signIn(acme.users.agent.email);
    const contact = expectStatus(await client(api.url).post('/v1/contacts', { name: 'Pat' }, acme.headers('agent')), 201);
    const address = expectStatus(await client(api.url).post(`/v1/contacts/${contact.id}/addresses`, { label: 'Home', street: '1 Main St', city: 'Springfield', country: 'US' }, acme.headers('agent')), 201);
    const ticket = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Radiator cold', requesterId: contact.id, description: 'The living-room radiator stays cold.' }, acme.headers('owner')), 201);
    const item = `#ticket-list [data-ticket-id="${ticket.id}"]`;
    await agent.waitForSelector(item, { timeout: 10_000 });
    await agent.click(item);
    // No description, so no message: wait for the ticket's page itself.
    await agent.waitForFunction(() => document.getElementById('t-subject')?.textContent === 'Radiator cold');
    expect(await agent.isHidden('#t-jobs')).toBe(true);

    // Made elsewhere (the dispatcher's own screen): it appears on the open ticket without reload.
    const job = expectStatus(await client(api.url).post('/v1/field-service/jobs', { contactId: contact.id, addressId: address.id, ticketId: ticket.id, title: 'Bleed the radiators' }, acme.headers('owner')), 201);
    const row = `#job-list [data-job-id="${job.id}"]`;
    await agent.waitForSelector(row, { timeout: 10_000 });
    expect(await agent.textContent(row)).toContain('Bleed the radiators');
    expect(await agent.textContent(`${row} .badge`)).toBe('scheduled');
    expect(await agent.textContent(`${row} .j-next`)).toBe('No visit planned');

    const start = new Date(Math.ceil((Date.now() + 48 * 3_600_000) / 60_000) * 60_000).toISOString();
    const visit = expectStatus(await client(api.url).post(`/v1/field-service/jobs/${job.id}/visits`, { scheduledStart: start, durationMinutes: 60, technicianId: acme.users.technician.userId }, acme.headers('owner')), 201);
    await agent.waitForFunction(([sel, at]) => document.querySelector(sel)?.getAttribute('data-next-visit') === at, [row, visit.scheduledStart] as const, { timeout: 10_000 });
    expect(await agent.textContent(`${row} .j-next`)).toMatch(/^Next visit /);
    await agent.screenshot({ path: join(ARTIFACTS, 'console-ticket-jobs.png') });

    expectStatus(await client(api.url).post(`/v1/field-service/jobs/${job.id}/cancel`, {}, acme.headers('owner')), 200);
    await agent.waitForFunction((sel) => document.querySelector(`${sel} .badge`)?.textContent === 'cancelled', row, { timeout: 10_000 });
    expect(await agent.getAttribute(row, 'data-next-visit')).toBe('');
  });

  it('offers only the statuses the lifecycle allows and only members who can own a ticket', async () => {
    const ticket = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Valid choices only', requester: { email: 'val@customer.example' } }, acme.headers('owner')), 201);
    const agent = await signIn(acme.users.agent.email);
    await openFromList(agent, ticket.id);
    expect(await values(agent, `[...document.querySelectorAll('#t-status option')].map((o) => o.value)`)).toEqual(['new', 'open', 'pending', 'on_hold', 'solved']);
    const assignees = await values(agent, `[...document.querySelectorAll('#t-assignee option')].map((o) => o.value)`);
    expect(assignees).toEqual(expect.arrayContaining(['', acme.users.owner.userId, acme.users.admin.userId, acme.users.agent.userId]));
    expect(assignees).not.toContain(acme.users.technician.userId);
    expect(assignees).not.toContain(acme.users.viewer.userId);

    // Every offered assignee is accepted by the API: pick the agent, then solve; now closing is offered and going back to new is not.
    await agent.selectOption('#t-assignee', acme.users.agent.userId);
    await agent.waitForFunction((id) => document.querySelector(`#ticket-list [data-ticket-id="${id}"] .t-meta`)?.textContent?.includes('agent') ?? false, ticket.id);
    await agent.selectOption('#t-status', 'solved');
    await agent.waitForFunction(() => document.querySelector('#t-status option[value="closed"]') !== null);
    expect(await values(agent, `[...document.querySelectorAll('#t-status option')].map((o) => o.value)`)).toEqual(['open', 'pending', 'on_hold', 'solved', 'closed']);
    expect(await agent.textContent('#reply-error')).toBe('');
    const after = expectStatus(await client(api.url).get(`/v1/tickets/${ticket.id}`, acme.headers('owner')), 200);
    expect(after).toMatchObject({ status: 'solved', assigneeId: acme.users.agent.userId });
    // The change shows in the ticket's history.
    await agent.click('#history summary');
    await agent.waitForFunction(() => /status: open → solved|status: new → solved/.test(document.getElementById('history-list')?.textContent ?? ''));
  });

  it('shows the requester with name, email and their other tickets, and opens one', async () => {
    const requester = { email: `robin.${Date.now()}@customer.example`, name: 'Robin Requester' };
    const older = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Older question from Robin', requester }, acme.headers('owner')), 201);
    const ticket = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Robin again', requester, description: 'Second time I write.' }, acme.headers('owner')), 201);
    const agent = await signIn(acme.users.agent.email);
    await openFromList(agent, ticket.id);
    await agent.waitForFunction(() => document.getElementById('r-name')?.textContent === 'Robin Requester');
    expect(await agent.textContent('#r-email')).toBe(requester.email);
    await agent.waitForSelector(`#r-tickets [data-ticket-id="${older.id}"]`);
    expect(await agent.textContent(`#r-tickets [data-ticket-id="${older.id}"]`)).toContain('Older question from Robin');
    expect(await agent.$(`#r-tickets [data-ticket-id="${ticket.id}"]`)).toBeNull();
    // The customer's message is labelled with their name, not "Customer".
    await agent.waitForFunction(() => document.querySelector('.m-author')?.textContent === 'Robin Requester');
    await agent.click(`#r-tickets [data-ticket-id="${older.id}"] a`);
    await agent.waitForFunction(() => document.getElementById('t-subject')?.textContent === 'Older question from Robin');
    // The address names the open ticket: a reload (or the link in another tab) opens it again.
    expect(new URL(agent.url()).hash).toBe(`#ticket/${older.id}`);
    await agent.reload();
    await agent.waitForFunction(() => document.getElementById('t-subject')?.textContent === 'Older question from Robin');
  });

  it('shows "Merged into #N" live on a ticket that is merged, linking to the ticket it went into', async () => {
    const requester = { email: `merge.${Date.now()}@customer.example` };
    const target = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Boiler pressure drops', requester }, acme.headers('owner')), 201);
    const duplicate = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Boiler pressure drops again', requester }, acme.headers('owner')), 201);
    const agent = await signIn(acme.users.agent.email);
    await openFromList(agent, duplicate.id);
    expect(await agent.isHidden('#t-merged')).toBe(true);
    expectStatus(await client(api.url).post(`/v1/tickets/${duplicate.id}/merge`, { targetId: target.id }, acme.headers('owner')), 200);
    await agent.waitForSelector('#t-merged', { state: 'visible' });
    expect(await agent.textContent('#t-merged-link')).toBe(`#${target.number}`);
    await agent.click('#t-merged-link');
    await agent.waitForFunction(() => document.getElementById('t-subject')?.textContent === 'Boiler pressure drops');
    expect(await agent.isHidden('#t-merged')).toBe(true);
  });

  it('shows the ticket’s custom fields with their labels, and follows changes live', async () => {
    const c = client(api.url);
    expectStatus(await c.post('/v1/ticket-fields', { key: 'plan', label: 'Plan', type: 'dropdown', options: [{ value: 'gold', label: 'Gold plan' }, { value: 'silver', label: 'Silver plan' }] }, acme.headers('admin')), 201);
    expectStatus(await c.post('/v1/ticket-fields', { key: 'onsite', label: 'On site', type: 'checkbox' }, acme.headers('admin')), 201);
    const ticket = expectStatus(await c.post('/v1/tickets', { subject: 'With fields', requester: { email: 'fields@customer.example' }, fields: { plan: 'gold', onsite: true } }, acme.headers('owner')), 201);
    const agent = await signIn(acme.users.agent.email);
    await openFromList(agent, ticket.id);
    await agent.waitForFunction(() => document.querySelector('#field-list [data-field="plan"]')?.textContent === 'Gold plan');
    expect(await agent.textContent('#field-list [data-field="onsite"]')).toBe('Yes');
    expect(await agent.textContent('#field-list dt')).toBe('Plan');
    expectStatus(await c.patch(`/v1/tickets/${ticket.id}`, { fields: { plan: 'silver' } }, acme.headers('owner', { 'if-match': 'W/"1"' })), 200);
    await agent.waitForFunction(() => document.querySelector('#field-list [data-field="plan"]')?.textContent === 'Silver plan');
  });

  it('adds and removes tags, validated like the API', async () => {
    const ticket = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Tag me', requester: { email: 'tags@customer.example' } }, acme.headers('owner')), 201);
    const agent = await signIn(acme.users.agent.email);
    await openFromList(agent, ticket.id);
    await agent.fill('#tag-input', 'VIP');
    await agent.press('#tag-input', 'Enter');
    await agent.waitForSelector('#tag-list [data-tag="vip"]');
    await agent.fill('#tag-input', 'billing:refund');
    await agent.click('#tag-form button[type=submit]');
    await agent.waitForSelector('#tag-list [data-tag="billing:refund"]');
    expect(expectStatus(await client(api.url).get(`/v1/tickets/${ticket.id}`, acme.headers('owner')), 200).tags).toEqual(['billing:refund', 'vip']);
    await agent.fill('#tag-input', 'not a tag!');
    await agent.press('#tag-input', 'Enter');
    await agent.waitForFunction(() => /letters, digits/.test(document.getElementById('tag-error')?.textContent ?? ''));
    await agent.click('#tag-list [data-tag="vip"] button');
    await agent.waitForFunction(() => document.querySelector('#tag-list [data-tag="vip"]') === null);
    expect(expectStatus(await client(api.url).get(`/v1/tickets/${ticket.id}`, acme.headers('owner')), 200).tags).toEqual(['billing:refund']);
  });

  it('uploads a dropped image and previews it; lists participants', async () => {
    const ticket = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Photo of the leak', requester: { email: 'leak@customer.example' } }, acme.headers('owner')), 201);
    expectStatus(await client(api.url).post(`/v1/tickets/${ticket.id}/participants`, { role: 'follower', participantId: acme.users.admin.userId }, acme.headers('owner')), 201);
    const agent = await signIn(acme.users.agent.email);
    const owner = await signIn(acme.users.owner.email);
    await openFromList(owner, ticket.id);
    await openFromList(agent, ticket.id);
    await agent.waitForSelector(`#participant-list [data-participant-id="${acme.users.admin.userId}"]`);
    expect(await agent.textContent(`#participant-list [data-participant-id="${acme.users.admin.userId}"]`)).toMatch(/admin.*follower/);
    await agent.click('#follow');
    await agent.waitForSelector(`#participant-list [data-participant-id="${acme.users.agent.userId}"]`);
    expect(await agent.textContent('#follow')).toBe('Unfollow');
    // The other agent's page follows live (ticket.participants_changed).
    await owner.waitForSelector(`#participant-list [data-participant-id="${acme.users.agent.userId}"]`, { timeout: 10_000 });
    const participants = expectStatus(await client(api.url).get(`/v1/tickets/${ticket.id}/participants`, acme.headers('owner')), 200);
    expect(participants.data.map((p: { participantId: string }) => p.participantId).sort()).toEqual([acme.users.admin.userId, acme.users.agent.userId].sort());
    await agent.evaluate(`(() => {
      const bytes = Uint8Array.from(atob('${PNG_1X1}'), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'leak.png', { type: 'image/png' }));
      document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    await agent.waitForSelector('#attachment-list img.preview', { timeout: 10_000 });
    expect(await agent.getAttribute('#attachment-list img.preview', 'src')).toMatch(/^data:image\/png;base64,/);
    expect(await agent.textContent('#attachment-list')).toContain('leak.png');
    // …and the other agent's gets the file live too (ticket.attachment_added).
    await owner.waitForSelector('#attachment-list img.preview', { timeout: 10_000 });
    const listed = expectStatus(await client(api.url).get(`/v1/tickets/${ticket.id}/attachments`, acme.headers('owner')), 200);
    expect(listed.data.map((a: { filename: string; contentType: string }) => [a.filename, a.contentType])).toEqual([['leak.png', 'image/png']]);
    await agent.screenshot({ path: join(ARTIFACTS, 'console-ticket-desktop.png'), fullPage: true });
  });

  it('searches with the API, filters by priority, and sorts', async () => {
    const word = `zanzibar${Date.now().toString(36)}`;
    const found = expectStatus(await client(api.url).post('/v1/tickets', { subject: `Flux capacitor ${word}`, requester: { email: 'search@customer.example' } }, acme.headers('owner')), 201);
    const urgent = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Everything is on fire', priority: 'urgent', requester: { email: 'fire@customer.example' } }, acme.headers('owner')), 201);
    const agent = await signIn(acme.users.agent.email);
    await agent.waitForSelector(`#ticket-list [data-ticket-id="${urgent.id}"]`);
    await agent.keyboard.press('/');
    expect(await agent.evaluate<string>('document.activeElement.id')).toBe('search');
    await agent.keyboard.type(word);
    await agent.waitForFunction((id) => {
      const ids = [...document.querySelectorAll('#ticket-list [data-ticket-id]')].map((li) => (li as unknown as { getAttribute(n: string): string }).getAttribute('data-ticket-id'));
      return ids.length === 1 && ids[0] === id;
    }, found.id);
    await agent.fill('#search', '');
    await agent.selectOption('#priority-filter', 'urgent');
    await agent.waitForFunction(() => [...document.querySelectorAll('#ticket-list .prio')].every((p) => p.textContent === 'urgent'));
    expect(await agent.$(`#ticket-list [data-ticket-id="${urgent.id}"]`)).not.toBeNull();
    await agent.selectOption('#priority-filter', '');
    await agent.selectOption('#sort', 'createdAt:asc');
    await agent.waitForFunction((id) => document.querySelector('#ticket-list li:last-child')?.getAttribute('data-ticket-id') === id, urgent.id);
  });

  it('shows each ticket’s SLA (breached, time to the next deadline) and sorts by the next deadline', async () => {
    const make = async (subject: string) => expectStatus(await client(api.url).post('/v1/tickets', { subject, requester: { email: 'sla@customer.example' } }, acme.headers('owner')), 201);
    const late = await make('SLA already breached');
    const soon = await make('SLA due in two hours');
    // The worker's SLA engine writes these columns; this file runs no worker, so the test writes what it would have.
    const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    try {
      await db.query(`UPDATE tickets SET sla_state = 'breached', sla_breach_at = now() - interval '1 hour' WHERE tenant_id = $1 AND id = $2`, [acme.tenant.id, late.id]);
      await db.query(`UPDATE tickets SET sla_state = 'active', sla_breach_at = now() + interval '2 hours' WHERE tenant_id = $1 AND id = $2`, [acme.tenant.id, soon.id]);
    } finally {
      await db.end();
    }
    const agent = await signIn(acme.users.agent.email);
    await agent.selectOption('#sort', 'slaBreachAt:asc');
    await agent.waitForFunction(([a, b]) => {
      const ids = [...document.querySelectorAll('#ticket-list [data-ticket-id]')].map((li) => (li as unknown as { getAttribute(n: string): string }).getAttribute('data-ticket-id'));
      return ids[0] === a && ids[1] === b;
    }, [late.id, soon.id]);
    expect(await agent.textContent(`#ticket-list [data-ticket-id="${late.id}"] .sla`)).toBe('SLA breached');
    expect(await agent.textContent(`#ticket-list [data-ticket-id="${soon.id}"] .sla`)).toMatch(/^SLA (2 h|1[12]\d min)$/);
    await agent.screenshot({ path: join(ARTIFACTS, 'console-sla.png') });
  });

  it('works from the keyboard without stealing keys from fields', async () => {
    const agent = await signIn(acme.users.agent.email);
    await agent.waitForSelector('#ticket-list [data-ticket-id]');
    const order = await values(agent, `[...document.querySelectorAll('#ticket-list [data-ticket-id]')].map((li) => li.dataset.ticketId)`);
    expect(order.length).toBeGreaterThan(1);
    await agent.keyboard.press('j');
    await agent.keyboard.press('j');
    await agent.keyboard.press('k');
    await agent.keyboard.press('j');
    expect(await agent.getAttribute('#ticket-list li.cursor', 'data-ticket-id')).toBe(order[1]);
    await agent.keyboard.press('Enter');
    await agent.waitForSelector(`#ticket-list [data-ticket-id="${order[1]}"].active`);
    await agent.waitForSelector('#ticket:not([hidden])');
    await agent.keyboard.press('r');
    expect(await agent.evaluate<string>('document.activeElement.id')).toBe('reply-body');
    await agent.keyboard.type('jk/?r');
    expect(await agent.inputValue('#reply-body')).toBe('jk/?r');
    expect(await agent.getAttribute('#ticket-list li.cursor', 'data-ticket-id')).toBe(order[1]);
    expect(await agent.evaluate<boolean>(`document.getElementById('help').open`)).toBe(false);
    await agent.keyboard.press('Escape');
    await agent.keyboard.press('?');
    expect(await agent.evaluate<boolean>(`document.getElementById('help').open`)).toBe(true);
    await agent.screenshot({ path: join(ARTIFACTS, 'console-shortcuts.png') });
    await agent.keyboard.press('Escape');
    expect(await agent.evaluate<boolean>(`document.getElementById('help').open`)).toBe(false);
    await agent.keyboard.press('n');
    expect(await agent.evaluate<string>('document.activeElement.id')).toBe('reply-body');
    expect(await agent.evaluate<string>(`document.querySelector('#reply-form input[name=visibility]:checked').value`)).toBe('internal');
  });

  it('fits a 360 px phone without horizontal scrolling, list and ticket', async () => {
    const ticket = expectStatus(
      await client(api.url).post('/v1/tickets', { subject: 'A rather long subject line that should wrap nicely on a small phone screen', requester: { email: 'phone@customer.example', name: 'Phoebe Phone' }, tags: ['vip', 'mobile'] }, acme.headers('owner')),
      201,
    );
    const agent = await signIn(acme.users.agent.email, PHONE);
    const requests: string[] = [];
    agent.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await agent.waitForSelector(`#ticket-list [data-ticket-id="${ticket.id}"]`, { timeout: 10_000 });
    expect(await noHorizontalScroll(agent)).toBe(true);
    await agent.screenshot({ path: join(ARTIFACTS, 'console-list-phone.png'), fullPage: true });
    await agent.click(`#ticket-list [data-ticket-id="${ticket.id}"]`);
    await agent.waitForFunction(() => document.getElementById('r-name')?.textContent === 'Phoebe Phone');
    expect(await agent.isVisible('#ticket-list')).toBe(false);
    expect(await agent.isVisible('#back')).toBe(true);
    expect(await noHorizontalScroll(agent)).toBe(true);
    await agent.screenshot({ path: join(ARTIFACTS, 'console-ticket-phone.png'), fullPage: true });
    await agent.click('#back');
    await agent.waitForSelector('#ticket-list', { state: 'visible' });
    // The favicon is inline: the browser never asks for /favicon.ico.
    expect(await agent.getAttribute('link[rel=icon]', 'href')).toMatch(/^data:image\/svg\+xml,/);
    expect(requests).not.toContain('/favicon.ico');
  });

  it('has no serious or critical accessibility violations (axe-core) on the list and ticket pages', async () => {
    const ticket = expectStatus(await client(api.url).post('/v1/tickets', { subject: 'Accessible?', requester: { email: 'a11y@customer.example', name: 'Ally' }, description: 'Please check.', tags: ['a11y'] }, acme.headers('owner')), 201);
    for (const viewport of [DESKTOP, PHONE]) {
      const agent = await signIn(acme.users.agent.email, viewport);
      await agent.waitForSelector(`#ticket-list [data-ticket-id="${ticket.id}"]`, { timeout: 10_000 });
      expect(await axeViolations(agent)).toEqual([]);
      await agent.click(`#ticket-list [data-ticket-id="${ticket.id}"]`);
      await agent.waitForFunction(() => document.getElementById('r-name')?.textContent === 'Ally');
      await agent.waitForSelector('[data-message-id]');
      expect(await axeViolations(agent)).toEqual([]);
    }
  });
});
