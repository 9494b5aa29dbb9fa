import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { client, expectStatus } from '../support/http';
import { startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTenant, PASSWORD, type TenantSession } from '../support/tenants';

/** The page's DOM, inside page.waitForFunction callbacks (they run in the browser). */
declare const document: {
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
  querySelector(s: string): { getAttribute(name: string): string | null } | null;
};

const CHROMIUM = '/usr/bin/chromium';
const AXE = createRequire(join(process.cwd(), 'package.json')).resolve('axe-core/axe.min.js');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The console's reports page in a real browser: charts from the API, figures equal to the API's, live after a new ticket. */
describe('console reports page in a browser', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let browser: Browser;
  let artifacts: string;
  let c: ReturnType<typeof client>;

  const createTicket = async (subject: string) => expectStatus(await c.post('/v1/tickets', { subject, requester: { email: `pat.${Math.random().toString(36).slice(2, 8)}@customer.example` } }, acme.headers('agent')), 201);
  const created = (report: any): number => report.series.find((s: any) => s.key === 'created').points.reduce((sum: number, p: any) => sum + (p.value ?? 0), 0);

  beforeAll(async () => {
    artifacts = mkdtempSync(join(tmpdir(), 'console-reports-'));
    api = await startApi();
    worker = await startWorker({ OUTBOX_POLL_MS: '50' });
    c = client(api.url);
    acme = await createTenant(api.url, 'reports');
    for (const subject of ['Boiler knocks', 'Printer on fire', 'No hot water']) await createTicket(subject);
    await waitFor(async () => created(expectStatus(await c.get('/v1/reports/volume', acme.headers('owner')), 200)) === 3, 'the rollups of three tickets', 60_000);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await api?.stop();
  });

  const signIn = async (email: string): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${api.url}/console`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#connection.live');
    await page.goto(`${api.url}/console/reports`);
    await page.waitForSelector('#connection.live');
    await page.waitForFunction(() => Boolean(document.getElementById('report-grid')?.dataset.loadedVersion));
    return page;
  };

  /** Every figure the page shows for a report, keyed `series@period`, as the API's raw values. */
  const pageFigures = (page: Page, report: string) =>
    page.evaluate<Record<string, string>>(
      `Object.fromEntries([...document.querySelectorAll('[data-figures="${report}"] td[data-series]')].map((td) => [td.dataset.series + '@' + td.dataset.period, td.dataset.value]))`,
    );
  /** The same report from the API, asked with the page's query and as the page's user (an agent's figures are their own). */
  const apiFigures = async (page: Page, report: string, as: 'owner' | 'agent' = 'owner'): Promise<Record<string, string>> => {
    const query = await page.evaluate<string>(`document.getElementById('report-grid').dataset.query`);
    const result = expectStatus(await c.get(`/v1/reports/${report}?${query}`, acme.headers(as)), 200);
    return Object.fromEntries(result.series.flatMap((s: any) => s.points.map((p: any) => [`${s.key}@${p.period}`, p.value === null ? '' : String(p.value)])));
  };

  it('shows every report’s chart and the API’s figures, and updates when a new ticket is rolled up', async () => {
    const page = await signIn(acme.users.owner.email);
    expect(await page.getAttribute('#nav-reports', 'aria-current')).toBe('page');
    expect(await page.isHidden('#tickets-view')).toBe(true);
    for (const report of ['volume', 'backlog', 'response-times', 'sla', 'csat']) {
      const src = await page.getAttribute(`img[data-chart="${report}"]`, 'src');
      expect(src).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(src!.split(',')[1]!, 'base64').toString('utf8').startsWith('<svg')).toBe(true);
      expect(await page.textContent(`[data-error="${report}"]`)).toBe('');
      const shown = await pageFigures(page, report);
      expect(Object.keys(shown).length).toBeGreaterThan(0);
      expect(shown).toEqual(await apiFigures(page, report));
    }
    // SLA attainment and the CSAT response rate are drawn (their own percent panel) and listed beside the counts.
    for (const [report, keys, label] of [['sla', ['attainment', 'met', 'breached'], 'SLA attainment'], ['csat', ['score', 'response_rate', 'offered'], 'Response rate']] as const) {
      const shown = Object.keys(await pageFigures(page, report));
      for (const key of keys) expect(shown.some((k) => k.startsWith(`${key}@`))).toBe(true);
      const svg = Buffer.from((await page.getAttribute(`img[data-chart="${report}"]`, 'src'))!.split(',')[1]!, 'base64').toString('utf8');
      expect(svg).toContain(label);
      expect(svg).toContain('Percent (%)');
    }
    const volume = await pageFigures(page, 'volume');
    expect(Object.entries(volume).filter(([k]) => k.startsWith('created@')).reduce((sum, [, v]) => sum + Number(v || 0), 0)).toBe(3);
    await page.click('[data-report="volume"] summary');
    await page.screenshot({ path: join(artifacts, 'console-reports.png'), fullPage: true });

    // No serious or critical accessibility violations on the page.
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate<string[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`);
    expect(violations).toEqual([]);

    // A new ticket: the worker rolls it up, pushes report.rollups_updated, and the page reloads its figures and chart.
    const before = await page.getAttribute('img[data-chart="volume"]', 'src');
    await createTicket('Radiator cold');
    await page.waitForFunction(
      () => {
        const cells = [...(document as any).querySelectorAll('[data-figures="volume"] td[data-series="created"]')] as { dataset: { value: string } }[];
        return cells.reduce((sum, td) => sum + Number(td.dataset.value || 0), 0) === 4;
      },
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.getAttribute('img[data-chart="volume"]', 'src')).not.toBe(before);
    expect(await pageFigures(page, 'volume')).toEqual(await apiFigures(page, 'volume'));
    await page.screenshot({ path: join(artifacts, 'console-reports-updated.png'), fullPage: true });
  });

  it('filters by interval and agent; an agent is offered only their own figures', async () => {
    const owner = await signIn(acme.users.owner.email);
    const version = await owner.evaluate<string>(`document.getElementById('report-grid').dataset.loadedVersion`);
    await owner.selectOption('#r-interval', 'week');
    await owner.waitForFunction((v) => document.getElementById('report-grid')?.dataset.loadedVersion !== v && (document.getElementById('report-grid')?.dataset.query ?? '').includes('interval=week'), version);
    expect(await pageFigures(owner, 'backlog')).toEqual(await apiFigures(owner, 'backlog'));
    const agentOptions = await owner.evaluate<string[]>(`[...document.querySelectorAll('#r-agent option')].map((o) => o.value)`);
    expect(agentOptions).toEqual(expect.arrayContaining(['', acme.users.agent.userId, acme.users.admin.userId]));

    const agent = await signIn(acme.users.agent.email);
    expect(await agent.evaluate<string[]>(`[...document.querySelectorAll('#r-agent option')].map((o) => o.value)`)).toEqual(['', acme.users.agent.userId]);
    // Unassigned tickets: an agent's own figures are zero where the team's are not.
    expect(await pageFigures(agent, 'volume')).toEqual(await apiFigures(agent, 'volume', 'agent'));
    expect(Object.entries(await pageFigures(agent, 'volume')).filter(([k]) => k.startsWith('created@')).every(([, v]) => v === '0')).toBe(true);
    await agent.selectOption('#r-agent', acme.users.agent.userId);
    await agent.waitForFunction((id) => (document.getElementById('report-grid')?.dataset.query ?? '').includes(`agentId=${id}`), acme.users.agent.userId);
    expect(await agent.textContent('[data-error="volume"]')).toBe('');
    expect(await pageFigures(agent, 'volume')).toEqual(await apiFigures(agent, 'volume', 'agent'));
  });
});
