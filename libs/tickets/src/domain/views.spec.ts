import { ProblemException } from '@switchboard/platform';
import { ticketConditions } from '../repositories/tickets.sql';
import { assertMayManage, assertScopeShape, resolveViewFilter } from './views';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const ME = '00000000-0000-4000-8000-000000000001';

describe('resolveViewFilter', () => {
  it('reads "me" as the member looking and keeps "none"', () => {
    expect(resolveViewFilter({ assigneeId: 'me', status: ['open'] }, ME, NOW)).toEqual({ assigneeId: ME, status: ['open'] });
    expect(resolveViewFilter({ assigneeId: 'none', groupId: 'none' }, ME, NOW)).toEqual({ assigneeId: 'none', groupId: 'none' });
  });

  it('refuses "me" without a member (an API key)', () => {
    expect(() => resolveViewFilter({ assigneeId: 'me' }, null, NOW)).toThrow(ProblemException);
  });

  it('turns relative windows into times, the narrower bound winning over an absolute one', () => {
    expect(resolveViewFilter({ createdWithinHours: 24, updatedOlderThanHours: 72 }, ME, NOW)).toEqual({
      createdFrom: '2026-12-06T12:00:00.000Z',
      updatedTo: '2026-12-04T12:00:00.000Z',
    });
    expect(resolveViewFilter({ createdWithinHours: 24, createdFrom: '2026-12-07T00:00:00.000Z' }, ME, NOW).createdFrom).toBe('2026-12-07T00:00:00.000Z');
    expect(resolveViewFilter({ createdWithinHours: 24, createdFrom: '2026-01-01T00:00:00.000Z' }, ME, NOW).createdFrom).toBe('2026-12-06T12:00:00.000Z');
    expect(resolveViewFilter({ updatedOlderThanHours: 1, updatedTo: '2026-12-01T00:00:00.000Z' }, ME, NOW).updatedTo).toBe('2026-12-01T00:00:00.000Z');
  });
});

describe('ticketConditions', () => {
  it('binds every value as a parameter, never as SQL text', () => {
    const params: unknown[] = [];
    const sql = ticketConditions({ assigneeId: 'none', groupId: "x'; DROP TABLE tickets; --", tag: ' VIP ', status: ['open'] }, (v) => `$${params.push(v)}`);
    expect(sql).toEqual(['t.status = ANY($1::text[])', 't.assignee_id IS NULL', 't.group_id = $2::uuid', 't.tags @> ARRAY[$3::text]']);
    expect(params).toEqual([['open'], "x'; DROP TABLE tickets; --", 'vip']);
  });
});

describe('who manages a view', () => {
  it('lets the owner change a personal view and configurers change group and shared ones', () => {
    expect(() => assertMayManage('personal', ME, ME, false)).not.toThrow();
    expect(() => assertMayManage('personal', ME, 'someone-else', true)).toThrow(/belongs to the member/);
    expect(() => assertMayManage('shared', null, ME, false)).toThrow(/tickets:configure/);
    expect(() => assertMayManage('group', null, ME, true)).not.toThrow();
  });

  it('asks a group view for its group, and only a group view', () => {
    expect(() => assertScopeShape('group', null)).toThrow(/groupId/);
    expect(() => assertScopeShape('shared', ME)).toThrow(/Only a group view/);
    expect(() => assertScopeShape('personal', undefined)).not.toThrow();
  });
});
