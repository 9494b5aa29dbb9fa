import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { adminHeaders, startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTenant, login, PASSWORD, type TenantSession } from '../support/tenants';

/** Invitations, impersonation and deletion: the parts of a tenant's life that cross processes. */
describe('tenant lifecycle', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;

  beforeAll(async () => {
    api = await startApi();
    worker = await startWorker({ OUTBOX_POLL_MS: '50' });
    acme = await createTenant(api.url, 'life');
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  const lastMailTo = (email: string) => {
    const lines = readFileSync(join(process.env.E2E_DATA_DIR!, 'mail', 'outbox.jsonl'), 'utf8').trim().split('\n');
    const mail = lines.map((l) => JSON.parse(l) as { to: string; text: string }).filter((m) => m.to === email).pop();
    return /"token": "([^"]+)"/.exec(mail!.text)![1];
  };

  describe('invitations', () => {
    it('invites by email, accepts once, and signs the new member in', async () => {
      const email = `invitee.${Date.now()}@life.test`;
      const invite = await fetch(`${api.url}/v1/invitations`, { method: 'POST', headers: acme.headers('admin'), body: JSON.stringify({ email, role: 'agent' }) });
      expect(invite.status).toBe(201);
      const invitation = await invite.json();
      expect(invitation).toMatchObject({ email, role: 'agent', status: 'pending' });
      expect(JSON.stringify(invitation)).not.toMatch(/token/i);
      const token = lastMailTo(email);

      const missing = await fetch(`${api.url}/v1/invitations/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      expect(missing.status).toBe(400);
      expect((await missing.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'password']);

      const accepted = await fetch(`${api.url}/v1/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, name: 'Ivy Invitee', password: PASSWORD }),
      });
      expect(accepted.status).toBe(200);
      const session = await accepted.json();
      expect(session.tenant.id).toBe(acme.tenant.id);
      const me = await (await fetch(`${api.url}/v1/me`, { headers: { authorization: `Bearer ${session.accessToken}` } })).json();
      expect(me).toMatchObject({ role: 'agent', user: { email } });

      const again = await fetch(`${api.url}/v1/invitations/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, name: 'x', password: PASSWORD }) });
      expect(again.status).toBe(410);
      const list = await (await fetch(`${api.url}/v1/invitations`, { headers: acme.headers('admin') })).json();
      expect(list.data.find((i: { id: string }) => i.id === invitation.id).status).toBe('accepted');
    });

    it('lets only owners invite owners, and refuses inviting a member twice', async () => {
      const asAdmin = await fetch(`${api.url}/v1/invitations`, { method: 'POST', headers: acme.headers('admin'), body: JSON.stringify({ email: 'boss@life.test', role: 'owner' }) });
      expect(asAdmin.status).toBe(403);
      const asAgent = await fetch(`${api.url}/v1/invitations`, { method: 'POST', headers: acme.headers('agent'), body: JSON.stringify({ email: 'x@life.test', role: 'viewer' }) });
      expect(asAgent.status).toBe(403);
      const existing = await fetch(`${api.url}/v1/invitations`, { method: 'POST', headers: acme.headers('owner'), body: JSON.stringify({ email: acme.users.agent.email, role: 'viewer' }) });
      expect(existing.status).toBe(409);
    });

    it('makes a revoked or replaced invitation useless', async () => {
      const email = `twice.${Date.now()}@life.test`;
      const first = await (await fetch(`${api.url}/v1/invitations`, { method: 'POST', headers: acme.headers('owner'), body: JSON.stringify({ email, role: 'viewer' }) })).json();
      const firstToken = lastMailTo(email);
      await fetch(`${api.url}/v1/invitations`, { method: 'POST', headers: acme.headers('owner'), body: JSON.stringify({ email, role: 'viewer' }) });
      const secondToken = lastMailTo(email);
      const accept = (token: string) =>
        fetch(`${api.url}/v1/invitations/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, name: 'V', password: PASSWORD }) });
      expect((await accept(firstToken)).status).toBe(410);
      const list = await (await fetch(`${api.url}/v1/invitations`, { headers: acme.headers('owner') })).json();
      expect(list.data.find((i: { id: string }) => i.id === first.id).status).toBe('revoked');
      const second = list.data.find((i: { email: string; status: string }) => i.email === email && i.status === 'pending');
      expect((await fetch(`${api.url}/v1/invitations/${second.id}`, { method: 'DELETE', headers: acme.headers('owner') })).status).toBe(204);
      expect((await accept(secondToken)).status).toBe(410);
    });
  });

  describe('impersonation', () => {
    it('gives an operator a short token acting as the user, audited with both identities', async () => {
      const res = await fetch(`${api.url}/v1/admin/tenants/${acme.tenant.id}/impersonate`, {
        method: 'POST',
        headers: adminHeaders(),
        body: JSON.stringify({ userId: acme.users.agent.userId }),
      });
      expect(res.status).toBe(201);
      const session = await res.json();
      expect(session.expiresIn).toBe(300);
      expect(session).not.toHaveProperty('refreshToken');
      const me = await (await fetch(`${api.url}/v1/me`, { headers: { authorization: `Bearer ${session.accessToken}` } })).json();
      expect(me).toMatchObject({ role: 'agent', impersonatedBy: 'platform-admin', user: { email: acme.users.agent.email } });

      // An agent may not create API keys, impersonated or not; an owner's impersonation may.
      const owner = await (
        await fetch(`${api.url}/v1/admin/tenants/${acme.tenant.id}/impersonate`, { method: 'POST', headers: adminHeaders(), body: JSON.stringify({ userId: acme.users.owner.userId }) })
      ).json();
      const created = await fetch(`${api.url}/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'made while impersonating', scopes: ['tickets:read'] }),
      });
      expect(created.status).toBe(201);
      const key = await created.json();
      const audit = await (await fetch(`${api.url}/v1/audit-logs?entityId=${key.id}`, { headers: acme.headers('owner') })).json();
      expect(audit.data[0]).toMatchObject({ action: 'api_key.created', actorType: 'user', actorId: acme.users.owner.userId, impersonatorId: 'platform-admin' });
      const started = await (await fetch(`${api.url}/v1/audit-logs?action=auth.impersonation_started`, { headers: acme.headers('owner') })).json();
      expect(started.data.length).toBeGreaterThanOrEqual(2);
      expect(started.data[0]).toMatchObject({ actorType: 'platform_admin' });
    });

    it('refuses a user of another tenant like a missing one', async () => {
      const other = await createTenant(api.url, 'other');
      const res = await fetch(`${api.url}/v1/admin/tenants/${acme.tenant.id}/impersonate`, {
        method: 'POST',
        headers: adminHeaders(),
        body: JSON.stringify({ userId: other.users.agent.userId }),
      });
      expect(res.status).toBe(404);
    });
  });

  describe('deletion', () => {
    it('answers 202, locks the tenant out at once, and purges every row in the worker', async () => {
      const doomed = await createTenant(api.url, 'doomed');
      // Single sign-on settings, a SCIM token and a provisioned user go with the tenant too (ADR 0033).
      const ssoDomain = `${doomed.tenant.slug}.example`;
      const sso = await fetch(`${api.url}/v1/tenant/sso`, {
        method: 'PUT',
        headers: doomed.headers('owner'),
        body: JSON.stringify({ issuer: 'https://login.doomed.example', clientId: 'sb', clientSecret: 'secret', domains: [ssoDomain] }),
      });
      expect(sso.status).toBe(200);
      const scimToken = await fetch(`${api.url}/v1/tenant/scim-token`, { method: 'POST', headers: doomed.headers('owner') });
      expect(scimToken.status).toBe(201);
      const provisioned = await fetch(`${api.url}/v1/scim/v2/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${(await scimToken.json()).token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ userName: `scim@${ssoDomain}` }),
      });
      expect(provisioned.status).toBe(201);
      const owner = await login(api.url, doomed.users.owner.email);
      const res = await fetch(`${api.url}/v1/admin/tenants/${doomed.tenant.id}`, { method: 'DELETE', headers: adminHeaders() });
      expect(res.status).toBe(202);
      expect((await res.json()).status).toBe('deleting');
      expect((await fetch(`${api.url}/v1/me`, { headers: doomed.headers('agent') })).status).toBe(403);
      expect((await fetch(`${api.url}/v1/me`, { headers: { authorization: `Bearer ${doomed.apiKeys.full}` } })).status).toBe(403);
      const refresh = await fetch(`${api.url}/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: owner.refreshToken }) });
      expect(refresh.status).toBe(401);

      await waitFor(async () => (await fetch(`${api.url}/v1/admin/tenants/${doomed.tenant.id}`, { headers: adminHeaders() })).status === 404, 'the purge to finish', 30_000);
      const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
      await db.connect();
      try {
        const tables = await db.query(
          `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'`,
        );
        for (const { table_name } of tables.rows as { table_name: string }[]) {
          const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${table_name}" WHERE tenant_id = $1`, [doomed.tenant.id]);
          expect({ table: table_name, rows: rows[0].n }).toEqual({ table: table_name, rows: 0 });
        }
        const users = await db.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE $1`, [`%@doomed.test`]);
        expect(users.rows[0].n).toBe(0);
        // The other tenant is untouched.
        const acmeMembers = await db.query(`SELECT count(*)::int AS n FROM memberships WHERE tenant_id = $1`, [acme.tenant.id]);
        expect(acmeMembers.rows[0].n).toBeGreaterThanOrEqual(5);
      } finally {
        await db.end();
      }
      expect((await fetch(`${api.url}/v1/me`, { headers: acme.headers('owner') })).status).toBe(200);
    });
  });
});
