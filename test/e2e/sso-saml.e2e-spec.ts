import { randomBytes } from 'node:crypto';
import { startApi, type RunningApi } from '../support/processes';
import { samlIdp } from '../support/saml-idp';
import { Browser } from '../support/sso-idp';
import { createTenant, type TenantSession } from '../support/tenants';
import { bearer, client, expectProblem, expectStatus } from '../support/http';

describe('single sign-on with SAML 2.0', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let acme: TenantSession;
  let globex: TenantSession;
  const acmeIdp = samlIdp('https://idp.acme.example.test/saml');
  const globexIdp = samlIdp('https://idp.globex.example.test/saml');
  const suffix = randomBytes(3).toString('hex');
  const acmeDomain = `acme-saml-${suffix}.example`;
  const globexDomain = `globex-saml-${suffix}.example`;
  let acs: string;

  const settings = (idp: ReturnType<typeof samlIdp>, domains: string[], extra: Record<string, unknown> = {}) => ({
    protocol: 'saml',
    issuer: idp.entityId,
    samlEntryPoint: idp.entryPoint,
    samlIdpCert: idp.publicPem,
    domains,
    defaultRole: 'agent',
    ...extra,
  });

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    c = client(api.url);
    [acme, globex] = [await createTenant(api.url, 'samlacme'), await createTenant(api.url, 'samlglobex')];
    expectStatus(await c.put('/v1/tenant/sso', settings(acmeIdp, [acmeDomain]), acme.headers('owner')), 200);
    expectStatus(await c.put('/v1/tenant/sso', settings(globexIdp, [globexDomain]), globex.headers('owner')), 200);
    acs = `${api.url}/v1/auth/sso/saml/acs`;
  });
  afterAll(async () => {
    await api?.stop();
  });

  /** Starts a sign-in in a fresh browser: the AuthnRequest the IdP receives. */
  async function start(s: TenantSession, idp = acmeIdp) {
    const browser = new Browser();
    const started = await browser.get(`${api.url}/v1/auth/sso/${s.tenant.slug}/start`);
    expect(started.status).toBe(302);
    expect(started.location!.startsWith(`${idp.entryPoint}?`)).toBe(true);
    return { browser, request: idp.readRequest(started.location!) };
  }

  /** The IdP's honest answer to a request, signed; `change` alters the assertion before signing. */
  function answer(idp: ReturnType<typeof samlIdp>, request: { id: string; acsUrl: string; spEntityId: string }, email: string, change: Partial<Parameters<typeof idp.assertion>[0]> = {}) {
    const assertion = idp.assertion({ email, audience: request.spEntityId, recipient: request.acsUrl, inResponseTo: request.id, ...change });
    return { assertion, signed: idp.sign(assertion.xml) };
  }

  async function post(browser: Browser, relayState: string, samlResponse: string): Promise<URLSearchParams> {
    const res = await browser.postForm(acs, { SAMLResponse: samlResponse, RelayState: relayState });
    expect(res.status).toBe(303);
    const landed = new URL(res.location!);
    expect(`${landed.origin}${landed.pathname}`).toBe(`${api.url}/console`);
    return new URLSearchParams(landed.hash.slice(1));
  }

  const failures = async (s: TenantSession) =>
    expectStatus(await c.get('/v1/audit-logs?action=auth.sso_failed&limit=100', s.headers('owner')), 200).data.map((e: unknown) => JSON.stringify(e)) as string[];

  it('shows the ACS URL, SP entity id and metadata to register at the IdP', async () => {
    const body = expectStatus(await c.get('/v1/tenant/sso', acme.headers('admin')), 200);
    expect(body).toMatchObject({ protocol: 'saml', issuer: acmeIdp.entityId, samlEntryPoint: acmeIdp.entryPoint, clientId: null, clientSecretSet: false });
    expect(body.acsUrl).toBe(acs);
    expect(body.spEntityId).toBe(`${api.url}/v1/auth/sso/${acme.tenant.slug}/saml/metadata`);
    const metadata = await fetch(body.spEntityId);
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('content-type')).toMatch(/samlmetadata\+xml/);
    const xml = await metadata.text();
    expect(xml).toContain(`entityID="${body.spEntityId}"`);
    expect(xml).toContain(`Location="${acs}"`);
    expectProblem(await c.get(`/v1/auth/sso/${globex.tenant.slug}x/saml/metadata`), 404);
  });

  it('refuses incomplete SAML settings (422)', async () => {
    for (const body of [
      settings(acmeIdp, [acmeDomain], { samlIdpCert: undefined }),
      settings(acmeIdp, [acmeDomain], { samlIdpCert: '-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----' }),
      settings(acmeIdp, [acmeDomain], { samlEntryPoint: undefined }),
      settings(acmeIdp, [acmeDomain], { samlEntryPoint: 'http://idp.example.test/sso' }),
      settings(acmeIdp, [acmeDomain], { clientSecret: 'x' }),
    ]) {
      expectProblem(await c.put('/v1/tenant/sso', body, acme.headers('owner')), 422);
    }
    expect(expectStatus(await c.get('/v1/tenant/sso', acme.headers('owner')), 200).samlIdpCert).toBe(acmeIdp.publicPem);
  });

  it('signs in with a signed assertion: a new member just in time, a session through the one-time code', async () => {
    const { browser, request } = await start(acme);
    expect(request.acsUrl).toBe(acs);
    expect(request.spEntityId).toBe(`${api.url}/v1/auth/sso/${acme.tenant.slug}/saml/metadata`);
    const { signed } = answer(acmeIdp, request, `Grace@${acmeDomain}`);
    const back = await post(browser, request.relayState, acmeIdp.response(signed, { inResponseTo: request.id, destination: acs }));
    const code = back.get('sso');
    expect(code).toBeTruthy();
    const session = expectStatus(await c.post('/v1/auth/sso/exchange', { code }), 200);
    expect(expectStatus(await c.get('/v1/me', bearer(session.accessToken)), 200)).toMatchObject({ role: 'agent', tenant: { id: acme.tenant.id }, user: { email: `grace@${acmeDomain}` } });
  });

  it('refuses an unsigned assertion', async () => {
    const { browser, request } = await start(acme);
    const { assertion } = answer(acmeIdp, request, `unsigned@${acmeDomain}`);
    expect((await post(browser, request.relayState, acmeIdp.response(assertion.xml, { inResponseTo: request.id, destination: acs }))).get('sso_error')).toBe('assertion-invalid');
  });

  it('refuses an assertion signed by another key', async () => {
    const { browser, request } = await start(acme);
    const { assertion } = answer(acmeIdp, request, `forged@${acmeDomain}`);
    const forged = acmeIdp.sign(assertion.xml, acmeIdp.strangerPem);
    expect((await post(browser, request.relayState, acmeIdp.response(forged, { inResponseTo: request.id, destination: acs }))).get('sso_error')).toBe('assertion-invalid');
  });

  it('refuses signature wrapping: a forged assertion beside or around a genuinely signed one', async () => {
    // The attacker holds a genuinely signed assertion for themselves and wants to be someone else.
    const { browser, request } = await start(acme);
    const { signed } = answer(acmeIdp, request, `attacker@${acmeDomain}`);
    const forged = acmeIdp.assertion({ email: `ceo@${acmeDomain}`, audience: request.spEntityId, recipient: acs, inResponseTo: request.id });
    // 1. The signed one hidden in Extensions, the forged one where the SP reads.
    expect((await post(browser, request.relayState, acmeIdp.response(forged.xml, { inResponseTo: request.id, destination: acs, extensions: signed }))).get('sso_error')).toBe('assertion-invalid');
    // 2. The signed one nested inside the forged one.
    const second = await start(acme);
    const s2 = answer(acmeIdp, second.request, `attacker@${acmeDomain}`).signed;
    const f2 = acmeIdp.assertion({ email: `ceo@${acmeDomain}`, audience: second.request.spEntityId, recipient: acs, inResponseTo: second.request.id });
    const nested = f2.xml.replace('</saml:Subject>', `</saml:Subject>${s2}`);
    expect((await post(second.browser, second.request.relayState, acmeIdp.response(nested, { inResponseTo: second.request.id, destination: acs }))).get('sso_error')).toBe('assertion-invalid');
    // 3. Both side by side.
    const third = await start(acme);
    const s3 = answer(acmeIdp, third.request, `attacker@${acmeDomain}`).signed;
    const f3 = acmeIdp.assertion({ email: `ceo@${acmeDomain}`, audience: third.request.spEntityId, recipient: acs, inResponseTo: third.request.id });
    expect((await post(third.browser, third.request.relayState, acmeIdp.response(f3.xml + s3, { inResponseTo: third.request.id, destination: acs }))).get('sso_error')).toBe('assertion-invalid');
    const members = expectStatus(await c.get('/v1/members', acme.headers('owner')), 200).data.map((m: { email: string }) => m.email);
    expect(members).not.toContain(`ceo@${acmeDomain}`);
  });

  it('refuses a replayed assertion, also inside a new sign-in', async () => {
    const { browser, request } = await start(acme);
    const { signed } = answer(acmeIdp, request, `replay@${acmeDomain}`);
    const response = acmeIdp.response(signed, { inResponseTo: request.id, destination: acs });
    expect((await post(browser, request.relayState, response)).get('sso')).toBeTruthy();
    // The same POST again: the sign-in it belonged to is used up.
    browser.setCookie(api.url, 'sb_sso_state', request.relayState);
    expect((await post(browser, request.relayState, response)).get('sso_error')).toBe('state-invalid');
    // The same assertion posted into a fresh sign-in: known assertion id.
    const next = await start(acme);
    expect((await post(next.browser, next.request.relayState, response)).get('sso_error')).toBe('assertion-replayed');
  });

  it('refuses a wrong recipient, a wrong audience, another request, an expired assertion and a wrong issuer', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['recipient', { recipient: 'https://evil.example.test/acs' }],
      ['audience', { audience: 'https://someone-else.example.test/sp' }],
      ['inResponseTo', { inResponseTo: '_not-our-request' }],
      ['expired', { validForSeconds: -600 }],
      ['issuer', { issuer: 'https://evil.example.test/idp' }],
    ];
    for (const [what, change] of cases) {
      const { browser, request } = await start(acme);
      const { signed } = answer(acmeIdp, request, `${what}@${acmeDomain}`, change);
      const error = (await post(browser, request.relayState, acmeIdp.response(signed, { inResponseTo: request.id, destination: acs }))).get('sso_error');
      expect({ what, error }).toEqual({ what, error: 'assertion-invalid' });
    }
    const audited = await failures(acme);
    expect(audited.filter((f) => f.includes('assertion-invalid')).length).toBeGreaterThanOrEqual(5);
    expect(audited.some((f) => f.includes('Recipient'))).toBe(true);
    expect(audited.some((f) => f.includes('audience'))).toBe(true);
  });

  it('refuses a RelayState that does not match the browser, and a missing response', async () => {
    const { browser, request } = await start(acme);
    const { signed } = answer(acmeIdp, request, `csrf@${acmeDomain}`);
    const response = acmeIdp.response(signed, { inResponseTo: request.id, destination: acs });
    expect((await post(new Browser(), request.relayState, response)).get('sso_error')).toBe('state-mismatch');
    expect((await post(browser, 'another-state', response)).get('sso_error')).toBe('state-mismatch');
    expect((await post(browser, request.relayState, '')).get('sso_error')).toBe('assertion-invalid');
    const wrongType = await fetch(acs, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(wrongType.status).toBe(303);
    expect(wrongType.headers.get('location')).toMatch(/#sso_error=assertion-invalid$/);
  });

  it('keeps tenants apart: another tenant’s IdP, or an email of another tenant’s domain, gets nowhere', async () => {
    // Globex's IdP answering an acme sign-in: wrong key for acme.
    const { browser, request } = await start(acme);
    const { signed } = answer(globexIdp, request, `mallory@${acmeDomain}`, { issuer: globexIdp.entityId });
    expect((await post(browser, request.relayState, globexIdp.response(signed, { inResponseTo: request.id, destination: acs }))).get('sso_error')).toBe('assertion-invalid');
    // Acme's own IdP vouching for a globex address.
    const second = await start(acme);
    const s2 = answer(acmeIdp, second.request, `someone@${globexDomain}`).signed;
    expect((await post(second.browser, second.request.relayState, acmeIdp.response(s2, { inResponseTo: second.request.id, destination: acs }))).get('sso_error')).toBe('email-domain-not-allowed');
    expect((await failures(acme)).some((f) => f.includes('email-domain-not-allowed'))).toBe(true);
    // Nothing was written into globex.
    expect(await failures(globex)).toEqual([]);
    const globexMembers = expectStatus(await c.get('/v1/members', globex.headers('owner')), 200).data.map((m: { email: string }) => m.email);
    expect(globexMembers.some((e: string) => e.endsWith(acmeDomain) || e.startsWith('someone@'))).toBe(false);
  });
});
