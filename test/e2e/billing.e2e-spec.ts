import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startApi, adminHeaders, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { expectProblem, expectStatus, http, RANDOM_UUID } from '../support/http';
import { fakeStripe, type FakeStripe } from '../support/fake-stripe';

const API_KEY = 'sk_test_switchboard_e2e';
const WEBHOOK_SECRET = 'whsec_switchboard_e2e';

/**
 * Billing through HTTP with two tenants, against a fake Stripe on loopback reached by the real
 * SDK: plans and the seat limit, Checkout and Portal links, the webhook (signature, replay, out
 * of order), a lapsed tenant limited to reads (grace period 0 here), operator routes.
 */
describe('billing', () => {
  let api: RunningApi;
  let stripe: FakeStripe;
  let acme: TenantSession;
  let globex: TenantSession;

  const webhook = (event: Record<string, unknown>, options: { secret?: string; timestamp?: number } = {}) => {
    const { payload, header } = stripe.signed(event, options);
    return http(api.url, 'POST', '/v1/billing/stripe/webhook', { headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: payload });
  };
  const subscriptionOf = async (t: TenantSession) => expectStatus(await http(api.url, 'GET', '/v1/billing/subscription', { headers: t.headers('owner') }), 200);

  beforeAll(async () => {
    stripe = await fakeStripe(API_KEY, WEBHOOK_SECRET);
    api = await startApi({
      STRIPE_SECRET_KEY: API_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
      STRIPE_PRICES: 'team:price_team,business:price_business',
      BILLING_GRACE_HOURS: '0',
    });
    [acme, globex] = await createTwoTenants(api.url);
  }, 120_000);

  afterAll(async () => {
    api?.child.kill('SIGTERM');
    await api?.exited;
    await stripe?.stop();
  });

  it('starts every tenant on the default plan’s open trial, for owners and admins only', async () => {
    const sub = await subscriptionOf(acme);
    expect(sub).toMatchObject({ implicit: true, status: 'trialing', limited: false, plan: { code: 'business', name: 'Business' } });
    const plans = expectStatus(await http(api.url, 'GET', '/v1/billing/plans', { headers: acme.headers('admin') }), 200);
    expect(plans.data.map((p: { code: string }) => p.code)).toEqual(['free', 'team', 'business']);
    expect(plans.data[0].entitlements).toMatchObject({ seats: 3, apiRequestsPerMinute: 60 });
    expectProblem(await http(api.url, 'GET', '/v1/billing/subscription', { headers: acme.headers('agent') }), 403, 'forbidden');
    expectProblem(await http(api.url, 'GET', '/v1/billing/subscription', { headers: { authorization: `Bearer ${acme.apiKeys.full}` } }), 403, 'forbidden');
  });

  it('refuses an invitation past the plan’s seats with a 402 naming the limit and the plan; the other tenant is unaffected', async () => {
    // Two changes at once of a tenant that has no row yet: they take turns on the one row, so the
    // second sees the first's result (the audit chains), never both the implicit trial.
    const both = await Promise.all(['team', 'free'].map((plan) => http(api.url, 'PUT', `/v1/admin/tenants/${acme.tenant.id}/subscription`, { headers: adminHeaders(), body: { plan } })));
    both.forEach((r) => expectStatus(r, 200));
    const changes = expectStatus(await http(api.url, 'GET', '/v1/audit-logs?action=billing.plan_changed', { headers: acme.headers('owner') }), 200).data;
    expect(changes).toHaveLength(2);
    type Change = { plan?: { from: string; to: string }; status?: { from: string; to: string } };
    const chained = (first: Change, second: Change) => first.plan?.from === 'business' && first.status?.to === 'active' && second.plan?.from === first.plan?.to && second.status === undefined;
    const [a, b] = changes.map((c: { changes: Change }) => c.changes);
    expect(chained(a, b) || chained(b, a)).toBe(true);
    const put = expectStatus(await http(api.url, 'PUT', `/v1/admin/tenants/${acme.tenant.id}/subscription`, { headers: adminHeaders(), body: { plan: 'free' } }), 200);
    expect(put).toMatchObject({ plan: { code: 'free' }, status: 'active', implicit: false });
    const refused = expectProblem(await http(api.url, 'POST', '/v1/invitations', { headers: acme.headers('owner'), body: { email: 'one.more@acme.test', role: 'agent' } }), 402, 'plan-limit-reached');
    expect(refused).toMatchObject({ limit: 'seats', plan: 'Free', allowed: 3, used: 5 });
    expect(refused.detail).toContain('Free plan includes 3 seats');
    expectStatus(await http(api.url, 'POST', '/v1/invitations', { headers: globex.headers('owner'), body: { email: 'one.more@globex.test', role: 'agent' } }), 201);
    // The hand change is audited like other operator actions.
    const audit = expectStatus(await http(api.url, 'GET', '/v1/audit-logs?action=billing.plan_changed', { headers: acme.headers('owner') }), 200);
    expect(audit.data[0]).toMatchObject({ action: 'billing.plan_changed', actorType: 'platform_admin' });
    expect(expectStatus(await http(api.url, 'GET', '/v1/audit-logs?action=billing.plan_changed', { headers: globex.headers('owner') }), 200).data).toEqual([]);
  });

  it('gives a Checkout link through the real SDK, creating one customer per tenant, and a Portal link after it', async () => {
    expectProblem(await http(api.url, 'POST', '/v1/billing/portal', { headers: globex.headers('owner') }), 409, 'no-billing-customer');
    expectProblem(await http(api.url, 'POST', '/v1/billing/checkout', { headers: acme.headers('owner'), body: { plan: 'free' } }), 400, 'validation-failed');
    expectProblem(await http(api.url, 'POST', '/v1/billing/checkout', { headers: acme.headers('owner'), body: { plan: 'team', extra: 1 } }), 400, 'validation-failed');
    const first = expectStatus(await http(api.url, 'POST', '/v1/billing/checkout', { headers: acme.headers('owner'), body: { plan: 'team' } }), 200);
    const second = expectStatus(await http(api.url, 'POST', '/v1/billing/checkout', { headers: acme.headers('admin'), body: { plan: 'team' } }), 200);
    expect(first.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    expect(second.url).not.toBe(first.url);
    const customerCalls = stripe.calls.filter((c) => c.path === '/v1/customers');
    expect(customerCalls).toHaveLength(1);
    expect(customerCalls[0]).toMatchObject({ idempotencyKey: `switchboard-customer-${acme.tenant.id}`, form: { metadata: { tenant_id: acme.tenant.id } } });
    const session = stripe.calls.filter((c) => c.path === '/v1/checkout/sessions').at(-1)!;
    expect(session.form).toMatchObject({ mode: 'subscription', client_reference_id: acme.tenant.id, line_items: [{ price: 'price_team' }], subscription_data: { metadata: { tenant_id: acme.tenant.id, plan: 'team' } } });
    const portal = expectStatus(await http(api.url, 'POST', '/v1/billing/portal', { headers: acme.headers('owner') }), 200);
    expect(portal.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    (acme as TenantSession & { checkoutUrl?: string }).checkoutUrl = first.url;
  });

  it('follows Stripe’s webhooks: signature and age checked on the raw body, once per event id, never backwards', async () => {
    const { subscription, event } = stripe.completeCheckout((acme as TenantSession & { checkoutUrl?: string }).checkoutUrl!);
    const before = await subscriptionOf(acme);

    // Wrong secret, an old timestamp, no header, a body changed after signing: 400, nothing changed.
    expectProblem(await webhook(event, { secret: 'whsec_someone_else' }), 400, 'webhook-signature-invalid');
    expectProblem(await webhook(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 }), 400, 'webhook-signature-invalid');
    expectProblem(await http(api.url, 'POST', '/v1/billing/stripe/webhook', { body: event }), 400, 'webhook-signature-invalid');
    const { header } = stripe.signed(event);
    expectProblem(await http(api.url, 'POST', '/v1/billing/stripe/webhook', { headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: JSON.stringify({ ...event, id: 'evt_forged' }) }), 400, 'webhook-signature-invalid');
    expect(await subscriptionOf(acme)).toEqual(before);

    expect(expectStatus(await webhook(event), 200)).toEqual({ received: true, applied: true, reason: null });
    expect(await subscriptionOf(acme)).toMatchObject({ plan: { code: 'team' }, status: 'active', stripeSubscriptionId: subscription.id, limited: false, implicit: false });
    expect(expectStatus(await webhook(event), 200)).toEqual({ received: true, applied: false, reason: 'duplicate event' });

    // Stripe moves to past_due and back to active; the later event arrives first.
    const t = Math.floor(Date.now() / 1000);
    const pastDue = stripe.event('customer.subscription.updated', stripe.updateSubscription(subscription.id, { status: 'past_due' }), t + 10);
    const active = stripe.event('customer.subscription.updated', stripe.updateSubscription(subscription.id, { status: 'active', price: 'price_business' }), t + 20);
    expectStatus(await webhook(active), 200);
    const fetchesBefore = stripe.calls.filter((c) => c.path === `/v1/subscriptions/${subscription.id}`).length;
    expect(expectStatus(await webhook(pastDue), 200).applied).toBe(true);
    expect(stripe.calls.filter((c) => c.path === `/v1/subscriptions/${subscription.id}`).length).toBe(fetchesBefore + 1);
    expect(await subscriptionOf(acme)).toMatchObject({ plan: { code: 'business' }, status: 'active', lapsedAt: null, limited: false });

    // Events without our tenant, or of types we do not use, are acknowledged and ignored.
    expect(expectStatus(await webhook(stripe.event('invoice.paid', { id: 'in_1', object: 'invoice' })), 200)).toMatchObject({ applied: false });
    expect(expectStatus(await webhook(stripe.event('customer.subscription.updated', { ...subscription, metadata: {} })), 200)).toMatchObject({ applied: false, reason: 'no Switchboard tenant in the object' });
    expect(await subscriptionOf(globex)).toMatchObject({ implicit: true, status: 'trialing' });
  });

  it('limits a lapsed tenant to reads after the grace period, while it can still pay; the other tenant writes on', async () => {
    const [sub] = [...stripe.subscriptions.values()];
    const canceled = stripe.event('customer.subscription.deleted', stripe.updateSubscription(sub!.id, { status: 'canceled' }), Math.floor(Date.now() / 1000) + 60);
    expectStatus(await webhook(canceled), 200);
    expect(await subscriptionOf(acme)).toMatchObject({ status: 'canceled', limited: true });

    const refused = expectProblem(await http(api.url, 'POST', '/v1/tickets', { headers: acme.headers('agent'), body: { subject: 'Still here?', requester: { email: 'someone@example.test' } } }), 402, 'subscription-lapsed');
    expect(refused).toMatchObject({ plan: 'Business', subscriptionStatus: 'canceled' });
    expect(refused.detail).toContain('can be read but not changed');
    expectStatus(await http(api.url, 'GET', '/v1/tickets', { headers: acme.headers('agent') }), 200);
    expectStatus(await http(api.url, 'POST', '/v1/billing/portal', { headers: acme.headers('owner') }), 200);
    expectStatus(await http(api.url, 'POST', '/v1/tickets', { headers: globex.headers('agent'), body: { subject: 'Business as usual', requester: { email: 'someone@example.test' } } }), 201);

    // An operator puts the tenant back by hand: writes work again at once.
    expectStatus(await http(api.url, 'PUT', `/v1/admin/tenants/${acme.tenant.id}/subscription`, { headers: adminHeaders(), body: { plan: 'team', status: 'active' } }), 200);
    expectStatus(await http(api.url, 'POST', '/v1/tickets', { headers: acme.headers('agent'), body: { subject: 'Back', requester: { email: 'someone@example.test' } } }), 201);
  });

  it('lets operators list subscriptions and grant credits (audited), and nobody else', async () => {
    const page = expectStatus(await http(api.url, 'GET', '/v1/admin/subscriptions?limit=100', { headers: adminHeaders() }), 200);
    expect(page.data.find((s: { tenantId: string }) => s.tenantId === acme.tenant.id)).toMatchObject({ plan: { code: 'team' }, status: 'active' });
    expectProblem(await http(api.url, 'GET', '/v1/admin/subscriptions?cursor=bm9wZQ', { headers: adminHeaders() }), 400, 'invalid-cursor');
    expectProblem(await http(api.url, 'GET', '/v1/admin/subscriptions?status=bogus', { headers: adminHeaders() }), 400, 'validation-failed');
    expectProblem(await http(api.url, 'GET', '/v1/admin/subscriptions', { headers: acme.headers('owner') }), 403);

    const grant = expectStatus(await http(api.url, 'POST', `/v1/admin/tenants/${globex.tenant.id}/credits`, { headers: adminHeaders(), body: { amountCents: 2500, reason: 'Outage on 2026-12-01' } }), 201);
    expect(grant).toMatchObject({ balanceCents: 2500 });
    expect(await subscriptionOf(globex)).toMatchObject({ creditCents: 2500, implicit: false, plan: { code: 'business' } });
    expect((await subscriptionOf(acme)).creditCents).toBe(0);
    expectProblem(await http(api.url, 'POST', `/v1/admin/tenants/${globex.tenant.id}/credits`, { headers: adminHeaders(), body: { amountCents: -5, reason: '' } }), 400, 'validation-failed');
    expectProblem(await http(api.url, 'POST', `/v1/admin/tenants/${globex.tenant.id}/credits`, { headers: adminHeaders(), body: { amountCents: 1.5, reason: 'x' } }), 400, 'validation-failed');
    expectProblem(await http(api.url, 'POST', `/v1/admin/tenants/${RANDOM_UUID}/credits`, { headers: adminHeaders(), body: { amountCents: 5, reason: 'x' } }), 404);
    expectProblem(await http(api.url, 'PUT', `/v1/admin/tenants/${acme.tenant.id}/subscription`, { headers: adminHeaders(), body: { plan: 'platinum' } }), 400, 'validation-failed');
    const audit = expectStatus(await http(api.url, 'GET', '/v1/audit-logs?action=billing.credits_granted', { headers: globex.headers('owner') }), 200);
    expect(audit.data[0]).toMatchObject({ actorType: 'platform_admin' });
  });

  it('answers usage for the current billing period: Stripe’s while it runs, else the calendar month', async () => {
    const today = new Date();
    const month = today.toISOString().slice(0, 7);
    const own = expectStatus(await http(api.url, 'GET', '/v1/billing/usage', { headers: globex.headers('owner') }), 200);
    expect(own.period.start).toBe(`${month}-01`);
    expect(own).toMatchObject({ totals: { apiRequests: 0, aiTokens: 0, aiCostMicros: 0 }, byCategory: [], daily: [] });
    const paid = expectStatus(await http(api.url, 'GET', '/v1/billing/usage', { headers: acme.headers('owner') }), 200);
    expect(paid.period.start).toBe(today.toISOString().slice(0, 10)); // the fake's period started at checkout
    expectProblem(await http(api.url, 'GET', '/v1/billing/usage', { headers: acme.headers('viewer') }), 403, 'forbidden');
  });

  it('answers 502 and changes nothing while Stripe is unreachable (checkout, and a stale event that needs the current object)', async () => {
    const before = await subscriptionOf(acme);
    stripe.setDown(true);
    try {
      const customers = stripe.calls.filter((c) => c.path === '/v1/customers').length;
      expectProblem(await http(api.url, 'POST', '/v1/billing/checkout', { headers: globex.headers('owner'), body: { plan: 'team' } }), 502, 'stripe-unavailable');
      expect(stripe.calls.filter((c) => c.path === '/v1/customers').length).toBe(customers);
      const [sub] = [...stripe.subscriptions.values()];
      const stale = stripe.event('customer.subscription.updated', { ...sub, status: 'past_due' }, 1_000_000_000);
      expectProblem(await webhook(stale), 502, 'stripe-unavailable');
      expect(await subscriptionOf(acme)).toEqual(before);
    } finally {
      stripe.setDown(false);
    }
    expect(await subscriptionOf(globex)).toMatchObject({ stripeCustomerId: null });
  });

  it('refuses hostile webhook bodies without a 500', async () => {
    const { header } = stripe.signed({ id: 'evt_x' });
    expectProblem(await http(api.url, 'POST', '/v1/billing/stripe/webhook', { headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: '{"id":' }), 400);
    expectProblem(await http(api.url, 'POST', '/v1/billing/stripe/webhook', { headers: { 'content-type': 'application/json', 'stripe-signature': 'x'.repeat(5000) }, body: '{}' }), 400);
    expectProblem(await http(api.url, 'POST', '/v1/billing/stripe/webhook', { headers: { 'content-type': 'text/plain', 'stripe-signature': header }, body: 'hi' }), 415);
  });

  it('refuses an attachment past the plan’s storage, and AI assists the plan lacks, with a 402 naming the limit and the plan; an upgrade lifts both at once; the other tenant goes on', async () => {
    const FREE_BYTES = 1_073_741_824;
    const used = FREE_BYTES - 100;
    // Filling a gigabyte through uploads would take longer than the test: set the tenant's totals
    // (kept by the attachment triggers, which the check reads) to just under the Free plan's.
    const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO ticket_attachment_usage (tenant_id, files, bytes) VALUES ($1, 1, $2) ON CONFLICT (tenant_id) DO UPDATE SET files = EXCLUDED.files, bytes = EXCLUDED.bytes`,
        [globex.tenant.id, used],
      );
    } finally {
      await db.end();
    }
    expectStatus(await http(api.url, 'PUT', `/v1/admin/tenants/${globex.tenant.id}/subscription`, { headers: adminHeaders(), body: { plan: 'free', status: 'active' } }), 200);
    const ticketOf = async (t: TenantSession) => expectStatus(await http(api.url, 'POST', '/v1/tickets', { headers: t.headers('agent'), body: { subject: 'With a file', requester: { email: 'files@example.test' } } }), 201).id as string;
    const upload = async (t: TenantSession, ticketId: string, bytes: number) => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(bytes, 'a')], { type: 'text/plain' }), 'notes.txt');
      const res = await fetch(`${api.url}/v1/tickets/${ticketId}/attachments`, { method: 'POST', headers: { authorization: t.headers('agent').authorization! }, body: form });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
    };
    const globexTicket = await ticketOf(globex);

    // 100 bytes still fit exactly; the next byte does not.
    expectStatus(await upload(globex, globexTicket, 100), 201);
    const refused = expectProblem(await upload(globex, globexTicket, 200), 402, 'storage-limit-reached');
    expect(refused).toMatchObject({ limit: 'storage-bytes', plan: 'Free', allowed: FREE_BYTES, used: FREE_BYTES, size: 200 });
    expect(refused.detail).toContain('The Free plan includes 1 GiB of stored files');
    const listed = expectStatus(await http(api.url, 'GET', `/v1/tickets/${globexTicket}/attachments`, { headers: globex.headers('agent') }), 200);
    expect(listed.data).toHaveLength(1);

    // The Free plan has no AI assists: each assist route answers 402 naming the feature and the plan, before reading the ticket.
    for (const kind of ['draft', 'triage', 'summary']) {
      const noAi = expectProblem(await http(api.url, 'POST', `/v1/tickets/${globexTicket}/ai/${kind}`, { headers: globex.headers('agent') }), 402, 'plan-feature-unavailable');
      expect(noAi).toMatchObject({ feature: 'ai_assists', plan: 'Free' });
      expect(noAi.detail).toBe('AI assists are not included in the Free plan. Upgrade the plan to use them.');
    }
    // Nor messaging channels or field service: creating either answers 402 before anything is written.
    const webChannel = { kind: 'web', name: 'Site chat', widget: { allowedOrigins: ['https://www.globex.example'] } };
    const newJob = { contactId: randomUUID(), addressId: randomUUID(), title: 'Boiler service' };
    const noChannel = expectProblem(await http(api.url, 'POST', '/v1/channels', { headers: globex.headers('owner'), body: webChannel }), 402, 'plan-feature-unavailable');
    expect(noChannel).toMatchObject({ feature: 'channels', plan: 'Free', detail: 'Messaging channels are not included in the Free plan. Upgrade the plan to use them.' });
    const noJob = expectProblem(await http(api.url, 'POST', '/v1/field-service/jobs', { headers: globex.headers('owner'), body: newJob }), 402, 'plan-feature-unavailable');
    expect(noJob).toMatchObject({ feature: 'field_service', plan: 'Free', detail: 'Field service is not included in the Free plan. Upgrade the plan to use it.' });
    expect(expectStatus(await http(api.url, 'GET', '/v1/channels', { headers: globex.headers('owner') }), 200).data).toEqual([]);

    // The other tenant (Team) is not limited by this one's totals, and has AI assists.
    const acmeTicket = await ticketOf(acme);
    expectStatus(await upload(acme, acmeTicket, 200), 201);
    expect(expectStatus(await http(api.url, 'POST', `/v1/tickets/${acmeTicket}/ai/summary`, { headers: acme.headers('agent') }), 201)).toMatchObject({ kind: 'summary' });

    expectStatus(await http(api.url, 'PUT', `/v1/admin/tenants/${globex.tenant.id}/subscription`, { headers: adminHeaders(), body: { plan: 'team' } }), 200);
    expectStatus(await upload(globex, globexTicket, 200), 201);
    expectStatus(await http(api.url, 'POST', `/v1/tickets/${globexTicket}/ai/summary`, { headers: globex.headers('agent') }), 201);
    // The usage page breaks stored files down by content type, each tenant its own.
    const usageOf = async (t: TenantSession) => expectStatus(await http(api.url, 'GET', '/v1/billing/usage', { headers: t.headers('owner') }), 200).levels.storageByType;
    expect(await usageOf(globex)).toEqual([{ contentType: 'text/plain', files: 2, bytes: 300 }]);
    expect(await usageOf(acme)).toEqual([{ contentType: 'text/plain', files: 1, bytes: 200 }]);
    // Team has channels but not field service.
    expect(expectStatus(await http(api.url, 'POST', '/v1/channels', { headers: globex.headers('owner'), body: webChannel }), 201)).toMatchObject({ kind: 'web' });
    expectProblem(await http(api.url, 'POST', '/v1/field-service/jobs', { headers: globex.headers('owner'), body: newJob }), 402, 'plan-feature-unavailable');
  });

  it('limits API requests per minute by the tenant’s plan: a 429 naming the limit and the plan, a plan change at once, no leak across tenants', async () => {
    expectStatus(await http(api.url, 'PUT', `/v1/admin/tenants/${globex.tenant.id}/subscription`, { headers: adminHeaders(), body: { plan: 'free', status: 'active' } }), 200);
    const ok = await http(api.url, 'GET', '/v1/tickets?limit=1', { headers: globex.headers('agent') });
    expectStatus(ok, 200);
    expect(ok.headers.get('ratelimit-limit')).toBe('60');
    let limited: Awaited<ReturnType<typeof http>> | undefined;
    // A fixed one-minute window: its boundary may restart the count once.
    for (let i = 0; i < 130 && !limited; i++) {
      const res = await http(api.url, 'GET', '/v1/tickets?limit=1', { headers: globex.headers('agent') });
      if (res.status === 429) limited = res;
      else expectStatus(res, 200);
    }
    const problem = expectProblem(limited!, 429, 'rate-limited');
    expect(problem).toMatchObject({ limit: 'api-requests-per-minute', plan: 'Free', allowed: 60 });
    expect(problem.detail).toContain('60 requests per minute on the Free plan');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // The other tenant, on Team, goes on with its own budget.
    const other = await http(api.url, 'GET', '/v1/tickets?limit=1', { headers: acme.headers('agent') });
    expectStatus(other, 200);
    expect(other.headers.get('ratelimit-limit')).toBe('600');

    // An upgrade applies to the very next request.
    expectStatus(await http(api.url, 'PUT', `/v1/admin/tenants/${globex.tenant.id}/subscription`, { headers: adminHeaders(), body: { plan: 'team' } }), 200);
    const upgraded = await http(api.url, 'GET', '/v1/tickets?limit=1', { headers: globex.headers('agent') });
    expectStatus(upgraded, 200);
    expect(upgraded.headers.get('ratelimit-limit')).toBe('600');
  });
});
