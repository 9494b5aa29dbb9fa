import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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

  const signIn = async (email: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
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
    await agent.waitForSelector('[data-message-id]');
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
});
