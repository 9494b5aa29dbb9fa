import { ProblemException } from '@switchboard/platform';
import { aTicket } from '../../testing/fake-repositories';
import { assertMergeable } from './merge-rules';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const locked = (id: string, overrides: Parameters<typeof aTicket>[0] = {}) => ({ ...aTicket({ id, ...overrides }), deleted: false });

const outcome = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    return `${error.problem.status} ${error.problem.type}`;
  }
};

describe('which merges are refused', () => {
  it('allows a live source into a live target', () => {
    expect(outcome(() => assertMergeable(A, B, locked(A), locked(B, { status: 'solved' })))).toBe('ok');
  });

  it('refuses a ticket into itself, unknown tickets, and closed, deleted or merged ones', () => {
    expect(outcome(() => assertMergeable(A, A, locked(A), locked(A)))).toBe('422 merge-into-self');
    expect(outcome(() => assertMergeable(A, B, undefined, locked(B)))).toBe('404 not-found');
    expect(outcome(() => assertMergeable(A, B, { ...locked(A), deleted: true }, locked(B)))).toBe('404 not-found');
    expect(outcome(() => assertMergeable(A, B, locked(A), undefined))).toBe('404 not-found');
    expect(outcome(() => assertMergeable(A, B, locked(A, { mergedIntoId: B, status: 'closed' }), locked(B)))).toBe('409 ticket-merged');
    expect(outcome(() => assertMergeable(A, B, locked(A, { status: 'closed' }), locked(B)))).toBe('409 ticket-closed');
    expect(outcome(() => assertMergeable(A, B, locked(A), { ...locked(B), deleted: true }))).toBe('409 merge-target-deleted');
    expect(outcome(() => assertMergeable(A, B, locked(A), locked(B, { mergedIntoId: A, status: 'closed' })))).toBe('409 merge-target-merged');
    expect(outcome(() => assertMergeable(A, B, locked(A), locked(B, { status: 'closed' })))).toBe('409 merge-target-closed');
  });
});
