import { ClsServiceManager } from 'nestjs-cls';
import { REQUEST_URL } from '../context/async-context.module';
import { decodeCursor, encodeCursor, listScope } from './pagination';
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

describe('cursors bound to their list', () => {
  const cls = ClsServiceManager.getClsService();
  const inRequest = <T>(url: string, work: () => T): T => cls.runWith({ [REQUEST_URL]: url } as never, work);
  const problemOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as ProblemException).problem;
    }
    return null;
  };

  it('accepts the cursor on the list and filters that issued it, whatever the limit or order of parameters', () => {
    const cursor = inRequest('/v1/tickets?status=open&assignee=me&limit=5', () => encodeCursor(['2026-01-01T00:00:00.000Z', 'id-1']));
    expect(inRequest(`/v1/tickets?assignee=me&limit=50&status=open&cursor=${cursor}`, () => decodeCursor(cursor, 2))).toEqual(['2026-01-01T00:00:00.000Z', 'id-1']);
  });

  it('refuses it on another list or with other filters (400 invalid-cursor)', () => {
    const cursor = inRequest('/v1/tickets?status=open', () => encodeCursor(['2026-01-01T00:00:00.000Z', 'id-1']));
    for (const url of ['/v1/contacts', '/v1/tickets?status=solved', '/v1/tickets', '/v1/tickets?status=open&priority=high']) {
      expect(inRequest(url, () => problemOf(() => decodeCursor(cursor, 2)))).toMatchObject({ status: 400, type: 'invalid-cursor', detail: expect.stringMatching(/another list or other filters/) });
    }
    // Outside a request (a job) the scope is another one too.
    expect(problemOf(() => decodeCursor(cursor, 2))).toMatchObject({ status: 400 });
  });

  it('scopes by path and filters only', () => {
    expect(listScope('/v1/a?x=1&limit=3&cursor=abc')).toBe(listScope('/v1/a?x=1'));
    expect(listScope('/v1/a?x=1')).not.toBe(listScope('/v1/b?x=1'));
    expect(listScope(undefined)).toBe('-');
  });
});
