import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import { ProblemException } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { TenantBilling } from '../../entitlements/tenant-billing.service';
import { NO_CAPS, type StoredBudgetCaps } from '../budget-caps';
import type { BudgetCapsRepository } from '../budget-caps.repository';
import type { BudgetCaps } from '../budget-caps.service';
import { SetBudgetCapsCommand } from './set-budget-caps.command';
import { SetBudgetCapsHandler } from './set-budget-caps.handler';

const team = { code: 'team', name: 'Team', entitlements: { seats: 25, aiMonthlyTokens: 5_000_000, aiMonthlyCostCents: 10_000, apiRequestsPerMinute: 600, storageBytes: 1, features: [] } };

function setup(stored: StoredBudgetCaps = { ...NO_CAPS, version: 1 }) {
  const tx = new FakeTenantTransaction();
  let row = stored;
  const repository = {
    lock: jest.fn(async () => row),
    saveTenantCaps: jest.fn(async (_tx: unknown, aiSpendCents: number | null, apiRequests: number | null) => (row = { ...row, aiSpendCents, apiRequests, version: row.version + 1 })),
    saveOverrides: jest.fn(async (_tx: unknown, overrideAiSpendCents: number | null, overrideApiRequests: number | null) => (row = { ...row, overrideAiSpendCents, overrideApiRequests, version: row.version + 1 })),
  };
  const caps = { changed: jest.fn(async () => undefined) };
  const billing = { current: async () => ({ plan: team }) };
  const queries = { execute: jest.fn(async () => ({ view: true })) };
  const handler = new SetBudgetCapsHandler(tx.asTenantTransaction(), repository as unknown as BudgetCapsRepository, billing as unknown as TenantBilling, caps as unknown as BudgetCaps, queries as unknown as QueryBus);
  return { handler, tx, repository, caps, row: () => row };
}

const problemOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    if (error instanceof ProblemException) return error.problem;
    throw error;
  }
  throw new Error('expected a problem');
};

describe('SetBudgetCapsHandler', () => {
  it('sets the tenant’s caps within the plan’s limit, keeps what is absent, audits, announces and drops caches after commit', async () => {
    const { handler, tx, caps, row } = setup({ ...NO_CAPS, apiRequests: 500, version: 3 });
    await expect(handler.execute(new SetBudgetCapsCommand(testContext(), 'tenant', { aiSpendCents: 10_000 }, 3))).resolves.toEqual({ view: true });
    expect(row()).toMatchObject({ aiSpendCents: 10_000, apiRequests: 500, version: 4 });
    expect(tx.audits).toEqual([{ action: 'billing.budget_caps_changed', entityType: 'billing_budget', entityId: testContext().tenantId, before: { aiSpendCents: null, apiRequests: 500 }, after: { aiSpendCents: 10_000, apiRequests: 500 } }]);
    expect(tx.emitted).toEqual([{ type: 'billing.budget_caps_changed', aggregateId: testContext().tenantId, payload: { by: 'tenant', aiSpendCents: 10_000, apiRequests: 500 } }]);
    expect(caps.changed).toHaveBeenCalledWith(testContext().tenantId);
  });

  it('refuses a cap above the plan’s limit (422) and a stale version (409), changing nothing', async () => {
    const { handler, tx, repository, caps } = setup();
    expect(await problemOf(handler.execute(new SetBudgetCapsCommand(testContext(), 'tenant', { aiSpendCents: 10_001 })))).toMatchObject({ status: 422, type: 'budget-cap-above-limit', errors: [{ field: 'aiSpendCents' }], extensions: { plan: 'Team' } });
    expect(await problemOf(handler.execute(new SetBudgetCapsCommand(testContext(), 'tenant', { apiRequests: 5 }, 7)))).toMatchObject({ status: 409, type: 'version-conflict' });
    expect(repository.saveTenantCaps).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
    expect(caps.changed).not.toHaveBeenCalled();
  });

  it('lets the operator’s override exceed the plan, after which the tenant may cap up to it; null returns to the plan’s limit', async () => {
    const { handler, tx, row } = setup();
    const operator = testContext({ actorId: 'platform-admin', actorType: 'platform_admin' });
    await handler.execute(new SetBudgetCapsCommand(operator, 'operator', { aiSpendCents: 50_000 }));
    expect(row()).toMatchObject({ overrideAiSpendCents: 50_000, overrideApiRequests: null });
    await handler.execute(new SetBudgetCapsCommand(testContext(), 'tenant', { aiSpendCents: 40_000 }));
    expect(row()).toMatchObject({ aiSpendCents: 40_000 });
    await handler.execute(new SetBudgetCapsCommand(operator, 'operator', { aiSpendCents: null }));
    expect(row()).toMatchObject({ overrideAiSpendCents: null });
    expect(tx.audits.map((a) => a.action)).toEqual(['billing.budget_caps_overridden', 'billing.budget_caps_changed', 'billing.budget_caps_overridden']);
  });

  it('is built only from whole caps ≥ 0 or null', () => {
    expect(() => new SetBudgetCapsCommand(testContext(), 'tenant', { aiSpendCents: -1 })).toThrow(ProblemException);
    expect(() => new SetBudgetCapsCommand(testContext(), 'tenant', { apiRequests: 1.5 })).toThrow(ProblemException);
    expect(() => new SetBudgetCapsCommand(testContext(), 'tenant', { aiSpendCents: null, apiRequests: 0 })).not.toThrow();
  });
});
