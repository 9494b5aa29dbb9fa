import { ProblemException } from '@switchboard/platform';
import { assertTransition, normaliseTags, statusAfterMessage } from './ticket';

const status = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return error instanceof ProblemException ? error.problem.status : 'other';
  }
};

describe('ticket rules', () => {
  it('guards status transitions', () => {
    expect(status(() => assertTransition('new', 'open'))).toBe('ok');
    expect(status(() => assertTransition('open', 'solved'))).toBe('ok');
    expect(status(() => assertTransition('solved', 'closed'))).toBe('ok');
    expect(status(() => assertTransition('solved', 'open'))).toBe('ok');
    expect(status(() => assertTransition('closed', 'open'))).toBe(422);
    expect(status(() => assertTransition('open', 'closed'))).toBe(422);
    expect(status(() => assertTransition('open', 'new'))).toBe(422);
  });

  it('reopens on a requester reply and opens on an agent reply', () => {
    expect(statusAfterMessage('solved', 'contact', 'public')).toBe('open');
    expect(statusAfterMessage('solved', 'contact', 'internal')).toBe('solved');
    expect(statusAfterMessage('new', 'agent', 'public')).toBe('open');
    expect(statusAfterMessage('closed', 'contact', 'public')).toBe('closed');
  });

  it('normalises tags and refuses odd ones', () => {
    expect(normaliseTags([' VIP ', 'vip', 'billing:refund'])).toEqual(['billing:refund', 'vip']);
    expect(status(() => normaliseTags(['has space']))).toBe(400);
  });
});
