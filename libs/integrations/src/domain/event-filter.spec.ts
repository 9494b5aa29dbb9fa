import { filterProblem, matchesFilter } from './event-filter';

describe('webhook event filters', () => {
  it('matches exact types, prefix wildcards and "*"', () => {
    expect(matchesFilter(['ticket.created'], 'ticket.created')).toBe(true);
    expect(matchesFilter(['ticket.created'], 'ticket.updated')).toBe(false);
    expect(matchesFilter(['ticket.*'], 'ticket.message_added')).toBe(true);
    expect(matchesFilter(['ticket.*'], 'tickets.created')).toBe(false);
    expect(matchesFilter(['ticket.*'], 'group.created')).toBe(false);
    expect(matchesFilter(['group.*', 'job.created'], 'job.created')).toBe(true);
    expect(matchesFilter(['*'], 'visit.assigned')).toBe(true);
  });

  it('refuses empty, oversized and malformed filters', () => {
    expect(filterProblem([])).toMatch(/at least one/);
    expect(filterProblem(Array.from({ length: 101 }, (_, i) => `t${i}.x`))).toMatch(/at most 100/);
    for (const bad of ['ticket*', '*.created', 'Ticket.created', 'ticket.', '', 'a'.repeat(101), 'ticket.**', 'ticket created']) expect(filterProblem([bad])).not.toBeNull();
    expect(filterProblem(['*', 'ticket.*', 'ticket.created', 'custom_status.changed'])).toBeNull();
  });
});
