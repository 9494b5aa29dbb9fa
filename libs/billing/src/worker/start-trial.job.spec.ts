import { jest } from '@jest/globals';
import type { EventConsumer } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { BillingConfig } from '../billing.context';
import { trialEnd } from '../domain/plans';
import type { TenantBilling } from '../entitlements/tenant-billing.service';
import type { BillingRepository } from '../repositories/billing.repository';
import { StartTrialJob } from './start-trial.job';

const { tenantId } = testContext();
const event = { id: 'evt-1', type: 'tenancy.tenant_created', tenantId, aggregateId: tenantId, occurredAt: '2026-12-01T10:00:00.000Z', actorId: null, correlationId: null, payload: { slug: 'acme' } };

function setup(rowExists: boolean, days = 14) {
  const tx = new FakeTenantTransaction();
  const seen = new Set<string>();
  // Like the real consumer: the effect runs once per event id, in a transaction.
  const consumer = {
    once: async (name: string, e: { id: string }, effect: Parameters<EventConsumer['once']>[2]) => {
      if (seen.has(`${name}:${e.id}`)) return false;
      seen.add(`${name}:${e.id}`);
      await tx.asTenantTransaction().run(testContext(), effect);
      return true;
    },
  };
  const repository = { create: jest.fn(async () => !rowExists) };
  const billing = { changed: jest.fn(async () => undefined) };
  const job = new StartTrialJob(
    { BILLING_DEFAULT_PLAN: 'business', BILLING_TRIAL_DAYS: days } as BillingConfig,
    consumer as unknown as EventConsumer,
    repository as unknown as BillingRepository,
    billing as unknown as TenantBilling,
  );
  return { tx, repository, billing, job };
}

describe('StartTrialJob', () => {
  it('creates the default plan’s trial ending BILLING_TRIAL_DAYS after the tenant was created, audited, announced, and dropped from caches after commit', async () => {
    const { tx, repository, billing, job } = setup(false);
    await job.handle(event as never, 'billing:billing.start-trial');
    const first = { planCode: 'business', status: 'trialing', trialEndsAt: '2026-12-15T10:00:00.000Z' };
    expect(repository.create).toHaveBeenCalledWith(expect.anything(), first);
    expect(tx.audits).toEqual([{ action: 'billing.trial_started', entityType: 'billing_subscription', entityId: tenantId, after: first }]);
    expect(tx.emitted).toEqual([{ type: 'billing.subscription_changed', aggregateId: tenantId, payload: { plan: 'business', status: 'trialing', source: 'trial', stripeEventId: null } }]);
    expect(billing.changed).toHaveBeenCalledWith(tenantId);
  });

  it('does nothing on a second delivery, nor over a row a checkout, webhook or operator wrote first', async () => {
    const once = setup(false);
    await once.job.handle(event as never, 'billing:billing.start-trial');
    await once.job.handle(event as never, 'billing:billing.start-trial');
    expect(once.repository.create).toHaveBeenCalledTimes(1);
    const taken = setup(true);
    await taken.job.handle(event as never, 'billing:billing.start-trial');
    expect(taken.tx.audits).toEqual([]);
    expect(taken.tx.emitted).toEqual([]);
    expect(taken.billing.changed).not.toHaveBeenCalled();
  });

  it('has no end with BILLING_TRIAL_DAYS=0', () => {
    expect(trialEnd(new Date('2026-12-01T10:00:00Z'), 0)).toBeNull();
    expect(trialEnd(new Date('2026-12-01T10:00:00Z'), 1)).toBe('2026-12-02T10:00:00.000Z');
  });
});
