import { ineligibility, modeOf, selectAgent, type Candidate } from './assignment-policy';

const agent = (userId: string, load = 0, capacity: number | null = null, presence: Candidate['presence'] = 'online'): Candidate => ({ userId, load, capacity, presence });

describe('selectAgent', () => {
  it('round robin goes round the members from the one after the cursor, wrapping', () => {
    const members = [agent('a'), agent('b'), agent('c')];
    expect(selectAgent('round_robin', members, null)).toBe('a');
    expect(selectAgent('round_robin', members, 'a')).toBe('b');
    expect(selectAgent('round_robin', members, 'c')).toBe('a');
    // A cursor of someone who left restarts at the head.
    expect(selectAgent('round_robin', members, 'gone')).toBe('a');
  });

  it('skips offline, away and full members, and answers null when nobody can take a ticket', () => {
    const members = [agent('a', 0, null, 'away'), agent('b', 2, 2), agent('c', 0, null, 'offline'), agent('d', 1, 2)];
    expect(selectAgent('round_robin', members, null)).toBe('d');
    expect(selectAgent('least_loaded', members, null)).toBe('d');
    expect(selectAgent('round_robin', [agent('a', 0, null, 'away'), agent('b', 3, 3)], null)).toBeNull();
  });

  it('least loaded takes the member with the fewest tickets, ties taking turns from the cursor', () => {
    const members = [agent('a', 3), agent('b', 1), agent('c', 1), agent('d', 2)];
    expect(selectAgent('least_loaded', members, null)).toBe('b');
    expect(selectAgent('least_loaded', members, 'b')).toBe('c');
    expect(selectAgent('least_loaded', members, 'c')).toBe('b');
  });

  it('assigns nothing without a policy or members', () => {
    expect(selectAgent('none', [agent('a')], null)).toBeNull();
    expect(selectAgent('round_robin', [], null)).toBeNull();
  });

  it('a capacity of zero takes no tickets; no capacity takes any number', () => {
    expect(ineligibility(agent('a', 0, 0))).toBe('at_capacity');
    expect(ineligibility(agent('a', 10_000, null))).toBeNull();
    expect(ineligibility(agent('a', 0, 1, 'away'))).toBe('away');
  });

  it('reads unknown stored modes as none', () => {
    expect(modeOf('round_robin')).toBe('round_robin');
    expect(modeOf('least_loaded')).toBe('least_loaded');
    expect(modeOf(null)).toBe('none');
    expect(modeOf('fancy')).toBe('none');
  });
});
