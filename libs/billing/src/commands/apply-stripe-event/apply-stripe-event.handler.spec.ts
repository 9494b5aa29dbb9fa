import { jest } from '@jest/globals';
import type { CommandBus } from '@nestjs/cqrs';
import { loadConfig } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import Stripe from 'stripe';
import { billingContext, type BillingConfig } from '../../billing.context';
import type { TenantBilling } from '../../entitlements/tenant-billing.service';
import type { BillingRepository, StoredSubscription } from '../../repositories/billing.repository';
import { StripeGateway } from '../../stripe/stripe-gateway';
import { ApplyStripeEventCommand } from './apply-stripe-event.command';
import { ApplyStripeEventHandler } from './apply-stripe-event.handler';

const TENANT = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
const SECRET = 'whsec_unit';
const config = loadConfig(
  { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379', STRIPE_SECRET_KEY: 'sk_test_unit', STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_PRICES: 'team:price_team,business:price_business' },
  [billingContext],
) as unknown as BillingConfig;

const subscription = (status: string, price = 'price_team') =>
  ({ id: 'sub_1', object: 'subscription', customer: 'cus_1', status, metadata: { tenant_id: TENANT }, trial_end: null, items: { data: [{ price: { id: price }, current_period_start: 1_765_000_000, current_period_end: 1_767_600_000 }] } }) as unknown as Stripe.Subscription;

const stored = (stateAt: number, status: StoredSubscription['status'] = 'active'): StoredSubscription => ({
  plan: { code: 'team', name: 'Team', entitlements: { seats: 25, aiMonthlyTokens: null, aiMonthlyCostCents: null, apiRequestsPerMinute: null, storageBytes: null, features: [] } },
  status,
  implicit: false,
  stripeCustomerId: 'cus_1',
  stripeSubscriptionId: 'sub_1',
  trialEndsAt: null,
  currentPeriodStart: null,
  currentPeriodEnd: null,
  lapsedAt: null,
  creditCents: 0,
  version: 1,
  updatedAt: null,
  stripeStateAt: stateAt,
});

function setup(current: StoredSubscription | undefined, options: { claimed?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const saved: unknown[] = [];
  const repository = {
    subscription: jest.fn(async () => current),
    lockOrCreate: jest.fn(async () => (current ? { stored: current, created: false } : { stored: stored(0), created: true })),
    claimStripeEvent: jest.fn(async () => options.claimed ?? true),
    save: jest.fn(async (_tx: unknown, state: { planCode: string; status: string }) => {
      saved.push(state);
      return { ...stored(0), plan: { ...stored(0).plan, code: state.planCode }, status: state.status } as StoredSubscription;
    }),
  };
  const billing = { changed: jest.fn(async () => undefined) };
  const gateway = new StripeGateway(config);
  const retrieve = jest.spyOn(gateway, 'subscription').mockResolvedValue(subscription('active', 'price_business'));
  const handler = new ApplyStripeEventHandler(config, tx.asTenantTransaction(), repository as unknown as BillingRepository, billing as unknown as TenantBilling, gateway, { execute: jest.fn() } as unknown as CommandBus);
  const deliver = (type: string, object: unknown, created: number, secret = SECRET, timestamp = Math.floor(Date.now() / 1000)) => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type, created, data: { object } });
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
    return handler.execute(new ApplyStripeEventCommand(Buffer.from(payload), header, 'req-1'));
  };
  return { tx, repository, billing, retrieve, deliver, saved };
}

describe('ApplyStripeEventHandler', () => {
  it('refuses a wrong or old signature with a 400 before reading anything', async () => {
    const { repository, deliver } = setup(undefined);
    await expect(deliver('customer.subscription.updated', subscription('active'), 100, 'whsec_other')).rejects.toMatchObject({ problem: { status: 400, type: 'webhook-signature-invalid' } });
    await expect(deliver('customer.subscription.updated', subscription('active'), 100, SECRET, Math.floor(Date.now() / 1000) - 301)).rejects.toMatchObject({ problem: { status: 400 } });
    expect(repository.subscription).not.toHaveBeenCalled();
  });

  it('applies a newer event’s snapshot, audits and emits the change, then invalidates the cache', async () => {
    const { tx, saved, billing, retrieve, deliver } = setup(stored(100));
    await expect(deliver('customer.subscription.updated', subscription('past_due'), 200)).resolves.toEqual({ received: true, applied: true, reason: null });
    expect(retrieve).not.toHaveBeenCalled();
    expect(saved).toEqual([expect.objectContaining({ planCode: 'team', status: 'past_due', stripeStateAt: 200, lapsedAt: expect.any(String) })]);
    expect(tx.emitted).toEqual([{ type: 'billing.subscription_changed', aggregateId: TENANT, payload: { plan: 'team', status: 'past_due', source: 'stripe', stripeEventId: 'evt_1' } }]);
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'billing.subscription_changed', before: { plan: 'team', status: 'active' }, after: { plan: 'team', status: 'past_due' } })]);
    expect(billing.changed).toHaveBeenCalledWith(TENANT);
  });

  it('creates and locks the row of a tenant without one before applying its first event (concurrent first deliveries take turns)', async () => {
    const { tx, repository, saved, deliver } = setup(undefined);
    await expect(deliver('customer.subscription.created', subscription('active'), 100)).resolves.toEqual({ received: true, applied: true, reason: null });
    expect(repository.lockOrCreate).toHaveBeenCalledWith(expect.anything(), { planCode: 'business', status: 'trialing', trialEndsAt: null });
    expect(saved).toEqual([expect.objectContaining({ planCode: 'team', status: 'active', stripeStateAt: 100 })]);
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'billing.subscription_changed', before: undefined, after: { plan: 'team', status: 'active' } })]);
  });

  it('fetches the current object for an event not newer than our state (same second included)', async () => {
    const { saved, retrieve, deliver } = setup(stored(200));
    await deliver('customer.subscription.updated', subscription('past_due'), 200);
    expect(retrieve).toHaveBeenCalledWith('sub_1');
    expect(saved).toEqual([expect.objectContaining({ planCode: 'business', status: 'active', lapsedAt: null })]);
  });

  it('changes nothing for a replayed event id', async () => {
    const { tx, saved, billing, deliver } = setup(stored(100), { claimed: false });
    await expect(deliver('customer.subscription.updated', subscription('canceled'), 300)).resolves.toEqual({ received: true, applied: false, reason: 'duplicate event' });
    expect(saved).toEqual([]);
    expect(tx.events).toEqual([]);
    expect(billing.changed).not.toHaveBeenCalled();
  });

  it('acknowledges events it does not use, or without a tenant, and writes nothing', async () => {
    const { repository, deliver } = setup(undefined);
    await expect(deliver('invoice.paid', { id: 'in_1' }, 300)).resolves.toMatchObject({ applied: false });
    await expect(deliver('customer.subscription.updated', { ...subscription('active'), metadata: { tenant_id: 'nope' } }, 300)).resolves.toMatchObject({ applied: false });
    expect(repository.subscription).not.toHaveBeenCalled();
  });
});
