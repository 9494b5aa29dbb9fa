import { randomBytes } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { client, expectStatus } from '../support/http';
import { startApi, type RunningApi } from '../support/processes';
import { startOidcProvider } from '../support/sso-idp';
import { createTenant, type TenantSession } from '../support/tenants';

declare const document: { getElementById(id: string): { textContent: string | null } | null };
declare const location: { hash: string };

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The console's "Sign in with SSO" in a real browser, through a real OpenID Connect provider. */
describe('console sign-in with SSO in a browser', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let browser: Browser;
  let idp: Awaited<ReturnType<typeof startOidcProvider>>;
  const domain = `sso-browser-${randomBytes(3).toString('hex')}.example`;

  beforeAll(async () => {
    api = await startApi({ SSO_ALLOW_PRIVATE_ISSUERS: 'true', RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    idp = await startOidcProvider({ clientId: 'console-e2e', clientSecret: 'console-e2e-secret', redirectUri: `${api.url}/v1/auth/sso/oidc/callback` });
    acme = await createTenant(api.url, 'ssobrowser');
    expectStatus(await client(api.url).put('/v1/tenant/sso', { issuer: idp.issuer, clientId: 'console-e2e', clientSecret: 'console-e2e-secret', domains: [domain], defaultRole: 'agent' }, acme.headers('owner')), 200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await idp?.stop();
    await api?.stop();
  });

  it('signs in from a work email: discovery, the IdP, back to a live console; the code leaves the address bar', async () => {
    idp.addAccount('lin', { email: `lin@${domain}`, emailVerified: true });
    idp.loginAs('lin');
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${api.url}/console`);
    await page.fill('input[name=sso]', `lin@${domain}`);
    await page.click('#sso-button');
    await page.waitForSelector('#connection.live', { timeout: 20_000 });
    expect(await page.evaluate(() => document.getElementById('tenant-name')?.textContent)).toBe(acme.tenant.name);
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(page.url()).toBe(`${api.url}/console`);
  });

  it('signs in from the workspace slug too, and shows why when the IdP’s answer is refused', async () => {
    idp.addAccount('unverified', { email: `kim@${domain}`, emailVerified: false });
    idp.loginAs('unverified');
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${api.url}/console`);
    await page.fill('input[name=sso]', acme.tenant.slug);
    await page.click('#sso-button');
    await page.waitForFunction(() => (document.getElementById('sso-error')?.textContent ?? '') !== '', undefined, { timeout: 20_000 });
    expect(await page.evaluate(() => document.getElementById('sso-error')?.textContent)).toBe('Your identity provider has not verified your email address.');
    expect(await page.evaluate(() => location.hash)).toBe('');
  });

  it('says so when no SSO serves an email’s domain', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${api.url}/console`);
    await page.fill('input[name=sso]', 'someone@no-sso.example');
    await page.click('#sso-button');
    await page.waitForFunction(() => (document.getElementById('sso-error')?.textContent ?? '') !== '');
    expect(await page.evaluate(() => document.getElementById('sso-error')?.textContent)).toMatch(/No single sign-on is set up for no-sso\.example/);
  });
});
