import { featureRefusal, requirePlanFeature, type PlanFeatureSwitch } from './plan-features';

const AI: PlanFeatureSwitch = { key: 'ai_assists', label: 'AI assists', plural: true };
const FIELD: PlanFeatureSwitch = { key: 'field_service', label: 'Field service', plural: false };

describe('plan features', () => {
  it('refuses a feature the plan lacks with a 402 naming the feature and the plan', () => {
    const refusal = featureRefusal(AI, { included: false, plan: 'Free' });
    expect(refusal?.problem).toMatchObject({ status: 402, type: 'plan-feature-unavailable', extensions: { feature: 'ai_assists', plan: 'Free' } });
    expect(refusal?.problem.detail).toBe('AI assists are not included in the Free plan. Upgrade the plan to use them.');
    expect(featureRefusal(FIELD, { included: false, plan: 'Team' })?.problem.detail).toBe('Field service is not included in the Team plan. Upgrade the plan to use it.');
    expect(featureRefusal(AI, { included: true, plan: 'Team' })).toBeNull();
  });

  it('lets everything through without a policy, and asks the policy for the tenant and the feature', async () => {
    await expect(requirePlanFeature(undefined, 'tenant-a', AI)).resolves.toBeUndefined();
    const asked: string[] = [];
    const policy = { planFeature: async (tenantId: string, feature: string) => (asked.push(`${tenantId}:${feature}`), { included: false, plan: 'Free' }) };
    await expect(requirePlanFeature(policy, 'tenant-a', AI)).rejects.toMatchObject({ problem: { status: 402 } });
    expect(asked).toEqual(['tenant-a:ai_assists']);
  });
});
