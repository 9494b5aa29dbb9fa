import { decodeCursor, encodeCursor } from './pagination';
import { ProblemException } from './problem';

describe('cursors', () => {
  it('round-trips the sort key values', () => {
    const values = ['2026-11-22T02:00:00.000Z', '8a0d3c1e-0000-4000-8000-000000000000'];
    expect(decodeCursor(encodeCursor(values), 2)).toEqual(values);
  });

  it.each([
    ['not base64 json', '%%%'],
    ['wrong arity', encodeCursor(['a'])],
    ['objects inside', encodeCursor([{ a: 1 }, 'b'])],
    ['not an array', Buffer.from('{"a":1}').toString('base64url')],
  ])('rejects a forged cursor (%s) with 400', (_, cursor) => {
    try {
      decodeCursor(cursor, 2);
      throw new Error('expected a problem');
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).problem.status).toBe(400);
    }
  });
});
