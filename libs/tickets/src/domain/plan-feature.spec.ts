import { testContext } from '@switchboard/platform/testing';
import { featureRefusal, requirePlanFeature } from './plan-feature.port';

describe('plan features', () => {
  it('refuses a feature the plan lacks with a 402 naming the feature and the plan', () => {
    const refusal = featureRefusal('ai_assists', { included: false, plan: 'Free' });
    expect(refusal?.problem).toMatchObject({ status: 402, type: 'plan-feature-unavailable', extensions: { feature: 'ai_assists', plan: 'Free' } });
    expect(refusal?.problem.detail).toBe('AI assists are not included in the Free plan. Upgrade the plan to use them.');
    expect(featureRefusal('ai_assists', { included: true, plan: 'Team' })).toBeNull();
  });

  it('lets everything through without a policy, and asks the policy for the tenant of the command', async () => {
    await expect(requirePlanFeature(undefined, testContext(), 'ai_assists')).resolves.toBeUndefined();
    const asked: string[] = [];
    const policy = { planFeature: async (c: { tenantId: string }) => (asked.push(c.tenantId), { included: false, plan: 'Free' }) };
    await expect(requirePlanFeature(policy, testContext(), 'ai_assists')).rejects.toMatchObject({ problem: { status: 402 } });
    expect(asked).toEqual([testContext().tenantId]);
  });
});
