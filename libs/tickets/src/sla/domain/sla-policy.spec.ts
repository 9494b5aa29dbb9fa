import { fieldConditionHolds, policyApplies, readsOrganization, type PolicyConditions } from './sla-policy';

const ORG = '00000000-0000-4000-8000-0000000000a1';
const OTHER = '00000000-0000-4000-8000-0000000000b2';
const ticket = (over: Partial<Parameters<typeof policyApplies>[1]> = {}) => ({
  priority: 'high',
  groupId: null,
  channel: 'email',
  type: 'question',
  tags: [],
  organizationId: ORG,
  fields: { plan: 'gold', seats: 40, renewal: '2027-01-15', regions: ['eu', 'us'], vip: true },
  ...over,
});

describe('SLA policy conditions', () => {
  it('match the requester’s organization; a requester without one never matches', () => {
    const c: PolicyConditions = { organizationIds: [ORG] };
    expect(policyApplies(c, ticket())).toBe(true);
    expect(policyApplies(c, ticket({ organizationId: OTHER }))).toBe(false);
    expect(policyApplies(c, ticket({ organizationId: null }))).toBe(false);
    expect(policyApplies({}, ticket({ organizationId: null }))).toBe(true);
    expect(readsOrganization([{ conditions: c }])).toBe(true);
    expect(readsOrganization([{ conditions: { organizationIds: [] } }, { conditions: { priorities: ['high'] } }])).toBe(false);
  });

  it('match custom fields with the views’ operators', () => {
    const fields = ticket().fields;
    expect(fieldConditionHolds({ key: 'plan', op: 'eq', value: 'gold' }, fields)).toBe(true);
    expect(fieldConditionHolds({ key: 'plan', op: 'eq', value: 'silver' }, fields)).toBe(false);
    expect(fieldConditionHolds({ key: 'plan', op: 'in', value: ['silver', 'gold'] }, fields)).toBe(true);
    expect(fieldConditionHolds({ key: 'seats', op: 'gte', value: 40 }, fields)).toBe(true);
    expect(fieldConditionHolds({ key: 'seats', op: 'gt', value: '40' }, fields)).toBe(false);
    expect(fieldConditionHolds({ key: 'seats', op: 'lt', value: 100 }, fields)).toBe(true);
    // Numbers compare as numbers (9 < 40), not as text.
    expect(fieldConditionHolds({ key: 'seats', op: 'gte', value: 9 }, fields)).toBe(true);
    expect(fieldConditionHolds({ key: 'renewal', op: 'lte', value: '2027-02-01' }, fields)).toBe(true);
    expect(fieldConditionHolds({ key: 'renewal', op: 'gt', value: '2027-02-01' }, fields)).toBe(false);
    expect(fieldConditionHolds({ key: 'regions', op: 'eq', value: 'us' }, fields)).toBe(true);
    expect(fieldConditionHolds({ key: 'regions', op: 'in', value: ['apac'] }, fields)).toBe(false);
    expect(fieldConditionHolds({ key: 'vip', op: 'eq', value: true }, fields)).toBe(true);
    expect(fieldConditionHolds({ key: 'plan', op: 'any' }, fields)).toBe(true);
    expect(fieldConditionHolds({ key: 'missing', op: 'any' }, fields)).toBe(false);
    expect(fieldConditionHolds({ key: 'missing', op: 'none' }, fields)).toBe(true);
    expect(fieldConditionHolds({ key: 'missing', op: 'lte', value: 5 }, fields)).toBe(false);
    expect(fieldConditionHolds({ key: 'regions', op: 'none' }, { regions: [] })).toBe(true);
  });

  it('hold together: every condition given must hold', () => {
    const c: PolicyConditions = { priorities: ['high'], organizationIds: [ORG], fields: [{ key: 'plan', op: 'eq', value: 'gold' }, { key: 'seats', op: 'gte', value: 50 }] };
    expect(policyApplies(c, ticket())).toBe(false);
    expect(policyApplies(c, ticket({ fields: { plan: 'gold', seats: 50 } }))).toBe(true);
    expect(policyApplies(c, ticket({ priority: 'low', fields: { plan: 'gold', seats: 50 } }))).toBe(false);
  });
});
