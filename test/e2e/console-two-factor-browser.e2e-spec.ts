import { chromium, type Browser, type Page } from 'playwright-core';
import { generate } from 'otplib';
import { bearer, client, expectStatus } from '../support/http';
import { startApi, type RunningApi } from '../support/processes';
import { createTenant, PASSWORD, type TenantSession } from '../support/tenants';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const totp = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });

/** The console's sign-in in a real browser: the second step, and enrolling when the tenant requires it. */
describe('agent console: two-factor sign-in in a browser', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let browser: Browser;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    c = client(api.url);
    acme = await createTenant(api.url, 'browsermfa');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  const open = async (email: string): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${api.url}/console`);
    await page.fill('#login-form input[name=email]', email);
    await page.fill('#login-form input[name=password]', PASSWORD);
    await page.click('#login-form button[type=submit]');
    return page;
  };

  it('asks for the authenticator code after the password, refuses a wrong one, and signs in with the right one', async () => {
    const setup = expectStatus(await c.post('/v1/me/two-factor/totp', undefined, bearer(acme.tokens.agent)), 200);
    const confirmed = expectStatus(await c.post('/v1/me/two-factor/totp/confirm', { code: await totp(setup.secret) }, bearer(acme.tokens.agent, { 'content-type': 'application/json' })), 200);
    const page = await open(acme.users.agent.email);
    await page.waitForSelector('#second-factor-form:not([hidden])');
    expect(await page.isHidden('#login-form')).toBe(true);
    expect(await page.isHidden('#use-security-key')).toBe(true);
    const right = await totp(setup.secret, 1);
    await page.fill('#second-factor-form input[name=code]', right === '000000' ? '111111' : '000000');
    await page.click('#second-factor-form button[type=submit]');
    await page.waitForFunction(() => /not correct/.test((globalThis as any).document.getElementById('second-factor-error')?.textContent ?? ''));
    await page.fill('#second-factor-form input[name=code]', right);
    await page.click('#second-factor-form button[type=submit]');
    await page.waitForSelector('#connection.live');
    // A recovery code works in the same field.
    const second = await open(acme.users.agent.email);
    await second.waitForSelector('#second-factor-form:not([hidden])');
    await second.fill('#second-factor-form input[name=code]', confirmed.recoveryCodes[0]);
    await second.click('#second-factor-form button[type=submit]');
    await second.waitForSelector('#connection.live');
  });

  it('leads a member to enrol when the tenant requires two-factor: QR code, code, recovery codes, signed in', async () => {
    const setup = expectStatus(await c.post('/v1/me/two-factor/totp', undefined, bearer(acme.tokens.owner)), 200);
    expectStatus(await c.post('/v1/me/two-factor/totp/confirm', { code: await totp(setup.secret) }, bearer(acme.tokens.owner, { 'content-type': 'application/json' })), 200);
    expectStatus(await c.put('/v1/tenant/two-factor-requirement', { requireTwoFactor: true }, bearer(acme.tokens.owner, { 'content-type': 'application/json' })), 200);

    const page = await open(acme.users.technician.email);
    await page.waitForSelector('#enrol-form:not([hidden])');
    expect(await page.getAttribute('#enrol-qr', 'src')).toMatch(/^data:image\/png;base64,/);
    const secret = (await page.textContent('#enrol-secret'))!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.fill('#enrol-form input[name=code]', await totp(secret));
    await page.click('#enrol-form button[type=submit]');
    await page.waitForSelector('#recovery-codes:not([hidden])');
    expect((await page.textContent('#recovery-codes-list'))!.trim().split('\n')).toHaveLength(10);
    await page.click('#recovery-codes-done');
    await page.waitForSelector('#connection.live');
  });
});
